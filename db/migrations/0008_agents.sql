-- Up Migration
--
-- Agent pages (issue 8): a head of registry reads their juridiction's journal newest first,
-- filtered by dates; the journal only grows (append-only), so without this index each read
-- would scan all of it.
CREATE INDEX journal_juridiction ON journal (juridiction, at DESC) WHERE juridiction IS NOT NULL;

-- Clerks and reception desks find a case by its numéro de dossier or Portalis number as typed,
-- whatever the case (db/agents.ts chercherDossiers); the SAUJ across every juridiction.
CREATE INDEX dossier_numero_dossier_recherche ON dossier (lower(numero_dossier));
CREATE INDEX dossier_numero_portalis_recherche ON dossier (lower(numero_portalis));
