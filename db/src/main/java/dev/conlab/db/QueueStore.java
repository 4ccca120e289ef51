package dev.conlab.db;

import dev.conlab.bench.CellResult;
import dev.conlab.bench.JvmInfo;
import dev.conlab.bench.MachineInfo;
import dev.conlab.bench.RunDocument;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static dev.conlab.db.jooq.Tables.CELL;
import static dev.conlab.db.jooq.Tables.MACHINE;
import static dev.conlab.db.jooq.Tables.RUN;
import static dev.conlab.db.jooq.Tables.RUN_DOCUMENT;

/**
 * The run queue, in the run table, through the states of {@link RunStatus}. Cells are stored as they finish, so a stopped run keeps them;
 * a run that finishes gets its result document, and its cells are rewritten from it so both agree.
 */
public final class QueueStore {

    /** What to queue: one run on one JDK. */
    public record NewRun(String suite, int jdkFeature, String jdkVersion, String jdkVendor, String jdkHome, String specJson,
                         int cellsTotal, int runTimeoutSeconds, Long retryOf, String runtime, String sitting) {

        public NewRun(String suite, int jdkFeature, String jdkVersion, String jdkVendor, String jdkHome, String specJson,
                      int cellsTotal, int runTimeoutSeconds, Long retryOf, String runtime) {
            this(suite, jdkFeature, jdkVersion, jdkVendor, jdkHome, specJson, cellsTotal, runTimeoutSeconds, retryOf, runtime, null);
        }

        /** A run on a JDK. */
        public NewRun(String suite, int jdkFeature, String jdkVersion, String jdkVendor, String jdkHome, String specJson,
                      int cellsTotal, int runTimeoutSeconds, Long retryOf) {
            this(suite, jdkFeature, jdkVersion, jdkVendor, jdkHome, specJson, cellsTotal, runTimeoutSeconds, retryOf, dev.conlab.bench.Vocabulary.JVM);
        }
    }

    /** A run of the queue as stored. */
    public record QueuedRun(long id, String documentId, String suite, int jdkFeature, String jdkVersion, String jdkHome,
                            String specJson, int cellsTotal, int runTimeoutSeconds, RunStatus status, String error,
                            OffsetDateTime createdAt, OffsetDateTime startedAt, OffsetDateTime finishedAt, Long retryOf,
                            int cellsDone, String runtime, String jdkVendor, Long targetMachineId, String targetMachine,
                            String leaseHolder, OffsetDateTime leaseExpiresAt, String sitting) {

        /** Measured by an agent (not by a server's own runner). */
        public boolean onAgent() {
            return leaseHolder != null && leaseHolder.startsWith(AGENT_HOLDER);
        }

        /** "JDK 25" or "CPython 3.11.2". */
        public String runtimeLabel() {
            return RunStore.label(runtime, jdkFeature, jdkVersion, jdkVendor);
        }
    }

    /** The lease holder's prefix of a server's own runner ({@code server:<instance>}) and of an agent ({@code agent:<session>}). */
    public static final String SERVER_HOLDER = "server:";
    public static final String AGENT_HOLDER = "agent:";

    /** What a holder learns when it renews its lease on a run. */
    public enum LeaseState {
        /** Renewed: go on measuring. */
        HELD,
        /** Renewed, but someone asked to cancel: stop, kill the worker, report the run cancelled. */
        CANCEL,
        /** Not yours any more (interrupted after the lease lapsed, or ended): stop and report nothing. */
        LOST
    }

    private final DSLContext dsl;

    public QueueStore(Database database) {
        this.dsl = database.dsl();
    }

    /** Queues a run measured on {@code host} (this server's machine); returns its id. */
    public long enqueue(MachineInfo host, NewRun run) {
        return enqueue(machineId(host), run);
    }

    /** The id of this machine, stored now if it is new. */
    public long machineId(MachineInfo machine) {
        return dsl.transactionResult(c -> Rows.machineId(DSL.using(c), machine));
    }

