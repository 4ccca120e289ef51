-- The run queue (issue #4): a run queued on the server holds what to measure until a worker takes it.
-- spec_json: the planned RunSpec (suite, settings, cells); jdk_home: the JDK it runs on;
-- environment_json: the worker's machine and JVM facts, once it said hello; cells_total: how many cells
-- the run has; run_timeout_seconds: the per-run limit; error: why a run did not finish;
-- retry_of: the run a retry was made from.
ALTER TABLE run ADD COLUMN spec_json VARCHAR(1000000);
ALTER TABLE run ADD COLUMN jdk_home VARCHAR(1000);
ALTER TABLE run ADD COLUMN environment_json VARCHAR(1000000);
ALTER TABLE run ADD COLUMN cells_total INTEGER;
ALTER TABLE run ADD COLUMN run_timeout_seconds INTEGER;
ALTER TABLE run ADD COLUMN error VARCHAR(20000);
ALTER TABLE run ADD COLUMN retry_of BIGINT;
CREATE INDEX ix_run_status ON run (status, created_at);
