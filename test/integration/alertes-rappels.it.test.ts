// Update alerts and hearing reminders on the whole portal (real Postgres, real Temporal), with
// the durations injected in seconds: ALERT_DEBOUNCE PT2S, REMINDER_LEAD PT5S, no quiet hours
// (their arithmetic is unit-tested in test/unit/rappels.test.ts).
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { sql } from 'slonik';
import { z } from 'zod';
import { affaireValide, demarrerApplication, JURIDICTION_VALIDE, type Application } from '../aides/application.js';
import { creerRattachement, reglerAlertesCompte, reglerAlertesDossier } from '../../db/rattachements.js';
import { jetonDesabonnement, lireJetonDesabonnement } from '../../domain/alertes.js';
import { formulaire } from '../aides/navigateur.js';
import { attendre } from '../aides/attente.js';

let app: Application;

beforeAll(async () => {
  app = await demarrerApplication({ ALERT_DEBOUNCE: 'PT2S', REMINDER_LEAD: 'PT5S', QUIET_HOURS: '' });
  expect((await app.api('PUT', '/juridiction', JURIDICTION_VALIDE)).status).toBe(200);
});
afterAll(async () => {
  await app?.arreter();
});

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));


let compteur = 0;

/** A case with one party (its own phone), consent recorded; optionally an account attached to it. */
async function dossierAvecPartie(o: { compte?: boolean; compteId?: string } = {}) {
  const n = ++compteur;
  const portalis = `ALR-${n}`;
  const telephone = `+336000000${String(n).padStart(2, '0')}`;
  const parties = [{ id: 'P1', role: 'Demandeur', type: 'physique', civilite: 'Mme', nom: 'DUBOIS', prenoms: 'Angela', courriel: `p${n}@example.fr`, telephone }];
  expect((await app.api('PUT', `/affaires/${portalis}`, affaireValide({ numeroDossier: `26/A${String(n).padStart(4, '0')}`, parties }))).status).toBe(200);
  expect([200, 201]).toContain((await app.api('POST', `/affaires/${portalis}/consentements`, { partie: 'P1' })).status);
  const i = await app.pool.one(sql.type(z.object({ identifiant_id: z.string(), partie_id: z.string(), dossier_id: z.string() }))`
    SELECT i.id AS identifiant_id, c.partie_id, c.dossier_id
    FROM identifiant i JOIN consentement c ON c.id = i.consentement_id JOIN dossier d ON d.id = c.dossier_id
    WHERE d.numero_portalis = ${portalis}`);
  let compte: { id: string; email: string } | null = null;
  if (o.compte || o.compteId) {
    const email = `compte${n}-${randomUUID().slice(0, 8)}@example.org`;
    const id = o.compteId ?? await app.pool.oneFirst(sql.type(z.object({ id: z.string() }))`
      INSERT INTO compte (fc_iss, fc_sub, given_name, family_name, email) VALUES ('test', ${randomUUID()}, 'Angela', 'DUBOIS', ${email}) RETURNING id`);
    await creerRattachement(app.pool, { compteId: id, dossierId: i.dossier_id, partieId: i.partie_id, identifiantId: i.identifiant_id, creeLe: new Date() });
    compte = { id, email };
    // The alerts of the case's creation and consent are flushed before the test's updates.
    await pause(3000);
  }
  return { portalis, telephone, dossierId: i.dossier_id, compte };
}

const alertes = async (email: string) => (await app.courriels(email)).filter((m) => m.subject.startsWith('Mise à jour de votre dossier'));
const sms = async (tel: string, debut: string) => (await app.sms(tel)).filter((m) => m.body.startsWith(debut));

async function evenement(portalis: string, id: string, libelle: string) {
  expect((await app.api('POST', `/affaires/${portalis}/evenements`, { id, type: 'mention', date: '2026-10-01T09:30:00+02:00', libelle })).status).toBe(201);
}

async function audience(portalis: string, id: string, debut: Date) {
  const r = await app.api('PUT', `/affaires/${portalis}/audiences/${id}`, { debut: debut.toISOString(), adresse: '12 rue du Palais, 75001 Paris', salle: 'Salle 2.01', libelle: 'Audience de plaidoirie' });
  expect(r.status).toBe(200);
}

