-- Up Migration
--
-- Online petitions (issue 7). The requête row outlives its content: once purged (draft expired,
-- deleted by the citizen, or retention over after the case's closure) it keeps only what the
-- citizen's list needs to say "brouillon supprimé le …" (statut supprimee, purged_at, motif),
-- without personal data.
ALTER TABLE requete ADD COLUMN reference text UNIQUE CHECK (reference ~ '^RQ-[0-9]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$');
-- When the draft expires (DRAFT_TTL after its first day), fixed at creation: editing never moves it.
ALTER TABLE requete ADD COLUMN expire_le timestamptz;
-- Set while a send is accepted and being transmitted: the citizen cannot change it meanwhile.
ALTER TABLE requete ADD COLUMN envoi_demande_at timestamptz;
ALTER TABLE requete ADD COLUMN purge_motif text CHECK (purge_motif IN ('brouillon_expire', 'supprimee_par_le_demandeur', 'conservation_expiree'));
-- Who registered it (agent id, or the court token's juridiction) for the citizen's page.
ALTER TABLE requete ADD COLUMN enregistree_par text;
-- The court's case the petition became, by Portalis number, so a case pushed later links to it.
CREATE INDEX requete_portalis ON requete (juridiction, numero_portalis) WHERE numero_portalis IS NOT NULL;
-- The court side pulls sent requêtes, oldest first.
CREATE INDEX requete_envoyees ON requete (juridiction, sent_at) WHERE statut = 'envoyee';
