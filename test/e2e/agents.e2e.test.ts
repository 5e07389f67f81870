// Agents in a real browser (Debian's Chromium through playwright-core), against the whole portal
// and the ministry's OIDC stand-in (issue 8 "Done when"): a clerk finds a case and records a
// consent (the number leaves by e-mail); a head of registry habilitates a magistrate, who then
// logs in under that role and registers a requête; a clerk registers another from the inbox; the
// statistics page then shows those registrations. axe-core checks each of our pages on the way.
import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { sql } from 'slonik';
import { affaireValide, demarrerApplication, JURIDICTION_VALIDE, type Application } from '../aides/application.js';
import { attribuerRole } from '../aides/agent.js';
import { attendre, requeteEnvoyee, type RequeteDeTest } from '../aides/requete.js';
import { lancerChromium, nouveauContexte, rapportAccessibilite, verifierAccessibilite, type Contexte } from '../aides/navigateur-reel.js';
import { COMPTES_AGENTS } from '../../dev/franceconnect.js';
import { jourParis } from '../../domain/agents.js';

let app: Application;
let navigateur: Browser;
let ctx: Contexte | undefined;
/** Requêtes registered through the browser by this file's tests, for the statistics page. */
let enregistrees = 0;

beforeAll(async () => {
  [app, navigateur] = await Promise.all([demarrerApplication(), lancerChromium()]);
  expect((await app.api('PUT', '/juridiction', JURIDICTION_VALIDE)).status).toBeLessThan(300);
  await attribuerRole(app, { courriel: 'greffe.paris@justice.fr', role: 'agent_greffe', juridiction: 'TJ-PARIS' });
  await attribuerRole(app, { courriel: 'directeur.greffe.paris@justice.fr', role: 'directeur_greffe', juridiction: 'TJ-PARIS' });
}, 120_000);
afterEach(async () => {
  await ctx?.contexte.close();
  ctx = undefined;
});
afterAll(async () => {
  await navigateur?.close();
  await app?.arreter();
});

/** axe on each of our pages; the stand-in's are reported only. */
async function verifier(page: Page, nom: string, nos: string[]): Promise<void> {
  const url = page.url();
  if (!url.startsWith(app.url)) return;
  const v = await verifierAccessibilite(page);
  if (v.length) nos.push(`${nom}\n${rapportAccessibilite(v, url)}`);
}

async function seConnecterAgent(page: Page, courriel: string, nos: string[]): Promise<void> {
  const compte = COMPTES_AGENTS.find((a) => a.courriel === courriel)!;
  await page.goto(`${app.url}/agent/connexion`);
  await verifier(page, 'connexion des agents', nos);
  await page.getByRole('button', { name: 'Se connecter avec mon compte Justice' }).click();
  await page.waitForURL((u) => u.href.startsWith(app.fc.url));
  await page.getByRole('radio', { name: `${compte.prenom} ${compte.nom} — ${courriel}`, exact: true }).check();
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.waitForURL(`${app.url}/agent`);
  await expect(page.getByRole('heading', { level: 1 })).toBeTruthy();
  expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(`Bonjour ${compte.prenom} ${compte.nom}`);
  await verifier(page, 'accueil agents', nos);
}

