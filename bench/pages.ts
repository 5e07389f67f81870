// Benchmark (a) of issue 10: the dashboard and a case's page for an account with 50 cases, at 16
// and 64 concurrent sessions (each connection its own logged-in session), next to the same
// server answering a bare route that runs one indexed query: the calendar feed of an unknown
// token (`/calendrier/<token>.ics`, one lookup by hash on a unique index, then a 404). The ratio
// says what the page itself costs beyond the framework and one round trip to PostgreSQL.
//
//   node --import tsx bench/pages.ts        DUREE=10 (seconds per measure)
import { sql } from 'slonik';
import { z } from 'zod';
import demarrer from '../test/aides/demarrage-tests.js';
import arreter from '../test/aides/arret-tests.js';
import { demarrerApplication, JETON_LYON, JURIDICTION_VALIDE } from '../test/aides/application.js';
import { charger, executer, journal, publier } from './commun.js';
import { semerDossiers } from './graines.js';

const DUREE = Number(process.env.DUREE ?? 10);
const SESSIONS = [16, 64];
const CAS = 50;

async function main(): Promise<void> {
  await demarrer();
  const app = await demarrerApplication();
  try {
    await app.api('PUT', '/juridiction', JURIDICTION_VALIDE);
    await app.api('PUT', '/juridiction', { nom: 'Tribunal judiciaire de Lyon', adresse: '67 rue Servient, 69003 Lyon' }, { jeton: JETON_LYON });
    // 64 sessions of the same citizen: each login through the stand-in opens its own session.
    const cookies: string[] = [];
    for (let i = 0; i < Math.max(...SESSIONS); i++) {
      const nav = await app.connecter('angela-dubois', { accepterCgu: i === 0 });
      cookies.push([...(nav as unknown as { cookies: Map<string, string> }).cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    }
    const compte = await app.pool.oneFirst(sql.type(z.object({ id: z.string() }))`SELECT id FROM compte ORDER BY created_at DESC LIMIT 1`);
    await semerDossiers(app.pool, app.config.HASH_KEY, compte, { compte: CAS, autres: 2000 });
    const dossier = await app.pool.oneFirst(sql.type(z.object({ id: z.string() }))`
      SELECT r.id FROM rattachement r JOIN dossier d ON d.id = r.dossier_id WHERE r.compte_id = ${compte} AND d.numero_portalis = 'BENCH-2'`);
    journal(`${CAS} dossiers pour le compte, ${cookies.length} sessions`);

    const cibles = [
      { nom: 'route nue (1 requête indexée, 404)', chemin: '/calendrier/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.ics', statut: 404 },
      { nom: 'GET /espace (tableau de bord)', chemin: '/espace', statut: 200 },
      { nom: 'GET /espace/dossiers/:id (détail)', chemin: `/espace/dossiers/${dossier}`, statut: 200 },
    ];
    for (const c of cibles) {
      const r = await fetch(`${app.url}${c.chemin}`, { headers: { cookie: cookies[0]! }, redirect: 'manual' });
      if (r.status !== c.statut) throw new Error(`${c.nom} : ${r.status}, ${c.statut} attendu`);
    }
    const lignes: Record<string, unknown>[] = [];
    for (const sessions of SESSIONS) {
      let nue = 0;
      for (const c of cibles) {
        const m = await charger({ url: `${app.url}${c.chemin}`, connexions: sessions, duree: DUREE, cookies: cookies.slice(0, sessions) });
        if (c.statut === 404) nue = m.requetes_par_s;
        // The bare route answers 404 by design: its "non-2xx" are expected.
        lignes.push({
          cible: c.nom, sessions, 'req/s': m.requetes_par_s, 'p50 (ms)': m.p50_ms, 'p99 (ms)': m.p99_ms,
          'rapport route nue / page': c.statut === 404 ? '1' : (nue / Math.max(1, m.requetes_par_s)).toFixed(1),
          erreurs: m.erreurs, 'non-2xx': c.statut === 404 ? '—' : m.non_2xx,
        });
        journal(`${c.nom}, ${sessions} sessions : ${m.requetes_par_s} req/s, p50 ${m.p50_ms} ms, p99 ${m.p99_ms} ms`);
      }
    }
    await publier('pages', `Pages (a) — compte de ${CAS} dossiers, ${DUREE} s par mesure`, { duree_s: DUREE, dossiers_compte: CAS }, lignes);
  } finally {
    await app.arreter();
    await arreter();
  }
}

executer(main);
