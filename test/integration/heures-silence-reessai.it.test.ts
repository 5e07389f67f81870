// Quiet hours hold a retried SMS too (issue 6): a reminder due just before quiet hours fails (the
// SMS provider is unreachable) and its retry falls inside them; the attempt inside them does not
// send, it asks Temporal to retry exactly at their end (nextRetryDelay), and the reminder arrives
// then, once. The reminder's instant was computed outside quiet hours, so only the check made by
// the sending activity (activities/index.ts envoyerNotification) can hold it.
//
// A second case's reminder, held the same way, is moved while held, then cancelled: the held
// attempt finds its hearing moved and is given up (no reminder for a start that no longer holds),
// and the cancellation that follows sends nothing either (no reminder ever went). Its account's
// alert e-mail about the move goes at once, while that case's own reminder is still held: the
// case workflow sends each channel in its own queue.
//
// As in heures-silence.it.test.ts, the window is set through QUIET_HOURS around the current Paris
// time, here the one minute [B, B + 1 min): real server, real timers, real database.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { Worker } from '@temporalio/worker';
import { DateTime } from 'luxon';
import { sql } from 'slonik';
import { z } from 'zod';
import { affaireValide, demarrerApplication, JURIDICTION_VALIDE, type Application } from '../aides/application.js';
import { demarrerBoites } from '../../dev/boites.js';
import { creerRattachement } from '../../db/rattachements.js';
import { bundleWorkflows } from '../../worker.js';
import { DOSSIER_HISTORIQUES } from '../aides/historiques.js';
import { idWorkflowDossier } from '../../workflows/ids.js';
import { etatDossierQuery } from '../../workflows/messages.js';

let app: Application;
/** Quiet hours are the minute starting at B (epoch ms, a whole minute). */
let B: number;

const heureParis = (ms: number) => DateTime.fromMillis(ms, { zone: 'Europe/Paris' }).toFormat('HH:mm');

beforeAll(async () => {
  // 45 s: time to start the portal, set the case up and see a first attempt fail before B.
  B = Math.ceil((Date.now() + 45000) / 60000) * 60000;
  // REMINDER_LEAD PT2M: the hearing comes well after the end of quiet hours, so holding is allowed.
  app = await demarrerApplication({ REMINDER_LEAD: 'PT2M', ALERT_DEBOUNCE: 'PT2S', QUIET_HOURS: `${heureParis(B)}-${heureParis(B + 60000)}` });
  expect((await app.api('PUT', '/juridiction', JURIDICTION_VALIDE)).status).toBe(200);
}, 60000);
afterAll(async () => {
  await app?.arreter();
});

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function attendre<T>(quoi: () => Promise<T>, ok: (v: T) => boolean, jusqua: number, libelle: string): Promise<T> {
  for (;;) {
    const v = await quoi();
    if (ok(v)) return v;
    if (Date.now() > jusqua) throw new Error(`${libelle} : non atteint à ${new Date(jusqua).toISOString()} : ${JSON.stringify(v)}`);
    await pause(200);
  }
}

const Ligne = z.object({ statut: z.string(), tentatives: z.number(), derniere_erreur: z.string().nullable() });
const ligneRappel = (dossierId: string) =>
  app.pool.maybeOne(sql.type(Ligne)`SELECT statut, tentatives, derniere_erreur FROM notification WHERE type = 'rappel' AND dossier_id = ${dossierId}`);

const ms = (t: { seconds?: unknown; nanos?: number | null } | null | undefined) => (t ? Number(String(t.seconds ?? 0)) * 1000 + Math.floor((t.nanos ?? 0) / 1e6) : null);

