// The requete workflow with the LEGAL durations (decree 004 art. 4) on the time-skipping test
// server: a draft begun on day 0 is warned on days 23 and 29 and purged on day 30, counted from
// its first day in Europe/Paris; a registered requête is purged 5 years after its case's closure,
// not a day before. Timer paths are driven by signals (updates are unreliable on that server).
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { DateTime } from 'luxon';
import { sql, type DatabasePool } from 'slonik';
import { z } from 'zod';
import { demarrerTempsAccelere } from '../aides/temps-accelere.js';
import { creerBaseDeTest, type BaseDeTest } from '../aides/base.js';
import { configDeTest } from '../aides/config.js';
import { appliquerMigrations } from '../../db/migrate.js';
import { creerPool } from '../../db/pool.js';
import * as juridictions from '../../db/juridictions.js';
import * as comptes from '../../db/comptes.js';
import * as requetes from '../../db/requetes.js';
import { createActivities } from '../../activities/index.js';
import { creerMessagerie } from '../../activities/envoi.js';
import { demarrerBoites, type Boites } from '../../dev/boites.js';
import { portLibre } from '../../dev/ports.js';
import { bundleWorkflows } from '../../worker.js';
import { avertissementsBrouillon, expirationBrouillon, purgeApresCloture } from '../../domain/requetes.js';
import { FUSEAU } from '../../domain/durees.js';
import { idWorkflowRequete } from '../../workflows/ids.js';
import { clotureRequeteSignal, type EntreeRequete } from '../../workflows/messages.js';
import type { Config } from '../../domain/config.js';

let env: TestWorkflowEnvironment;
let base: BaseDeTest;
let pool: DatabasePool;
let boites: Boites;
let config: Config;
let compteId: string;

const JOUR = 86400000;

beforeAll(async () => {
  env = await demarrerTempsAccelere();
  base = await creerBaseDeTest();
  await appliquerMigrations(base.url);
  pool = await creerPool(base.url);
  boites = await demarrerBoites({ portSmtp: await portLibre(0), portHttp: await portLibre(0) });
  config = configDeTest({ DATABASE_URL: base.url, SMTP_URL: boites.smtpUrl, TWILIO_API_URL: boites.twilioApiUrl });
  await juridictions.enregistrerJuridiction(pool, 'TJ-PARIS', { nom: 'Tribunal judiciaire de Paris', adresse: 'Paris', telephone: null, courriel: null, latitude: null, longitude: null, horaires: null });
  compteId = (await comptes.connecter(pool, { iss: 'https://fc.test', sub: 'requerant-legal', given_name: 'Angela', family_name: 'DUBOIS', email: 'angela@example.fr' })).compte.id;
}, 120000);

/** A worker runs once (runUntil shuts it down): one per test. */
async function nouveauWorker(): Promise<Worker> {
  return Worker.create({
    connection: env.nativeConnection,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    workflowBundle: await bundleWorkflows(),
    activities: createActivities({ pool, messagerie: creerMessagerie(config), config }),
  });
}

afterAll(async () => {
  await env?.teardown();
  await pool?.end();
  await boites?.arreter();
  await base?.supprimer();
});

const ligne = (id: string) => pool.one(sql.type(z.object({ statut: z.string(), purge_motif: z.string().nullable() }))`SELECT statut, purge_motif FROM requete WHERE id = ${id}`);
const avertissements = (id: string) =>
  pool.oneFirst(sql.type(z.object({ n: z.number() }))`SELECT count(*)::int AS n FROM notification WHERE requete_id = ${id} AND type = 'expiration'`);

