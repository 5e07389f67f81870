// Durability of the identification-number e-mail: with no worker running, or with the SMTP
// server down, the court's request still succeeds and the mail goes out once things are back,
// exactly once. And the case workflow continues as new without losing what it knows.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { sql } from 'slonik';
import { z } from 'zod';
import { affaireValide, demarrerApplication, JURIDICTION_VALIDE, type Application } from '../aides/application.js';
import { demarrerBoites } from '../../dev/boites.js';
import { idWorkflowDossier } from '../../workflows/ids.js';
import { etatDossierQuery } from '../../workflows/messages.js';
import { attendre } from '../aides/attente.js';

let app: Application;

beforeAll(async () => {
  app = await demarrerApplication();
  await app.api('PUT', '/juridiction', JURIDICTION_VALIDE);
});
afterAll(async () => {
  await app?.arreter();
});


const statut = (type: string) =>
  app.pool.oneFirst(sql.type(z.object({ s: z.string() }))`SELECT statut AS s FROM notification WHERE type = ${type} ORDER BY created_at DESC LIMIT 1`);

describe('durable identification-number e-mails', () => {
  test('with the worker stopped, the consent is accepted and the mail leaves once a worker is back', async () => {
    await app.arreterWorker();
    expect((await app.api('PUT', '/affaires/PANNE-1', affaireValide({ numeroDossier: '26/00001' }))).status).toBe(200);
    expect((await app.api('POST', '/affaires/PANNE-1/consentements', { partie: 'P1', representant: { nom: 'MARTIN', courriel: 'sans.worker@example.fr' } })).status).toBe(201);
    await new Promise((r) => setTimeout(r, 1000));
    expect(await app.courriels('sans.worker@example.fr')).toHaveLength(0);
    expect(await statut('identifiant')).toBe('en_attente');
    await app.demarrerWorker();
    await attendre(() => app.courriels('sans.worker@example.fr'), (c) => c.length >= 1);
    await new Promise((r) => setTimeout(r, 1500));
    expect(await app.courriels('sans.worker@example.fr')).toHaveLength(1);
    expect(await statut('identifiant')).toBe('envoye');
  });

  test('with the SMTP server down, the mail goes out once it is back, exactly once', async () => {
    const smtp = new URL(app.boites.smtpUrl);
    const page = new URL(app.boites.urlPage);
    await app.boites.arreter();
    expect((await app.api('PUT', '/affaires/PANNE-2', affaireValide({ numeroDossier: '26/00002' }))).status).toBe(200);
    expect((await app.api('POST', '/affaires/PANNE-2/consentements', { partie: 'P1', representant: { nom: 'MARTIN', courriel: 'smtp.en.panne@example.fr' } })).status).toBe(201);
    // The first attempt fails and is recorded as a passing failure, to be retried.
    await attendre(() => statut('identifiant'), (s) => s === 'echec_temporaire');
    const tentatives = await app.pool.oneFirst(sql.type(z.object({ n: z.number() }))`SELECT tentatives AS n FROM notification WHERE destinataire = 'smtp.en.panne@example.fr'`);
    expect(tentatives).toBeGreaterThanOrEqual(1);
    const boites = await demarrerBoites({ portSmtp: Number(smtp.port), portHttp: Number(page.port) });
    app.boites = boites;
    await attendre(() => app.courriels('smtp.en.panne@example.fr'), (c) => c.length >= 1, 60000);
    await new Promise((r) => setTimeout(r, 1500));
    expect(await app.courriels('smtp.en.panne@example.fr')).toHaveLength(1);
    expect(await statut('identifiant')).toBe('envoye');
  }, 90000);
});

describe('continue-as-new', () => {
  test('after many updates the workflow continues as new, keeping its state and its replay keys', async () => {
    expect((await app.api('PUT', '/affaires/LONG-1', affaireValide({ numeroDossier: '26/00003' }))).status).toBe(200);
    const dossierId = await app.pool.oneFirst(sql.type(z.object({ id: z.string() }))`SELECT id FROM dossier WHERE numero_portalis = 'LONG-1'`);
    const handle = app.temporal.workflow.getHandle(idWorkflowDossier(dossierId));
    const premierRun = (await handle.describe()).runId;
    const N = 60;
    for (let i = 0; i < N; i++) {
      const r = await app.api('POST', '/affaires/LONG-1/evenements', { id: `E${i}`, type: 'mention', date: '2026-10-01T09:30:00+02:00', libelle: `Mention ${i}` });
      expect(r.status).toBe(201);
    }
    // The test server suggests continue-as-new after a few events (see demarrage-tests.ts).
    const etat = await attendre(() => handle.query(etatDossierQuery), (e) => e.misesAJour === N + 1);
    expect(etat.misesAJour).toBe(N + 1);
    expect((await handle.describe()).runId).not.toBe(premierRun);
    // A court replay of an early event, after continue-as-new, is still recognised.
    expect((await app.api('POST', '/affaires/LONG-1/evenements', { id: 'E0', type: 'mention', date: '2026-10-01T09:30:00+02:00', libelle: 'Mention 0' })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 500));
    expect((await handle.query(etatDossierQuery)).misesAJour).toBe(N + 1);
  }, 90000);
});
