-- V12 created ix_run_machine_created on run (machine_id, created_at), the columns V1's ix_run_machine already indexes:
-- every stored run updated both. The one of V1 stays (issue #18).
DROP INDEX ix_run_machine_created;
