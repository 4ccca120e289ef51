package dev.conlab.db;

import org.jooq.DSLContext;
import org.jooq.impl.DSL;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

import static dev.conlab.db.jooq.Tables.MACHINE;
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

    public List<Machine> list() {
        return dsl.selectFrom(MACHINE).orderBy(MACHINE.LABEL, MACHINE.ID).fetch().map(m -> machine(m.getId()).orElseThrow());
    }

    public Optional<Machine> machine(long id) {
        var m = dsl.selectFrom(MACHINE).where(MACHINE.ID.eq(id)).fetchOne();
        if (m == null) return Optional.empty();
        int runs = dsl.fetchCount(RUN, RUN.MACHINE_ID.eq(id));
        List<Integer> jdks = dsl.selectDistinct(RUN.JDK_FEATURE).from(RUN).where(RUN.MACHINE_ID.eq(id))
                .orderBy(RUN.JDK_FEATURE).fetch(RUN.JDK_FEATURE);
        return Optional.of(new Machine(m.getId(), m.getFingerprint(), m.getLabel(), m.getHostname(), m.getCpuModel(),
                m.getLogicalCpus(), m.getMemoryBytes(), m.getFirstSeen(), runs, jdks));
    }

    /** Renames a machine; false if there is none with this id. */
    public boolean relabel(long id, String label) {
        return dsl.transactionResult(c -> DSL.using(c).update(MACHINE).set(MACHINE.LABEL, label)
                .where(MACHINE.ID.eq(id)).execute() == 1);
    }
}