/** Real-time polling while the server clock stands still (it only skips while a result is awaited). */
async function attendre<T>(quoi: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  const fin = Date.now() + 20000;
  for (;;) {
    const v = await quoi();
    if (ok(v) || Date.now() > fin) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Moves the server clock to `cible` (epoch ms). */
async function allerA(cible: number): Promise<void> {
  const maintenant = await env.currentTimeMs();
  if (cible > maintenant) await env.sleep(cible - maintenant);
}

describe('legal durations on the time-skipping server', () => {
  test('a draft begun on day 0 is warned on days 23 and 29 and purged on day 30, counted in Paris days', async () => {
    const debut = new Date(await env.currentTimeMs());
    const expireLe = expirationBrouillon(debut, 'P30D');
    const jour0 = DateTime.fromJSDate(debut, { zone: FUSEAU }).startOf('day');
    expect(expireLe.getTime()).toBe(jour0.plus({ days: 30 }).toMillis());
    const [j23, j29] = avertissementsBrouillon(expireLe, ['P7D', 'P1D']);
    expect(j23!.getTime()).toBe(jour0.plus({ days: 23 }).toMillis());
    expect(j29!.getTime()).toBe(jour0.plus({ days: 29 }).toMillis());

    const id = await requetes.creerRequete(pool, { compteId, juridiction: 'TJ-PARIS', type: 'jaf', commenceLe: debut, expireLe });
    const entree: EntreeRequete = { requeteId: id, expireLe: expireLe.toISOString(), avertissements: [j23!.toISOString(), j29!.toISOString()] };
    await (await nouveauWorker()).runUntil(async () => {
      const h = await env.client.workflow.start('requete', { taskQueue: config.TEMPORAL_TASK_QUEUE, workflowId: idWorkflowRequete(id), args: [entree] });
      await allerA(j23!.getTime() - 3600000);
      expect(await attendre(() => avertissements(id), (n) => n > 0)).toBe(0);
      await allerA(j23!.getTime() + 3600000);
      expect(await attendre(() => avertissements(id), (n) => n === 1)).toBe(1);
      await allerA(j29!.getTime() - 3600000);
      expect(await attendre(() => avertissements(id), (n) => n > 1)).toBe(1);
      await allerA(j29!.getTime() + 3600000);
      expect(await attendre(() => avertissements(id), (n) => n === 2)).toBe(2);
      await allerA(expireLe.getTime() - 3600000);
      expect((await attendre(() => ligne(id), (l) => l.statut !== 'brouillon')).statut).toBe('brouillon');
      await h.result();
    });
    expect(await ligne(id)).toEqual({ statut: 'supprimee', purge_motif: 'brouillon_expire' });
    expect(await env.currentTimeMs()).toBeGreaterThanOrEqual(expireLe.getTime());
    const sujets = (await (await fetch(`${boites.urlPage.replace(/\/$/, '')}/api/courriels?destinataire=angela%40example.fr`)).json()) as { subject: string }[];
    expect(sujets.map((s) => s.subject).sort()).toEqual(['Votre brouillon de requête sera supprimé dans 7 jours', 'Votre brouillon de requête sera supprimé demain']);
  }, 120000);

  test('a registered requête is kept 5 years after its case closes (REQUETE_RETENTION P5Y), then purged', async () => {
    const debut = new Date(await env.currentTimeMs());
    const id = await requetes.creerRequete(pool, { compteId, juridiction: 'TJ-PARIS', type: 'jaf', commenceLe: debut, expireLe: expirationBrouillon(debut, 'P30D') });
    await pool.query(sql.unsafe`UPDATE requete SET statut = 'enregistree', sent_at = now(), registered_at = now(), reference = 'RQ-2026-AAAA-BBBB', numero_dossier = '26/1', numero_portalis = 'P-1' WHERE id = ${id}`);
    const cloture = new Date(debut.getTime() + 200 * JOUR);
    const purgeLe = purgeApresCloture(cloture, 'P5Y');
    expect(DateTime.fromJSDate(purgeLe, { zone: FUSEAU }).toISODate()).toBe(DateTime.fromJSDate(cloture, { zone: FUSEAU }).plus({ years: 5 }).toISODate());
    await (await nouveauWorker()).runUntil(async () => {
      const h = await env.client.workflow.start('requete', {
        taskQueue: config.TEMPORAL_TASK_QUEUE, workflowId: idWorkflowRequete(id),
        args: [{ requeteId: id, expireLe: debut.toISOString(), avertissements: [], statut: 'enregistree' } satisfies EntreeRequete],
      });
      // The procedure runs: no clock until the case closes (a year goes by, nothing happens).
      await allerA(debut.getTime() + 365 * JOUR);
      expect((await ligne(id)).statut).toBe('enregistree');
      await h.signal(clotureRequeteSignal, { purgeLe: purgeLe.toISOString() });
      await allerA(purgeLe.getTime() - JOUR);
      expect((await attendre(() => ligne(id), (l) => l.statut !== 'enregistree')).statut).toBe('enregistree');
      await h.result();
    });
    expect(await ligne(id)).toEqual({ statut: 'supprimee', purge_motif: 'conservation_expiree' });
    expect(await env.currentTimeMs()).toBeGreaterThanOrEqual(purgeLe.getTime());
  }, 120000);
});
