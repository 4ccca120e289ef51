-- Forks (issue #14): every cell may be measured in several fresh worker JVMs; each sample keeps which one (0, 1, …),
-- so that a cell's interval can be built from the forks' means. NULL for samples stored before forks were recorded.
ALTER TABLE sample ADD COLUMN fork INTEGER;
