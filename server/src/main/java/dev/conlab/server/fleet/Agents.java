package dev.conlab.server.fleet;

import dev.conlab.db.AgentStore;
import dev.conlab.server.queue.AgentRuntimes;
import dev.conlab.server.queue.RunQueue;

import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;

/** The agents as the API and the pages show them: online or not, when last heard, what they run on. */
public final class Agents {

    /** An agent as the API shows it. */
    public record AgentAnswer(boolean online, OffsetDateTime lastSeen, OffsetDateTime registeredAt, String version, String token,
                              AgentRuntimes runtimes) {
    }

    private Agents() {
    }

    /** Every machine's agent, by machine id: one query. */
    public static Map<Long, AgentAnswer> byMachine(AgentStore agents) {
        var byMachine = new HashMap<Long, AgentAnswer>();
        for (AgentStore.Agent a : agents.all()) {
            byMachine.put(a.machineId(), new AgentAnswer(RunQueue.online(a), a.lastSeen(), a.registeredAt(), a.version(), a.tokenName(),
                    AgentRuntimes.parse(a.runtimesJson())));
        }
        return byMachine;
    }
}
