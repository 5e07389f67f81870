// Support requests (table `contact`, migrations 0001 and 0009): written by the /contact form,
// read and closed by the support inbox of the agent pages.
import { z } from 'zod';
import { instant, sql, type Connexion, type DatabaseTransactionConnection } from './pool.js';

export const Contact = z.object({
  id: z.string(),
  reference: z.string(),
  compte_id: z.string().nullable(),
  courriel: z.string(),
  nom: z.string().nullable(),
  categorie: z.string(),
  objet: z.string(),
  message: z.string(),
  created_at: z.date(),
  closed_at: z.date().nullable(),
  closed_by: z.string().nullable(),
});
export type Contact = z.infer<typeof Contact>;

const colonnes = sql.fragment`id, reference, compte_id, courriel, nom, categorie, objet, message, created_at, closed_at, closed_by`;

/**
 * Serialises the submissions of one session and of one address (transaction-scoped advisory
 * locks, always taken in the same order): two tabs posting at once cannot both pass the limit.
 */
export async function verrouillerEnvois(t: DatabaseTransactionConnection, cles: string[]): Promise<void> {
  for (const cle of [...new Set(cles)].sort()) await t.query(sql.unsafe`SELECT pg_advisory_xact_lock(hashtextextended(${`contact:${cle}`}, 0))`);
}

/** The instants of the messages sent within `depuis` from this session and for this address. */
export async function envoisRecents(c: Connexion, o: { sessionId: string; courriel: string; depuis: Date }): Promise<{ session: Date[]; courriel: Date[] }> {
  const lignes = await c.any(sql.type(z.object({ created_at: z.date(), meme_session: z.boolean(), meme_courriel: z.boolean() }))`
    SELECT created_at, session_id IS NOT DISTINCT FROM ${o.sessionId} AS meme_session, lower(courriel) = lower(${o.courriel}) AS meme_courriel
    FROM contact
    WHERE created_at > ${instant(o.depuis)} AND (session_id = ${o.sessionId} OR lower(courriel) = lower(${o.courriel}))`);
  return { session: lignes.filter((l) => l.meme_session).map((l) => l.created_at), courriel: lignes.filter((l) => l.meme_courriel).map((l) => l.created_at) };
}

export async function enregistrerContact(
  c: Connexion,
  o: { reference: string; compteId: string | null; courriel: string; nom: string | null; categorie: string; objet: string; message: string; sessionId: string; recuLe: Date },
): Promise<Contact> {
  return c.one(sql.type(Contact)`
    INSERT INTO contact (reference, compte_id, courriel, nom, categorie, objet, message, session_id, created_at)
    VALUES (${o.reference}, ${o.compteId}, ${o.courriel}, ${o.nom}, ${o.categorie}, ${o.objet}, ${o.message}, ${o.sessionId}, ${instant(o.recuLe)})
    RETURNING ${colonnes}`);
}

export async function obtenirContact(c: Connexion, id: string): Promise<Contact | null> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return null;
  return c.maybeOne(sql.type(Contact)`SELECT ${colonnes} FROM contact WHERE id = ${id}`);
}

/** Open requests oldest first (the queue to work through), closed ones newest first. */
export async function listerContacts(c: Connexion, etat: 'ouvertes' | 'closes', limite = 200): Promise<readonly Contact[]> {
  return etat === 'ouvertes'
    ? c.any(sql.type(Contact)`SELECT ${colonnes} FROM contact WHERE closed_at IS NULL ORDER BY created_at, id LIMIT ${limite}`)
    : c.any(sql.type(Contact)`SELECT ${colonnes} FROM contact WHERE closed_at IS NOT NULL ORDER BY closed_at DESC, id LIMIT ${limite}`);
}

export async function compterContacts(c: Connexion): Promise<{ ouvertes: number; closes: number }> {
  return c.one(sql.type(z.object({ ouvertes: z.number(), closes: z.number() }))`
    SELECT count(*) FILTER (WHERE closed_at IS NULL)::int AS ouvertes, count(*) FILTER (WHERE closed_at IS NOT NULL)::int AS closes FROM contact`);
}

/** Closes an open request; false when it was already closed (a second click changes nothing). */
export async function clore(c: Connexion, id: string, agentId: string, maintenant: Date): Promise<boolean> {
  const r = await c.query(sql.unsafe`UPDATE contact SET closed_at = ${instant(maintenant)}, closed_by = ${agentId} WHERE id = ${id} AND closed_at IS NULL`);
  return r.rowCount === 1;
}

/**
 * One batch of the retention purge: deletes at most `taille` requests closed before `avant`,
 * with their two outbox e-mails (keys `contact:<id>:…`, services/contact.ts): the support’s copy
 * repeats the message. Returns how many requests went; fewer than `taille` means none is left.
 */
export async function purgerLotCloses(t: DatabaseTransactionConnection, o: { avant: Date; taille: number }): Promise<number> {
  const ids = await t.anyFirst(sql.type(z.object({ id: z.string() }))`
    SELECT id FROM contact WHERE closed_at < ${instant(o.avant)} ORDER BY closed_at, id LIMIT ${o.taille} FOR UPDATE SKIP LOCKED`);
  if (ids.length === 0) return 0;
  const cles = ids.flatMap((id) => [`contact:${id}:support`, `contact:${id}:accuse`]);
  await t.query(sql.unsafe`DELETE FROM notification WHERE cle_idempotence = ANY(${sql.array(cles, 'text')})`);
  const r = await t.query(sql.unsafe`DELETE FROM contact WHERE id = ANY(${sql.array(ids, 'uuid')})`);
  return r.rowCount;
}
