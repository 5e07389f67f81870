// Ops (issue 10 item 4): the request id goes from the HTTP request (X-Request-Id) to the
// workflow it signals and to the activity that sends the e-mail, in the logs of both processes;
// /metrics answers only with its bearer token, outside sessions, with latency by route template
// and the outbox backlog; the worker's Prometheus exporter (TEMPORAL_METRICS_BIND) carries
// Temporal's metrics and the delivery failure counter. The SMTP server here is the test's own: it
// refuses (550) every address starting with "refus", which is a definitive failure.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { affaireValide, demarrerApplication, JURIDICTION_VALIDE, type Application } from '../aides/application.js';
import { portLibre } from '../../dev/ports.js';
import { sql } from 'slonik';
import { z } from 'zod';
import { ErreurUsage, executer } from '../../admin.js';
import { createApp, routes } from '../../web/app.js';
import { idWorkflowDossier } from '../../workflows/ids.js';
import { creerJournal } from '../../web/log.js';

const lignes: string[] = [];
const capture = { write: (s: string) => void lignes.push(s) };
const recus: string[] = [];
/** The relay's refusal of "refus…" addresses; lifted to show a resend after the cause is fixed. */
let refuser = true;
const JETON_METRIQUES = 'm'.repeat(16) + '-jeton-des-metriques-0123456789';
let app: Application;
let smtp: SMTPServer;
let bindMetriquesWorker: string;

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(adresse, _session, cb) {
      if (refuser && adresse.address.startsWith('refus')) cb(Object.assign(new Error('boîte inconnue'), { responseCode: 550 }));
      else cb();
    },
    onData(stream, session, cb) {
      stream.resume();
      stream.on('end', () => {
        recus.push(...session.envelope.rcptTo.map((r) => r.address));
        cb();
      });
    },
  });
  await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', () => r()));
  const portSmtp = (smtp.server.address() as AddressInfo).port;
  bindMetriquesWorker = `127.0.0.1:${await portLibre(0)}`;
  app = await demarrerApplication(
    { SMTP_URL: `smtp://127.0.0.1:${portSmtp}`, METRICS_TOKEN: JETON_METRIQUES, TEMPORAL_METRICS_BIND: bindMetriquesWorker, LOG_LEVEL: 'debug' },
    {},
    { journaux: { web: creerJournal('web', 'debug', capture), worker: creerJournal('worker', 'debug', capture) } },
  );
  expect((await app.api('PUT', '/juridiction', JURIDICTION_VALIDE)).status).toBe(200);
});
afterAll(async () => {
  await app?.arreter();
  await new Promise<void>((r) => (smtp ? smtp.close(() => r()) : r()));
});

async function attendre<T>(quoi: string, f: () => Promise<T | undefined | null | false> | T | undefined | null | false): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const v = await f();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`attendu : ${quoi}`);
}

const journal = () => lignes.map((l) => JSON.parse(l) as Record<string, unknown>);
const metriques = (jeton: string | null = JETON_METRIQUES) => fetch(`${app.url}/metrics`, { headers: jeton ? { Authorization: `Bearer ${jeton}` } : {} });

function partie(courriel: string) {
  return [{ id: 'P1', role: 'Demandeur', type: 'physique', civilite: 'Mme', nom: 'DUBOIS', prenoms: 'Angela', courriel, telephone: '+33611111111' }];
}

