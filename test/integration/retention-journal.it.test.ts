// C2 item 16: the audit journal and the support requests are purged by the daily retention job
// (the Temporal Schedule `purge-retention`, workflows/retention.ts, activities/retention.ts),
// end to end on the real PostgreSQL and the real Temporal dev server. Rows are backdated with
// SQL (an INSERT may choose its `at`; only UPDATE and DELETE are refused by the trigger); the
// purge is run once through the schedule itself (trigger), with the legal durations, then once
// by starting the workflow with a one-day retention injected, which the six-month floor must
// hold back. The schedule is created by the worker's start, and a second start changes nothing.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ScheduleOverlapPolicy } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { Worker } from '@temporalio/worker';
import { sql } from 'slonik';
import { z } from 'zod';
import type { ResultatPurgeRetention } from '../../activities/retention.js';
import { mettreEnFile } from '../../db/notifications.js';
import { assurerPlanificationRetention } from '../../services/retention.js';
import { bundleWorkflows, creerWorker } from '../../worker.js';
import type { purgeRetention } from '../../workflows/retention.js';
import { affaireValide, demarrerApplication, JURIDICTION_VALIDE, type Application } from '../aides/application.js';
import { attendre, attendreValeur } from '../aides/attente.js';
import { DOSSIER_HISTORIQUES } from '../aides/historiques.js';

let app: Application;
// Our own id: the run's Temporal server is shared by every test file.
const ID = `purge-retention-test-${randomUUID().slice(0, 8)}`;
let workerPlanifiant: { arreter(): Promise<void> } | null = null;
let vif: string;
let purge: string;
const contactsIds: Record<string, string> = {};

const idDossier = (portalis: string) =>
  app.pool.maybeOneFirst(sql.type(z.object({ id: z.string() }))`SELECT id FROM dossier WHERE numero_portalis = ${portalis}`);

/** One journal row `jours` days old; `action` names it for the assertions. */
const ligne = (action: string, objetType: string | null, objetId: string | null, jours: number) =>
  app.pool.query(sql.unsafe`
    INSERT INTO journal (at, acteur_type, acteur_id, role, action, objet_type, objet_id, resultat)
    VALUES (now() - make_interval(days => ${jours}), 'agent', 'agent-test', 'agent_greffe', ${action}, ${objetType}, ${objetId}, 'succes')`);

const actionsTest = async () =>
  [...(await app.pool.anyFirst(sql.type(z.object({ action: z.string() }))`SELECT action FROM journal WHERE acteur_id = 'agent-test'`))].sort();

async function contact(nom: string, o: { creeIlYa: number; closIlYa: number | null }): Promise<void> {
  const n = Object.keys(contactsIds).length + 1;
  const id = await app.pool.oneFirst(sql.type(z.object({ id: z.string() }))`
    INSERT INTO contact (reference, courriel, objet, message, created_at, closed_at)
    VALUES (${`CT-2025-TEST-000${n}`}, ${`${nom}@example.fr`}, 'Objet', 'Un message personnel',
            now() - make_interval(days => ${o.creeIlYa}), ${o.closIlYa === null ? null : sql.fragment`now() - make_interval(days => ${o.closIlYa})`})
    RETURNING id`);
  contactsIds[nom] = id;
  // Its two e-mails, as services/contact.ts queues them: their bodies repeat the message.
  for (const quoi of ['support', 'accuse']) {
    await mettreEnFile(app.pool, { cle: `contact:${id}:${quoi}`, canal: 'courriel', destinataire: `${nom}@example.fr`, type: `contact_${quoi}`, corps: 'Un message personnel' });
  }
}

const contactsRestants = async () => {
  const ids = await app.pool.anyFirst(sql.type(z.object({ id: z.string() }))`SELECT id FROM contact`);
  return Object.entries(contactsIds).filter(([, id]) => ids.includes(id)).map(([nom]) => nom).sort();
};
const courrielsDeContact = (nom: string) =>
  app.pool.oneFirst(sql.type(z.object({ n: z.number() }))`SELECT count(*)::int AS n FROM notification WHERE cle_idempotence LIKE ${`contact:${contactsIds[nom]}:%`}`);

