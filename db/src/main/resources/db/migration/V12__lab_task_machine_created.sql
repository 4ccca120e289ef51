-- One-time tasks done on a database (issue #18). A server at 100,000 runs looked for cells without their statistics
-- (V10's backfill) among all 1.2 million cells at every start (4.6 s of CPU before it listened); it looks until it has
-- found none once, and a row here says so.
CREATE TABLE lab_task (
    name      VARCHAR(64)              NOT NULL,
    done_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT pk_lab_task PRIMARY KEY (name)
);
-- A machine's runs newest first (its page, /runs?machine=…) as an index range: by machine alone H2 read and sorted all of
-- them (730 runs of a machine measured nightly for a year).
CREATE INDEX ix_run_machine_created ON run (machine_id, created_at);
