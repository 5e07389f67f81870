// Benchmark of the citizen dashboard (issue 5): one account with 5,000 attached cases among
// 20,000, served by the real app (Koa, sessions, CSRF, slonik, PostgreSQL, Temporal client),
// measured with autocannon against the bare /healthz of the same server.
//
// It starts what it needs and stops it: the test harness's embedded PostgreSQL and Temporal dev
// server (test/aides/demarrage-tests.ts) and the whole portal (test/aides/application.ts: app,
// worker, mail/SMS sinks, FranceConnect stand-in). The citizen logs in through the stand-in like
// in the integration tests; autocannon then replays the session cookie.
//
// Seeding: the two juridictions go through the court API; the 20,000 cases, their parties,
// hearings, documents, consents, identification numbers and links are inserted with SQL
// (`generate_series`) in a few seconds — 20,000 court-API calls plus the add flow would take
// far longer and measure the wrong thing. The identification-number hashes are random 32-byte
// values except one, computed like the portal (HMAC with HASH_KEY), for the search by number.
//
//   npm run bench               (or: node --import tsx bench/tableau-de-bord.ts)
//   DUREE=5 CONNEXIONS=10 …     (seconds per run, concurrent connections)
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { sql } from 'slonik';
import { z } from 'zod';
import demarrer from '../test/aides/demarrage-tests.js';
import arreter from '../test/aides/arret-tests.js';
import { demarrerApplication, JETON_LYON, JURIDICTION_VALIDE } from '../test/aides/application.js';
import { NUMERO_BENCH, semerDossiers } from './graines.js';
import * as tableau from '../db/rattachements.js';

const ici = path.dirname(fileURLToPath(import.meta.url));
const DUREE = Number(process.env.DUREE ?? 10);
const CONNEXIONS = Number(process.env.CONNEXIONS ?? 10);
const CAS_COMPTE = 5_000;
const CAS_AUTRES = 15_000;
const NUMERO = NUMERO_BENCH;

const journal = (m: string) => process.stderr.write(`[bench] ${m}\n`);