beforeAll(async () => {
  app = await demarrerApplication({ CASE_RETENTION: 'PT3S' });
  await app.api('PUT', '/juridiction', JURIDICTION_VALIDE);
  // A case the portal still holds, and one it purged (closed, then gone CASE_RETENTION later).
  expect((await app.api('PUT', '/affaires/RJ-VIF', affaireValide({ numeroDossier: '26/J0001' }))).status).toBe(200);
  expect((await app.api('PUT', '/affaires/RJ-PURGE', affaireValide({ numeroDossier: '26/J0002' }))).status).toBe(200);
  vif = (await idDossier('RJ-VIF'))!;
  purge = (await idDossier('RJ-PURGE'))!;
  expect((await app.api('POST', '/affaires/RJ-PURGE/cloture', { date: new Date().toISOString() })).status).toBe(204);
  await attendre(() => idDossier('RJ-PURGE'), (v) => v === null, 30000);

  await ligne('vif-400j', 'dossier', vif, 400);
  await ligne('vif-200j', 'dossier', vif, 200);
  await ligne('vif-10j', 'dossier', vif, 10);
  await ligne('purge-400j', 'dossier', purge, 400);
  await ligne('purge-200j', 'dossier', purge, 200);
  await ligne('purge-10j', 'dossier', purge, 10);
  await ligne('requete-disparue-400j', 'requete', randomUUID(), 400);
  await ligne('page-400j', 'page', '/agent/dossiers', 400);
  await ligne('sans-objet-370j', null, null, 370);
  await ligne('objet-non-uuid-400j', 'dossier', 'pas-un-uuid', 400);
  await ligne('sans-objet-300j', null, null, 300);
  await ligne('sans-objet-170j', null, null, 170);
  await ligne('sans-objet-1j', null, null, 1);

  await contact('clos-400j', { creeIlYa: 420, closIlYa: 400 });
  await contact('clos-10j', { creeIlYa: 20, closIlYa: 10 });
  await contact('jamais-clos', { creeIlYa: 800, closIlYa: null });
}, 90000);

afterAll(async () => {
  await workerPlanifiant?.arreter().catch(() => undefined);
  await app?.temporal.schedule.getHandle(ID).delete().catch(() => undefined);
  await app?.arreter();
});

/** A worker started as `npm run worker` starts one, with the schedule; stopped by `arreter`. */
async function demarrerWorkerPlanifiant() {
  const w = await creerWorker(app.config, { planification: { id: ID } });
  const enCours = w.worker.run();
  return {
    async arreter() {
      w.worker.shutdown();
      await enCours;
      await w.fermer();
    },
  };
}

