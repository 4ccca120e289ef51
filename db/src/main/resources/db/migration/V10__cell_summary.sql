-- Reads at 100,000 runs (issue #18): what a history and the regression alerts need of a cell — its median, 95 % interval
-- and sample count (of wall time in ns, or of an imported JMH benchmark's scores in its unit) — is computed once when the
-- cell is stored, so that a history of hundreds of runs reads these columns instead of parsing every run's document.
-- Cells stored before this version get them on the first start (RunStore.backfillSummaries, from their sample rows).
ALTER TABLE cell ADD COLUMN median DOUBLE PRECISION;
ALTER TABLE cell ADD COLUMN ci_low DOUBLE PRECISION;
ALTER TABLE cell ADD COLUMN ci_high DOUBLE PRECISION;
ALTER TABLE cell ADD COLUMN samples_n INTEGER;
ALTER TABLE cell ADD COLUMN unit VARCHAR(40);
ALTER TABLE cell ADD COLUMN higher_is_better BOOLEAN;
-- finished runs of a machine in the order they were measured (history, alerts)
CREATE INDEX ix_run_machine_status_started ON run (machine_id, status, started_at);
