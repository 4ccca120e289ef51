-- Reads at 100,000 runs (issue #18): the machines list showed each machine's run count and JDKs by grouping every run
-- (0.8 s at 100,000 runs on H2). Each machine's runs per runtime and feature version are now counted as runs are
-- stored and deleted (RunStore.countRun), and read from here.
CREATE TABLE machine_runtime (
    machine_id      BIGINT        NOT NULL,
    runtime         VARCHAR(16)   NOT NULL,
    jdk_feature     INTEGER       NOT NULL,
    runs            BIGINT        NOT NULL,
    CONSTRAINT pk_machine_runtime PRIMARY KEY (machine_id, runtime, jdk_feature),
    CONSTRAINT fk_machine_runtime_machine FOREIGN KEY (machine_id) REFERENCES machine (id) ON DELETE CASCADE
);
INSERT INTO machine_runtime (machine_id, runtime, jdk_feature, runs)
    SELECT machine_id, runtime, jdk_feature, COUNT(*) FROM run GROUP BY machine_id, runtime, jdk_feature;
-- runs that ended recently (the queue panel), and the newest end (what derived views are cached under)
CREATE INDEX ix_run_finished ON run (finished_at);
