// The export banner in a real browser (Debian's Chromium through playwright-core): the citizen
// selects hearings on /espace/audiences, picks a format and clicks "Exporter"; the browser
// downloads a file whose content parses (ical.js for .ics; the CSV headers for Outlook). axe
// checks the page. The case link is written directly (the number + SMS flow has its own
// browser test in parcours-citoyen.e2e.test.ts).
import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import ICAL from 'ical.js';
import type { Browser, Page } from 'playwright-core';
import { sql } from 'slonik';
import { z } from 'zod';
import { affaireValide, demarrerApplication, JURIDICTION_VALIDE, type Application } from '../aides/application.js';
import { lancerChromium, nouveauContexte, rapportAccessibilite, verifierAccessibilite, type Contexte } from '../aides/navigateur-reel.js';

let app: Application;
let navigateur: Browser;
let ctx: Contexte | undefined;
const JOUR = 24 * 3600_000;

beforeAll(async () => {
  [app, navigateur] = await Promise.all([demarrerApplication(), lancerChromium()]);
  expect((await app.api('PUT', '/juridiction', JURIDICTION_VALIDE)).status).toBe(200);
}, 120_000);
afterEach(async () => {
  await ctx?.contexte.close();
  ctx = undefined;
});
afterAll(async () => {
  await navigateur?.close();
  await app?.arreter();
});

/** Through the FranceConnect stand-in to /espace, accepting the CGU on the way. */
async function seConnecter(page: Page): Promise<void> {
  await page.goto(`${app.url}/connexion`);
  await page.getByRole('button', { name: /S’identifier avec\s*FranceConnect/ }).click();
  await page.waitForURL((u) => u.href.startsWith(app.fc.url));
  await page.getByRole('button', { name: 'Se connecter avec impots.gouv.fr' }).click();
  await page.getByRole('radio', { name: /Angela Claire Louise DUBOIS/ }).check();
  await page.getByRole('button', { name: 'Se connecter', exact: true }).click();
  await page.waitForURL(`${app.url}/espace/cgu`);
  await page.getByText(/J’ai lu et j’accepte les conditions générales d’utilisation/).click();
  await page.getByRole('button', { name: 'Continuer' }).click();
  await page.waitForURL(`${app.url}/espace`);
}

async function dossierAvecAudiences(portalis: string, audiences: { id: string; debut: Date; libelle: string }[]): Promise<string[]> {
  expect((await app.api('PUT', `/affaires/${portalis}`, affaireValide({ numeroDossier: `26/${portalis.slice(-5)}` }))).status).toBe(200);
  expect((await app.api('POST', `/affaires/${portalis}/consentements`, { partie: 'P1' })).status).toBe(201);
  await app.pool.query(sql.unsafe`
    INSERT INTO rattachement (compte_id, dossier_id, partie_id, identifiant_id)
    SELECT (SELECT id FROM compte WHERE given_name = 'Angela Claire Louise'), c.dossier_id, c.partie_id, i.id
    FROM identifiant i JOIN consentement c ON c.id = i.consentement_id
    JOIN dossier d ON d.id = c.dossier_id JOIN partie p ON p.id = c.partie_id
    WHERE d.numero_portalis = ${portalis} AND p.id_tribunal = 'P1'`);
  const ids: string[] = [];
  for (const a of audiences) {
    const r = await app.api('PUT', `/affaires/${portalis}/audiences/${a.id}`, { debut: a.debut.toISOString(), salle: 'Salle 3', adresse: 'Parvis du Tribunal de Paris, 75017 Paris', libelle: a.libelle });
    expect(r.status).toBe(200);
    ids.push(await app.pool.oneFirst(sql.type(z.object({ id: z.string() }))`
      SELECT a.id FROM audience a JOIN dossier d ON d.id = a.dossier_id WHERE d.numero_portalis = ${portalis} AND a.id_tribunal = ${a.id}`));
  }
  return ids;
}

