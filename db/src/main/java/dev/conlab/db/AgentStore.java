package dev.conlab.db;

import org.jooq.DSLContext;
import org.jooq.impl.DSL;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import static dev.conlab.db.jooq.Tables.AGENT;
import static dev.conlab.db.jooq.Tables.API_TOKEN;
import static dev.conlab.db.jooq.Tables.MACHINE;

/**
 * Agents: one per machine, bound to the token that registered it — only that token may take and report the machine's
 * runs, and a token registers one machine. {@code session} changes with every start of the agent process, so a
 * restarted agent is told apart from the one it replaced.
 */
public final class AgentStore {

    /**
     * @param runtimesJson the JDKs and Python interpreters it reported, as the agent sent them
     */
    public record Agent(long machineId, String machineLabel, long tokenId, String tokenName, String session, String version,
                        OffsetDateTime registeredAt, OffsetDateTime lastSeen, String runtimesJson) {
    }

    /** Why a registration was refused. */
    public sealed interface Registration {
        record Registered(Agent agent) implements Registration {
        }

        /** The machine belongs to another live token. */
        record MachineTaken(String tokenName) implements Registration {
        }

        /** The token already registered another machine. */
        record TokenTaken(String machineLabel) implements Registration {
        }
    }

    private final DSLContext dsl;

    public AgentStore(Database database) {
        this.dsl = database.dsl();
    }

    /** Registers (or registers again, with a new session) the agent of a machine, in one transaction. */
    public Registration register(long machineId, long tokenId, String session, String version, String runtimesJson) {
        return dsl.transactionResult(c -> {
            DSLContext tx = DSL.using(c);
            var other = tx.select(MACHINE.LABEL).from(AGENT).join(MACHINE).on(MACHINE.ID.eq(AGENT.MACHINE_ID))
                    .where(AGENT.TOKEN_ID.eq(tokenId)).and(AGENT.MACHINE_ID.ne(machineId)).fetchOne(MACHINE.LABEL);
            if (other != null) return new Registration.TokenTaken(other);
            var owner = tx.select(API_TOKEN.NAME, API_TOKEN.REVOKED_AT).from(AGENT).join(API_TOKEN).on(API_TOKEN.ID.eq(AGENT.TOKEN_ID))
                    .where(AGENT.MACHINE_ID.eq(machineId)).and(AGENT.TOKEN_ID.ne(tokenId)).fetchOne();
            if (owner != null && owner.value2() == null) return new Registration.MachineTaken(owner.value1());
            OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
            int updated = tx.update(AGENT).set(AGENT.TOKEN_ID, tokenId).set(AGENT.SESSION, session).set(AGENT.VERSION, version)
                    .set(AGENT.REGISTERED_AT, now).set(AGENT.LAST_SEEN, now).set(AGENT.RUNTIMES_JSON, runtimesJson)
                    .where(AGENT.MACHINE_ID.eq(machineId)).execute();
            if (updated == 0) {
                tx.insertInto(AGENT).set(AGENT.MACHINE_ID, machineId).set(AGENT.TOKEN_ID, tokenId).set(AGENT.SESSION, session)
                        .set(AGENT.VERSION, version).set(AGENT.REGISTERED_AT, now).set(AGENT.LAST_SEEN, now)
                        .set(AGENT.RUNTIMES_JSON, runtimesJson).execute();
            }
            return new Registration.Registered(select(tx).where(AGENT.MACHINE_ID.eq(machineId)).fetchOne(AgentStore::agent));
        });
    }

    /** The agent registered by this token, if any. */
    public Optional<Agent> ofToken(long tokenId) {
        return select(dsl).where(AGENT.TOKEN_ID.eq(tokenId)).fetchOptional(AgentStore::agent);
    }

    public Optional<Agent> ofMachine(long machineId) {
        return select(dsl).where(AGENT.MACHINE_ID.eq(machineId)).fetchOptional(AgentStore::agent);
    }

    /** Every agent, by machine label. */
    public List<Agent> all() {
        return select(dsl).orderBy(MACHINE.LABEL, MACHINE.ID).fetch(AgentStore::agent);
    }

    /**
     * The agent of this session was heard from now. Written at most every 5 s per agent: a heartbeat and a claim arriving
     * together, or a fleet of agents, cost no write each ("online" is judged over a minute).
     */
    public void seen(long machineId, String session) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        dsl.update(AGENT).set(AGENT.LAST_SEEN, now)
                .where(AGENT.MACHINE_ID.eq(machineId)).and(AGENT.SESSION.eq(session)).and(AGENT.LAST_SEEN.lt(now.minusSeconds(5))).execute();
    }

    private static org.jooq.SelectOnConditionStep<org.jooq.Record> select(DSLContext dsl) {
        return dsl.select(AGENT.asterisk(), MACHINE.LABEL, API_TOKEN.NAME).from(AGENT).join(MACHINE).on(MACHINE.ID.eq(AGENT.MACHINE_ID))
                .join(API_TOKEN).on(API_TOKEN.ID.eq(AGENT.TOKEN_ID));
    }

    private static Agent agent(org.jooq.Record r) {
        return new Agent(r.get(AGENT.MACHINE_ID), r.get(MACHINE.LABEL), r.get(AGENT.TOKEN_ID), r.get(API_TOKEN.NAME), r.get(AGENT.SESSION),
                r.get(AGENT.VERSION), r.get(AGENT.REGISTERED_AT), r.get(AGENT.LAST_SEEN), r.get(AGENT.RUNTIMES_JSON));
    }
}