describe('update alerts', () => {
  test('several quick updates lead to one e-mail, naming case, juridiction and kinds, not content', async () => {
    const d = await dossierAvecPartie({ compte: true });
    const avant = (await alertes(d.compte!.email)).length;
    await evenement(d.portalis, 'E1', 'Dépôt de conclusions confidentielles');
    await evenement(d.portalis, 'E2', 'Ordonnance secrète');
    await audience(d.portalis, 'A1', new Date(Date.now() + 3600_000));
    await attendre(() => alertes(d.compte!.email), (l) => l.length > avant);
    await pause(3000);
    const recus = await alertes(d.compte!.email);
    expect(recus.length).toBe(avant + 1);
    const m = recus[0]!;
    expect(m.subject).toContain(`26/A${String(compteur).padStart(4, '0')}`);
    expect(m.subject).toContain('Tribunal judiciaire de Paris');
    expect(m.text).toContain('nouvel événement ou nouveau document');
    expect(m.text).toContain('audience programmée ou déplacée');
    expect(m.text).not.toContain('confidentielles');
    expect(m.text).not.toContain('secrète');
    expect(m.text).toMatch(new RegExp(`${app.url}/espace/dossiers/[0-9a-f-]{36}`));
    const lien = /\/alertes\/desabonnement\/(\S+)/.exec(m.text)![1]!;
    expect(lireJetonDesabonnement(app.config.HASH_KEY, lien)).toEqual({ compteId: d.compte!.id, dossierId: d.dossierId });
  });

  test('alerts off for the account, or for that case: no e-mail', async () => {
    const global = await dossierAvecPartie({ compte: true });
    const parDossier = await dossierAvecPartie({ compte: true });
    await reglerAlertesCompte(app.pool, global.compte!.id, false);
    await reglerAlertesDossier(app.pool, parDossier.compte!.id, parDossier.dossierId, false);
    const avant = [(await alertes(global.compte!.email)).length, (await alertes(parDossier.compte!.email)).length];
    await evenement(global.portalis, 'E1', 'Mention');
    await evenement(parDossier.portalis, 'E1', 'Mention');
    await pause(4500);
    expect([(await alertes(global.compte!.email)).length, (await alertes(parDossier.compte!.email)).length]).toEqual(avant);
    const n = await app.pool.oneFirst(sql.type(z.object({ n: z.coerce.number() }))`
      SELECT count(*) AS n FROM notification WHERE type = 'alerte' AND created_at > now() - interval '4 seconds'
        AND compte_id IN (${global.compte!.id}, ${parDossier.compte!.id})`);
    expect(n).toBe(0);
  });
});

describe('hearing reminders by SMS', () => {
  test('a hearing 6 s ahead is reminded once, 5 s before, with date, time, court and address', async () => {
    const d = await dossierAvecPartie();
    const debut = new Date(Date.now() + 6000);
    await audience(d.portalis, 'A1', debut);
    await pause(500);
    expect(await sms(d.telephone, 'Rappel')).toHaveLength(0);
    const [m] = await attendre(() => sms(d.telephone, 'Rappel'), (l) => l.length >= 1, 15000);
    expect(m!.body).toContain('Tribunal judiciaire de Paris');
    expect(m!.body).toContain('12 rue du Palais, 75001 Paris');
    expect(m!.body).not.toContain('plaidoirie');
    await pause(3000);
    expect(await sms(d.telephone, 'Rappel')).toHaveLength(1);
  });

  test('a moved hearing is reminded once, at the new time only', async () => {
    const d = await dossierAvecPartie();
    await audience(d.portalis, 'A1', new Date(Date.now() + 8000));
    await audience(d.portalis, 'A1', new Date(Date.now() + 12000)); // reminder now due at +7 s
    await pause(5000);
    expect(await sms(d.telephone, 'Rappel')).toHaveLength(0);
    await attendre(() => sms(d.telephone, 'Rappel'), (l) => l.length >= 1, 15000);
    await pause(2000);
    expect(await sms(d.telephone, 'Rappel')).toHaveLength(1);
  });

  test('a hearing cancelled before its reminder is never reminded', async () => {
    const d = await dossierAvecPartie();
    await audience(d.portalis, 'A1', new Date(Date.now() + 7000));
    expect((await app.api('DELETE', `/affaires/${d.portalis}/audiences/A1`)).status).toBe(204);
    await pause(5000);
    expect(await app.sms(d.telephone)).toHaveLength(0);
  });

  test('a hearing cancelled after its reminder went gets a short cancellation SMS', async () => {
    const d = await dossierAvecPartie();
    // With REMINDER_LEAD PT5S the reminder of a hearing 6 s ahead goes at +1 s.
    await audience(d.portalis, 'A2', new Date(Date.now() + 6000));
    await attendre(() => sms(d.telephone, 'Rappel'), (l) => l.length >= 1, 15000);
    expect((await app.api('DELETE', `/affaires/${d.portalis}/audiences/A2`)).status).toBe(204);
    const [a] = await attendre(() => sms(d.telephone, 'Annulation'), (l) => l.length >= 1, 15000);
    expect(a!.body).toContain('est annulée');
    await pause(2000);
    expect(await sms(d.telephone, 'Rappel')).toHaveLength(1);
    expect(await sms(d.telephone, 'Annulation')).toHaveLength(1);
  });
});

