-- A cell's warm-up times and metric sources were TEXT, which H2 stores as a large object apart from the row:
-- two LOB writes per cell made storing a 110-cell document several times slower. They are bounded
-- (<= 1000 warm-ups by the schema, <= 50 metric sources of <= 1000 characters), so they fit a VARCHAR
-- on both databases. SET DATA TYPE is the spelling H2 and PostgreSQL share.
ALTER TABLE cell ALTER COLUMN warmup_json SET DATA TYPE VARCHAR(1000000);
ALTER TABLE cell ALTER COLUMN metric_sources_json SET DATA TYPE VARCHAR(1000000);
