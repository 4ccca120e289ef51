package dev.conlab.db;

import org.jooq.DSLContext;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * How documents are committed. H2 (embedded, MVStore) takes one document at a time: concurrent writers of the same tables
 * retry their page updates against each other, and 8 concurrent uploads took twice the CPU of 8 in turn; so on H2 a
 * document that arrives while another's transaction runs waits for it, and the next writer takes every waiting document
 * into one transaction (a group commit: H2 writes the pages of a commit at each commit, which cost most of an upload).
 * Each caller is answered only after the commit that holds its document; a group that fails is stored again one document
 * per transaction, so one bad document never fails another. PostgreSQL takes documents concurrently, each in its own.
 */
final class GroupCommit {

    /** Stores one document in a transaction. */
    interface Insert {
        RunStore.Stored insert(DSLContext tx, Pending document);
    }

    /** How many documents one group commit takes at most. */
    static final int MAX_GROUP = 64;

    private final DSLContext dsl;
    /** Null when writes need no lock (PostgreSQL). */
    private final ReentrantLock writeLock;
    private final Insert insert;
    private final java.util.concurrent.ConcurrentLinkedQueue<Pending> waiting = new java.util.concurrent.ConcurrentLinkedQueue<>();

    GroupCommit(DSLContext dsl, boolean grouped, Insert insert) {
        this.dsl = dsl;
        this.writeLock = grouped ? new ReentrantLock() : null;
        this.insert = insert;
    }

    /** Stores one document, in a group with those waiting meanwhile where writes are grouped. */
    RunStore.Stored one(Pending mine) {
        if (writeLock == null) return insertOne(mine);
        waiting.add(mine);
        writeLock.lock();
        try {
            // the waiting documents in groups, in the order they came, until mine is among those committed
            while (!mine.outcome.isDone()) {
                var group = new ArrayList<Pending>();
                for (Pending p; group.size() < MAX_GROUP && (p = waiting.poll()) != null; ) group.add(p);
                commit(group);
            }
        } finally {
            writeLock.unlock();
        }
        return mine.result();
    }

    /** Stores documents {@link #MAX_GROUP} to a transaction; the outcome of each, in order: its Stored, or its exception. */
    List<Object> all(List<Pending> all) {
        if (writeLock != null) writeLock.lock();
        try {
            for (int from = 0; from < all.size(); from += MAX_GROUP) commit(all.subList(from, Math.min(all.size(), from + MAX_GROUP)));
        } finally {
            if (writeLock != null) writeLock.unlock();
        }
        var outcomes = new ArrayList<Object>();
        for (Pending p : all) {
            try {
                outcomes.add(p.result());
            } catch (RuntimeException e) {
                outcomes.add(e);
            }
        }
        return outcomes;
    }

    /** A document waiting for its commit, and what became of it. */
    static final class Pending {
        final dev.conlab.bench.RunDocument doc;
        final String rawJson;
        final RunStore.Source source;
        final String sha;
        final java.util.concurrent.CompletableFuture<RunStore.Stored> outcome = new java.util.concurrent.CompletableFuture<>();

        Pending(dev.conlab.bench.RunDocument doc, String rawJson, RunStore.Source source, String sha) {
            this.doc = doc;
            this.rawJson = rawJson;
            this.source = source;
            this.sha = sha;
        }

        RunStore.Stored result() {
            try {
                return outcome.join();
            } catch (java.util.concurrent.CompletionException e) {
                if (e.getCause() instanceof RuntimeException r) throw r;
                if (e.getCause() instanceof Error err) throw err;
                throw e;
            }
        }
    }

    /** One transaction for the group; if it fails, one per document, so that each gets its own outcome. */
    private void commit(List<Pending> group) {
        if (group.size() > 1) {
            try {
                List<RunStore.Stored> stored = dsl.transactionResult(configuration -> {
                    DSLContext tx = DSL.using(configuration);
                    var list = new ArrayList<RunStore.Stored>();
                    for (Pending p : group) list.add(insert.insert(tx, p));
                    return list;
                });
                for (int i = 0; i < group.size(); i++) group.get(i).outcome.complete(stored.get(i));
                return;
            } catch (RuntimeException e) {
                // a conflict or a race in one document: each on its own below
            }
        }
        for (Pending p : group) {
            try {
                p.outcome.complete(insertOne(p));
            } catch (RuntimeException | Error e) {
                p.outcome.completeExceptionally(e);
            }
        }
    }

    private RunStore.Stored insertOne(Pending p) {
        for (int attempt = 1; ; attempt++) {
            try {
                return dsl.transactionResult(configuration -> insert.insert(DSL.using(configuration), p));
            } catch (DataAccessException e) {
                // Two first runs of one machine, or two copies of one document, raced: the other transaction
                // has committed by now, and the next attempt finds its rows.
                if (attempt >= 5 || !isRace(e)) throw e;
            }
        }
    }

    private static boolean isRace(DataAccessException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                String state = sql.getSQLState();
                if ("23505".equals(state) || "40001".equals(state) || "HYT00".equals(state) || sql.getErrorCode() == 90131) {
                    return true;
                }
            }
        }
        return false;
    }

}