async function main(): Promise<void> {
  const debut = Date.now();
  await demarrer();
  const app = await demarrerApplication();
  try {
    journal(`portail démarré en ${((Date.now() - debut) / 1000).toFixed(1)} s`);
    for (const [corps, jeton] of [[JURIDICTION_VALIDE, {}], [{ nom: 'Tribunal judiciaire de Lyon', adresse: '67 rue Servient, 69003 Lyon', telephone: '04 72 60 70 12' }, { jeton: JETON_LYON }]] as const) {
      const r = await app.api('PUT', '/juridiction', corps, jeton);
      if (r.status !== 200) throw new Error(`juridiction : ${r.status} ${await r.text()}`);
    }
    const nav = await app.connecter('angela-dubois');
    const cookie = [...(nav as unknown as { cookies: Map<string, string> }).cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const compte = await app.pool.oneFirst(sql.type(z.object({ id: z.string() }))`SELECT id FROM compte ORDER BY created_at DESC LIMIT 1`);

    const t0 = Date.now();
    await semerDossiers(app.pool, app.config.HASH_KEY, compte, { compte: CAS_COMPTE, autres: CAS_AUTRES });
    journal(`${CAS_COMPTE + CAS_AUTRES} dossiers insérés en ${((Date.now() - t0) / 1000).toFixed(1)} s (${CAS_COMPTE} pour le compte mesuré)`);

    if (process.env.PROFIL) {
      // Time of each dashboard query alone (sequential), to see where a request's time goes.
      const m = new Date();
      const R = app.config.CASE_RETENTION;
      const crit = { nom: 'helene', juridiction: 'paris', filtres: ['en_cours', 'proches'] as const, tri: 'audience' as const };
      const mesures: [string, () => Promise<unknown>][] = [
        ['compter (sans critère)', () => tableau.compterTableau(app.pool, compte, m, R, {})],
        ['compter (combinée)', () => tableau.compterTableau(app.pool, compte, m, R, { ...crit, filtres: [...crit.filtres] })],
        ['lister page 1 (maj)', () => tableau.listerTableau(app.pool, compte, m, R, {}, { limite: 20, decalage: 0 })],
        ['lister page 1 (combinée)', () => tableau.listerTableau(app.pool, compte, m, R, { ...crit, filtres: [...crit.filtres] }, { limite: 20, decalage: 0 })],
        ['version', () => tableau.versionTableau(app.pool, compte, m, R)],
      ];
      for (const [nom, f] of mesures) {
        await f();
        const t = performance.now();
        for (let k = 0; k < 10; k++) await f();
        journal(`${nom} : ${((performance.now() - t) / 10).toFixed(1)} ms`);
      }
      if (process.env.PROFIL === 'seul') return;
    }
    const combinee = '/espace?nom=helene&juridiction=paris&filtre=en_cours&filtre=proches&tri=audience';
    const cibles: { nom: string; chemin: string; entetes?: Record<string, string> }[] = [
      { nom: 'GET /healthz (nu)', chemin: '/healthz' },
      { nom: 'GET /espace (page 1, 5 000 dossiers)', chemin: '/espace', entetes: { cookie } },
      { nom: 'GET /espace?page=200 (dernière page)', chemin: '/espace?page=200', entetes: { cookie } },
      { nom: 'Recherche combinée (nom + juridiction + 2 filtres + tri)', chemin: combinee, entetes: { cookie } },
      { nom: 'Recherche combinée, fragment htmx', chemin: combinee, entetes: { cookie, 'HX-Request': 'true', 'HX-Target': 'div#resultats-dossiers' } },
      { nom: 'Recherche par numéro d’identification', chemin: `/espace?numero=${NUMERO}`, entetes: { cookie } },
      { nom: 'GET /espace/etat (sondage, inchangé)', chemin: '', entetes: { cookie, 'HX-Request': 'true' } },
    ];
    // The poll's URL as the page gives it (its version), so the measured answer is the 204.
    const page = await (await fetch(`${app.url}/espace`, { headers: { cookie } })).text();
    cibles[cibles.length - 1]!.chemin = /hx-get="(\/espace\/etat\?[^"]+)"/.exec(page)![1]!.replace(/&amp;/g, '&');
    // Sanity: every target answers as expected before being measured.
    for (const c of cibles) {
      const r = await fetch(`${app.url}${c.chemin}`, { headers: c.entetes, redirect: 'manual' });
      const corps = await r.text();
      if (![200, 204].includes(r.status)) throw new Error(`${c.nom} : ${r.status}`);
      if (/^\/espace(\?|$)/.test(c.chemin) && !corps.includes('data-dossier=')) throw new Error(`${c.nom} : aucun dossier dans la réponse`);
      if (c.chemin.startsWith('/espace/etat') && r.status !== 204) throw new Error(`${c.nom} : ${r.status}, 204 attendu`);
    }

    const resultats: Record<string, unknown>[] = [];
    for (const c of cibles) {
      // Every response's time, for exact percentiles (autocannon's summary has p90 and p97.5, not p95).
      const durees: number[] = [];
      const instance = autocannon({ url: `${app.url}${c.chemin}`, headers: c.entetes, connections: CONNEXIONS, duration: DUREE });
      instance.on('response', (_client: unknown, _statut: number, _octets: number, duree: number) => void durees.push(duree));
      const r = await instance;
      const ligne = {
        cible: c.nom, chemin: c.chemin.split('&depuis=')[0], requetes_par_s: Math.round(r.requests.average),
        p50_ms: centile(durees, 50), p95_ms: centile(durees, 95), p99_ms: centile(durees, 99),
        erreurs: r.errors + r.timeouts, non_2xx: r.non2xx, requetes: r.requests.total,
      };
      resultats.push(ligne);
      journal(`${c.nom} : ${ligne.requetes_par_s} req/s, p50 ${ligne.p50_ms} ms, p95 ${ligne.p95_ms} ms, p99 ${ligne.p99_ms} ms`);
    }
    const machine = { nproc: os.cpus().length, cpu: os.cpus()[0]?.model, memoire_go: Math.round(os.totalmem() / 2 ** 30), node: process.version, plateforme: `${os.platform()} ${os.release()}` };
    const sortie = { date: new Date().toISOString(), duree_s: DUREE, connexions: CONNEXIONS, dossiers: { compte: CAS_COMPTE, total: CAS_COMPTE + CAS_AUTRES }, machine, resultats };
    await mkdir(path.join(ici, 'resultats'), { recursive: true });
    const fichier = path.join(ici, 'resultats', `tableau-de-bord-${sortie.date.replace(/[:.]/g, '-')}.json`);
    await writeFile(fichier, `${JSON.stringify(sortie, null, 2)}\n`);
    console.log(`\nTableau de bord — ${CAS_COMPTE} dossiers pour le compte (${CAS_COMPTE + CAS_AUTRES} au total), ${CONNEXIONS} connexions, ${DUREE} s par mesure`);
    console.log(`Machine : ${machine.nproc} CPU (${machine.cpu}), ${machine.memoire_go} Go, Node ${machine.node}\n`);
    console.log('| Cible | req/s | p50 (ms) | p95 (ms) | p99 (ms) | erreurs | non-2xx |');
    console.log('|---|---:|---:|---:|---:|---:|---:|');
    for (const l of resultats as { cible: string; requetes_par_s: number; p50_ms: number; p95_ms: number; p99_ms: number; erreurs: number; non_2xx: number }[]) {
      console.log(`| ${l.cible} | ${l.requetes_par_s} | ${l.p50_ms} | ${l.p95_ms} | ${l.p99_ms} | ${l.erreurs} | ${l.non_2xx} |`);
    }
    console.log(`\n${path.relative(process.cwd(), fichier)} — ${((Date.now() - debut) / 1000).toFixed(0)} s au total`);
  } finally {
    await app.arreter();
    await arreter();
  }
}

/** Nearest-rank percentile, in ms with two decimals. */
function centile(valeurs: number[], p: number): number {
  if (!valeurs.length) return NaN;
  const tri = [...valeurs].sort((a, b) => a - b);
  return Math.round(tri[Math.min(tri.length - 1, Math.ceil((p / 100) * tri.length) - 1)]! * 100) / 100;
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
