-- Up Migration
--
-- The tombstone of a purged case also names the internal id the case had (the one its workflow,
-- journal rows and requêtes referred to) and why it was purged (issue 6), still without any
-- personal data. Rows written before this migration keep NULLs.
ALTER TABLE dossier_purge ADD COLUMN ancien_dossier_id uuid;
ALTER TABLE dossier_purge ADD COLUMN motif text CHECK (motif IN ('conservation_expiree', 'demande_juridiction'));