    /** Queues a run to be measured on the machine {@code targetMachineId} (by its server or its agent); returns its id. */
    public long enqueue(long targetMachineId, NewRun run) {
        return dsl.transactionResult(c -> {
            DSLContext tx = DSL.using(c);
            long machineId = targetMachineId;
            Rows.countRun(tx, machineId, run.runtime(), run.jdkFeature(), 1);
            return tx.insertInto(RUN)
                    .set(RUN.TARGET_MACHINE_ID, targetMachineId)
                    .set(RUN.DOCUMENT_ID, UUID.randomUUID().toString())
                    .set(RUN.MACHINE_ID, machineId)
                    .set(RUN.RUNTIME, run.runtime())
                    .set(RUN.JDK_FEATURE, run.jdkFeature())
                    .set(RUN.JDK_VERSION, run.jdkVersion())
                    .set(RUN.JDK_VENDOR, run.jdkVendor())
                    .set(RUN.SUITE, run.suite())
                    .set(RUN.SOURCE, RunStore.Source.LOCAL.id())
                    .set(RUN.STATUS, RunStatus.QUEUED.id())
                    .set(RUN.CREATED_AT, now())
                    .set(RUN.SPEC_JSON, run.specJson())
                    .set(RUN.JDK_HOME, run.jdkHome())
                    .set(RUN.CELLS_TOTAL, run.cellsTotal())
                    .set(RUN.RUN_TIMEOUT_SECONDS, run.runTimeoutSeconds())
                    .set(RUN.RETRY_OF, run.retryOf())
                    .set(RUN.SITTING_ID, run.sitting())
                    .returning(RUN.ID).fetchOne().getId();
        });
    }

    /**
     * The oldest run queued for the machine {@code machineId}, now {@code running} under a lease of {@code holder}; empty
     * when none waits. Atomic on H2 and PostgreSQL alike: the update only succeeds while the run is still queued, so of
     * two claimants (two servers, a server and a cancel) exactly one wins; the other looks again.
     */
    public Optional<QueuedRun> claimNext(long machineId, String holder, java.time.Duration lease) {
        while (true) {
            Long id = dsl.select(RUN.ID).from(RUN).where(RUN.TARGET_MACHINE_ID.eq(machineId)).and(RUN.STATUS.eq(RunStatus.QUEUED.id()))
                    .orderBy(RUN.CREATED_AT, RUN.ID).limit(1).fetchOne(RUN.ID);
            if (id == null) return Optional.empty();
            OffsetDateTime now = now();
            int claimed = dsl.update(RUN).set(RUN.STATUS, RunStatus.RUNNING.id()).set(RUN.STARTED_AT, now)
                    .set(RUN.LEASE_HOLDER, holder).set(RUN.LEASE_EXPIRES_AT, now.plus(lease))
                    .where(RUN.ID.eq(id)).and(RUN.STATUS.eq(RunStatus.QUEUED.id())).execute();
            if (claimed == 1) return get(id);
            // cancelled (or claimed) in between: look again
        }
    }

    /**
     * The other runs of an interleaved sitting queued for the same machine, now {@code running} under the same lease as its
     * first (claimed by {@link #claimNext}): they are measured as one job. Each is claimed atomically as there.
     */
    public List<QueuedRun> claimSitting(long machineId, String sitting, long except, String holder, java.time.Duration lease) {
        var ids = dsl.select(RUN.ID).from(RUN).where(RUN.TARGET_MACHINE_ID.eq(machineId)).and(RUN.SITTING_ID.eq(sitting))
                .and(RUN.STATUS.eq(RunStatus.QUEUED.id())).and(RUN.ID.ne(except)).orderBy(RUN.ID).fetch(RUN.ID);
        var claimed = new java.util.ArrayList<QueuedRun>();
        for (Long id : ids) {
            OffsetDateTime now = now();
            int n = dsl.update(RUN).set(RUN.STATUS, RunStatus.RUNNING.id()).set(RUN.STARTED_AT, now)
                    .set(RUN.LEASE_HOLDER, holder).set(RUN.LEASE_EXPIRES_AT, now.plus(lease))
                    .where(RUN.ID.eq(id)).and(RUN.STATUS.eq(RunStatus.QUEUED.id())).execute();
            if (n == 1) get(id).ifPresent(claimed::add);
        }
        return claimed;
    }

