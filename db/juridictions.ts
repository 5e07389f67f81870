// Juridictions: each court describes itself through the court API (PUT /api/v1/juridiction).
import { z } from 'zod';
import type { JuridictionEntree } from '../domain/schemas/tribunal.js';
import { sql, type Connexion } from './pool.js';

export const Juridiction = z.object({
  code: z.string(),
  nom: z.string(),
  adresse: z.string(),
  telephone: z.string().nullable(),
  courriel: z.string().nullable(),
  latitude: z.number().nullable(),
  longitude: z.number().nullable(),
  horaires: z.string().nullable(),
  created_at: z.date(),
  updated_at: z.date(),
});
export type Juridiction = z.infer<typeof Juridiction>;

const colonnes = sql.fragment`code, nom, adresse, telephone, courriel, latitude, longitude, horaires, created_at, updated_at`;

/** Creates or updates a juridiction; `modifie` is false when the description was already that. */
export async function enregistrerJuridiction(
  c: Connexion,
  code: string,
  j: JuridictionEntree,
): Promise<{ juridiction: Juridiction; cree: boolean; modifie: boolean }> {
  const ecrite = await c.maybeOne(sql.type(Juridiction.extend({ cree: z.boolean() }))`
    INSERT INTO juridiction (code, nom, adresse, telephone, courriel, latitude, longitude, horaires)
    VALUES (${code}, ${j.nom}, ${j.adresse}, ${j.telephone}, ${j.courriel}, ${j.latitude}, ${j.longitude}, ${j.horaires})
    ON CONFLICT (code) DO UPDATE SET
      nom = EXCLUDED.nom, adresse = EXCLUDED.adresse, telephone = EXCLUDED.telephone, courriel = EXCLUDED.courriel,
      latitude = EXCLUDED.latitude, longitude = EXCLUDED.longitude, horaires = EXCLUDED.horaires
    WHERE (juridiction.nom, juridiction.adresse, juridiction.telephone, juridiction.courriel,
           juridiction.latitude, juridiction.longitude, juridiction.horaires)
      IS DISTINCT FROM (EXCLUDED.nom, EXCLUDED.adresse, EXCLUDED.telephone, EXCLUDED.courriel,
           EXCLUDED.latitude, EXCLUDED.longitude, EXCLUDED.horaires)
    RETURNING ${colonnes}, (xmax = 0) AS cree`);
  if (ecrite) {
    const { cree, ...juridiction } = ecrite;
    return { juridiction, cree, modifie: true };
  }
  const juridiction = await c.one(sql.type(Juridiction)`SELECT ${colonnes} FROM juridiction WHERE code = ${code}`);
  return { juridiction, cree: false, modifie: false };
}

/** The juridiction with this code, or null. */
export async function obtenirJuridiction(c: Connexion, code: string): Promise<Juridiction | null> {
  return c.maybeOne(sql.type(Juridiction)`SELECT ${colonnes} FROM juridiction WHERE code = ${code}`);
}

/** Every juridiction, by name ignoring accents and case (the C.UTF-8 collation would put « É » after « Z »). */
export async function listerJuridictions(c: Connexion): Promise<readonly Juridiction[]> {
  return c.any(sql.type(Juridiction)`SELECT ${colonnes} FROM juridiction ORDER BY texte_recherche(nom), code`);
}
