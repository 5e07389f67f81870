-- Up Migration
--
-- The support form (/contact, issue 9 item 3). The table of 0001 holds the message; what the
-- support inbox and the rate limit need is added here:
--  - categorie: the subject category the citizen picked (domain/contact.ts CATEGORIES_CONTACT);
--  - nom: optional, as the seed's form;
--  - session_id: a random id kept in the sender's server-side session (never the session key),
--    so the per-session limit is counted in the database and holds across web processes;
--  - closed_by: the agent who closed the request (the journal has the details).
ALTER TABLE contact ADD COLUMN categorie text NOT NULL DEFAULT 'autre';
ALTER TABLE contact ADD COLUMN nom text;
ALTER TABLE contact ADD COLUMN session_id text;
ALTER TABLE contact ADD COLUMN closed_by uuid REFERENCES agent (id) ON DELETE SET NULL;
ALTER TABLE contact ADD CONSTRAINT contact_reference_format CHECK (reference ~ '^CT-[0-9]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$');
-- The rate limit counts the last day's messages of one address and of one session.
CREATE INDEX contact_courriel_recents ON contact (lower(courriel), created_at);
CREATE INDEX contact_session_recents ON contact (session_id, created_at) WHERE session_id IS NOT NULL;
-- The support inbox lists open requests first, newest first.
CREATE INDEX contact_ouvertes ON contact (created_at DESC) WHERE closed_at IS NULL;