    /** Renews {@code holder}'s lease on a running run, and says whether to go on, cancel, or stop (the run is not its any more). */
    public LeaseState renew(long runId, String holder, java.time.Duration lease) {
        int renewed = dsl.update(RUN).set(RUN.LEASE_EXPIRES_AT, now().plus(lease))
                .where(RUN.ID.eq(runId)).and(RUN.STATUS.eq(RunStatus.RUNNING.id())).and(RUN.LEASE_HOLDER.eq(holder)).execute();
        if (renewed != 1) return LeaseState.LOST;
        Boolean cancel = dsl.select(RUN.CANCEL_REQUESTED).from(RUN).where(RUN.ID.eq(runId)).fetchOne(RUN.CANCEL_REQUESTED);
        return Boolean.TRUE.equals(cancel) ? LeaseState.CANCEL : LeaseState.HELD;
    }

    /** Whether {@code holder} holds a lease on this running run (an agent may only report what it holds). */
    public boolean heldBy(long runId, String holder) {
        return dsl.fetchExists(RUN, RUN.ID.eq(runId).and(RUN.STATUS.eq(RunStatus.RUNNING.id())).and(RUN.LEASE_HOLDER.eq(holder)));
    }

    /** Asks the holder of a running run to cancel it (it learns on its next renewal); false when the run is not running. */
    public boolean requestCancel(long runId) {
        return dsl.update(RUN).set(RUN.CANCEL_REQUESTED, true)
                .where(RUN.ID.eq(runId)).and(RUN.STATUS.eq(RunStatus.RUNNING.id())).execute() == 1;
    }

    /**
     * Runs whose lease lapsed — their agent died, lost the network, or their server was killed — become
     * {@code interrupted} (or {@code cancelled}, if a cancel was on its way), their finished cells kept; returns their ids.
     */
    public List<Long> expireLeases() {
        OffsetDateTime now = now();
        var lapsed = dsl.select(RUN.ID, RUN.LEASE_HOLDER, RUN.CANCEL_REQUESTED).from(RUN).where(RUN.STATUS.eq(RunStatus.RUNNING.id()))
                .and(RUN.LEASE_EXPIRES_AT.lt(now)).fetch();
        var ended = new java.util.ArrayList<Long>();
        for (var r : lapsed) {
            String holder = r.value2() != null && r.value2().startsWith(AGENT_HOLDER) ? "the agent measuring it" : "the server measuring it";
            boolean cancelled = Boolean.TRUE.equals(r.value3());
            // a cancel that its holder could not confirm any more is still a cancel
            RunStatus status = cancelled ? RunStatus.CANCELLED : RunStatus.INTERRUPTED;
            String why = cancelled ? "cancelled; " + holder + " stopped answering before it confirmed; its finished cells are kept"
                    : holder + " stopped renewing its lease (it died, or lost the network); its finished cells are kept";
            int n = dsl.update(RUN).set(RUN.STATUS, status.id()).set(RUN.ERROR, why).set(RUN.FINISHED_AT, now)
                    .where(RUN.ID.eq(r.value1())).and(RUN.STATUS.eq(RunStatus.RUNNING.id())).and(RUN.LEASE_EXPIRES_AT.lt(now)).execute();
            if (n == 1) ended.add(r.value1());
        }
        return ended;
    }

