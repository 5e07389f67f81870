// A worker killed mid-way changes none of the case workflow's outcomes (issue 6). The worker runs
// as a separate OS process (test/aides/worker-processus.ts) and is killed with SIGKILL several
// times, at random moments, while update alerts, hearing reminders and a retention purge are in
// flight: no graceful shutdown, running activities lost, sticky caches gone. Afterwards every
// e-mail and SMS the outbox holds arrived exactly once (matched one to one with the sinks by
// Message-ID and Twilio SID), nothing else arrived, and the closed case was purged.
//
// The random moments come from a seed printed at the start; KILL9_GRAINE=<seed> replays them.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { sql } from 'slonik';
import { z } from 'zod';
import { affaireValide, demarrerApplication, JURIDICTION_VALIDE, type Application } from '../aides/application.js';
import { workerProcessus, type WorkerProcessus } from '../aides/worker-processus.js';
import { creerRattachement } from '../../db/rattachements.js';
import { idWorkflowDossier } from '../../workflows/ids.js';
import { etatDossierQuery } from '../../workflows/messages.js';

let app: Application;
let worker: WorkerProcessus;

beforeAll(async () => {
  app = await demarrerApplication({ ALERT_DEBOUNCE: 'PT2S', REMINDER_LEAD: 'PT5S', CASE_RETENTION: 'PT6S', QUIET_HOURS: '' });
  expect((await app.api('PUT', '/juridiction', JURIDICTION_VALIDE)).status).toBe(200);
  // The process must be the only worker on the test's task queue.
  await app.arreterWorker();
  worker = workerProcessus(app.config);
  await worker.demarrer();
}, 90000);
afterAll(async () => {
  await worker?.arreter();
  await app?.arreter();
});

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function attendre<T>(quoi: () => Promise<T>, ok: (v: T) => boolean, delaiMs: number, libelle: string): Promise<T> {
  const fin = Date.now() + delaiMs;
  for (;;) {
    const v = await quoi();
    if (ok(v)) return v;
    if (Date.now() > fin) throw new Error(`${libelle} : non atteint en ${delaiMs} ms : ${JSON.stringify(v)}\n--- worker ---\n${worker.journal().slice(-6000)}`);
    await pause(250);
  }
}

