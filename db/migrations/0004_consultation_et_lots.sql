-- Up Migration
--
-- Case page (issue 5): first consultation of a document per link, and the court's update
-- batches ("Votre dossier est en cours de mise à jour").

-- The first time a citizen opened a document through one link (seed 000: "consulté le …").
-- One row per (link, document): later views change nothing, the date shown stays the first one.
-- Both foreign keys cascade: a purged case (documents gone) or a deleted account leaves nothing.
CREATE TABLE consultation_document (
  rattachement_id  uuid NOT NULL REFERENCES rattachement (id) ON DELETE CASCADE,
  document_id      uuid NOT NULL REFERENCES document (id) ON DELETE CASCADE,
  consulte_le      timestamptz NOT NULL,
  PRIMARY KEY (rattachement_id, document_id)
);
CREATE INDEX consultation_document_document ON consultation_document (document_id);

-- A batch of changes the court is pushing for one case (court API POST/DELETE
-- /affaires/{n}/lot). At most one per case: opening an open batch only moves its expiry. The
-- expiry bounds a batch the court's application never closed (crash, lost DELETE): the banner
-- cannot stay up for ever. Expired rows are simply ignored by readers; closing deletes the row.
CREATE TABLE lot_mise_a_jour (
  dossier_id  uuid PRIMARY KEY REFERENCES dossier (id) ON DELETE CASCADE,
  ouvert_le   timestamptz NOT NULL,
  expire_le   timestamptz NOT NULL,
  CONSTRAINT lot_expiration CHECK (expire_le > ouvert_le)
);