    /**
     * Running runs of machine {@code machineId} whose holder starts with {@code holderPrefix} (a restarted server's own
     * runs; an agent's runs when it registers again), except {@code keep}'s, become {@code interrupted}; returns how many.
     * A server's restart thus never touches another machine's runs, nor its agents'.
     */
    public int interruptHeld(long machineId, String holderPrefix, String keep, String error) {
        org.jooq.Condition held = RUN.LEASE_HOLDER.like(holderPrefix + "%");
        if (holderPrefix.equals(SERVER_HOLDER)) held = held.or(RUN.LEASE_HOLDER.isNull()); // claimed before leases existed
        var condition = RUN.STATUS.eq(RunStatus.RUNNING.id()).and(RUN.TARGET_MACHINE_ID.eq(machineId)).and(held);
        if (keep != null) condition = condition.and(RUN.LEASE_HOLDER.isNull().or(RUN.LEASE_HOLDER.ne(keep)));
        return dsl.update(RUN).set(RUN.STATUS, RunStatus.INTERRUPTED.id()).set(RUN.ERROR, error).set(RUN.FINISHED_AT, now())
                .where(condition).execute();
    }

    /**
     * A server that starts gives every agent's running run a fresh lease: while the server was away no agent could
     * renew, and a lapse that is the server's own absence must not interrupt their runs. Returns how many.
     */
    public int extendAgentLeases(java.time.Duration lease) {
        return dsl.update(RUN).set(RUN.LEASE_EXPIRES_AT, now().plus(lease))
                .where(RUN.STATUS.eq(RunStatus.RUNNING.id())).and(RUN.LEASE_HOLDER.like(AGENT_HOLDER + "%")).execute();
    }

    /** Queued and running runs, oldest first. */
    public List<QueuedRun> active() {
        return select().where(RUN.STATUS.in(RunStatus.QUEUED.id(), RunStatus.RUNNING.id())).orderBy(RUN.CREATED_AT, RUN.ID).fetch(this::queuedRun);
    }

    /** The queued and running runs of one machine, oldest first. */
    public List<QueuedRun> active(long machineId) {
        return select().where(RUN.STATUS.in(RunStatus.QUEUED.id(), RunStatus.RUNNING.id())).and(RUN.TARGET_MACHINE_ID.eq(machineId))
                .orderBy(RUN.CREATED_AT, RUN.ID).fetch(this::queuedRun);
    }

    /** Runs of the queue that ended since {@code since}, newest first (the queue panel shows them finished, with their links). */
    public List<QueuedRun> endedSince(OffsetDateTime since, int limit) {
        return select().where(RUN.SPEC_JSON.isNotNull()).and(RUN.STATUS.notIn(RunStatus.QUEUED.id(), RunStatus.RUNNING.id())).and(RUN.FINISHED_AT.ge(since))
                .orderBy(RUN.FINISHED_AT.desc(), RUN.ID.desc()).limit(limit).fetch(this::queuedRun);
    }

    /** A run made by the queue (or any run: uploads have no spec). */
    public Optional<QueuedRun> get(long runId) {
        return select().where(RUN.ID.eq(runId)).fetchOptional(this::queuedRun);
    }

    private org.jooq.SelectJoinStep<org.jooq.Record> select() {
        var done = DSL.field(DSL.selectCount().from(CELL).where(CELL.RUN_ID.eq(RUN.ID))).as("cells_done");
        var target = DSL.field(DSL.select(MACHINE.LABEL).from(MACHINE).where(MACHINE.ID.eq(RUN.TARGET_MACHINE_ID))).as("target_label");
        return dsl.select(RUN.asterisk(), done, target).from(RUN);
    }

    /** A running run whose cancel is on its way to its holder is shown {@code cancelling}. */
    private static RunStatus status(org.jooq.Record r) {
        RunStatus status = RunStatus.of(r.get(RUN.STATUS));
        return status == RunStatus.RUNNING && Boolean.TRUE.equals(r.get(RUN.CANCEL_REQUESTED)) ? RunStatus.CANCELLING : status;
    }

