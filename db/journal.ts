// The append-only audit journal (table `journal`, UPDATE/DELETE refused by a trigger).
import { z } from 'zod';
import { sql, type Connexion } from './pool.js';

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