describe('preferences and unsubscribe link', () => {
  const alertesLien = (compteId: string, dossierId: string) =>
    app.pool.oneFirst(sql.type(z.object({ a: z.boolean() }))`SELECT bool_or(alertes_actives) AS a FROM rattachement WHERE compte_id = ${compteId} AND dossier_id = ${dossierId}`);

  test('the unsubscribe link: GET only asks, POST (no session, no CSRF token) turns that case off', async () => {
    const d = await dossierAvecPartie({ compte: true });
    const jeton = jetonDesabonnement(app.config.HASH_KEY, d.compte!.id, d.dossierId);
    const page = await (await fetch(`${app.url}/alertes/desabonnement/${jeton}`)).text();
    expect(page).toContain('rappels d’audience par SMS');
    expect(await alertesLien(d.compte!.id, d.dossierId)).toBe(true);
    const f = formulaire(page, 'Confirmer');
    const r = await fetch(new URL(f.action, app.url), { method: 'POST', redirect: 'manual' });
    expect(r.status).toBe(200);
    expect(await alertesLien(d.compte!.id, d.dossierId)).toBe(false);
    // Consent untouched.
    expect(await app.pool.oneFirst(sql.type(z.object({ n: z.coerce.number() }))`SELECT count(*) AS n FROM consentement WHERE dossier_id = ${d.dossierId} AND revoked_at IS NULL`)).toBe(1);
    // A forged token changes nothing.
    const faux = jeton.slice(0, -3) + 'AAA';
    expect((await fetch(`${app.url}/alertes/desabonnement/${faux}`, { method: 'POST' })).status).toBe(404);
  });

  test('/espace/parametres: reached from the name, global switch and one switch per case, consent and reminders untouched', async () => {
    const nav = await app.connecter('angela-dubois');
    const compteId = await app.pool.oneFirst(sql.type(z.object({ id: z.string() }))`SELECT id FROM compte ORDER BY last_login_at DESC NULLS LAST LIMIT 1`);
    const d = await dossierAvecPartie({ compteId });
    const espace = await (await nav.requete(`${app.url}/espace`)).text();
    expect(espace).toMatch(/href="\/espace\/parametres"[^>]*>[^<]*Angela/);
    let page = await (await nav.requete(`${app.url}/espace/parametres`)).text();
    expect(page).toContain('Désactiver toutes mes alertes');
    expect(page).toContain('ne retire pas votre consentement');
    expect(page).toContain('href="/espace/parametres/calendrier"');
    const numero = `26/A${String(compteur).padStart(4, '0')}`;
    expect(page).toContain(numero);
    // One case off.
    let f = formulaire(page, `value="${d.dossierId}"`);
    expect((await nav.requete(`${app.url}${f.action}`, { form: f.champs })).status).toBe(303);
    expect(await alertesLien(compteId, d.dossierId)).toBe(false);
    page = await (await nav.requete(`${app.url}/espace/parametres`)).text();
    f = formulaire(page, `value="${d.dossierId}"`);
    expect(f.champs.actives).toBe('oui');
    expect((await nav.requete(`${app.url}${f.action}`, { form: f.champs })).status).toBe(303);
    expect(await alertesLien(compteId, d.dossierId)).toBe(true);
    // Everything off.
    f = formulaire(page, 'tout_desactiver');
    expect((await nav.requete(`${app.url}${f.action}`, { form: f.champs })).status).toBe(303);
    expect(await app.pool.oneFirst(sql.type(z.object({ a: z.boolean() }))`SELECT alertes_actives AS a FROM compte WHERE id = ${compteId}`)).toBe(false);
    page = await (await nav.requete(`${app.url}/espace/parametres`)).text();
    expect(page).toContain('Réactiver mes alertes');
    // Without its CSRF token the form is refused.
    expect((await nav.requete(`${app.url}/espace/parametres`, { form: { action: 'tout_activer' } })).status).toBe(403);
    // The hearing reminder still goes to the party (reminders cannot be turned off).
    await audience(d.portalis, 'A1', new Date(Date.now() + 6000));
    await attendre(() => sms(d.telephone, 'Rappel'), (l) => l.length >= 1, 15000);
  });
});
