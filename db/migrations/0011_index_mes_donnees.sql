-- Up Migration
--
-- "Mes données" (issue 9) lists all of an account's links, detached ones included, and its
-- calendar subscriptions, revoked ones included: the existing indexes on rattachement.compte_id
-- and abonnement_calendrier.compte_id are partial (live rows only), so without these each page
-- would scan the whole table.
CREATE INDEX rattachement_compte_tous ON rattachement (compte_id);
CREATE INDEX abonnement_calendrier_compte ON abonnement_calendrier (compte_id);