describe('request ids', () => {
  test('X-Request-Id of a court API call reaches the workflow and the activity sending the e-mail', async () => {
    const put = await app.api('PUT', '/affaires/OBS-2026-00001', affaireValide({ numeroDossier: '26/00001', parties: partie('suivi.obs@example.fr') }));
    expect(put.status).toBe(200);
    const r = await app.api('POST', '/affaires/OBS-2026-00001/consentements', { partie: 'P1' }, { entetes: { 'X-Request-Id': 'test-abc' } });
    expect(r.status).toBe(201);
    expect(r.headers.get('x-request-id')).toBe('test-abc');
    await attendre('le courriel', () => recus.includes('suivi.obs@example.fr'));
    const envoi = await attendre('la ligne de l’activité', () =>
      journal().find((l) => l.msg === 'notification envoyée' && l.requestId === 'test-abc'),
    );
    expect(envoi).toMatchObject({ service: 'worker', activityType: 'envoyerNotification', workflowType: 'dossier', canal: 'courriel', type: 'identifiant' });
    expect(String(envoi.workflowId)).toMatch(/^dossier-[0-9a-f-]{36}$/);
    // The web side: one line for the request, with the route template and no raw path.
    const web = journal().filter((l) => l.service === 'web' && l.requestId === 'test-abc');
    expect(web).toEqual([expect.objectContaining({ msg: 'requête http', methode: 'POST', route: '/api/v1/affaires/:numeroPortalis/consentements', statut: 201 })]);
    expect(lignes.join('')).not.toContain('/api/v1/affaires/OBS-2026-00001/consentements');
  });

  test('an absent or unsafe X-Request-Id is replaced by a fresh UUID', async () => {
    for (const entetes of [{}, { 'X-Request-Id': 'a b"}{' }, { 'X-Request-Id': 'x'.repeat(65) }] as Record<string, string>[]) {
      const r = await fetch(`${app.url}/healthz`, { headers: entetes });
      expect(r.headers.get('x-request-id')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    }
  });
});

describe('/metrics', () => {
  test('needs its bearer token, and keeps no session', async () => {
    expect(routes({ config: app.config, pool: app.pool, temporal: app.temporal, log: creerJournal('test', 'silent') }).find((r) => r.chemin === '/metrics')).toMatchObject({ methode: 'GET', acces: 'exploitation' });
    expect((await metriques(null)).status).toBe(401);
    expect((await metriques('faux'.repeat(10))).status).toBe(401);
    const r = await metriques();
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(r.headers.get('set-cookie')).toBeNull();
    expect(r.headers.get('cache-control')).toBe('no-store');
  });

  test('without METRICS_TOKEN there is no /metrics', async () => {
    const sans = createApp({ config: { ...app.config, METRICS_TOKEN: undefined }, pool: app.pool, poolLimites: app.poolLimites, temporal: app.temporal, log: creerJournal('test', 'silent') });
    const serveur = sans.listen(0, '127.0.0.1');
    await new Promise((r) => serveur.once('listening', r));
    try {
      const port = (serveur.address() as AddressInfo).port;
      expect((await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { Authorization: 'Bearer ' } })).status).toBe(404);
    } finally {
      serveur.closeAllConnections();
      serveur.close();
    }
  });

  test('HTTP latency by route template, and the outbox backlog by status and channel', async () => {
    await fetch(`${app.url}/espace/dossiers/00000000-0000-4000-8000-000000000000`, { redirect: 'manual' });
    const texte = await (await metriques()).text();
    expect(texte).toMatch(/portail_http_request_duration_seconds_count\{method="POST",route="\/api\/v1\/affaires\/:numeroPortalis\/consentements",status="201"\} 1/);
    expect(texte).toMatch(/portail_http_request_duration_seconds_count\{method="GET",route="\/espace\/dossiers\/:id",status="302"\} 1/);
    // No raw path, hence no id nor token, in any label.
    expect(texte).not.toMatch(/OBS-2026|00000000-0000-4000/);
    for (const statut of ['en_attente', 'echec_temporaire', 'echec_definitif']) {
      for (const canal of ['courriel', 'sms']) expect(texte).toMatch(new RegExp(`portail_notifications_en_souffrance\\{statut="${statut}",canal="${canal}"\\} \\d+`));
    }
    expect(texte).toContain('process_cpu_seconds_total');
  });
});

