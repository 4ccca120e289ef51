-- Uploads (issue #18): a document's 110 cells took 110 values of cell.id's identity, and H2 writes a sequence back to
-- its file (a whole store commit) every time its cache of 32 values runs out — three or four commits per upload, a
-- seventh of an upload's CPU. A larger cache makes that one commit per ten uploads. Values cached and not used when the
-- database is not closed cleanly are skipped (ids only identify; nothing orders cells by them). PostgreSQL accepts the
-- same statement (a cache per session).
-- [jooq ignore start]
ALTER TABLE cell ALTER COLUMN id SET CACHE 1024;
-- [jooq ignore stop]
