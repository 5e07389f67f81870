-- Up Migration
--
-- The counters of rate-limiter-flexible's PostgreSQL store (RateLimiterPostgres), shared by every
-- web instance: the login buttons' limits (web/middleware/limite-connexion.ts). Created here
-- rather than by the library (which would run CREATE TABLE at each start, and needs that right):
-- the limiter is built with `tableCreated: true`.
--
-- The shape is the library's own (its _getCreateTableStmt), in its column order: its upsert is
-- `INSERT INTO limites VALUES ($1, $2, $3)`. `key` is text rather than its varchar(255): our keys
-- are short (a prefix, the path, a session hash or an address), and a longer one must not turn
-- into an error. `expire` is epoch milliseconds (bigint), as the library computes it in Node.
--
-- Rows do not outlive their window by much: each limiter deletes, every 5 minutes, the rows
-- expired for more than an hour (clearExpiredByTimeout, on by default). No index on `expire`:
-- the table holds at most the keys of the last hour or so, and every login press writes a row.
CREATE TABLE limites (
  key text PRIMARY KEY,
  points integer NOT NULL DEFAULT 0,
  expire bigint
);