describe('calendar export in a real browser', () => {
  test('select hearings, choose the format, "Exporter" downloads a file that parses', async () => {
    ctx = await nouveauContexte(navigateur);
    const { page } = ctx;
    await seConnecter(page);
    const debut = new Date(Math.ceil((Date.now() + 12 * JOUR) / 3600_000) * 3600_000);
    const [a1, a2, a3] = await dossierAvecAudiences('E2E-CAL-00001', [
      { id: 'H1', debut, libelle: 'Audience de conciliation' },
      { id: 'H2', debut: new Date(debut.getTime() + 7 * JOUR), libelle: 'Audience de jugement' },
      { id: 'H3', debut: new Date(debut.getTime() + 14 * JOUR), libelle: 'Audience de renvoi' },
    ]);

    await page.goto(`${app.url}/espace/audiences`);
    await page.getByRole('heading', { level: 1, name: 'Exporter mes audiences à venir' }).waitFor();
    const v = await verifierAccessibilite(page);
    expect(rapportAccessibilite(v, page.url())).toBe('');

    // DSFR draws the boxes on the labels: click the labels, as a person would.
    await page.locator(`label[for="choix-audience-${a1}"]`).click();
    await page.locator(`label[for="choix-audience-${a3}"]`).click();
    expect(await page.locator(`#choix-audience-${a1}`).isChecked()).toBe(true);
    expect(await page.locator(`#choix-audience-${a2}`).isChecked()).toBe(false);
    expect(await page.getByRole('radio', { name: /Fichier \.ics/ }).isChecked()).toBe(true);

    const [telechargement] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Exporter' }).click()]);
    expect(telechargement.suggestedFilename()).toBe('audiences.ics');
    const texte = await readFile((await telechargement.path())!, 'utf8');
    const comp = new ICAL.Component(ICAL.parse(texte));
    for (const vtz of comp.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(vtz);
    const evenements = comp.getAllSubcomponents('vevent').map((x) => new ICAL.Event(x));
    const host = new URL(app.url).hostname;
    expect(evenements.map((e) => e.uid)).toEqual([`audience-${a1}@${host}`, `audience-${a3}@${host}`]);
    expect(evenements[0]!.startDate.toJSDate().toISOString()).toBe(debut.toISOString());
    expect(evenements[0]!.summary).toBe('Audience de conciliation — dossier n° 26/00001');
    // The page did not move: a download, not a navigation.
    expect(new URL(page.url()).pathname).toBe('/espace/audiences');

    // Outlook's CSV, same selection.
    await page.locator('label[for="format-csv-outlook"]').click();
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Exporter' }).click()]);
    expect(csv.suggestedFilename()).toBe('audiences-outlook.csv');
    const octets = await readFile((await csv.path())!);
    expect([...octets.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lignes = octets.toString('utf8').slice(1).split('\r\n').filter(Boolean);
    expect(lignes[0]).toBe('Subject,Start Date,Start Time,End Date,End Time,All day event,Reminder on/off,Reminder Date,Reminder Time,Meeting Organizer,Description,Location,Private');
    expect(octets.toString('utf8')).toContain('Audience de renvoi — dossier n° 26/00001');

    // One hearing from the case: the format choice page, then the file.
    const lien = await app.pool.oneFirst(sql.type(z.object({ id: z.string() }))`
      SELECT r.id FROM rattachement r JOIN dossier d ON d.id = r.dossier_id WHERE d.numero_portalis = 'E2E-CAL-00001'`);
    await page.goto(`${app.url}/espace/dossiers/${lien}/audiences/${a2}/export`);
    await page.getByRole('heading', { level: 1, name: 'Exporter l’audience dans mon agenda' }).waitFor();
    expect(rapportAccessibilite(await verifierAccessibilite(page), page.url())).toBe('');
    await page.locator('label[for="format-csv-google"]').click();
    const [google] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Exporter' }).click()]);
    expect(google.suggestedFilename()).toMatch(/^audience-\d{4}-\d{2}-\d{2}-google\.csv$/);
    expect((await readFile((await google.path())!, 'utf8')).split('\r\n')[0]).toBe('Subject,Start Date,Start Time,End Date,End Time,All Day Event,Description,Location,Private');

    // The subscription page, before and after creating the address.
    await page.goto(`${app.url}/espace/parametres/calendrier`);
    expect(rapportAccessibilite(await verifierAccessibilite(page), page.url())).toBe('');
    await page.getByRole('button', { name: 'Créer mon adresse d’abonnement' }).click();
    const adresse = await page.getByLabel(/Adresse à coller dans votre agenda/).inputValue();
    expect(adresse).toMatch(/\/calendrier\/[A-Za-z0-9_-]{43}\.ics$/);
    expect(rapportAccessibilite(await verifierAccessibilite(page), page.url())).toBe('');
    const flux = await (await fetch(adresse)).text();
    expect(flux).toContain(`UID:audience-${a2}@${host}`);

    expect(ctx.erreurs.filter((e) => e.startsWith(app.url))).toEqual([]);
  }, 120_000);
});
