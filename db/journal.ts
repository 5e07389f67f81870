// The append-only audit journal (table `journal`, UPDATE/DELETE refused by a trigger).
import { z } from 'zod';
import { instant, sql, type Connexion, type DatabaseTransactionConnection } from './pool.js';

export interface EntreeJournal {
  acteurType: 'agent' | 'citoyen' | 'tribunal' | 'systeme';
  acteurId?: string | null;
  role?: string | null;
  juridiction?: string | null;
  finalite?: string | null;
  action: string;
  objetType?: string | null;
  objetId?: string | null;
  resultat: 'succes' | 'refus' | 'erreur';
  details?: Record<string, unknown> | null;
}

/** Writes one row; call it inside the transaction of the action it records. */
export async function journaliser(c: Connexion, e: EntreeJournal): Promise<void> {
  await c.query(sql.unsafe`
    INSERT INTO journal (acteur_type, acteur_id, role, juridiction, finalite, action, objet_type, objet_id, resultat, details)
    VALUES (${e.acteurType}, ${e.acteurId ?? null}, ${e.role ?? null}, ${e.juridiction ?? null}, ${e.finalite ?? null},
            ${e.action}, ${e.objetType ?? null}, ${e.objetId ?? null}, ${e.resultat}, ${e.details ? sql.jsonb(e.details as never) : null})`);
}

export const LigneJournal = z.object({
  at: z.date(),
  acteur_type: z.string(),
  acteur_id: z.string().nullable(),
  action: z.string(),
  objet_type: z.string().nullable(),
  objet_id: z.string().nullable(),
  resultat: z.string(),
});

/** The journal of one object, oldest first. */
export async function journalDeLObjet(c: Connexion, objetType: string, objetId: string): Promise<readonly z.infer<typeof LigneJournal>[]> {
  return c.any(sql.type(LigneJournal)`
    SELECT at, acteur_type, acteur_id, action, objet_type, objet_id, resultat FROM journal
    WHERE objet_type = ${objetType} AND objet_id = ${objetId} ORDER BY at, id`);
}

/** Where a journal purge stopped: the last row it examined, in (at, id) order. */
export const CurseurJournal = z.object({ at: z.string(), id: z.number().int() });
export type CurseurJournal = z.infer<typeof CurseurJournal>;

const ResultatLotJournal = z.object({ supprimees: z.number().int(), dernier_at: z.string().nullable(), dernier_id: z.number().int().nullable() });

const UUID = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';

/**
 * One batch of the retention purge (domain/retention.ts): examines at most `taille` rows older
 * than `avant`, after `apres`, and deletes those that name no case or requête still held and
 * that are older than six months by the database's own clock (the trigger's rule, checked here
 * too so that a row it would refuse is skipped instead of failing the whole batch). Rows kept
 * because their case is alive are stepped over by the cursor, not examined again in this run.
 * Returns the cursor of the next batch, null when there is nothing left to examine.
 */
export async function purgerLot(
  t: DatabaseTransactionConnection,
  o: { avant: Date; apres: CurseurJournal | null; taille: number },
): Promise<{ supprimees: number; curseur: CurseurJournal | null }> {
  await t.query(sql.unsafe`SET LOCAL portail.purge_journal = 'on'`);
  const apres = o.apres ? sql.fragment`AND (j.at, j.id) > (${o.apres.at}::timestamptz, ${o.apres.id}::bigint)` : sql.fragment``;
  // The uuid cast is guarded: objet_id is free text for other object types, and a failed cast
  // would abort the purge; the cast (rather than id::text) lets the primary keys be used.
  const r = await t.one(sql.type(ResultatLotJournal)`
    WITH lot AS MATERIALIZED (
      SELECT j.id, j.at,
             j.at < now() - interval '6 months'
             AND NOT EXISTS (SELECT 1 FROM dossier d
                             WHERE j.objet_type = 'dossier'
                               AND d.id = (CASE WHEN j.objet_id ~ ${UUID} THEN j.objet_id::uuid END))
             AND NOT EXISTS (SELECT 1 FROM requete r
                             WHERE j.objet_type = 'requete' AND r.statut <> 'supprimee'
                               AND r.id = (CASE WHEN j.objet_id ~ ${UUID} THEN j.objet_id::uuid END)) AS purgeable
      FROM journal j
      WHERE j.at < ${instant(o.avant)} ${apres}
      ORDER BY j.at, j.id
      LIMIT ${o.taille}
    ),
    supprimees AS (DELETE FROM journal WHERE id IN (SELECT id FROM lot WHERE purgeable) RETURNING 1),
    dernier AS (SELECT at, id FROM lot ORDER BY at DESC, id DESC LIMIT 1)
    SELECT (SELECT count(*) FROM supprimees)::int AS supprimees,
           (SELECT to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') FROM dernier) AS dernier_at,
           (SELECT id FROM dernier) AS dernier_id`);
  return { supprimees: r.supprimees, curseur: r.dernier_at !== null && r.dernier_id !== null ? { at: r.dernier_at, id: r.dernier_id } : null };
}
