// Benchmark (c) of issue 10: N court updates through the API (one event on each of N cases
// followed by an account with alerts on) → N update-alert e-mails received by the SMTP sink,
// end to end (API transaction, signal-with-start, debounce timer, outbox, SMTP). Next to it:
// nodemailer sending N mails straight to the same sink, the floor for this machine. Duplicates
// (same Message-ID received twice, or more mails than alerts) must be 0.
//
//   node --import tsx bench/alertes.ts        N=10000 CONNEXIONS=16
import nodemailer from 'nodemailer';
import autocannon from 'autocannon';
import { sql } from 'slonik';
import { z } from 'zod';
import demarrer from '../test/aides/demarrage-tests.js';
import arreter from '../test/aides/arret-tests.js';
import { demarrerApplication, JETON_LYON, JETON_PARIS, JURIDICTION_VALIDE, type Application } from '../test/aides/application.js';
import { executer, journal, publier } from './commun.js';
import { semerDossiers } from './graines.js';

const N = Number(process.env.N ?? 10_000);
const CONNEXIONS = Number(process.env.CONNEXIONS ?? 16);

interface Recu {
  subject: string;
  messageId?: string;
}
const recus = async (app: Application) => (await (await fetch(`${app.boites.urlPage.replace(/\/$/, '')}/api/courriels`)).json()) as Recu[];

async function attendreCourriels(app: Application, n: number, filtre: (m: Recu) => boolean, delaiMs: number): Promise<Recu[]> {
  const fin = Date.now() + delaiMs;
  for (;;) {
    const l = (await recus(app)).filter(filtre);
    if (l.length >= n || Date.now() > fin) return l;
    // Each poll serialises every message the sink holds: not too often, it loads the machine.
    await new Promise((r) => setTimeout(r, 5000));
  }
}

async function main(): Promise<void> {
  await demarrer();
  const app = await demarrerApplication({ ALERT_DEBOUNCE: 'PT1S', LOG_LEVEL: 'warn' }, {}, { maximumBoites: 3 * N });
  try {
    await app.api('PUT', '/juridiction', JURIDICTION_VALIDE);
    await app.api('PUT', '/juridiction', { nom: 'Tribunal judiciaire de Lyon', adresse: '67 rue Servient, 69003 Lyon' }, { jeton: JETON_LYON });
    await app.connecter('angela-dubois');
    const compte = await app.pool.oneFirst(sql.type(z.object({ id: z.string() }))`SELECT id FROM compte ORDER BY created_at DESC LIMIT 1`);
    // N cases for the account, all in Paris (the token's juridiction), none closed.
    await semerDossiers(app.pool, app.config.HASH_KEY, compte, { compte: N, autres: 0 });
    await app.pool.query(sql.unsafe`UPDATE dossier SET juridiction = 'TJ-PARIS', date_cloture = NULL`);
    await app.pool.query(sql.unsafe`UPDATE compte SET email = 'bench.alertes@example.fr' WHERE id = ${compte}`);
    journal(`${N} dossiers suivis par le compte`);

    // The floor: nodemailer straight to the sink, CONNEXIONS in parallel (pooled transport).
    const transport = nodemailer.createTransport({ url: app.boites.smtpUrl, pool: true, maxConnections: CONNEXIONS } as never);
    const t0 = Date.now();
    let suivant = 0;
    await Promise.all(
      Array.from({ length: CONNEXIONS }, async () => {
        while (suivant < N) {
          const i = suivant++;
          await transport.sendMail({ from: 'bench@example.fr', to: 'plancher@example.fr', subject: `Plancher ${i}`, text: 'x', messageId: `<plancher-${i}@bench>` });
        }
      }),
    );
    const plancherS = (Date.now() - t0) / 1000;
    transport.close();
    const plancher = await attendreCourriels(app, N, (m) => m.subject.startsWith('Plancher '), 60000);
    journal(`nodemailer seul : ${N} courriels en ${plancherS.toFixed(1)} s (${plancher.length} reçus)`);

    // The portal: one event per case through the API (autocannon, CONNEXIONS in parallel).
    const t1 = Date.now();
    let k = 0;
    const r = await autocannon({
      url: app.url, connections: CONNEXIONS, amount: N,
      requests: [{
        method: 'POST',
        setupRequest: (req: Record<string, unknown>) => {
          const i = ++k;
          return {
            ...req, path: `/api/v1/affaires/BENCH-${i}/evenements`,
            headers: { authorization: `Bearer ${JETON_PARIS}`, 'content-type': 'application/json' },
            body: JSON.stringify({ id: `E-${i}`, type: 'information', date: '2026-11-23T10:00:00+01:00', libelle: 'Mise à jour' }),
          };
        },
      }],
    } as never);
    const apiS = (Date.now() - t1) / 1000;
    journal(`API : ${r.requests.total} requêtes en ${apiS.toFixed(1)} s, non-2xx ${r.non2xx}, erreurs ${r.errors}`);
    const alertes = await attendreCourriels(app, N, (m) => m.subject.startsWith('Mise à jour de votre dossier'), 15 * 60000);
    const totalS = (Date.now() - t1) / 1000;
    const ids = new Set(alertes.map((m) => m.messageId));
    const doublons = alertes.length - ids.size + Math.max(0, alertes.length - N);
    journal(`portail : ${alertes.length} alertes reçues en ${totalS.toFixed(1)} s, doublons ${doublons}`);
    const enAttente = await app.pool.oneFirst(sql.type(z.object({ n: z.number() }))`SELECT count(*)::int AS n FROM notification WHERE type = 'alerte' AND statut <> 'envoye'`);

    await publier('alertes', `Alertes (c) — ${N} mises à jour par l’API → ${N} courriels, ${CONNEXIONS} connexions`, { n: N, connexions: CONNEXIONS }, [
      { chemin: 'nodemailer → puits SMTP (plancher)', courriels: plancher.length, 'durée (s)': plancherS.toFixed(1), 'courriels/s': (plancher.length / plancherS).toFixed(0), rapport: '1', doublons: plancher.length - new Set(plancher.map((m) => m.messageId)).size },
      { chemin: 'API → workflow → outbox → SMTP', courriels: alertes.length, 'durée (s)': totalS.toFixed(1), 'courriels/s': (alertes.length / totalS).toFixed(0), rapport: (totalS / plancherS).toFixed(1), doublons },
      { chemin: '(dont réponses de l’API)', courriels: r.requests.total, 'durée (s)': apiS.toFixed(1), 'courriels/s': (r.requests.total / apiS).toFixed(0), rapport: '—', doublons: `non-2xx ${r.non2xx}, non envoyées ${enAttente}` },
    ]);
  } finally {
    await app.arreter();
    await arreter();
  }
}

executer(main);
