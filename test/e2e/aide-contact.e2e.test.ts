// Help and support in a real browser (Debian's Chromium through playwright-core): the help
// search updates the results in place (htmx) and its URL; an answer opens from its link; the
// contact form is filled with the keyboard, refused with its errors summarised, then accepted
// with a reference. axe checks every page on the way, and no CSP refusal reaches the console.
import { afterAll, afterEach, beforeAll, expect, test } from '@jest/globals';
import type { Browser } from 'playwright-core';
import { demarrerApplication, JURIDICTION_VALIDE, type Application } from '../aides/application.js';
import { attribuerRole } from '../aides/agent.js';
import { lancerChromium, nouveauContexte, rapportAccessibilite, verifierAccessibilite, type Contexte } from '../aides/navigateur-reel.js';

let app: Application;
let navigateur: Browser;
let ctx: Contexte | undefined;

beforeAll(async () => {
  [app, navigateur] = await Promise.all([demarrerApplication(), lancerChromium()]);
  expect((await app.api('PUT', '/juridiction', { ...JURIDICTION_VALIDE, horaires: 'Du lundi au vendredi, de 9 h à 17 h' })).status).toBe(200);
}, 120_000);
afterEach(async () => {
  await ctx?.contexte.close();
  ctx = undefined;
});
afterAll(async () => {
  await navigateur?.close();
  await app?.arreter();
});

test('help: search in place, answers open from their link, accessible', async () => {
  ctx = await nouveauContexte(navigateur);
  const { page } = ctx;
  await page.goto(`${app.url}/aide`);
  expect(rapportAccessibilite(await verifierAccessibilite(page), '/aide')).toBe('');
  await page.getByRole('searchbox', { name: 'Rechercher dans l’aide' }).fill('reference');
  await page.getByText(/réponses? pour « reference »/).waitFor();
  expect(page.url()).toContain('/aide?q=reference');
  expect(await page.locator('details[open]').count()).toBeGreaterThan(0);
  expect(await page.locator('#desactiver-alertes').count()).toBe(0);
  expect(rapportAccessibilite(await verifierAccessibilite(page), '/aide?q=reference')).toBe('');
  await page.goto(`${app.url}/aide?question=echec-envoi#echec-envoi`);
  expect(await page.locator('#echec-envoi').getAttribute('open')).not.toBeNull();
  // A closed answer opens with the keyboard (native details/summary).
  await page.locator('#brouillon summary').focus();
  await page.keyboard.press('Enter');
  expect(await page.locator('#brouillon').getAttribute('open')).not.toBeNull();
  await page.goto(`${app.url}/juridictions`);
  expect(rapportAccessibilite(await verifierAccessibilite(page), '/juridictions')).toBe('');
  expect(ctx.erreurs).toEqual([]);
}, 60_000);

test('contact: errors summarised and tied to their fields, then a reference', async () => {
  ctx = await nouveauContexte(navigateur);
  const { page } = ctx;
  await page.goto(`${app.url}/contact`);
  expect(rapportAccessibilite(await verifierAccessibilite(page), '/contact')).toBe('');
  await page.getByRole('button', { name: 'Envoyer mon message' }).click();
  await page.getByRole('heading', { name: 'Le formulaire contient 4 erreurs' }).waitFor();
  expect(rapportAccessibilite(await verifierAccessibilite(page), '/contact (erreurs)')).toBe('');
  await page.getByRole('link', { name: 'Adresse électronique invalide' }).or(page.getByRole('link', { name: /Indiquez l’adresse électronique/ })).click();
  await page.getByLabel('Objet de votre demande').selectOption('technique');
  await page.getByLabel(/Résumé de votre demande/).fill('Page blanche');
  await page.getByLabel(/Votre message/).fill('La page de mes requêtes reste blanche depuis ce matin.');
  await page.getByLabel(/Votre adresse électronique/).fill('navigateur@example.fr');
  await page.getByRole('button', { name: 'Envoyer mon message' }).click();
  await page.waitForURL(`${app.url}/contact/envoye`);
  expect(await page.getByText(/CT-\d{4}-[0-9A-Z]{4}-[0-9A-Z]{4}/).count()).toBe(1);
  expect(rapportAccessibilite(await verifierAccessibilite(page), '/contact/envoye')).toBe('');
  expect(ctx.erreurs).toEqual([]);
}, 60_000);

test('support inbox: a reception agent opens the request and closes it, accessible', async () => {
  await attribuerRole(app, { courriel: 'accueil.paris@justice.fr', role: 'agent_accueil', juridiction: 'TJ-PARIS' });
  ctx = await nouveauContexte(navigateur);
  const { page } = ctx;
  await page.goto(`${app.url}/agent/connexion`);
  await page.getByRole('button', { name: 'Se connecter avec mon compte Justice' }).click();
  await page.waitForURL((u) => u.href.startsWith(app.fc.url));
  await page.getByRole('radio', { name: /accueil\.paris@justice\.fr/ }).check();
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.waitForURL(`${app.url}/agent`);
  await page.getByRole('link', { name: 'Demandes de contact (support)' }).click();
  await page.waitForURL(`${app.url}/agent/contacts`);
  expect(rapportAccessibilite(await verifierAccessibilite(page), '/agent/contacts')).toBe('');
  await page.getByRole('link', { name: /^CT-/ }).first().click();
  await page.getByRole('heading', { name: /^Demande CT-/, level: 1 }).waitFor();
  expect(await page.getByText('La page de mes requêtes reste blanche depuis ce matin.').count()).toBe(1);
  expect(rapportAccessibilite(await verifierAccessibilite(page), '/agent/contacts/:id')).toBe('');
  await page.getByRole('button', { name: 'Clore la demande' }).click();
  await page.waitForURL(`${app.url}/agent/contacts`);
  await page.getByText(/est close\./).waitFor();
  expect(await page.getByText('Aucune demande à traiter.').count()).toBe(1);
  expect(ctx.erreurs).toEqual([]);
}, 60_000);
