-- Up Migration
--
-- /metrics counts the outbox rows not sent, by status and channel, on every scrape (issue 10):
-- sent rows are nearly the whole table at national scale, so only the others are indexed.
CREATE INDEX notification_en_souffrance ON notification (statut, canal) WHERE statut <> 'envoye';
