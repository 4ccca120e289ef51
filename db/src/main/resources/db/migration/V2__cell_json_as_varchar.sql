-- Storing a 110-cell document cost most of its time in H2 writing the cells' JSON text:
-- * warmup_json and metric_sources_json were TEXT, which H2 keeps as large objects apart from the row.
--   They are bounded (<= 1000 warm-ups by the schema, <= 50 metric sources of <= 1000 characters), so
--   they fit a VARCHAR on both databases. SET DATA TYPE is the spelling H2 and PostgreSQL share.
-- * every cell of a run usually has the same metric sources (~500 characters): the run keeps the most
--   common ones once (run.metric_sources_json) and a cell's column is NULL when it has exactly those.
ALTER TABLE cell ALTER COLUMN warmup_json SET DATA TYPE VARCHAR(1000000);
ALTER TABLE cell ALTER COLUMN metric_sources_json SET DATA TYPE VARCHAR(1000000);
ALTER TABLE cell ALTER COLUMN metric_sources_json DROP NOT NULL;
ALTER TABLE run ADD COLUMN metric_sources_json VARCHAR(1000000);
