-- Up Migration
--
-- The whole domain of the seeds (help page 000, decree 004) in one forward-only migration:
-- juridictions and the cases they push, consents and identification numbers, citizen accounts
-- and their links to cases, online petitions (requêtes), agents and their roles, the audit
-- journal, the notification outbox, sessions and support requests.
--
-- Conventions
--  * Every instant is `timestamptz` (stored UTC, read back with its offset). Calendar days the
--    courts give as days (date de saisine, habilitation window) are `date`.
--  * Keys are `uuid` from gen_random_uuid() (core since PostgreSQL 13): they appear in citizen
--    URLs, and sequential ids would let anyone count or enumerate cases.
--  * Court-side identifiers (`id_tribunal`) are unique per case, which is what makes every
--    court-API write idempotent (same id twice = one row).
--  * Enumerations are `text` + CHECK rather than enum types: a new value is one
--    `ALTER TABLE … DROP/ADD CONSTRAINT` inside a transaction, an enum type cannot always be.
--  * Purging a case deletes the `dossier` row; everything that belongs to the case goes with it
--    through ON DELETE CASCADE, and `dossier_purge` keeps a tombstone without personal data.
--  * No reverse section: migrations only go forward; a mistake is fixed by a new migration.

-- unaccent and pg_trgm are "trusted" contrib extensions (PostgreSQL ≥ 13): the database owner
-- may create them without superuser rights. Both ship with embedded-postgres 18, Debian's
-- postgresql-15 and the official postgres images. They back accent-insensitive search on names
-- (the SAUJ agent looking up "Hélène" typed as "helene").
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- unaccent() is only STABLE (its dictionary could change), so it cannot appear in an index or a
-- generated column. This wrapper names the dictionary explicitly and is declared IMMUTABLE, the
-- usual pattern; its SQL-standard body is bound at creation, so search_path cannot redirect it.
CREATE FUNCTION texte_recherche(t text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  RETURN lower(unaccent('unaccent'::regdictionary, t));

-- One trigger function keeps updated_at honest whichever code path writes the row.
CREATE FUNCTION horodater_modification() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END;
$$;

------------------------------------------------------------------------------------------------
-- Juridictions and cases (court API v1)
------------------------------------------------------------------------------------------------

CREATE TABLE juridiction (
  code        text PRIMARY KEY CHECK (code ~ '^[A-Z0-9_-]{2,32}$'),
  nom         text NOT NULL,
  adresse     text NOT NULL,
  telephone   text,
  courriel    text,
  latitude    double precision CHECK (latitude BETWEEN -90 AND 90),
  longitude   double precision CHECK (longitude BETWEEN -180 AND 180),
  horaires    text,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER juridiction_updated_at BEFORE UPDATE ON juridiction
  FOR EACH ROW EXECUTE FUNCTION horodater_modification();

CREATE TABLE dossier (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  juridiction      text NOT NULL REFERENCES juridiction (code),
  numero_portalis  text NOT NULL CHECK (numero_portalis ~ '^[A-Za-z0-9._-]{1,64}$'),
  numero_dossier   text NOT NULL,
  nature           text NOT NULL,
  etat             text NOT NULL,
  date_saisine     date NOT NULL,
  -- false for procedures that cannot be followed online (sensitive ones): never shown to citizens.
  suivi_en_ligne   boolean NOT NULL,
  date_cloture     timestamptz,
  -- Bumped on every change a citizen could see: alerts fire on updates "au sens large" (seed 000).
  version          integer NOT NULL DEFAULT 1,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  -- The Portalis number is unique within a juridiction, not nationally.
  UNIQUE (juridiction, numero_portalis)
);
CREATE INDEX dossier_cloture ON dossier (date_cloture) WHERE date_cloture IS NOT NULL;
CREATE TRIGGER dossier_updated_at BEFORE UPDATE ON dossier
  FOR EACH ROW EXECUTE FUNCTION horodater_modification();

-- A purged case leaves only this: which number was purged and when, so a late or replayed court
-- push cannot bring it back (C2 item 27). No personal data.
CREATE TABLE dossier_purge (
  juridiction      text NOT NULL REFERENCES juridiction (code),
  numero_portalis  text NOT NULL,
  date_cloture     timestamptz,
  purged_at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (juridiction, numero_portalis)
);

CREATE TABLE partie (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  dossier_id       uuid NOT NULL REFERENCES dossier (id) ON DELETE CASCADE,
  id_tribunal      text NOT NULL,
  role             text NOT NULL,
  type             text NOT NULL CHECK (type IN ('physique', 'morale', 'autorite')),
  civilite         text CHECK (civilite IN ('M.', 'Mme')),
  nom              text,
  nom_usage        text,
  prenoms          text,
  raison_sociale   text,
  forme_juridique  text,
  titre            text,
  majeur_protege   boolean NOT NULL DEFAULT false,
  courriel         text,
  telephone        text,
  avocat           text,
  -- Set when the court no longer lists a party that has a consent: the row stays (its consent,
  -- identification numbers and links must not silently vanish), the pages hide it.
  retiree_at       timestamptz,
  -- Accent- and case-insensitive text for trigram search on names.
  recherche        text GENERATED ALWAYS AS (texte_recherche(
                     coalesce(nom, '') || ' ' || coalesce(nom_usage, '') || ' ' ||
                     coalesce(prenoms, '') || ' ' || coalesce(raison_sociale, ''))) STORED,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  UNIQUE (dossier_id, id_tribunal),
  -- Target of the composite foreign keys below: a consent or link can only name a party of the
  -- same case, whatever the code above does.
  UNIQUE (id, dossier_id)
);
CREATE INDEX partie_recherche ON partie USING gin (recherche gin_trgm_ops);
CREATE TRIGGER partie_updated_at BEFORE UPDATE ON partie
  FOR EACH ROW EXECUTE FUNCTION horodater_modification();

CREATE TABLE evenement (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  dossier_id   uuid NOT NULL REFERENCES dossier (id) ON DELETE CASCADE,
  id_tribunal  text NOT NULL,
  type         text NOT NULL,
  date         timestamptz NOT NULL,
  libelle      text NOT NULL,
  -- sha256 (hex) of the canonical request body: a replay with the same id and the same body is
  -- a no-op, with a different body it is a conflict (409) rather than a silent overwrite.
  empreinte    text NOT NULL CHECK (empreinte ~ '^[0-9a-f]{64}$'),
  created_at   timestamptz NOT NULL DEFAULT now(),
  UNIQUE (dossier_id, id_tribunal),
  UNIQUE (id, dossier_id)
);
CREATE INDEX evenement_chronologie ON evenement (dossier_id, date);

-- Only récépissés, avis and convocations are published online (seed 000); decisions are not.
CREATE TABLE document (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  dossier_id    uuid NOT NULL REFERENCES dossier (id) ON DELETE CASCADE,
  evenement_id  uuid,
  type          text NOT NULL CHECK (type IN ('recepisse', 'avis', 'convocation')),
  titre         text NOT NULL,
  contenu       bytea NOT NULL,
  taille        integer NOT NULL,
  sha256        text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  created_at    timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT document_taille CHECK (taille > 0 AND taille = octet_length(contenu)),
  -- One document per event (court API): a replayed event cannot attach a second copy.
  UNIQUE (evenement_id),
  FOREIGN KEY (evenement_id, dossier_id) REFERENCES evenement (id, dossier_id) ON DELETE CASCADE
);
CREATE INDEX document_dossier ON document (dossier_id);

CREATE TABLE document_destinataire (
  document_id  uuid NOT NULL REFERENCES document (id) ON DELETE CASCADE,
  partie_id    uuid NOT NULL REFERENCES partie (id) ON DELETE CASCADE,
  PRIMARY KEY (document_id, partie_id)
);
CREATE INDEX document_destinataire_partie ON document_destinataire (partie_id);

CREATE TABLE audience (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  dossier_id   uuid NOT NULL REFERENCES dossier (id) ON DELETE CASCADE,
  id_tribunal  text NOT NULL,
  debut        timestamptz NOT NULL,
  salle        text,
  adresse      text NOT NULL,
  libelle      text NOT NULL,
  annulee_at   timestamptz,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  UNIQUE (dossier_id, id_tribunal)
);
-- "Événements proches" filter and the agents' hearing lists.
CREATE INDEX audience_debut ON audience (debut) WHERE annulee_at IS NULL;
CREATE TRIGGER audience_updated_at BEFORE UPDATE ON audience
  FOR EACH ROW EXECUTE FUNCTION horodater_modification();

------------------------------------------------------------------------------------------------
-- Citizens: accounts, consents, identification numbers, SMS codes, links to cases
------------------------------------------------------------------------------------------------

-- An account is keyed by the FranceConnect (issuer, subject) pair, never by e-mail or name:
-- two people may share an address, and FC's `sub` is the stable identifier (C2 item 6).
CREATE TABLE compte (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  fc_iss          text NOT NULL,
  fc_sub          text NOT NULL,
  given_name      text,
  family_name     text,
  preferred_name  text,
  -- FC sends YYYY-MM-DD; kept as received (text) because presumed birth dates may carry 00.
  birthdate       text CHECK (birthdate ~ '^\d{4}-\d{2}-\d{2}$'),
  gender          text,
  birthplace      text,
  birthcountry    text,
  email           text,
  -- Global opt-out of update alerts; hearing SMS reminders cannot be turned off (seed 000).
  alertes_actives boolean NOT NULL DEFAULT true,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  last_login_at   timestamptz,
  UNIQUE (fc_iss, fc_sub)
);
CREATE TRIGGER compte_updated_at BEFORE UPDATE ON compte
  FOR EACH ROW EXECUTE FUNCTION horodater_modification();

-- Decree 004 art. 3: "l'indication de l'acceptation des conditions générales d'utilisation".
CREATE TABLE acceptation_cgu (
  compte_id    uuid NOT NULL REFERENCES compte (id) ON DELETE CASCADE,
  version      text NOT NULL,
  accepted_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (compte_id, version)
);

-- Consent to electronic communication, recorded by the court for one party, possibly through a
-- representative who then receives the identification number.
CREATE TABLE consentement (
  id                      uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  dossier_id              uuid NOT NULL REFERENCES dossier (id) ON DELETE CASCADE,
  partie_id               uuid NOT NULL,
  representant_civilite   text CHECK (representant_civilite IN ('M.', 'Mme')),
  representant_nom        text,
  representant_prenoms    text,
  representant_courriel   text,
  representant_telephone  text,
  date                    timestamptz NOT NULL DEFAULT now(),
  revoked_at              timestamptz,
  created_at              timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (partie_id, dossier_id) REFERENCES partie (id, dossier_id) ON DELETE CASCADE,
  CONSTRAINT consentement_representant_nomme CHECK (representant_nom IS NOT NULL OR (representant_civilite IS NULL AND representant_prenoms IS NULL
         AND representant_courriel IS NULL AND representant_telephone IS NULL))
);
-- One live consent per party: a replayed court call finds it and answers with the same id.
CREATE UNIQUE INDEX consentement_actif ON consentement (partie_id) WHERE revoked_at IS NULL;
CREATE INDEX consentement_dossier ON consentement (dossier_id);

-- Identification numbers are stored ONLY as a keyed hash (HMAC-SHA256 with HASH_KEY, see
-- domain/identifiants.ts): the clear number exists once, in the e-mail. A plain hash would not
-- do: ~60 bits can be brute-forced offline from a leaked table, an HMAC without the key cannot.
-- The unique index on the hash is also how a typed number is looked up.
CREATE TABLE identifiant (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  consentement_id     uuid NOT NULL REFERENCES consentement (id) ON DELETE CASCADE,
  hash                bytea NOT NULL UNIQUE CHECK (octet_length(hash) = 32),
  -- The address the number was sent to (party or representative), for support questions.
  destinataire        text NOT NULL,
  created_at          timestamptz NOT NULL DEFAULT now(),
  expires_at          timestamptz,
  revoked_at          timestamptz,
  -- Lockout (C2 item 12): failed codes counted in a sliding 24 h window starting at
  -- echecs_depuis; 10 failures lock linking by this number until verrouille_jusqu_a.
  echecs              integer NOT NULL DEFAULT 0 CHECK (echecs >= 0),
  echecs_depuis       timestamptz,
  verrouille_jusqu_a  timestamptz
);
CREATE INDEX identifiant_consentement ON identifiant (consentement_id);

-- One SMS code challenge = one link attempt (account × identification number). The 6-digit
-- code is stored as a keyed hash too and compared in constant time; single use, 10 min, at most
-- 5 wrong entries (C2 item 11-12). The phone number is kept to rate-limit sends per number.
CREATE TABLE code_sms (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  compte_id       uuid NOT NULL REFERENCES compte (id) ON DELETE CASCADE,
  identifiant_id  uuid NOT NULL REFERENCES identifiant (id) ON DELETE CASCADE,
  telephone       text NOT NULL,
  hash            bytea NOT NULL CHECK (octet_length(hash) = 32),
  expires_at      timestamptz NOT NULL,
  attempts        integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  used_at         timestamptz,
  invalidated_at  timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT code_sms_expiration CHECK (expires_at > created_at)
);
CREATE INDEX code_sms_compte ON code_sms (compte_id, created_at);
CREATE INDEX code_sms_identifiant ON code_sms (identifiant_id, created_at);
CREATE INDEX code_sms_telephone ON code_sms (telephone, created_at);

-- An account sees a case through one identification number (one per represented party: seed
-- 000 "autant de fois que vous avez reçu de numéros d'identification"). Detaching keeps the row
-- (detached_at) because it cancels neither consent nor alerts.
CREATE TABLE rattachement (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  compte_id        uuid NOT NULL REFERENCES compte (id) ON DELETE CASCADE,
  dossier_id       uuid NOT NULL REFERENCES dossier (id) ON DELETE CASCADE,
  partie_id        uuid NOT NULL,
  identifiant_id   uuid NOT NULL REFERENCES identifiant (id) ON DELETE CASCADE,
  -- Per-case opt-out of update alerts.
  alertes_actives  boolean NOT NULL DEFAULT true,
  created_at       timestamptz NOT NULL DEFAULT now(),
  detached_at      timestamptz,
  FOREIGN KEY (partie_id, dossier_id) REFERENCES partie (id, dossier_id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX rattachement_actif ON rattachement (compte_id, identifiant_id) WHERE detached_at IS NULL;
CREATE INDEX rattachement_compte ON rattachement (compte_id) WHERE detached_at IS NULL;
CREATE INDEX rattachement_dossier ON rattachement (dossier_id);
CREATE INDEX rattachement_partie ON rattachement (partie_id);
CREATE INDEX rattachement_identifiant ON rattachement (identifiant_id);

------------------------------------------------------------------------------------------------
-- Online petitions (requêtes numériques)
------------------------------------------------------------------------------------------------

CREATE TABLE requete (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  compte_id           uuid NOT NULL REFERENCES compte (id),
  juridiction         text NOT NULL REFERENCES juridiction (code),
  type                text NOT NULL CHECK (type ~ '^[a-z0-9_-]{1,64}$'),
  -- Decree 004 art. 3: brouillon, échec, envoyée, enregistrée; supprimee marks a purged row.
  statut              text NOT NULL DEFAULT 'brouillon'
                        CHECK (statut IN ('brouillon', 'echec', 'envoyee', 'enregistree', 'supprimee')),
  donnees             jsonb NOT NULL DEFAULT '{}',
  -- The draft's 30 days run from the first day it was begun (decree 004 art. 4).
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now(),
  sent_at             timestamptz,
  echec_raison        text,
  registered_at       timestamptz,
  numero_dossier      text,
  numero_portalis     text,
  -- SET NULL: a sent petition is kept 5 years after closure, the case itself only 1 year.
  dossier_id          uuid REFERENCES dossier (id) ON DELETE SET NULL,
  dossier_cloture_at  timestamptz,
  purged_at           timestamptz,
  CONSTRAINT requete_envoi_date CHECK (statut NOT IN ('envoyee', 'enregistree') OR sent_at IS NOT NULL),
  CONSTRAINT requete_enregistrement_date CHECK (statut <> 'enregistree' OR registered_at IS NOT NULL),
  CONSTRAINT requete_suppression_date CHECK (statut <> 'supprimee' OR purged_at IS NOT NULL)
);
CREATE INDEX requete_compte ON requete (compte_id);
CREATE INDEX requete_juridiction_statut ON requete (juridiction, statut);
CREATE INDEX requete_dossier ON requete (dossier_id);
CREATE TRIGGER requete_updated_at BEFORE UPDATE ON requete
  FOR EACH ROW EXECUTE FUNCTION horodater_modification();

-- Stored in the database, never under a served directory, and downloadable only once the
-- antivirus said `sain` (C2 item 21).
CREATE TABLE piece_jointe (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  requete_id      uuid NOT NULL REFERENCES requete (id) ON DELETE CASCADE,
  nom             text NOT NULL,
  type_mime       text NOT NULL CHECK (type_mime IN ('application/pdf', 'image/jpeg', 'image/png')),
  taille          integer NOT NULL,
  sha256          text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  contenu         bytea NOT NULL,
  statut_analyse  text NOT NULL DEFAULT 'en_attente' CHECK (statut_analyse IN ('en_attente', 'sain', 'infecte')),
  created_at      timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT piece_jointe_taille CHECK (taille > 0 AND taille = octet_length(contenu))
);
CREATE INDEX piece_jointe_requete ON piece_jointe (requete_id);

-- Third parties named in a petition: exactly the identity fields the decree lists.
CREATE TABLE tiers (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  requete_id       uuid NOT NULL REFERENCES requete (id) ON DELETE CASCADE,
  type             text NOT NULL CHECK (type IN ('physique', 'morale', 'autorite')),
  civilite         text CHECK (civilite IN ('M.', 'Mme')),
  nom              text,
  nom_usage        text,
  prenoms          text,
  raison_sociale   text,
  forme_juridique  text,
  titre            text,
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX tiers_requete ON tiers (requete_id);

------------------------------------------------------------------------------------------------
-- Agents and roles
------------------------------------------------------------------------------------------------

-- Agents are known by the e-mail claim of the ministry's identity provider. Stored lower-case
-- (CHECK) so the unique constraint is case-insensitive without the citext extension.
CREATE TABLE agent (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  courriel       text NOT NULL UNIQUE CHECK (courriel = lower(courriel) AND courriel LIKE '%@%'),
  nom            text,
  prenom         text,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  last_login_at  timestamptz
);
CREATE TRIGGER agent_updated_at BEFORE UPDATE ON agent
  FOR EACH ROW EXECUTE FUNCTION horodater_modification();

-- Roles are rows, never deleted: revoked_at keeps who could do what, and when, for audits.
CREATE TABLE agent_role (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  agent_id     uuid NOT NULL REFERENCES agent (id) ON DELETE CASCADE,
  role         text NOT NULL CHECK (role IN ('agent_greffe', 'agent_accueil', 'directeur_greffe', 'magistrat', 'statistiques_national')),
  juridiction  text REFERENCES juridiction (code),
  -- Habilitation window; a magistrate acts only inside it (decree 004 art. 4).
  debut        date,
  fin          date,
  granted_by   uuid REFERENCES agent (id) ON DELETE SET NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  revoked_at   timestamptz,
  CONSTRAINT agent_role_juridiction_requise CHECK (role NOT IN ('agent_greffe', 'directeur_greffe', 'magistrat') OR juridiction IS NOT NULL),
  CONSTRAINT agent_role_national CHECK (role <> 'statistiques_national' OR juridiction IS NULL),
  CONSTRAINT agent_role_habilitation CHECK (role <> 'magistrat' OR (debut IS NOT NULL AND fin IS NOT NULL)),
  CONSTRAINT agent_role_periode CHECK (debut IS NULL OR fin IS NULL OR fin >= debut)
);
CREATE UNIQUE INDEX agent_role_actif ON agent_role (agent_id, role, coalesce(juridiction, '')) WHERE revoked_at IS NULL;
CREATE INDEX agent_role_juridiction ON agent_role (juridiction) WHERE revoked_at IS NULL;

------------------------------------------------------------------------------------------------
-- Audit journal (append-only)
------------------------------------------------------------------------------------------------

-- Who consulted or changed what, for which purpose, with which outcome (C2 items 15-16). No
-- foreign keys: the journal outlives the cases, accounts and agents it names.
CREATE TABLE journal (
  id           bigserial PRIMARY KEY,
  at           timestamptz NOT NULL DEFAULT now(),
  acteur_type  text NOT NULL CHECK (acteur_type IN ('agent', 'citoyen', 'tribunal', 'systeme')),
  acteur_id    text,
  role         text,
  juridiction  text,
  finalite     text,
  action       text NOT NULL,
  objet_type   text,
  objet_id     text,
  resultat     text NOT NULL CHECK (resultat IN ('succes', 'refus', 'erreur')),
  details      jsonb
);
CREATE INDEX journal_objet ON journal (objet_type, objet_id, at);
CREATE INDEX journal_acteur ON journal (acteur_type, acteur_id, at);
CREATE INDEX journal_at ON journal (at);

-- Append-only is enforced by the database, not by convention: a trigger refuses every UPDATE
-- and TRUNCATE, and every DELETE except the retention purge. The purge must opt in
-- (SET LOCAL portail.purge_journal = 'on') and may only remove rows older than six months,
-- the CNIL floor (C2 item 16), so neither a bug nor an injected statement can rewrite history.
-- (A GRANT-only scheme would not bind the table owner, which is the application's role in the
-- single-role deployments we support; the trigger binds everyone but a superuser who disables it.)
CREATE FUNCTION journal_ajout_seul() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF current_setting('portail.purge_journal', true) = 'on' AND OLD.at < now() - interval '6 months' THEN
      RETURN OLD;
    END IF;
  END IF;
  RAISE EXCEPTION 'journal en ajout seul : % refusé', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER journal_sans_modification BEFORE UPDATE OR DELETE ON journal
  FOR EACH ROW EXECUTE FUNCTION journal_ajout_seul();
CREATE TRIGGER journal_sans_troncature BEFORE TRUNCATE ON journal
  FOR EACH STATEMENT EXECUTE FUNCTION journal_ajout_seul();

------------------------------------------------------------------------------------------------
-- Notification outbox
------------------------------------------------------------------------------------------------

-- Every e-mail and SMS is a row written in the same transaction as its cause, keyed for
-- idempotency, then sent by an activity that claims it: a retried activity never sends twice.
CREATE TABLE notification (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  cle_idempotence  text NOT NULL UNIQUE,
  canal            text NOT NULL CHECK (canal IN ('courriel', 'sms')),
  destinataire     text NOT NULL,
  compte_id        uuid REFERENCES compte (id) ON DELETE SET NULL,
  -- SET NULL rather than CASCADE keeps the idempotency ledger of in-flight sends; the purge
  -- deletes the case's notifications explicitly first (db/dossiers.ts).
  dossier_id       uuid REFERENCES dossier (id) ON DELETE SET NULL,
  requete_id       uuid REFERENCES requete (id) ON DELETE SET NULL,
  -- identifiant, code_sms, alerte, rappel, annulation, accuse_reception, expiration, …
  type             text NOT NULL CHECK (type ~ '^[a-z_]{1,40}$'),
  sujet            text,
  corps            text NOT NULL,
  -- echec_temporaire: the provider refused for now, the activity retries; echec_definitif: it
  -- will never go (bad address), the cause is kept for support.
  statut           text NOT NULL DEFAULT 'en_attente' CHECK (statut IN ('en_attente', 'envoye', 'echec_temporaire', 'echec_definitif')),
  tentatives       integer NOT NULL DEFAULT 0 CHECK (tentatives >= 0),
  derniere_erreur  text,
  fournisseur_id   text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  sent_at          timestamptz
);
CREATE INDEX notification_a_traiter ON notification (statut, created_at) WHERE statut IN ('en_attente', 'echec_temporaire');
CREATE INDEX notification_compte ON notification (compte_id);
CREATE INDEX notification_dossier ON notification (dossier_id);
CREATE INDEX notification_requete ON notification (requete_id);

------------------------------------------------------------------------------------------------
-- Sessions (koa-session external store) and support requests
------------------------------------------------------------------------------------------------

-- The primary key is a hash of the session key, so the table alone cannot hijack a session.
CREATE TABLE session (
  id          text PRIMARY KEY,
  donnees     jsonb NOT NULL,
  expires_at  timestamptz NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX session_expiration ON session (expires_at);
CREATE TRIGGER session_updated_at BEFORE UPDATE ON session
  FOR EACH ROW EXECUTE FUNCTION horodater_modification();

CREATE TABLE contact (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  reference   text NOT NULL UNIQUE,
  compte_id   uuid REFERENCES compte (id) ON DELETE SET NULL,
  courriel    text NOT NULL,
  objet       text NOT NULL,
  message     text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  closed_at   timestamptz
);
CREATE INDEX contact_compte ON contact (compte_id);
