-- Up Migration
--
-- The daily retention purge (activities/retention.ts, domain/retention.ts) deletes support
-- requests closed more than CONTACT_RETENTION ago, oldest first: without this index each run
-- would scan the whole table. The journal's purge walks the existing index journal_at; its
-- append-only trigger (0001) is unchanged and still refuses any row younger than six months.
CREATE INDEX contact_closes ON contact (closed_at) WHERE closed_at IS NOT NULL;
