package dev.conlab.db;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.conlab.bench.Json;
import dev.conlab.bench.MachineInfo;
import dev.conlab.bench.RunDocument;
import org.jooq.DSLContext;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import static dev.conlab.db.jooq.Tables.MACHINE;
import static dev.conlab.db.jooq.Tables.MACHINE_RUNTIME;
import static dev.conlab.db.jooq.Tables.RUN;

/** What every store writes the same way: a machine found or stored, a run counted per machine, times, JSON, a document's hash. */
final class Rows {

    private Rows() {
    }

    /**
     * Runs {@code update} on a run whose machine or runtime version it may change (a queued run once its worker says
     * which machine and JVM it got), and moves the run between the per-machine counts if it did.
     */
    static void recounted(DSLContext tx, long runId, Runnable update) {
        var before = tx.select(RUN.MACHINE_ID, RUN.RUNTIME, RUN.JDK_FEATURE).from(RUN).where(RUN.ID.eq(runId)).fetchOne();
        update.run();
        if (before == null) return;
        var after = tx.select(RUN.MACHINE_ID, RUN.RUNTIME, RUN.JDK_FEATURE).from(RUN).where(RUN.ID.eq(runId)).fetchOne();
        if (after == null || after.equals(before)) return;
        countRun(tx, before.value1(), before.value2(), before.value3(), -1);
        countRun(tx, after.value1(), after.value2(), after.value3(), 1);
    }

    /**
     * Counts a run stored (+1) or deleted (−1) for its machine, runtime and feature version (V11's machine_runtime, which
     * the machines list reads instead of grouping every run). Two first runs at once: the second insert fails as a race
     * and its transaction is tried again.
     */
    static void countRun(DSLContext tx, long machineId, String runtime, int feature, int delta) {
        var where = MACHINE_RUNTIME.MACHINE_ID.eq(machineId).and(MACHINE_RUNTIME.RUNTIME.eq(runtime)).and(MACHINE_RUNTIME.JDK_FEATURE.eq(feature));
        int updated = tx.update(MACHINE_RUNTIME).set(MACHINE_RUNTIME.RUNS, MACHINE_RUNTIME.RUNS.plus(delta)).where(where).execute();
        if (updated == 0 && delta > 0) {
            tx.insertInto(MACHINE_RUNTIME).set(MACHINE_RUNTIME.MACHINE_ID, machineId).set(MACHINE_RUNTIME.RUNTIME, runtime)
                    .set(MACHINE_RUNTIME.JDK_FEATURE, feature).set(MACHINE_RUNTIME.RUNS, (long) delta).execute();
        } else if (delta < 0) {
            tx.deleteFrom(MACHINE_RUNTIME).where(where).and(MACHINE_RUNTIME.RUNS.le(0L)).execute();
        }
    }

    static long machineId(DSLContext tx, MachineInfo machine) {
        Long id = tx.select(MACHINE.ID).from(MACHINE).where(MACHINE.FINGERPRINT.eq(machine.fingerprint())).fetchOne(MACHINE.ID);
        if (id != null) return id;
        String label = machine.label() != null ? machine.label() : machine.hostname() != null ? machine.hostname() : machine.fingerprint();
        return tx.insertInto(MACHINE)
                .set(MACHINE.FINGERPRINT, machine.fingerprint())
                .set(MACHINE.LABEL, label)
                .set(MACHINE.HOSTNAME, machine.hostname())
                .set(MACHINE.CPU_MODEL, machine.cpu() == null ? null : machine.cpu().model())
                .set(MACHINE.LOGICAL_CPUS, machine.cpu() == null ? null : machine.cpu().logicalCpus())
                .set(MACHINE.MEMORY_BYTES, machine.memoryBytes())
                .set(MACHINE.FIRST_SEEN, OffsetDateTime.now(ZoneOffset.UTC))
                .returning(MACHINE.ID).fetchOne().getId();
    }

    static OffsetDateTime time(String iso) {
        return iso == null ? null : OffsetDateTime.ofInstant(Instant.parse(iso), ZoneOffset.UTC);
    }

    /**
     * The SHA-256 of the document as this version of the lab reads it (its JSON in UTF-8): what idempotency compares.
     * Jackson writes the bytes straight into the digest: the same hash as of the JSON text, without the 190 KB string.
     */
    static String canonicalSha256(RunDocument doc) {
        try {
            var digest = java.security.MessageDigest.getInstance("SHA-256");
            Json.MAPPER.writeValue(new java.io.OutputStream() {
                @Override
                public void write(int b) {
                    digest.update((byte) b);
                }

                @Override
                public void write(byte[] bytes, int offset, int length) {
                    digest.update(bytes, offset, length);
                }
            }, doc);
            return java.util.HexFormat.of().formatHex(digest.digest());
        } catch (java.io.IOException | java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String json(Object value) {
        try {
            return Json.MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
