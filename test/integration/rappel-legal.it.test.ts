// The legal REMINDER_LEAD (P3D) on the time-skipping test server: the case workflow, signalled as
// services/tribunal.ts does (the reminder instant computed by domain/rappels.ts with the default
// quiet hours), sends the SMS exactly three calendar days (Europe/Paris) before the hearing, and
// not a minute earlier. Driven by a signal, not an update (TEMPORAL.md §2.2).
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { DateTime } from 'luxon';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { DatabasePool } from 'slonik';
import { sql } from 'slonik';
import { z } from 'zod';
import { demarrerTempsAccelere } from '../aides/temps-accelere.js';
import { demarrerBoites, type Boites } from '../../dev/boites.js';
import { portLibre } from '../../dev/ports.js';
import { creerBaseDeTest, type BaseDeTest } from '../aides/base.js';
import { configDeTest } from '../aides/config.js';
import { appliquerMigrations } from '../../db/migrate.js';
import { creerPool } from '../../db/pool.js';
import * as juridictions from '../../db/juridictions.js';
import * as dossiers from '../../db/dossiers.js';
import * as consentements from '../../db/consentements.js';
import { partieSchema } from '../../domain/schemas/tribunal.js';
import { instantRappel } from '../../domain/rappels.js';
import { FUSEAU } from '../../domain/durees.js';
import { createActivities } from '../../activities/index.js';
import { creerMessagerie } from '../../activities/envoi.js';
import { bundleWorkflows } from '../../worker.js';
import { idWorkflowDossier } from '../../workflows/ids.js';
import { miseAJourDossier, type MiseAJourDossier } from '../../workflows/messages.js';

let env: TestWorkflowEnvironment;
let base: BaseDeTest | undefined;
let pool: DatabasePool | undefined;
let boites: Boites | undefined;

beforeAll(async () => {
  env = await demarrerTempsAccelere();
}, 120000);

afterAll(async () => {
  await env?.teardown();
  await pool?.end();
  await boites?.arreter();
  await base?.supprimer();
});

describe('legal reminder lead on the time-skipping server', () => {
  test('the SMS goes three calendar days before the hearing, not before', async () => {
    base = await creerBaseDeTest();
    await appliquerMigrations(base.url);
    pool = await creerPool(base.url);
    boites = await demarrerBoites({ portSmtp: await portLibre(0), portHttp: await portLibre(0) });
    const config = configDeTest({ DATABASE_URL: base.url, SMTP_URL: boites.smtpUrl, TWILIO_API_URL: boites.twilioApiUrl });
    expect(config.REMINDER_LEAD).toBe('P3D');
    await juridictions.enregistrerJuridiction(pool, 'TJ-PARIS', { nom: 'Tribunal judiciaire de Paris', adresse: 'Paris', telephone: null, courriel: null, latitude: null, longitude: null, horaires: null });
    const e = await dossiers.enregistrerDossier(pool, 'TJ-PARIS', 'RAP-1', { numeroDossier: '26/R0001', nature: 'Divorce', etat: 'En cours', dateSaisine: '2026-01-05', suiviEnLigne: true });
    if (e.purge) throw new Error('inattendu');
    const telephone = '+33698765432';
    await dossiers.remplacerParties(pool, e.dossier.id, [partieSchema.parse({ id: 'P1', role: 'Demandeur', type: 'physique', civilite: 'Mme', nom: 'DUBOIS', prenoms: 'Angela', telephone })]);
    const partie = (await dossiers.listerParties(pool, e.dossier.id))[0]!;
    await consentements.enregistrerConsentement(pool, e.dossier.id, partie.id, undefined);

    // A hearing ten days ahead at 10:00 in Paris: its reminder is due seven days ahead at 10:00.
    const t0 = await env.currentTimeMs();
    const debut = DateTime.fromMillis(t0, { zone: FUSEAU }).plus({ days: 10 }).set({ hour: 10, minute: 0, second: 0, millisecond: 0 }).toJSDate();
    const p = await dossiers.planifierAudience(pool, e.dossier.id, 'A1', { debut, salle: 'Salle 1', adresse: '4 boulevard du Palais, 75001 Paris', libelle: 'Audience' });
    const rappelA = instantRappel(debut, config.REMINDER_LEAD, config.QUIET_HOURS, t0)!;
    expect(DateTime.fromJSDate(rappelA, { zone: FUSEAU }).plus({ days: 3 }).toMillis()).toBe(debut.getTime());

    const sms = async () => ((await (await fetch(`${boites!.urlPage.replace(/\/$/, '')}/api/sms?destinataire=${encodeURIComponent(telephone)}`)).json()) as { body: string }[]);
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: 'rappel-legal',
      workflowBundle: await bundleWorkflows(),
      // The activities read the machine's clock, not the server's skipped time: their own quiet-hours
      // check (tested on the real server, heures-silence-reessai.it.test.ts) would hold this SMS
      // whenever the suite runs at night. The instant above is still computed with quiet hours.
      activities: createActivities({ pool, messagerie: creerMessagerie(config), config: { ...config, QUIET_HOURS: null } }),
    });
    await worker.runUntil(async () => {
      const maj: MiseAJourDossier = {
        nature: 'audience', cle: 'audience:A1', recueLe: new Date(t0).toISOString(), etat: 'En cours', purgeLe: null,
        audience: { id: p.audience.id, debut: debut.toISOString(), rappelA: rappelA.toISOString() },
      };
      await env.client.workflow.signalWithStart('dossier', {
        taskQueue: 'rappel-legal', workflowId: idWorkflowDossier(e.dossier.id),
        args: [{ dossierId: e.dossier.id, etat: 'En cours', purgeLe: null }], signal: miseAJourDossier, signalArgs: [maj],
      });
      await env.sleep(rappelA.getTime() - t0 - 60_000);
      await new Promise((r) => setTimeout(r, 1000));
      expect(await sms()).toHaveLength(0);
      await env.sleep(120_000);
      const fin = Date.now() + 20000;
      while ((await sms()).length === 0 && Date.now() < fin) await new Promise((r) => setTimeout(r, 200));
      const recus = await sms();
      expect(recus).toHaveLength(1);
      expect(recus[0]!.body).toContain('4 boulevard du Palais, 75001 Paris');
      const n = await pool!.oneFirst(sql.type(z.object({ n: z.coerce.number() }))`SELECT count(*) AS n FROM notification WHERE type = 'rappel'`);
      expect(n).toBe(1);
    });
  }, 120000);
});
