// The koa-session external store. Rows are keyed by a hash of the session key: reading the
// table does not give anyone a usable cookie.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { sql, type Connexion } from './pool.js';

const cle = (k: string) => createHash('sha256').update(k).digest('hex');

export async function lireSession(c: Connexion, k: string): Promise<Record<string, unknown> | null> {
  return c.maybeOneFirst(sql.type(z.object({ donnees: z.record(z.unknown()) }))`
    SELECT donnees FROM session WHERE id = ${cle(k)} AND expires_at > now()`);
}

export async function ecrireSession(c: Connexion, k: string, donnees: Record<string, unknown>, maxAgeMs: number): Promise<void> {
  await c.query(sql.unsafe`
    INSERT INTO session (id, donnees, expires_at) VALUES (${cle(k)}, ${sql.jsonb(donnees as never)}, now() + ${maxAgeMs} * interval '1 millisecond')
    ON CONFLICT (id) DO UPDATE SET donnees = EXCLUDED.donnees, expires_at = EXCLUDED.expires_at`);
}

/**
 * Only pushes the expiry back (a session read but not changed): the row's and koa-session's own
 * (`_expire`, `_maxAge`, which it checks on reading). The rest of the data is left as it is: this
 * request's copy may be older than what a concurrent request of the same browser wrote meanwhile.
 */
export async function prolongerSession(c: Connexion, k: string, donnees: Record<string, unknown>, maxAgeMs: number): Promise<boolean> {
  const expiration = { _expire: donnees._expire ?? null, _maxAge: donnees._maxAge ?? null };
  const r = await c.query(sql.unsafe`
    UPDATE session SET expires_at = now() + ${maxAgeMs} * interval '1 millisecond', donnees = donnees || ${sql.jsonb(expiration as never)}
    WHERE id = ${cle(k)} AND expires_at > now()`);
  return r.rowCount > 0;
}

export async function supprimerSession(c: Connexion, k: string): Promise<void> {
  await c.query(sql.unsafe`DELETE FROM session WHERE id = ${cle(k)}`);
}

export async function purgerSessionsExpirees(c: Connexion): Promise<number> {
  const r = await c.query(sql.unsafe`DELETE FROM session WHERE expires_at < now()`);
  return r.rowCount;
}
