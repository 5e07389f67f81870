-- Up Migration
--
-- The dashboard (issue 5) computes, for each of an account's links, the case's next hearing
-- (neither past nor cancelled) and filters on "a hearing in the next 30 days". Both are a probe
-- per case: this index answers them from the index alone, where `audience_debut` (all cases,
-- ordered by date) would scan every future hearing of the country.
CREATE INDEX audience_dossier_debut ON audience (dossier_id, debut) WHERE annulee_at IS NULL;

-- The dashboard's default page: an account's live links, newest change first, is served by
-- rattachement_compte + dossier's primary key; "Documents récents" goes through
-- document_destinataire_partie, the name search through partie (dossier_id, id_tribunal) and the
-- trigram index on partie.recherche. Nothing more is needed for thousands of links per account
-- (bench/tableau-de-bord.ts).