    private QueuedRun queuedRun(org.jooq.Record r) {
        Integer total = r.get(RUN.CELLS_TOTAL);
        Integer limit = r.get(RUN.RUN_TIMEOUT_SECONDS);
        return new QueuedRun(r.get(RUN.ID), r.get(RUN.DOCUMENT_ID), r.get(RUN.SUITE), r.get(RUN.JDK_FEATURE),
                r.get(RUN.JDK_VERSION), r.get(RUN.JDK_HOME), r.get(RUN.SPEC_JSON), total == null ? 0 : total,
                limit == null ? 0 : limit, status(r), r.get(RUN.ERROR), r.get(RUN.CREATED_AT), r.get(RUN.STARTED_AT),
                r.get(RUN.FINISHED_AT), r.get(RUN.RETRY_OF), r.get("cells_done", Integer.class), r.get(RUN.RUNTIME), r.get(RUN.JDK_VENDOR),
                r.get(RUN.TARGET_MACHINE_ID), r.get("target_label", String.class), r.get(RUN.LEASE_HOLDER), r.get(RUN.LEASE_EXPIRES_AT),
                r.get(RUN.SITTING_ID));
    }

    /** The worker said hello: its machine and JVM become the run's. */
    public void started(long runId, MachineInfo machine, JvmInfo jvm) {
        started(runId, machine, jvm, null);
    }

    /** The worker said hello: its machine and its JVM (or, for a Python run, its interpreter) become the run's. */
    public void started(long runId, MachineInfo machine, JvmInfo jvm, dev.conlab.bench.PythonInfo python) {
        dsl.transaction(c -> {
            DSLContext tx = DSL.using(c);
            var environment = new java.util.LinkedHashMap<String, Object>();
            environment.put("machine", machine);
            if (jvm != null) environment.put("jvm", jvm);
            if (python != null) environment.put("python", python);
            var update = tx.update(RUN).set(RUN.MACHINE_ID, Rows.machineId(tx, machine));
            if (jvm != null) {
                update = update.set(RUN.JDK_FEATURE, jvm.feature()).set(RUN.JDK_VERSION, jvm.version()).set(RUN.JDK_VENDOR, jvm.vendor());
            } else if (python != null) {
                update = update.set(RUN.JDK_FEATURE, 0).set(RUN.JDK_VERSION, python.version()).set(RUN.JDK_VENDOR, python.implementation());
            }
            var set = update.set(RUN.ENVIRONMENT_JSON, Rows.json(environment)).where(RUN.ID.eq(runId));
            Rows.recounted(tx, runId, set::execute);
        });
    }

    /** The worker's machine and JVM facts, once it said hello. */
    public Optional<String> environmentJson(long runId) {
        return dsl.select(RUN.ENVIRONMENT_JSON).from(RUN).where(RUN.ID.eq(runId)).fetchOptional(RUN.ENVIRONMENT_JSON);
    }

    /** Stores (or, with several forks, replaces) the cell at {@code position}, with its samples, in one transaction. */
    public void cellFinished(long runId, int position, CellResult result) {
        dsl.transaction(c -> {
            DSLContext tx = DSL.using(c);
            String common = tx.select(RUN.METRIC_SOURCES_JSON).from(RUN).where(RUN.ID.eq(runId)).fetchOne(RUN.METRIC_SOURCES_JSON);
            if (common == null) {
                common = Rows.json(result.metricSources());
                tx.update(RUN).set(RUN.METRIC_SOURCES_JSON, common).where(RUN.ID.eq(runId)).execute();
            }
            tx.deleteFrom(CELL).where(CELL.RUN_ID.eq(runId)).and(CELL.POSITION.eq(position)).execute();
            CellRows.insertCells(tx, runId, List.of(new RunStore.PositionedCell(position, result)), common, true);
        });
    }

