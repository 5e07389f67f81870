// "A refused request changes nothing", checkable many times per test: every table of the
// database as a row count and a checksum of its rows. Cheap enough (a few dozen ms on a test
// database) to be taken around each of the hundreds of requests of a fuzzing run; the slower
// checks (sinks, workflow visibility, which lags) belong at the end of such a run.
import { isDeepStrictEqual } from 'node:util';
import { sql, type DatabasePool } from 'slonik';
import { z } from 'zod';

export type EmpreinteBase = Record<string, { lignes: number; md5: string }>;

export interface OptionsEmpreinte {
  /** Tables left out: `session` for the citizen pages (a rolling session is touched by every request). */
  exclure?: string[];
  /**
   * The audit journal may gain refusals: a refused case-linking attempt is journaled on purpose
   * (it counts towards the lockout). Only its other rows are compared.
   */
  journalSansRefus?: boolean;
}

export async function empreinteBase(pool: DatabasePool, o: OptionsEmpreinte = {}): Promise<EmpreinteBase> {
  const noms = await pool.anyFirst(sql.type(z.object({ nom: z.string() }))`
    SELECT table_name AS nom FROM information_schema.tables
    WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`);
  const resultat: EmpreinteBase = {};
  const ligne = sql.type(z.object({ lignes: z.number(), md5: z.string() }));
  for (const nom of noms) {
    if (o.exclure?.includes(nom)) continue;
    const filtre = nom === 'journal' && o.journalSansRefus ? sql.fragment`WHERE t.resultat <> 'refus'` : sql.fragment``;
    resultat[nom] = await pool.one(ligne`
      SELECT count(*)::int AS lignes, md5(coalesce(string_agg(t::text, ',' ORDER BY t::text), '')) AS md5
      FROM ${sql.identifier([nom])} t ${filtre}`);
  }
  return resultat;
}

/** The tables whose content differs between two snapshots (empty: nothing changed). */
export function tablesModifiees(avant: EmpreinteBase, apres: EmpreinteBase): string[] {
  const noms = new Set([...Object.keys(avant), ...Object.keys(apres)]);
  return [...noms].filter((n) => !isDeepStrictEqual(avant[n], apres[n])).sort();
}
