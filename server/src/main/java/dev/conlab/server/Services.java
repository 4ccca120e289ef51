package dev.conlab.server;

import dev.conlab.db.ComparisonStore;
import dev.conlab.db.Database;
import dev.conlab.db.MachineStore;
import dev.conlab.db.QueueStore;
import dev.conlab.db.RunStore;
import dev.conlab.db.TokenStore;

/** The stores the handlers use, over one database. */
public record Services(Database database, RunStore runs, MachineStore machines, TokenStore tokens, QueueStore queue,
                       ComparisonStore comparisons) {

    public static Services over(Database database) {
        return new Services(database, new RunStore(database), new MachineStore(database), new TokenStore(database),
                new QueueStore(database), new ComparisonStore(database));
    }
}