describe('the schedule', () => {
  test('exists once the worker has started: daily at 03:30 Paris time, overlap SKIP, the configured durations', async () => {
    workerPlanifiant = await demarrerWorkerPlanifiant();
    const d = await app.temporal.schedule.getHandle(ID).describe();
    expect(d.spec.timezone).toBe('Europe/Paris');
    expect(d.spec.calendars).toHaveLength(1);
    expect(d.spec.calendars![0]!.hour).toMatchObject([{ start: 3, end: 3 }]);
    expect(d.spec.calendars![0]!.minute).toMatchObject([{ start: 30, end: 30 }]);
    expect(d.policies.overlap).toBe(ScheduleOverlapPolicy.SKIP);
    expect(d.state.paused).toBe(false);
    expect(d.action).toMatchObject({ type: 'startWorkflow', workflowType: 'purgeRetention', taskQueue: app.config.TEMPORAL_TASK_QUEUE });
    expect(d.action.args).toEqual([{ retentionJournal: 'P1Y', retentionContact: 'P1Y' }]);
    // The next run is at 03:30 on the Paris wall clock.
    const prochaine = d.info.nextActionTimes[0]!;
    expect(new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', hour: '2-digit', minute: '2-digit' }).format(prochaine)).toBe('03:30');
    expect(prochaine.getTime() - Date.now()).toBeLessThanOrEqual(25 * 3600 * 1000);
  }, 60000);

  test('a second worker start neither duplicates nor changes it; a new configuration updates it', async () => {
    const avant = await app.temporal.schedule.getHandle(ID).describe();
    const second = await demarrerWorkerPlanifiant();
    await second.arreter();
    const apres = await app.temporal.schedule.getHandle(ID).describe();
    expect(apres.info.lastUpdatedAt).toEqual(avant.info.lastUpdatedAt);
    expect(apres.info.createdAt).toEqual(avant.info.createdAt);
    // Listing is eventually consistent: wait until it is seen, then it is seen once.
    const memes = await attendre(
      async () => {
        const ids: string[] = [];
        for await (const s of app.temporal.schedule.list()) if (s.scheduleId === ID) ids.push(s.scheduleId);
        return ids;
      },
      (ids) => ids.length > 0,
    );
    expect(memes).toEqual([ID]);
    expect(await assurerPlanificationRetention(app.temporal, app.config, ID)).toBe('inchangee');
    expect(await assurerPlanificationRetention(app.temporal, { ...app.config, JOURNAL_RETENTION: 'P2Y' }, ID)).toBe('mise_a_jour');
    expect((await app.temporal.schedule.getHandle(ID).describe()).action.args).toEqual([{ retentionJournal: 'P2Y', retentionContact: 'P1Y' }]);
    expect(await assurerPlanificationRetention(app.temporal, app.config, ID)).toBe('mise_a_jour');
    expect(await assurerPlanificationRetention(app.temporal, app.config, ID)).toBe('inchangee');
  }, 90000);
});

describe('the purge', () => {
  test('triggered by hand (temporal schedule trigger), with the legal durations: exactly the expired rows go', async () => {
    const handle = app.temporal.schedule.getHandle(ID);
    await handle.trigger();
    const workflowId = await attendreValeur('le déclenchement de la planification', async () => (await handle.describe()).info.recentActions[0]?.action.workflow.workflowId);
    const run = app.temporal.workflow.getHandle(workflowId);
    const r: ResultatPurgeRetention = await run.result();
    expect(r).toMatchObject({ journal: 5, contacts: 1 });
    expect(await actionsTest()).toEqual([
      'purge-10j', 'purge-200j', 'sans-objet-170j', 'sans-objet-1j', 'sans-objet-300j', 'vif-10j', 'vif-200j', 'vif-400j',
    ]);
    // The rows the portal itself wrote about the purged case (its purge, the court's pushes) are recent: kept.
    expect(await app.pool.exists(sql.unsafe`SELECT 1 FROM journal WHERE action = 'affaire.purger' AND objet_id = ${purge}`)).toBe(true);
    expect(await contactsRestants()).toEqual(['clos-10j', 'jamais-clos']);
    expect(await courrielsDeContact('clos-400j')).toBe(0);
    expect(await courrielsDeContact('clos-10j')).toBe(2);
    // The erasure is journaled by counts, without naming what went.
    const trace = await app.pool.one(sql.type(z.object({ acteur_type: z.string(), objet_id: z.string().nullable(), details: z.record(z.unknown()) }))`
      SELECT acteur_type, objet_id, details FROM journal WHERE action = 'retention.purger' ORDER BY id DESC LIMIT 1`);
    expect(trace).toMatchObject({ acteur_type: 'systeme', objet_id: null, details: { journal: 5, contacts: 1 } });
    // Replays on the current code; `ENREGISTRER_HISTORIQUES=1` refreshes the fixture that
    // test/integration/replay.it.test.ts replays.
    const historique = await run.fetchHistory();
    await Worker.runReplayHistory({ workflowBundle: await bundleWorkflows() }, historique, run.workflowId);
    if (process.env.ENREGISTRER_HISTORIQUES) await writeFile(path.join(DOSSIER_HISTORIQUES, 'purge-retention.json'), historyToJSON(historique));
  }, 90000);

  test('a one-day retention injected in the workflow cannot go below six months, and batches of two go to the end', async () => {
    const r = await app.temporal.workflow.execute<typeof purgeRetention>('purgeRetention', {
      workflowId: `purge-retention-injectee-${randomUUID()}`,
      taskQueue: app.config.TEMPORAL_TASK_QUEUE,
      args: [{ retentionJournal: 'P1D', retentionContact: 'P1D', tailleLot: 2 }],
    });
    // Six months back, at the workflow's time.
    expect(Math.abs(new Date(r.seuilJournal).getTime() - (Date.now() - 182.6 * 86400000))).toBeLessThan(3 * 86400000);
    expect(r).toMatchObject({ journal: 2, contacts: 1 });
    expect(await actionsTest()).toEqual(['purge-10j', 'sans-objet-170j', 'sans-objet-1j', 'vif-10j', 'vif-200j', 'vif-400j']);
    expect(await contactsRestants()).toEqual(['jamais-clos']);
    expect(await courrielsDeContact('clos-10j')).toBe(0);
    expect(await courrielsDeContact('jamais-clos')).toBe(2);
  }, 90000);

  test('nothing left to purge: a second run removes nothing and journals nothing', async () => {
    const avant = await app.pool.oneFirst(sql.type(z.object({ n: z.number() }))`SELECT count(*)::int AS n FROM journal`);
    const r = await app.temporal.workflow.execute<typeof purgeRetention>('purgeRetention', {
      workflowId: `purge-retention-vide-${randomUUID()}`,
      taskQueue: app.config.TEMPORAL_TASK_QUEUE,
      args: [{ retentionJournal: 'P1Y', retentionContact: 'P1Y' }],
    });
    expect(r).toMatchObject({ journal: 0, contacts: 0 });
    expect(await app.pool.oneFirst(sql.type(z.object({ n: z.number() }))`SELECT count(*)::int AS n FROM journal`)).toBe(avant);
  }, 60000);

  test('the database still refuses to delete a recent row, even with the purge setting on', async () => {
    const refus = await app.pool
      .transaction(async (t) => {
        await t.query(sql.unsafe`SET LOCAL portail.purge_journal = 'on'`);
        await t.query(sql.unsafe`DELETE FROM journal WHERE action = 'sans-objet-170j'`);
      })
      .then(() => null, (e: unknown) => e as Error);
    expect(refus?.message).toMatch(/journal en ajout seul : DELETE/);
    // Nor an old one without the setting.
    const sansReglage = await app.pool.query(sql.unsafe`DELETE FROM journal WHERE action = 'vif-400j'`).then(() => null, (e: unknown) => e as Error);
    expect(sansReglage?.message).toMatch(/ajout seul/);
    expect(await actionsTest()).toContain('sans-objet-170j');
    expect(await actionsTest()).toContain('vif-400j');
  });
});
