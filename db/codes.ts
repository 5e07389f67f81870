// SMS codes (table `code_sms`): one row per code sent, bound to an account, an identification
// number and the link attempt it belongs to (its id). Only the code's keyed hash is stored.
// Every instant comes from the caller's clock, never from the database's now(), so the rules of
// domain/rattachement.ts see one consistent time (and tests can move it).
import { z } from 'zod';
import { sql, type Connexion, instant } from './pool.js';


export const CodeSms = z.object({
  id: z.string().uuid(),
  compte_id: z.string().uuid(),
  identifiant_id: z.string().uuid(),
  telephone: z.string(),
  hash: z.instanceof(Buffer),
  expires_at: z.date(),
  attempts: z.number().int(),
  used_at: z.date().nullable(),
  invalidated_at: z.date().nullable(),
  created_at: z.date(),
});
export type CodeSms = z.infer<typeof CodeSms>;

const colonnes = sql.fragment`id, compte_id, identifiant_id, telephone, hash, expires_at, attempts, used_at, invalidated_at, created_at`;

/** When codes were sent to this account and to this phone number since `depuis`. */
export async function envoisDepuis(c: Connexion, compteId: string, telephone: string, depuis: Date): Promise<{ compte: Date[]; telephone: Date[] }> {
  const lignes = await c.any(sql.type(z.object({ created_at: z.date(), du_compte: z.boolean(), au_telephone: z.boolean() }))`
    SELECT created_at, compte_id = ${compteId} AS du_compte, telephone = ${telephone} AS au_telephone FROM code_sms
    WHERE (compte_id = ${compteId} OR telephone = ${telephone}) AND created_at > ${instant(depuis)}`);
  return {
    compte: lignes.filter((l) => l.du_compte).map((l) => l.created_at),
    telephone: lignes.filter((l) => l.au_telephone).map((l) => l.created_at),
  };
}

/**
 * Serialises the sends of one account and of one phone number until the end of the transaction,
 * so two requests at once cannot both pass the limits. Always account first, then phone.
 */
export async function verrouillerEnvois(c: Connexion, compteId: string, telephone: string): Promise<void> {
  await c.query(sql.unsafe`SELECT pg_advisory_xact_lock(hashtextextended(${`code_sms:compte:${compteId}`}, 0))`);
  await c.query(sql.unsafe`SELECT pg_advisory_xact_lock(hashtextextended(${`code_sms:telephone:${telephone}`}, 0))`);
}

export interface NouveauCode {
  id: string;
  compteId: string;
  identifiantId: string;
  telephone: string;
  hash: Buffer;
  creeLe: Date;
  expireLe: Date;
}

export async function creerCode(c: Connexion, n: NouveauCode): Promise<void> {
  await c.query(sql.unsafe`
    INSERT INTO code_sms (id, compte_id, identifiant_id, telephone, hash, expires_at, created_at)
    VALUES (${n.id}, ${n.compteId}, ${n.identifiantId}, ${n.telephone}, ${sql.binary(n.hash)}, ${instant(n.expireLe)}, ${instant(n.creeLe)})`);
}

/** Ends the live codes of this account for this number: a new code replaces them. */
export async function remplacerCodesEnCours(c: Connexion, compteId: string, identifiantId: string, maintenant: Date): Promise<void> {
  await c.query(sql.unsafe`
    UPDATE code_sms SET invalidated_at = ${instant(maintenant)}
    WHERE compte_id = ${compteId} AND identifiant_id = ${identifiantId} AND used_at IS NULL AND invalidated_at IS NULL`);
}

/** Ends every live code of a number, whoever asked for it (the number was just locked). */
export async function invaliderCodesDeLIdentifiant(c: Connexion, identifiantId: string, maintenant: Date): Promise<void> {
  await c.query(sql.unsafe`
    UPDATE code_sms SET invalidated_at = ${instant(maintenant)}
    WHERE identifiant_id = ${identifiantId} AND used_at IS NULL AND invalidated_at IS NULL`);
}

/** This account's code (attempt) with this id, or null; `verrouiller` locks the row. */
export async function obtenirCode(c: Connexion, id: string, compteId: string, o: { verrouiller?: boolean } = {}): Promise<CodeSms | null> {
  return c.maybeOne(sql.type(CodeSms)`
    SELECT ${colonnes} FROM code_sms WHERE id = ${id} AND compte_id = ${compteId}
    ${o.verrouiller ? sql.fragment`FOR UPDATE` : sql.fragment``}`);
}

/** Counts one wrong entry; `invalider` ends the code (5th failure or locked number). */
export async function enregistrerEssaiErrone(c: Connexion, id: string, invalider: Date | null): Promise<number> {
  return c.oneFirst(sql.type(z.object({ attempts: z.number().int() }))`
    UPDATE code_sms SET attempts = attempts + 1, invalidated_at = coalesce(invalidated_at, ${invalider ? instant(invalider) : null})
    WHERE id = ${id} RETURNING attempts`);
}

export async function marquerUtilise(c: Connexion, id: string, maintenant: Date): Promise<void> {
  await c.query(sql.unsafe`UPDATE code_sms SET used_at = ${instant(maintenant)} WHERE id = ${id}`);
}

/** A code whose SMS could not even be handed to the workflow engine: as if never sent. */
export async function supprimerCode(c: Connexion, id: string): Promise<void> {
  await c.query(sql.unsafe`DELETE FROM code_sms WHERE id = ${id}`);
}
