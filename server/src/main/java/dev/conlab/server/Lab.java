package dev.conlab.server;

import dev.conlab.db.AgentStore;
import dev.conlab.db.ComparisonStore;
import dev.conlab.db.Database;
import dev.conlab.db.MachineStore;
import dev.conlab.db.QueueStore;
import dev.conlab.db.RunStore;
import dev.conlab.db.TokenStore;
import dev.conlab.server.compare.ComparisonService;
import dev.conlab.server.runs.RunService;

/** The lab's stores and services over one database: what the app, the CLI's commands and the tests are built from. */
public record Lab(Database database, RunStore runStore, QueueStore queueStore, MachineStore machines, TokenStore tokens,
                  AgentStore agents, RunService runs, ComparisonService comparisons) {

    public static Lab over(Database database) {
        RunStore runStore = new RunStore(database);
        runStore.backfillSummaries(); // cells stored before their statistics were (V10): once per database
        QueueStore queueStore = new QueueStore(database);
        RunService runs = new RunService(runStore, queueStore);
        return new Lab(database, runStore, queueStore, new MachineStore(database), new TokenStore(database), new AgentStore(database), runs,
                new ComparisonService(runs, new ComparisonStore(database)));
    }
}