    /**
     * The run finished: its document is stored, its cells rewritten from the document, and it is {@code done}.
     * False (and nothing written) when the run is no longer running (cancelled meanwhile).
     */
    public boolean finish(long runId, RunDocument doc, String json) {
        return finish(runId, doc, json, RunStatus.RUNNING);
    }

    /**
     * As {@link #finish(long, RunDocument, String)}, from {@code from}: {@code running}, or {@code interrupted} for the document
     * an agent owed from before its restart, which ended the run.
     */
    public boolean finish(long runId, RunDocument doc, String json, RunStatus from) {
        if (from != RunStatus.RUNNING && from != RunStatus.INTERRUPTED) throw new IllegalArgumentException("a run finishes from running or interrupted");
        String sha = Rows.canonicalSha256(doc);
        return dsl.transactionResult(c -> {
            DSLContext tx = DSL.using(c);
            String common = CellRows.commonMetricSources(doc.results());
            var finished = tx.update(RUN)
                    .set(RUN.STATUS, RunStatus.DONE.id())
                    .set(RUN.FINISHED_AT, now())
                    .set(RUN.STARTED_AT, Rows.time(doc.startedAt()))
                    .set(RUN.DOCUMENT_SHA256, sha)
                    .set(RUN.METRIC_SOURCES_JSON, common)
                    .set(RUN.JDK_FEATURE, doc.runtimeFeature())
                    .set(RUN.JDK_VERSION, doc.runtimeVersion())
                    .set(RUN.JDK_VENDOR, doc.runtimeVendor())
                    .set(RUN.MACHINE_ID, Rows.machineId(tx, doc.machine()))
                    .set(RUN.ERROR, (String) null)
                    .where(RUN.ID.eq(runId)).and(RUN.STATUS.eq(from.id())).and(RUN.DOCUMENT_ID.eq(doc.id()));
            int[] updated = new int[1];
            Rows.recounted(tx, runId, () -> updated[0] = finished.execute());
            if (updated[0] != 1) return false;
            tx.insertInto(RUN_DOCUMENT).set(RUN_DOCUMENT.RUN_ID, runId).set(RUN_DOCUMENT.DOCUMENT_JSON, json).execute();
            tx.deleteFrom(CELL).where(CELL.RUN_ID.eq(runId)).execute();
            CellRows.insertCells(tx, runId, RunStore.PositionedCell.all(doc.results()), common, false);
            return true;
        });
    }

    /**
     * Ends a running (or, for {@code cancelled}, a queued) run without a document; its finished cells stay.
     * False when the run was in neither state.
     */
    public boolean end(long runId, RunStatus status, String error) {
        return end(runId, status, error, false);
    }

    /** As {@link #end(long, RunStatus, String)}; {@code fromInterrupted}: the end an agent owed from before its restart, which ended the run. */
    public boolean end(long runId, RunStatus status, String error, boolean fromInterrupted) {
        if (status.active() || status == RunStatus.DONE) throw new IllegalArgumentException("a run ends failed, cancelled or interrupted, not " + status);
        var from = new java.util.ArrayList<>(status == RunStatus.CANCELLED ? List.of(RunStatus.QUEUED.id(), RunStatus.RUNNING.id())
                : List.of(RunStatus.RUNNING.id()));
        if (fromInterrupted) from.add(RunStatus.INTERRUPTED.id());
        return dsl.update(RUN).set(RUN.STATUS, status.id()).set(RUN.ERROR, truncate(error)).set(RUN.FINISHED_AT, now())
                .where(RUN.ID.eq(runId)).and(RUN.STATUS.in(from)).execute() == 1;
    }

    private static String truncate(String text) {
        return text == null || text.length() <= 20000 ? text : text.substring(0, 19_990) + " […]";
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }
}