describe('agents in a browser', () => {
  test('a clerk finds a case by its number and records a consent; the party receives the number by e-mail', async () => {
    expect((await app.api('PUT', '/affaires/E2E-AGENT-1', affaireValide({ numeroDossier: '26/07777' }))).status).toBe(200);
    ctx = await nouveauContexte(navigateur);
    const { page } = ctx;
    const nos: string[] = [];
    await seConnecterAgent(page, 'greffe.paris@justice.fr', nos);
    await page.getByRole('link', { name: 'Dossiers de la juridiction' }).click();
    await page.waitForURL(`${app.url}/agent/dossiers`);
    await verifier(page, 'recherche', nos);
    await page.getByLabel('Numéro de dossier ou numéro Portalis').fill('26/07777');
    await page.getByRole('button', { name: 'Rechercher' }).click();
    await page.getByRole('link', { name: '26/07777' }).click();
    await page.getByRole('heading', { name: 'Dossier n° 26/07777', level: 1 }).waitFor();
    await verifier(page, 'dossier (greffe)', nos);
    // Sent without choosing a party: the error is announced and tied to the field.
    await page.getByRole('button', { name: 'Enregistrer le consentement' }).click();
    await page.getByRole('alert').first().waitFor();
    expect(await page.getByLabel('Partie qui consent').getAttribute('aria-invalid')).toBe('true');
    await verifier(page, 'dossier (greffe) avec erreur', nos);
    await page.getByLabel('Partie qui consent').selectOption('P1');
    await page.getByRole('button', { name: 'Enregistrer le consentement' }).click();
    await page.getByText('Consentement enregistré').waitFor();
    expect(await page.locator('#parties').locator('xpath=following-sibling::div[1]').textContent()).toContain('Consentement du');
    await verifier(page, 'dossier (greffe) après consentement', nos);
    const fin = Date.now() + 15_000;
    let courriels: { subject: string }[] = [];
    while (Date.now() < fin && courriels.length === 0) {
      courriels = await app.courriels('angela.dubois@example.fr');
      if (!courriels.length) await new Promise((r) => setTimeout(r, 200));
    }
    expect(courriels[0]?.subject).toContain('26/07777');
    expect(await app.pool.exists(sql.unsafe`SELECT 1 FROM journal WHERE action = 'consentement.enregistrer' AND acteur_type = 'agent'`)).toBe(true);
    expect(ctx.erreurs.filter((e) => e.startsWith(app.url))).toEqual([]);
    expect(nos.join('\n\n')).toBe('');
  }, 90_000);

  test('axe finds no violation on the agent pages, empty and with errors: search, case, agents, journal, reception desk, refusal', async () => {
    expect((await app.api('PUT', '/affaires/E2E-AXE-1', affaireValide({ numeroDossier: '26/08888' }))).status).toBe(200);
    await attribuerRole(app, { courriel: 'accueil.paris@justice.fr', role: 'agent_accueil', juridiction: 'TJ-PARIS' });
    const id = await app.pool.oneFirst(sql.unsafe`SELECT id FROM dossier WHERE numero_portalis = 'E2E-AXE-1'`);
    ctx = await nouveauContexte(navigateur);
    const { page } = ctx;
    const nos: string[] = [];
    await seConnecterAgent(page, 'directeur.greffe.paris@justice.fr', nos);
    for (const chemin of ['/agent/dossiers', '/agent/dossiers?numero=26%2F08888', '/agent/dossiers?numero=inconnu', `/agent/dossiers/${String(id)}`, '/agent/agents', '/agent/journal', '/agent/journal?action=dossier.consulter']) {
      await page.goto(`${app.url}${chemin}`);
      await verifier(page, chemin, nos);
    }
    // The case page with the event form's errors.
    await page.goto(`${app.url}/agent/dossiers/${String(id)}`);
    await page.getByRole('button', { name: 'Ajouter l’événement' }).click();
    await page.getByRole('alert').first().waitFor();
    await verifier(page, 'événement avec erreurs', nos);
    await ctx.contexte.clearCookies();
    await seConnecterAgent(page, 'accueil.paris@justice.fr', nos);
    await page.goto(`${app.url}/agent/accueil`);
    await verifier(page, 'accueil SAUJ', nos);
    await page.getByLabel('Numéro de dossier ou numéro Portalis').fill('26/08888');
    await page.getByRole('button', { name: 'Consulter le dossier' }).click();
    await page.getByRole('alert').first().waitFor();
    await verifier(page, 'accueil SAUJ sans finalité', nos);
    await page.getByLabel('Finalité de la consultation').fill('Information du justiciable présent à l’accueil');
    await page.getByRole('button', { name: 'Consulter le dossier' }).click();
    await page.getByRole('heading', { name: 'Dossier n° 26/08888', level: 1 }).waitFor();
    await verifier(page, 'accueil SAUJ, dossier', nos);
    await page.goto(`${app.url}/agent/dossiers/${String(id)}`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Accès refusé');
    await verifier(page, 'page refusée', nos);
    await ctx.contexte.clearCookies();
    await page.goto(`${app.url}/agent/connexion`);
    await page.getByRole('button', { name: 'Se connecter avec mon compte Justice' }).click();
    await page.waitForURL((u) => u.href.startsWith(app.fc.url));
    await page.getByRole('radio', { name: /nouvel\.agent@justice\.fr/ }).check();
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByText('aucun rôle en vigueur', { exact: false }).waitFor();
    await verifier(page, 'agent sans rôle', nos);
    expect(ctx.erreurs.filter((e) => e.startsWith(app.url) && !/status of 4\d\d/.test(e))).toEqual([]);
    expect(nos.join('\n\n')).toBe('');
  }, 90_000);

  test('a head of registry habilitates a magistrate with dates, who then logs in under that role', async () => {
    ctx = await nouveauContexte(navigateur);
    const { page } = ctx;
    const nos: string[] = [];
    await seConnecterAgent(page, 'directeur.greffe.paris@justice.fr', nos);
    await page.getByRole('link', { name: /Agents et magistrats/ }).click();
    await page.getByRole('heading', { name: /Agents et magistrats/, level: 1 }).waitFor();
    await verifier(page, 'agents et magistrats', nos);
    await page.getByLabel('Adresse électronique professionnelle').fill('magistrat.paris@justice.fr');
    await page.getByLabel('Rôle').selectOption('magistrat');
    // Without dates: refused, the error tied to the date fields.
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await page.getByRole('alert').first().waitFor();
    expect(await page.getByLabel(/Début de l’habilitation/).getAttribute('aria-invalid')).toBe('true');
    await verifier(page, 'agents et magistrats avec erreur', nos);
    const debut = jourParis(new Date(Date.now() - 86400000));
    const fin = jourParis(new Date(Date.now() + 90 * 86400000));
    await page.getByLabel(/Début de l’habilitation/).fill(debut);
    await page.getByLabel(/Fin de l’habilitation/).fill(fin);
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await page.getByText('Rôle attribué').waitFor();
    const ligne = page.locator('#liste-agents tr', { hasText: 'magistrat.paris@justice.fr' });
    expect(await ligne.textContent()).toContain('En vigueur');
    await verifier(page, 'agents et magistrats après habilitation', nos);
    // Logout, then the magistrate logs in.
    await page.getByRole('button', { name: 'Se déconnecter' }).click();
    await page.waitForURL((u) => u.href.startsWith(`${app.url}/agent/`) || u.href.startsWith(app.fc.url));
    await ctx.contexte.clearCookies();
    await seConnecterAgent(page, 'magistrat.paris@justice.fr', nos);
    expect(await page.locator('#roles').textContent()).toContain('Magistrat désigné — TJ-PARIS');
    // The magistrate registers a requête of the juridiction.
    const requete = await requeteEnvoyee(app, { juridiction: 'TJ-PARIS', nom: 'MAGISTRALE', lieu: 'Paris 8e' });
    await enregistrerDepuisLaBoite(page, requete, { dossier: '26/06001', portalis: 'E2E-MAG-1' }, nos);
    expect(await app.pool.oneFirst(sql.unsafe`SELECT role FROM journal WHERE action = 'requete.enregistrer' AND objet_id = ${requete.id} AND resultat = 'succes'`)).toBe('magistrat');
    expect(ctx.erreurs.filter((e) => e.startsWith(app.url))).toEqual([]);
    expect(nos.join('\n\n')).toBe('');
  }, 120_000);

  test('a clerk registers a requête from the inbox: errors tied to the fields, then « Enregistrée », the citizen e-mailed', async () => {
    const requete = await requeteEnvoyee(app, { juridiction: 'TJ-PARIS', nom: 'GREFFIERE', lieu: 'Paris 15e' });
    ctx = await nouveauContexte(navigateur);
    const { page } = ctx;
    const nos: string[] = [];
    await seConnecterAgent(page, 'greffe.paris@justice.fr', nos);
    await enregistrerDepuisLaBoite(page, requete, { dossier: '26/06002', portalis: 'E2E-GREFFE-1' }, nos);
    // Listed among the registered ones.
    await page.goto(`${app.url}/agent/requetes`);
    await page.getByLabel('Statut').selectOption('enregistree');
    await page.getByRole('button', { name: 'Filtrer' }).click();
    await page.getByRole('link', { name: requete.reference! }).waitFor();
    await verifier(page, 'requêtes enregistrées', nos);
    const courriels = await attendre(() => app.courriels(requete.courriel), (c) => c.some((m) => m.subject.includes('a été enregistrée')));
    expect(courriels.find((m) => m.subject.includes('a été enregistrée'))!.text).toContain('26/06002');
    expect(ctx.erreurs.filter((e) => e.startsWith(app.url) && !/status of 4\d\d/.test(e))).toEqual([]);
    expect(nos.join('\n\n')).toBe('');
  }, 120_000);

  test('the statistics page shows the requêtes sent and registered by the tests above', async () => {
    ctx = await nouveauContexte(navigateur);
    const { page } = ctx;
    const nos: string[] = [];
    await seConnecterAgent(page, 'directeur.greffe.paris@justice.fr', nos);
    await page.getByRole('link', { name: 'Statistiques', exact: true }).click();
    await page.getByRole('heading', { name: 'Statistiques du portail', level: 1 }).waitFor();
    await verifier(page, 'statistiques', nos);
    const mois = await app.pool.oneFirst(sql.unsafe`SELECT to_char(now() AT TIME ZONE 'Europe/Paris', 'YYYY-MM')`);
    const cellule = (indicateur: string) => page.locator(`tr[data-mois="${String(mois)}"] td[data-indicateur="${indicateur}"]`).first().textContent();
    // Every requête of this file was sent and registered this month (two when the file runs whole).
    expect(enregistrees).toBeGreaterThan(0);
    expect(await cellule('requetes_envoyees')).toBe(String(enregistrees));
    expect(await cellule('requetes_enregistrees')).toBe(String(enregistrees));
    expect(nos.join('\n\n')).toBe('');
  }, 90_000);
});

/**
 * From the agents' home: the inbox, the requête's detail (checked against what the citizen
 * filed), the form sent empty (errors announced and tied to the fields), then with the numbers.
 */
async function enregistrerDepuisLaBoite(page: Page, requete: RequeteDeTest, numeros: { dossier: string; portalis: string }, nos: string[]): Promise<void> {
  await page.getByRole('link', { name: 'Requêtes numériques' }).click();
  await page.getByRole('heading', { name: 'Requêtes reçues — Tribunal judiciaire de Paris', level: 1 }).waitFor();
  await verifier(page, 'requêtes', nos);
  await page.getByRole('link', { name: requete.reference! }).click();
  await page.getByRole('heading', { name: `Requête n° ${requete.reference}`, level: 1 }).waitFor();
  expect(await page.locator('#requerant + dl').textContent()).toContain(`Angela ${requete.nom}`);
  expect(await page.getByRole('link', { name: 'plainte.pdf' }).getAttribute('href')).toMatch(/^\/agent\/requetes\/[0-9a-f-]{36}\/pieces\/[0-9a-f-]{36}$/);
  await verifier(page, 'requête', nos);
  await page.getByRole('button', { name: 'Enregistrer la requête' }).click();
  await page.getByRole('alert').first().waitFor();
  expect(await page.getByLabel(/Numéro de dossier/).getAttribute('aria-invalid')).toBe('true');
  expect(await page.getByLabel(/Numéro Portalis/).getAttribute('aria-invalid')).toBe('true');
  await verifier(page, 'requête avec erreurs', nos);
  await page.getByLabel(/Numéro de dossier/).fill(numeros.dossier);
  await page.getByLabel(/Numéro Portalis/).fill(numeros.portalis);
  await page.getByRole('button', { name: 'Enregistrer la requête' }).click();
  await page.getByText('Requête enregistrée').waitFor();
  expect(await page.locator('#statut-requete').textContent()).toMatch(new RegExp(`Enregistrée le .+ \\(dossier ${numeros.dossier.replace('/', '\\/')}, numéro Portalis ${numeros.portalis}\\)`));
  await verifier(page, 'requête enregistrée', nos);
  expect(await app.pool.oneFirst(sql.unsafe`SELECT statut FROM requete WHERE id = ${requete.id}`)).toBe('enregistree');
  enregistrees++;
}