describe('worker metrics (TEMPORAL_METRICS_BIND)', () => {
  test('a refused e-mail counts as a definitive failure, in the outbox gauge and the worker counter', async () => {
    const put = await app.api('PUT', '/affaires/OBS-2026-00002', affaireValide({ numeroDossier: '26/00002', parties: partie('refus.obs@example.fr') }));
    expect(put.status).toBe(200);
    expect((await app.api('POST', '/affaires/OBS-2026-00002/consentements', { partie: 'P1' }, { entetes: { 'X-Request-Id': 'test-refus' } })).status).toBe(201);
    const echec = await attendre('la ligne d’échec', () => journal().find((l) => l.msg === 'notification non envoyée' && l.requestId === 'test-refus'));
    expect(echec).toMatchObject({ canal: 'courriel', nature: 'definitif', codeFournisseur: 550 });
    expect(JSON.stringify(echec)).not.toContain('refus.obs@example.fr');
    // The refusal is the row's, not the case's: its workflow goes on (reminders, alerts, purge).
    const dossierId = await app.pool.oneFirst(sql.type(z.object({ id: z.string() }))`SELECT id FROM dossier WHERE numero_portalis = 'OBS-2026-00002'`);
    const description = await app.temporal.workflow.getHandle(idWorkflowDossier(dossierId)).describe();
    expect(description.status.name).toBe('RUNNING');

    const web = await (await metriques()).text();
    expect(web).toMatch(/portail_notifications_en_souffrance\{statut="echec_definitif",canal="courriel"\} 1\b/);

    const worker = await attendre('le compteur du worker', async () => {
      const t = await (await fetch(`http://${bindMetriquesWorker}/metrics`)).text();
      return /portail_notification_echecs/.test(t) ? t : null;
    });
    const compteur = worker.split('\n').find((l) => /^\w*portail_notification_echecs\w*\{/.test(l) && l.includes('canal="courriel"') && l.includes('nature="definitif"'));
    expect(compteur).toMatch(/^portail_notification_echecs\{.* 1$/);
    // Temporal's own worker metrics are on the same endpoint.
    expect(worker).toMatch(/temporal_activity_execution_latency|temporal_worker_task_slots_available/);
  });

  test('admin `notification renvoyer` sends a failed row again once the cause is fixed, and only failed rows', async () => {
    const statut = () => app.pool.oneFirst(sql.type(z.object({ statut: z.string() }))`SELECT statut FROM notification WHERE destinataire = 'refus.obs@example.fr'`);
    const id = await app.pool.oneFirst(sql.type(z.object({ id: z.string() }))`SELECT id FROM notification WHERE destinataire = 'refus.obs@example.fr'`);
    expect(await statut()).toBe('echec_definitif');
    const env = { DATABASE_URL: app.config.DATABASE_URL, TEMPORAL_ADDRESS: app.config.TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE: app.config.TEMPORAL_NAMESPACE, TEMPORAL_TASK_QUEUE: app.config.TEMPORAL_TASK_QUEUE };
    refuser = false;
    expect(await executer(['notification', 'renvoyer', id], env)).toMatch(new RegExp(`^Notification ${id} \\(courriel, identifiant\\) remise en attente ; envoi confié au workflow notification-renvoi-${id}-1\\.$`));
    await attendre('le courriel renvoyé', () => recus.includes('refus.obs@example.fr'));
    await attendre('la ligne envoyée', async () => (await statut()) === 'envoye');
    expect(await (await metriques()).text()).toMatch(/portail_notifications_en_souffrance\{statut="echec_definitif",canal="courriel"\} 0\b/);
    await expect(executer(['notification', 'renvoyer', id], env)).rejects.toThrow(/déjà été envoyée/);
    await expect(executer(['notification', 'renvoyer', 'pas-un-uuid'], env)).rejects.toThrow(ErreurUsage);
    await expect(executer(['notification', 'renvoyer', '00000000-0000-4000-8000-000000000000'], env)).rejects.toThrow(/Aucune notification/);
    await expect(executer(['notification', 'renvoyer'], env)).rejects.toThrow(/obligatoire/);
  });
});