/** mulberry32: a small seeded generator, so a failing run's kill moments can be replayed. */
function generateur(graine: number): () => number {
  let a = graine >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const Ligne = z.object({ tentatives: z.number(), cle_idempotence: z.string(), canal: z.string(), type: z.string(), destinataire: z.string(), statut: z.string(), fournisseur_id: z.string().nullable(), dossier_id: z.string().nullable() });
const outbox = () => app.pool.any(sql.type(Ligne)`SELECT tentatives, cle_idempotence, canal, type, destinataire, statut, fournisseur_id, dossier_id FROM notification ORDER BY created_at`);

async function api(methode: string, chemin: string, corps?: unknown): Promise<void> {
  const r = await app.api(methode, chemin, corps);
  if (r.status >= 300) throw new Error(`${methode} ${chemin} : ${r.status} ${await r.text()}`);
}

interface Cas {
  portalis: string;
  dossierId: string;
  telephones: string[];
  compte: { id: string; email: string } | null;
}

/** A case whose parties all consented (each gets its identification e-mail), optionally an account attached with alerts on. */
async function cas(portalis: string, n: number, nbParties: number, avecCompte: boolean): Promise<Cas> {
  const parties = Array.from({ length: nbParties }, (_, i) => ({
    id: `P${i + 1}`, role: i ? 'Intervenant' : 'Demandeur', type: 'physique', nom: `PARTIE${i + 1}`, prenoms: 'Test',
    courriel: `k${n}p${i + 1}@example.fr`, telephone: `+3360000${n}${i + 1}00`,
  }));
  await api('PUT', `/affaires/${portalis}`, affaireValide({ numeroDossier: `26/K${n}`, parties }));
  for (const p of parties) await api('POST', `/affaires/${portalis}/consentements`, { partie: p.id });
  const i = await app.pool.one(sql.type(z.object({ identifiant_id: z.string(), partie_id: z.string(), dossier_id: z.string() }))`
    SELECT i.id AS identifiant_id, c.partie_id, c.dossier_id
    FROM identifiant i JOIN consentement c ON c.id = i.consentement_id JOIN dossier d ON d.id = c.dossier_id JOIN partie p ON p.id = c.partie_id
    WHERE d.numero_portalis = ${portalis} AND p.id_tribunal = 'P1'`);
  let compte: Cas['compte'] = null;
  if (avecCompte) {
    const email = `compte-k${n}-${randomUUID().slice(0, 8)}@example.org`;
    const id = await app.pool.oneFirst(sql.type(z.object({ id: z.string() }))`
      INSERT INTO compte (fc_iss, fc_sub, given_name, family_name, email) VALUES ('test', ${randomUUID()}, 'Test', 'PARTIE1', ${email}) RETURNING id`);
    await creerRattachement(app.pool, { compteId: id, dossierId: i.dossier_id, partieId: i.partie_id, identifiantId: i.identifiant_id, creeLe: new Date() });
    compte = { id, email };
  }
  return { portalis, dossierId: i.dossier_id, telephones: parties.map((p) => p.telephone), compte };
}

const audience = (portalis: string, id: string, debut: number) =>
  api('PUT', `/affaires/${portalis}/audiences/${id}`, { debut: new Date(debut).toISOString(), adresse: '12 rue du Palais, 75001 Paris', libelle: 'Audience' });
const evenement = (portalis: string, id: string) =>
  api('POST', `/affaires/${portalis}/evenements`, { id, type: 'mention', date: '2026-10-01T09:30:00+02:00', libelle: `Mention ${id}` });

describe('kill -9 of the worker process', () => {
  test('alerts, reminders and a purge in flight: every message exactly once, the purge done', async () => {
    const debutTest = Date.now();
    const graine = Number(process.env.KILL9_GRAINE ?? Math.floor(Math.random() * 2 ** 31));
    const hasard = generateur(graine);
    const a = await cas('KILL-A', 1, 2, true);
    const b = await cas('KILL-B', 2, 1, true);
    const c = await cas('KILL-C', 3, 1, false);

    // The court's pushes, on a fixed timeline from T; hearings and reminders (REMINDER_LEAD
    // PT5S) fall inside the kill phase, and so does the purge (closure + CASE_RETENTION PT6S).
    const T = Date.now();
    const a1 = T + 9000;
    const a2Initial = T + 13000;
    const a2 = T + 14000;
    const b1 = T + 11000;
    const b2 = T + 12000;
    const vers = (ms: number) => pause(Math.max(0, T + ms - Date.now()));
    const tribunal = (async () => {
      await Promise.all([evenement(a.portalis, 'E1'), evenement(b.portalis, 'E1')]);
      await vers(500);
      await evenement(a.portalis, 'E2');
      await vers(1000);
      await Promise.all([audience(a.portalis, 'H1', a1), audience(b.portalis, 'H1', b1), audience(b.portalis, 'H2', b2), audience(a.portalis, 'H2', a2Initial)]);
      await vers(1500);
      await api('POST', `/affaires/${c.portalis}/cloture`, { date: new Date().toISOString() });
      await vers(3000);
      // Moved before its first reminder (T+8 s): reminded at the new time only (T+9 s).
      await audience(a.portalis, 'H2', a2);
      // Cancelled before its reminder (T+7 s): never reminded, no cancellation SMS either.
      await api('DELETE', `/affaires/${b.portalis}/audiences/H2`);
      await vers(5000);
      await Promise.all([evenement(a.portalis, 'E3'), evenement(b.portalis, 'E2')]);
      await vers(8000);
      await evenement(a.portalis, 'E4');
      await vers(10000);
      await evenement(b.portalis, 'E3');
    })();

    // The killer: SIGKILL after a random 0.3-1.5 s of life, or just after a reminder falls due
    // (its timer fired, its activities running), then a restart after a random 0-0.8 s; at least
    // three kills, and until the last push. A restart takes seconds (tsx, workflow bundle), and
    // a kill landing on a running activity costs its 1-minute start-to-close timeout: ending the
    // kills early is what keeps the test under 90 s.
    const echeances = [a1, b1, a2].map((h) => h - 5000);
    const morts: number[] = [];
    const tueur = (async () => {
      while (morts.length < 3 || Date.now() < T + 10000) {
        const prochaine = echeances.find((e) => e > Date.now() + 300);
        const auHasard = Date.now() + 300 + hasard() * 1200;
        await pause((prochaine !== undefined && hasard() < 0.5 ? Math.min(auHasard, prochaine + hasard() * 400) : auHasard) - Date.now());
        await worker.tuer();
        morts.push(Date.now() - T);
        await pause(hasard() * 800);
        await worker.demarrer();
      }
    })();
    await Promise.all([tribunal, tueur]);
    const finTueur = Date.now() - T;
    console.log(`kill -9 : graine ${graine}, tués à T+${morts.map((m) => (m / 1000).toFixed(1)).join(' s, T+')} s`);
    expect(morts.length).toBeGreaterThanOrEqual(3);

    // Expected: the four identification e-mails; the reminders of A-H1 and A-H2 (new time) to
    // both parties of A, of B-H1 to B's party; at least one alert per account; C purged. A kill
    // that lost a running activity delays its retry by the activity's start-to-close timeout
    // (1 minute): the waits below allow for it.
    const dossierC = () => app.pool.maybeOneFirst(sql.type(z.object({ id: z.string() }))`SELECT id FROM dossier WHERE id = ${c.dossierId}`);
    // (The purge activity's is 2 minutes, hence its longer wait; a kill rarely lands on it.)
    await attendre(dossierC, (v) => v === null, 135000, 'purge de KILL-C');
    await attendre(outbox, (l) => l.filter((x) => x.type === 'rappel').length === 5 && l.every((x) => x.statut === 'envoye'), 75000, 'rappels envoyés');
    // Every alert the workflows decided is in the outbox and sent, and none is still gathering
    // (asked of the workflows themselves: a restarting worker can leave the outbox still for
    // seconds while an alert is due).
    const alertesFinies = async () => {
      const l = await outbox();
      const etats = await Promise.all([a, b].map(async (d) => {
        const q = await app.temporal.workflow.getHandle(idWorkflowDossier(d.dossierId)).query(etatDossierQuery).catch(() => null);
        const lignesCompte = l.filter((x) => x.type === 'alerte' && x.destinataire === d.compte!.email);
        return q !== null && q.alerteEnCours === false && lignesCompte.length === q.alertesEnvoyees && lignesCompte.every((x) => x.statut === 'envoye');
      }));
      return etats.every(Boolean);
    };
    await attendre(alertesFinies, (v) => v, 75000, 'alertes décidées et envoyées');
    // Then quiet: no new row and nothing left to send for 3 s (more than ALERT_DEBOUNCE).
    let avant = '';
    let depuis = Date.now();
    await attendre(async () => {
      const l = await outbox();
      const empreinte = JSON.stringify(l.map((x) => [x.cle_idempotence, x.statut]));
      if (empreinte !== avant || !l.every((x) => x.statut === 'envoye')) depuis = Date.now();
      avant = empreinte;
      return Date.now() - depuis >= 3000;
    }, (v) => v, 75000, 'boîte d’envoi stable');
    const lignes = await outbox();
    expect(lignes.every((x) => x.statut === 'envoye')).toBe(true);

    // SMS: the rows are the expected reminders, and the sink holds exactly their SIDs, once each.
    const sms = await app.sms();
    const rappels = lignes.filter((x) => x.canal === 'sms');
    expect(rappels.every((x) => x.type === 'rappel')).toBe(true);
    const attendus = [
      ...a.telephones.flatMap((t) => [[t, a1], [t, a2]] as const),
      [b.telephones[0]!, b1] as const,
    ].map(([t, debut]) => `${t} ${new Date(debut).toISOString()}`).sort();
    expect(rappels.map((x) => `${x.destinataire} ${/\d{4}-\d\d-\d\dT[\d:.]+Z/.exec(x.cle_idempotence)![0]}`).sort()).toEqual(attendus);
    expect(sms.map((s) => s.id).sort()).toEqual(rappels.map((x) => x.fournisseur_id).sort());
    expect(sms.every((s) => s.body.startsWith('Rappel'))).toBe(true);

    // E-mails: one per remaining row plus C's identification e-mail (its row was purged with
    // the case), each Message-ID (derived from the row's key) exactly once.
    const courriels = await app.courriels();
    const ids = courriels.map((m) => (m as { messageId?: string }).messageId);
    expect(new Set(ids).size).toBe(ids.length);
    const envoyes = lignes.filter((x) => x.canal === 'courriel');
    expect(ids.filter((id) => !envoyes.some((x) => x.fournisseur_id === id))).toHaveLength(1);
    expect(envoyes.every((x) => ids.includes(x.fournisseur_id!))).toBe(true);
    expect(courriels.filter((m) => m.to.includes('k3p1@example.fr'))).toHaveLength(1);
    expect(envoyes.filter((x) => x.type === 'identifiant').map((x) => x.destinataire).sort()).toEqual(['k1p1@example.fr', 'k1p2@example.fr', 'k2p1@example.fr']);
    // Alerts: numbered 1..N per account without a gap, N as the workflow counted them.
    for (const d of [a, b]) {
      const n = lignes.filter((x) => x.type === 'alerte' && x.destinataire === d.compte!.email).map((x) => Number(x.cle_idempotence.split(':').pop())).sort((x, y) => x - y);
      expect(n.length).toBeGreaterThanOrEqual(1);
      expect(n).toEqual(n.map((_, i) => i + 1));
      expect(courriels.filter((m) => m.to.includes(d.compte!.email))).toHaveLength(n.length);
    }
    expect(envoyes.every((x) => ['identifiant', 'alerte'].includes(x.type))).toBe(true);

    // The purge: nothing of C left but its tombstone (and the journal).
    const tables = await app.pool.anyFirst(sql.type(z.object({ t: z.string() }))`
      SELECT table_name AS t FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'dossier_id' ORDER BY 1`);
    for (const table of tables) {
      const n = await app.pool.oneFirst(sql.type(z.object({ n: z.number() }))`SELECT count(*) AS n FROM ${sql.identifier([table])} WHERE dossier_id = ${c.dossierId}`);
      expect(`${table}: ${n}`).toBe(`${table}: 0`);
    }
    expect(await app.pool.exists(sql.unsafe`SELECT 1 FROM dossier_purge WHERE ancien_dossier_id = ${c.dossierId} AND motif = 'conservation_expiree'`)).toBe(true);
    // The purge's commit comes before the workflow's end (a kill may fall between): wait for the end.
    const handleC = app.temporal.workflow.getHandle(idWorkflowDossier(c.dossierId));
    await attendre(async () => (await handleC.describe()).status.name, (s) => s === 'COMPLETED', 75000, 'fin du workflow de KILL-C');
    // How many sends a kill interrupted after their row was claimed (retried by a later process).
    const reprises = lignes.filter((x) => x.tentatives > 1).length;
    console.log(`kill -9 : ${worker.demarrages} processus, ${reprises} envois repris, phase de tuerie ${(finTueur / 1000).toFixed(1)} s, test ${((Date.now() - debutTest) / 1000).toFixed(1)} s`);
  }, 200000);
});
