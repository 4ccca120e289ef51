-- Scaling (issue #15): what a point of a curve costs besides time — the worker's resident memory before and at the peak
-- of the iteration, the heap left after it — and, for waiting workloads, per-task latency percentiles and the virtual
-- threads pinned to their carrier. NULL where the figure does not exist (see the cell's metric sources) or the sample
-- was stored before these were measured.
ALTER TABLE sample ADD COLUMN rss_before_bytes BIGINT;
ALTER TABLE sample ADD COLUMN peak_rss_bytes BIGINT;
ALTER TABLE sample ADD COLUMN heap_after_bytes BIGINT;
ALTER TABLE sample ADD COLUMN latency_p50_nanos BIGINT;
ALTER TABLE sample ADD COLUMN latency_p99_nanos BIGINT;
ALTER TABLE sample ADD COLUMN latency_max_nanos BIGINT;
ALTER TABLE sample ADD COLUMN pinned_count BIGINT;
ALTER TABLE sample ADD COLUMN pinned_nanos BIGINT;
