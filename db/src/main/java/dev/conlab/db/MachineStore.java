package dev.conlab.db;

import org.jooq.DSLContext;
import org.jooq.impl.DSL;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.conlab.db.jooq.Tables.MACHINE;
import static dev.conlab.db.jooq.Tables.MACHINE_CHECK;
import static dev.conlab.db.jooq.Tables.MACHINE_RUNTIME;
import static dev.conlab.db.jooq.Tables.RUN;

/** Machines, found by fingerprint when their first run is stored; only the label is editable. */
public final class MachineStore {

    /**
     * @param jdks the JDK feature versions this machine's runs were measured on
     */
    public record Machine(long id, String fingerprint, String label, String hostname, String cpuModel, Integer logicalCpus,
                          Long memoryBytes, OffsetDateTime firstSeen, int runs, List<Integer> jdks) {
    }

    private final DSLContext dsl;

    public MachineStore(Database database) {
        this.dsl = database.dsl();
    }

    /** Every machine with its run count and JDKs, by label: two queries, however many machines there are. */
    public List<Machine> list() {
        return machines(DSL.noCondition());
    }

    /** The id of the machine with this fingerprint, if it is known. */
    public Optional<Long> idOf(String fingerprint) {
        return dsl.select(MACHINE.ID).from(MACHINE).where(MACHINE.FINGERPRINT.eq(fingerprint)).fetchOptional(MACHINE.ID);
    }

    public Optional<Machine> machine(long id) {
        return machines(MACHINE.ID.eq(id)).stream().findFirst();
    }

    /** The machines with their runs counted per runtime and feature (V11's machine_runtime): two small queries. */
    private List<Machine> machines(org.jooq.Condition where) {
        var rows = dsl.select(MACHINE.ID, MACHINE.FINGERPRINT, MACHINE.LABEL, MACHINE.HOSTNAME, MACHINE.CPU_MODEL, MACHINE.LOGICAL_CPUS,
                        MACHINE.MEMORY_BYTES, MACHINE.FIRST_SEEN)
                .from(MACHINE).where(where).orderBy(MACHINE.LABEL, MACHINE.ID).fetch();
        if (rows.isEmpty()) return List.of();
        Map<Long, List<Integer>> jdks = new HashMap<>();
        Map<Long, Long> runs = new HashMap<>();
        dsl.select(MACHINE_RUNTIME.MACHINE_ID, MACHINE_RUNTIME.RUNTIME, MACHINE_RUNTIME.JDK_FEATURE, MACHINE_RUNTIME.RUNS)
                .from(MACHINE_RUNTIME).join(MACHINE).on(MACHINE.ID.eq(MACHINE_RUNTIME.MACHINE_ID)).where(where)
                .orderBy(MACHINE_RUNTIME.MACHINE_ID, MACHINE_RUNTIME.JDK_FEATURE)
                .forEach(r -> {
                    runs.merge(r.value1(), r.value4(), Long::sum);
                    if (dev.conlab.bench.Vocabulary.JVM.equals(r.value2()) && r.value4() > 0) {
                        jdks.computeIfAbsent(r.value1(), k -> new ArrayList<>()).add(r.value3());
                    }
                });
        return rows.map(r -> new Machine(r.get(MACHINE.ID), r.get(MACHINE.FINGERPRINT), r.get(MACHINE.LABEL), r.get(MACHINE.HOSTNAME),
                r.get(MACHINE.CPU_MODEL), r.get(MACHINE.LOGICAL_CPUS), r.get(MACHINE.MEMORY_BYTES), r.get(MACHINE.FIRST_SEEN),
                runs.getOrDefault(r.get(MACHINE.ID), 0L).intValue(), List.copyOf(jdks.getOrDefault(r.get(MACHINE.ID), List.of()))));
    }

    /** The JDK feature versions of every machine's runs, ascending. */
    public List<Integer> jdkFeatures() {
        return dsl.selectDistinct(MACHINE_RUNTIME.JDK_FEATURE).from(MACHINE_RUNTIME)
                .where(MACHINE_RUNTIME.RUNTIME.eq(dev.conlab.bench.Vocabulary.JVM)).and(MACHINE_RUNTIME.RUNS.gt(0L))
                .orderBy(MACHINE_RUNTIME.JDK_FEATURE).fetch(MACHINE_RUNTIME.JDK_FEATURE);
    }

    /** A check of a machine ({@code conlab doctor}): when, its verdict and the check as JSON. */
    public record StoredCheck(long machineId, OffsetDateTime at, String verdict, String json) {
    }

    /** Keeps a check of the machine (stored first if it is new); returns the machine's id. */
    public long saveCheck(dev.conlab.bench.MachineInfo machine, OffsetDateTime at, String verdict, String json) {
        return dsl.transactionResult(c -> {
            DSLContext tx = DSL.using(c);
            long id = Rows.machineId(tx, machine);
            tx.insertInto(MACHINE_CHECK).set(MACHINE_CHECK.MACHINE_ID, id).set(MACHINE_CHECK.CHECKED_AT, at)
                    .set(MACHINE_CHECK.VERDICT, verdict).set(MACHINE_CHECK.CHECK_JSON, json).execute();
            return id;
        });
    }

    /** The machine's newest check, if it has one. */
    public Optional<StoredCheck> lastCheck(long machineId) {
        return dsl.select(MACHINE_CHECK.CHECKED_AT, MACHINE_CHECK.VERDICT, MACHINE_CHECK.CHECK_JSON).from(MACHINE_CHECK)
                .where(MACHINE_CHECK.MACHINE_ID.eq(machineId)).orderBy(MACHINE_CHECK.CHECKED_AT.desc(), MACHINE_CHECK.ID.desc()).limit(1)
                .fetchOptional(r -> new StoredCheck(machineId, r.value1(), r.value2(), r.value3()));
    }

    /** The machine's newest check as conlab doctor made it; empty without one (or one this version cannot read). */
    public Optional<dev.conlab.bench.MachineCheck> lastCheckOf(long machineId) {
        return lastCheck(machineId).flatMap(c -> {
            try {
                return Optional.of(dev.conlab.bench.Json.MAPPER.readValue(c.json(), dev.conlab.bench.MachineCheck.class));
            } catch (java.io.IOException e) {
                return Optional.empty();
            }
        });
    }

    /** Renames a machine; false if there is none with this id. */
    public boolean relabel(long id, String label) {
        return dsl.transactionResult(c -> DSL.using(c).update(MACHINE).set(MACHINE.LABEL, label)
                .where(MACHINE.ID.eq(id)).execute() == 1);
    }
}
