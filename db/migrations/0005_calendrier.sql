-- Up Migration
--
-- Calendar export and subscription (issue 5 item 5).
--
-- 1. `audience.sequence`: the iCalendar SEQUENCE of the hearing (RFC 5545 §3.8.7.4), so that a
--    calendar already holding the event (same UID) takes a moved one as a newer revision. It is
--    kept by a trigger rather than by the code that writes hearings, so every writer (court API,
--    scripts, future batch imports) is covered: +1 whenever the start, the room or the address
--    changes, and whenever the hearing is cancelled or un-cancelled (a status change is a
--    revision too: clients that already hold the event only apply STATUS:CANCELLED from a
--    higher SEQUENCE). The label alone is not a revision worth a new sequence. Writers cannot
--    set it themselves: the trigger always derives it from the previous row.
ALTER TABLE audience ADD COLUMN sequence integer NOT NULL DEFAULT 0 CHECK (sequence >= 0);

CREATE FUNCTION audience_sequence() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  IF (NEW.debut, NEW.salle, NEW.adresse) IS DISTINCT FROM (OLD.debut, OLD.salle, OLD.adresse)
     OR (NEW.annulee_at IS NULL) <> (OLD.annulee_at IS NULL) THEN
    NEW.sequence := OLD.sequence + 1;
  ELSE
    NEW.sequence := OLD.sequence;
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER audience_sequence BEFORE UPDATE ON audience
  FOR EACH ROW EXECUTE FUNCTION audience_sequence();

-- 2. Personal calendar subscriptions (webcal). The secret token (32 random bytes, base64url) is
--    shown once; only its keyed hash is stored (HMAC-SHA256 with HASH_KEY, purpose label
--    "calendrier", see domain/calendrier.ts), like identification numbers: a leaked table gives
--    no usable feed URL. One live subscription per account; regenerating revokes the old one
--    (the row stays, revoked_at set, for support questions). Deleting the account removes them.
CREATE TABLE abonnement_calendrier (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  compte_id   uuid NOT NULL REFERENCES compte (id) ON DELETE CASCADE,
  hash        bytea NOT NULL UNIQUE CHECK (octet_length(hash) = 32),
  created_at  timestamptz NOT NULL DEFAULT now(),
  revoked_at  timestamptz
);
CREATE UNIQUE INDEX abonnement_calendrier_actif ON abonnement_calendrier (compte_id) WHERE revoked_at IS NULL;