describe('quiet hours and retries (QUIET_HOURS) on the real server', () => {
  test('a reminder whose retry falls in quiet hours is held until their end, then sent exactly once', async () => {
    const t0 = Date.now();
    const telephone = '+33600009990';
    const parties = [{ id: 'P1', role: 'Demandeur', type: 'physique', nom: 'DUBOIS', prenoms: 'Angela', courriel: 'reessai@example.fr', telephone }];
    expect((await app.api('PUT', '/affaires/SIL-R', affaireValide({ numeroDossier: '26/SR1', parties }))).status).toBe(200);
    expect((await app.api('POST', '/affaires/SIL-R/consentements', { partie: 'P1' })).status).toBe(201);
    const dossierId = await app.pool.oneFirst(sql.type(z.object({ id: z.string() }))`SELECT id FROM dossier WHERE numero_portalis = 'SIL-R'`);
    const telephoneC = '+33600009991';
    const partiesC = [{ ...parties[0]!, courriel: 'reessai-c@example.fr', telephone: telephoneC }];
    expect((await app.api('PUT', '/affaires/SIL-C', affaireValide({ numeroDossier: '26/SR2', parties: partiesC }))).status).toBe(200);
    expect((await app.api('POST', '/affaires/SIL-C/consentements', { partie: 'P1' })).status).toBe(201);
    const dossierC = await app.pool.oneFirst(sql.type(z.object({ id: z.string() }))`SELECT id FROM dossier WHERE numero_portalis = 'SIL-C'`);
    // The identification-number e-mail goes first: the case's workflow sends it before anything else.
    await attendre(
      () => app.pool.oneFirst(sql.type(z.object({ n: z.number() }))`SELECT count(*)::int AS n FROM notification WHERE statut <> 'envoye'`),
      (n) => n === 0, Date.now() + 20000, 'courriel du numéro d’identification');

    // The SMS provider goes away: its port refuses connections, a passing failure.
    const smtp = new URL(app.boites.smtpUrl);
    const page = new URL(app.boites.urlPage);
    await app.boites.arreter();

    // Due at B − 8 s, just before quiet hours; the first retry 5 s later, the next 10 s after
    // that, inside them (dossier.ts's policy: 5 s, ×2).
    expect(B - 8000 - Date.now()).toBeGreaterThan(2000);
    const debut = B - 8000 + 120000;
    const audience = { debut: new Date(debut).toISOString(), adresse: '12 rue du Palais, 75001 Paris', libelle: 'Audience' };
    expect((await app.api('PUT', '/affaires/SIL-R/audiences/A1', audience)).status).toBe(200);
    expect((await app.api('PUT', '/affaires/SIL-C/audiences/A1', audience)).status).toBe(200);
    const handle = app.temporal.workflow.getHandle(idWorkflowDossier(dossierId));
    expect((await handle.query(etatDossierQuery)).rappels?.[0]?.envoyerA).toBe(new Date(B - 8000).toISOString());

    // At least one attempt failed before quiet hours.
    await attendre(() => ligneRappel(dossierId), (l) => l?.statut === 'echec_temporaire', B - 500, 'premier essai en échec avant les heures de silence');
    await attendre(() => ligneRappel(dossierC), (l) => l?.statut === 'echec_temporaire', B - 500, 'premier essai en échec (second dossier)');

    // The provider is back once quiet hours have started: from then on, only quiet hours can
    // keep the reminder from going.
    await pause(Math.max(0, B + 1000 - Date.now()));
    app.boites = await demarrerBoites({ portSmtp: Number(smtp.port), portHttp: Number(page.port) });

    // An attempt inside quiet hours: held, and Temporal told to come back at their very end.
    const enAttente = await attendre(async () => {
      const d = await handle.describe();
      const a = d.raw.pendingActivities?.find((x) => x.activityType?.name === 'envoyerNotification');
      return { type: a?.lastFailure?.applicationFailureInfo?.type ?? null, prochain: ms(a?.nextAttemptScheduleTime) };
    }, (x) => x.type === 'heures_de_silence', B + 50000, 'essai retenu pendant les heures de silence');
    expect(enAttente.prochain).toBeGreaterThanOrEqual(B + 60000);
    expect(enAttente.prochain).toBeLessThan(B + 61000);
    // The second case's party gets an account, alerts on (now: no earlier alert is pending for it).
    const Ids = z.object({ identifiant_id: z.string(), partie_id: z.string() });
    const idC = await app.pool.one(sql.type(Ids)`
      SELECT i.id AS identifiant_id, c.partie_id FROM identifiant i JOIN consentement c ON c.id = i.consentement_id WHERE c.dossier_id = ${dossierC}`);
    const courrielCompteC = 'compte-silence@example.org';
    const compteC = await app.pool.oneFirst(sql.type(z.object({ id: z.string() }))`
      INSERT INTO compte (fc_iss, fc_sub, given_name, family_name, email) VALUES ('test', 'silence-c', 'Angela', 'DUBOIS', ${courrielCompteC}) RETURNING id`);
    await creerRattachement(app.pool, { compteId: compteC, dossierId: dossierC, partieId: idC.partie_id, identifiantId: idC.identifiant_id, creeLe: new Date() });
    const alertesC = async () => (await app.courriels(courrielCompteC)).length;
    // While held, the second case's hearing moves two days later: its reminder was for a start
    // that no longer holds.
    const deplacee = { ...audience, debut: new Date(debut + 2 * 24 * 3600_000).toISOString() };
    expect((await app.api('PUT', '/affaires/SIL-C/audiences/A1', deplacee)).status).toBe(200);
    // The alert about the move goes at once, although that case's reminder is held until B + 60 s.
    await attendre(alertesC, (n) => n === 1, B + 55000, 'alerte du déplacement, pendant que le rappel est retenu').catch(async (e) => {
      const h = app.temporal.workflow.getHandle(idWorkflowDossier(dossierC));
      console.log('DEBUG etat', JSON.stringify(await h.query(etatDossierQuery)));
      const hist = await h.fetchHistory();
      console.log('DEBUG hist', JSON.stringify(hist.events?.map((ev) => [ev.eventType, ev.activityTaskScheduledEventAttributes?.activityType?.name, ev.markerRecordedEventAttributes?.markerName].filter(Boolean))));
      console.log('DEBUG rows', JSON.stringify(await app.pool.any(sql.unsafe`SELECT type, destinataire, statut, tentatives, created_at FROM notification ORDER BY created_at`)));
      throw e;
    });
    expect((await ligneRappel(dossierC))!.statut).toBe('echec_temporaire');
    expect(Date.now()).toBeLessThan(B + 60000);
    // The held attempt is no failure of the row: not counted, status unchanged.
    const pendant = (await ligneRappel(dossierId))!;
    expect(pendant.statut).toBe('echec_temporaire');
    expect(await app.sms(telephone)).toHaveLength(0);

    const [m] = await attendre(() => app.sms(telephone), (l) => l.length >= 1, B + 75000, 'rappel après les heures de silence');
    expect(m!.body.startsWith('Rappel')).toBe(true);
    // At the end of quiet hours, not at the next backoff step (which would be B + 27 s or later).
    expect(Date.parse(m!.date)).toBeGreaterThanOrEqual(B + 60000);
    expect(Date.parse(m!.date)).toBeLessThan(B + 66000);

    // Exactly once, and the row sent with one more attempt than it had while held.
    await pause(3000);
    expect(await app.sms(telephone)).toHaveLength(1);
    const apres = (await ligneRappel(dossierId))!;
    expect(apres.statut).toBe('envoye');
    expect(apres.tentatives).toBe(pendant.tentatives + 1);

    // The moved hearing's held reminder was given up when quiet hours ended, with its reason.
    const abandonnee = await attendre(() => ligneRappel(dossierC), (l) => l?.statut === 'echec_definitif', B + 75000, 'rappel abandonné (audience déplacée)');
    expect(abandonnee!.derniere_erreur).toMatch(/^non envoyé : audience annulée ou déplacée avant l’envoi du rappel/);
    // Then the court cancels it: no reminder went, so no cancellation SMS either.
    expect((await app.api('DELETE', '/affaires/SIL-C/audiences/A1')).status).toBe(204);
    const handleC = app.temporal.workflow.getHandle(idWorkflowDossier(dossierC));
    await attendre(async () => (await handleC.query(etatDossierQuery)).rappels ?? [], (l) => l.length === 0, Date.now() + 10000, 'rappel du dossier annulé retiré');
    await pause(3000);
    expect(await app.sms(telephoneC)).toEqual([]);
    expect(await app.pool.oneFirst(sql.type(z.object({ n: z.number() }))`SELECT count(*)::int AS n FROM notification WHERE dossier_id = ${dossierC} AND canal = 'sms'`)).toBe(1);

    // That run's history (send queues, a held SMS, an alert beside it, a reminder given up)
    // replays on the current code; `ENREGISTRER_HISTORIQUES=1` refreshes the fixture that
    // replay.it.test.ts keeps replaying.
    const historique = await handleC.fetchHistory();
    await Worker.runReplayHistory({ workflowBundle: await bundleWorkflows() }, historique, handleC.workflowId);
    if (process.env.ENREGISTRER_HISTORIQUES) await writeFile(path.join(DOSSIER_HISTORIQUES, 'dossier-envois-par-canal.json'), historyToJSON(historique));
    console.log(`heures de silence (nouvel essai) : fenêtre ${heureParis(B)}-${heureParis(B + 60000)} (Europe/Paris), test ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }, 240000);
});
