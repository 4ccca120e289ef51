-- Imported JMH results (issue #18): a cell's workload is a benchmark's Class.method (longer than the catalog's ids), and a
-- sample of an imported benchmark keeps JMH's raw value in the benchmark's unit (wall_nanos is then 0). NULL for the
-- lab's own samples.
ALTER TABLE cell ALTER COLUMN workload SET DATA TYPE VARCHAR(200);
ALTER TABLE sample ADD COLUMN score DOUBLE PRECISION;
