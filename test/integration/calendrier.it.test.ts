// Calendar export and subscription on the whole portal (real Postgres, court API, pages):
// exports hold only the account's future hearings; anything else is the ordinary 404; a hearing
// moved by the court keeps its UID with a higher SEQUENCE; a cancelled one is CANCELLED in the
// feed and absent from exports; a regenerated or revoked token is a 404; the token is stored
// only as a keyed hash. The .ics files are read back with ical.js.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import ICAL from 'ical.js';
import { sql } from 'slonik';
import { z } from 'zod';
import { affaireValide, demarrerApplication, JURIDICTION_VALIDE, JETON_LYON, type Application } from '../aides/application.js';
import { formulaire, type Navigateur } from '../aides/navigateur.js';
import { IDENTITES_TEST } from '../../dev/franceconnect.js';
import { empreinteJetonCalendrier } from '../../domain/calendrier.js';

let app: Application;
const JOUR = 24 * 3600_000;

beforeAll(async () => {
  app = await demarrerApplication();
  expect((await app.api('PUT', '/juridiction', JURIDICTION_VALIDE)).status).toBe(200);
  expect((await app.api('PUT', '/juridiction', { ...JURIDICTION_VALIDE, nom: 'Tribunal judiciaire de Lyon', adresse: '67 rue Servient, 69003 Lyon', telephone: '04 72 60 70 12' }, { jeton: JETON_LYON })).status).toBe(200);
});
afterAll(async () => {
  await app?.arreter();
});

// ------------------------------------------------------------------------------------------------
// Helpers

const navs = new Map<string, Navigateur>();
async function connecter(identite: string): Promise<Navigateur> {
  if (!navs.has(identite)) {
    const i = IDENTITES_TEST.find((x) => x.id === identite)!;
    navs.set(identite, await app.connecter(identite, { fournisseur: i.fournisseur }));
  }
  return navs.get(identite)!;
}

async function compteDe(identite: string): Promise<string> {
  await connecter(identite);
  const i = IDENTITES_TEST.find((x) => x.id === identite)!;
  return app.pool.oneFirst(sql.type(z.object({ id: z.string() }))`SELECT id FROM compte WHERE given_name = ${i.claims.given_name}`);
}

/**
 * The court pushes a case and a consent for P1; the account is linked to it. The link row is
 * written directly (the number + SMS flow has its own tests in rattachement.it.test.ts): what
 * is under test here is what the export does with the account's visible links.
 */
async function dossierRattache(identite: string, portalis: string, o: { jeton?: string } = {}): Promise<string> {
  const r = await app.api('PUT', `/affaires/${portalis}`, affaireValide({ numeroDossier: `26/${portalis.slice(-5)}` }), { jeton: o.jeton });
  expect(`${r.status} ${await r.text()}`).toMatch(/^200 /);
  expect((await app.api('POST', `/affaires/${portalis}/consentements`, { partie: 'P1' }, { jeton: o.jeton })).status).toBe(201);
  const compteId = await compteDe(identite);
  return app.pool.oneFirst(sql.type(z.object({ id: z.string() }))`
    INSERT INTO rattachement (compte_id, dossier_id, partie_id, identifiant_id)
    SELECT ${compteId}, c.dossier_id, c.partie_id, i.id
    FROM identifiant i JOIN consentement c ON c.id = i.consentement_id
    JOIN dossier d ON d.id = c.dossier_id JOIN partie p ON p.id = c.partie_id
    WHERE d.numero_portalis = ${portalis} AND p.id_tribunal = 'P1'
    RETURNING id`);
}

async function audience(portalis: string, id: string, debut: Date, o: { libelle?: string; salle?: string; jeton?: string } = {}): Promise<string> {
  const r = await app.api('PUT', `/affaires/${portalis}/audiences/${id}`, {
    debut: debut.toISOString(), salle: o.salle ?? 'Salle 4', adresse: 'Parvis du Tribunal de Paris, 75017 Paris', libelle: o.libelle ?? 'Audience de jugement',
  }, { jeton: o.jeton });
  expect(`${r.status} ${await r.text()}`).toMatch(/^200 /);
  return app.pool.oneFirst(sql.type(z.object({ id: z.string() }))`
    SELECT a.id FROM audience a JOIN dossier d ON d.id = a.dossier_id WHERE d.numero_portalis = ${portalis} AND a.id_tribunal = ${id}`);
}

function evenements(texte: string) {
  const comp = new ICAL.Component(ICAL.parse(texte));
  for (const vtz of comp.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(vtz);
  return comp.getAllSubcomponents('vevent').map((v) => {
    const e = new ICAL.Event(v);
    return { uid: e.uid, sequence: e.sequence, debut: e.startDate.toJSDate().toISOString(), statut: String(v.getFirstPropertyValue('status')), resume: e.summary };
  });
}

const get = async (nav: Navigateur, chemin: string) => nav.requete(`${app.url}${chemin}`);

/** Creates (or regenerates) the subscription through the page; returns the feed's path. */
async function abonner(nav: Navigateur, action: 'creer' | 'regenerer'): Promise<{ chemin: string; jeton: string; page: string }> {
  const page = await (await get(nav, '/espace/parametres/calendrier')).text();
  const f = formulaire(page, `value="${action}"`);
  const r = await nav.requete(`${app.url}${f.action}`, { form: { ...f.champs } });
  expect(r.status).toBe(200);
  expect(r.headers.get('cache-control')).toBe('no-store');
  const reponse = await r.text();
  const https = /id="adresse-https" readonly value="([^"]+)"/.exec(reponse)![1]!;
  expect(reponse).toContain(`value="${https.replace(/^http:/, 'webcal:')}"`);
  const u = new URL(https);
  expect(u.origin).toBe(app.url);
  return { chemin: u.pathname, jeton: /^\/calendrier\/([A-Za-z0-9_-]{43})\.ics$/.exec(u.pathname)![1]!, page: reponse };
}

// ------------------------------------------------------------------------------------------------

describe('export of future hearings', () => {
  test('only the account’s future, not cancelled hearings; a file download in each format; anything else is a 404', async () => {
    const lien = await dossierRattache('karim-benali', 'CAL-2026-00001');
    const lien2 = await dossierRattache('karim-benali', 'CAL-2026-00002', { jeton: JETON_LYON });
    const futur = await audience('CAL-2026-00001', 'A1', new Date(Date.now() + 10 * JOUR), { libelle: 'Audience, "fond"' });
    const passe = await audience('CAL-2026-00001', 'A0', new Date(Date.now() - 2 * JOUR));
    const annulee = await audience('CAL-2026-00001', 'A2', new Date(Date.now() + 20 * JOUR));
    expect((await app.api('DELETE', '/affaires/CAL-2026-00001/audiences/A2')).status).toBe(204);
    const lyon = await audience('CAL-2026-00002', 'L1', new Date(Date.now() + 5 * JOUR), { jeton: JETON_LYON });
    // Someone else's case and hearing.
    const autreLien = await dossierRattache('angela-dubois', 'CAL-2026-00003');
    const autre = await audience('CAL-2026-00003', 'X1', new Date(Date.now() + 7 * JOUR));

    const karim = await connecter('karim-benali');
    const page = await (await get(karim, '/espace/audiences')).text();
    expect(page).toContain(`value="${futur}"`);
    expect(page).toContain(`value="${lyon}"`);
    for (const absente of [passe, annulee, autre]) expect(page).not.toContain(absente);
    expect(page).toContain('name="format" value="ics" checked');
    expect(page).toContain('value="csv-google"');
    expect(page).toContain('value="csv-outlook"');
    expect(page).toMatch(/<form method="get" action="\/espace\/audiences\/export">/);
    expect(page).toContain('Audience, &quot;fond&quot;');

    // Several hearings, plus ids that are not exportable: only the account's future ones come out.
    const q = (ids: string[], format: string) => `/espace/audiences/export?${new URLSearchParams([...ids.map((i): [string, string] => ['audience', i]), ['format', format]])}`;
    const r = await get(karim, q([futur, lyon, autre, annulee, passe], 'ics'));
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    expect(r.headers.get('content-disposition')).toBe('attachment; filename="audiences.ics"');
    expect(r.headers.get('cache-control')).toBe('no-store');
    const host = new URL(app.url).hostname;
    const ev = evenements(await r.text());
    expect(ev.map((e) => e.uid).sort()).toEqual([`audience-${futur}@${host}`, `audience-${lyon}@${host}`].sort());
    expect(ev.every((e) => e.statut === 'CONFIRMED')).toBe(true);

    const g = await get(karim, q([futur], 'csv-google'));
    expect(g.headers.get('content-disposition')).toBe('attachment; filename="audiences-google.csv"');
    expect((await g.text()).split('\r\n')[0]).toBe('Subject,Start Date,Start Time,End Date,End Time,All Day Event,Description,Location,Private');
    const o = await get(karim, q([futur], 'csv-outlook'));
    expect(o.headers.get('content-disposition')).toBe('attachment; filename="audiences-outlook.csv"');
    const octets = Buffer.from(await o.arrayBuffer());
    expect([...octets.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(octets.toString('utf8').slice(1).split('\r\n')[0]).toMatch(/^Subject,Start Date,Start Time,End Date,End Time,All day event,Reminder on\/off,/);

    // Nothing selected, or only others' ids: the page again, with an error, no file.
    for (const chemin of [q([], 'ics'), q([autre], 'ics'), q([futur], 'pdf')]) {
      const rien = await get(karim, chemin);
      expect(rien.status).toBe(422);
      expect(rien.headers.get('content-disposition')).toBeNull();
      expect(await rien.text()).toContain('id="resume-erreurs"');
    }

    // One hearing from the case page: the choice page without a format, the file with one.
    const une = `/espace/dossiers/${lien}/audiences/${futur}/export`;
    const choix = await (await get(karim, une)).text();
    expect(choix).toContain(`action="${une}"`);
    expect(choix).toContain('name="format" value="ics" checked');
    const fichier = await get(karim, `${une}?format=ics`);
    expect(fichier.headers.get('content-disposition')).toMatch(/^attachment; filename="audience-\d{4}-\d{2}-\d{2}\.ics"$/);
    expect(evenements(await fichier.text()).map((e) => e.uid)).toEqual([`audience-${futur}@${host}`]);

    // The ordinary 404, same bytes: unknown path, someone else's link or hearing, a hearing of
    // another case of the account, a cancelled or past one, malformed ids.
    const inconnue = await get(karim, '/nexiste/pas');
    const attendu = await inconnue.text();
    expect(inconnue.status).toBe(404);
    for (const chemin of [
      `/espace/dossiers/${autreLien}/audiences/${autre}/export?format=ics`,
      `/espace/dossiers/${lien}/audiences/${autre}/export?format=ics`,
      `/espace/dossiers/${lien}/audiences/${lyon}/export?format=ics`,
      `/espace/dossiers/${lien2}/audiences/${futur}/export`,
      `/espace/dossiers/${lien}/audiences/${annulee}/export?format=ics`,
      `/espace/dossiers/${lien}/audiences/${passe}/export?format=ics`,
      `/espace/dossiers/${lien}/audiences/pas-un-uuid/export`,
      `/espace/dossiers/00000000-0000-4000-8000-000000000000/audiences/${futur}/export`,
    ]) {
      const x = await get(karim, chemin);
      expect(`${chemin} ${x.status}`).toBe(`${chemin} 404`);
      expect(await x.text()).toBe(attendu);
    }
    // And the owner of the other case can export it.
    const angela = await connecter('angela-dubois');
    expect((await get(angela, `/espace/dossiers/${autreLien}/audiences/${autre}/export?format=ics`)).status).toBe(200);
    expect((await get(angela, `/espace/dossiers/${lien}/audiences/${futur}/export?format=ics`)).status).toBe(404);
  });
});

describe('calendar subscription', () => {
  test('moved: same UID, higher SEQUENCE; cancelled: CANCELLED in the feed, gone from exports; ETag; regenerate and revoke → 404', async () => {
    const lien = await dossierRattache('marie-helene-lefevre', 'CAL-2026-00010');
    const debut = new Date(Math.ceil((Date.now() + 15 * JOUR) / 60_000) * 60_000);
    const id = await audience('CAL-2026-00010', 'M1', debut);
    const recente = await audience('CAL-2026-00010', 'M0', new Date(Date.now() - 10 * JOUR));
    const ancienne = await audience('CAL-2026-00010', 'M9', new Date(Date.now() - 40 * JOUR));
    const nav = await connecter('marie-helene-lefevre');
    const host = new URL(app.url).hostname;
    const uid = `audience-${id}@${host}`;

    const vide = await (await get(nav, '/espace/parametres/calendrier')).text();
    expect(vide).toContain('Vous n’avez pas d’abonnement actif.');
    // CSRF: a form without its token is refused.
    const sansJeton = await nav.requete(`${app.url}/espace/parametres/calendrier`, { form: { action: 'creer' } });
    expect(sansJeton.status).toBe(403);
    expect(await app.pool.oneFirst(sql.type(z.object({ n: z.coerce.number() }))`SELECT count(*) AS n FROM abonnement_calendrier`)).toBe(0);

    const { chemin, jeton } = await abonner(nav, 'creer');
    // Stored only as a keyed hash; neither the session store nor the journal hold the token.
    const lignes = await app.pool.any(sql.type(z.object({ hash: z.instanceof(Buffer), revoked_at: z.date().nullable() }))`SELECT hash, revoked_at FROM abonnement_calendrier`);
    expect(lignes).toHaveLength(1);
    expect(lignes[0]!.hash.equals(empreinteJetonCalendrier(app.config.HASH_KEY, jeton))).toBe(true);
    expect(lignes[0]!.hash.equals(Buffer.from(jeton, 'base64url'))).toBe(false);
    const partout = await app.pool.oneFirst(sql.type(z.object({ n: z.coerce.number() }))`
      SELECT (SELECT count(*) FROM session WHERE donnees::text LIKE ${'%' + jeton + '%'})
           + (SELECT count(*) FROM journal WHERE coalesce(details::text, '') LIKE ${'%' + jeton + '%'}) AS n`);
    expect(partout).toBe(0);
    // Shown once: the page afterwards no longer has it.
    const ensuite = await (await get(nav, '/espace/parametres/calendrier')).text();
    expect(ensuite).not.toContain(jeton);
    expect(ensuite).toContain('Un abonnement est actif');

    // The feed: no session needed.
    const flux1 = await fetch(`${app.url}${chemin}`);
    expect(flux1.status).toBe(200);
    expect(flux1.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    expect(flux1.headers.get('cache-control')).toBe('private, max-age=300');
    const etag = flux1.headers.get('etag')!;
    expect(etag).toBeTruthy();
    const t1 = await flux1.text();
    expect(t1).toContain('METHOD:PUBLISH');
    const e1 = evenements(t1);
    expect(e1.map((e) => e.uid).sort()).toEqual([uid, `audience-${recente}@${host}`].sort());
    expect(e1.map((e) => e.uid)).not.toContain(`audience-${ancienne}@${host}`);
    const avant = e1.find((e) => e.uid === uid)!;
    expect(avant.debut).toBe(debut.toISOString());
    // Unchanged: 304 on the ETag.
    // (fetch adds `Cache-Control: no-cache` to conditional requests, per the Fetch standard,
    // which asks for an end-to-end reload; a calendar client does not: say so explicitly.)
    const conditionnel = { 'If-None-Match': etag, 'Cache-Control': 'max-age=0' };
    const r304 = await fetch(`${app.url}${chemin}`, { headers: conditionnel });
    expect(r304.status).toBe(304);

    // The court moves the hearing.
    const nouveau = new Date(debut.getTime() + 7 * JOUR + 3600_000);
    await audience('CAL-2026-00010', 'M1', nouveau);
    const r2 = await fetch(`${app.url}${chemin}`, { headers: conditionnel });
    expect(r2.status).toBe(200);
    const deplacee = evenements(await r2.text()).find((e) => e.uid === uid)!;
    expect(deplacee.debut).toBe(nouveau.toISOString());
    expect(deplacee.sequence).toBeGreaterThan(avant.sequence);
    // A replay of the same push changes nothing; a new label alone is not a revision.
    await audience('CAL-2026-00010', 'M1', nouveau);
    await audience('CAL-2026-00010', 'M1', nouveau, { libelle: 'Audience de jugement (renvoi)' });
    const rejouee = evenements(await (await fetch(`${app.url}${chemin}`)).text()).find((e) => e.uid === uid)!;
    expect(rejouee.sequence).toBe(deplacee.sequence);
    expect(rejouee.resume).toContain('(renvoi)');

    // The court cancels it: CANCELLED in the feed (higher SEQUENCE), gone from the exports.
    expect((await app.api('DELETE', '/affaires/CAL-2026-00010/audiences/M1')).status).toBe(204);
    const annulee = evenements(await (await fetch(`${app.url}${chemin}`)).text()).find((e) => e.uid === uid)!;
    expect(annulee.statut).toBe('CANCELLED');
    expect(annulee.sequence).toBeGreaterThan(deplacee.sequence);
    expect(await (await get(nav, '/espace/audiences')).text()).not.toContain(id);
    expect((await get(nav, `/espace/dossiers/${lien}/audiences/${id}/export?format=ics`)).status).toBe(404);
    expect((await get(nav, `/espace/audiences/export?audience=${id}&format=ics`)).status).toBe(422);

    // Regenerate: the old address is a 404, the new one works.
    const attendu = await (await fetch(`${app.url}/nexiste/pas`)).text();
    const nouvelle = await abonner(nav, 'regenerer');
    expect(nouvelle.jeton).not.toBe(jeton);
    const ancienneAdresse = await fetch(`${app.url}${chemin}`);
    expect(ancienneAdresse.status).toBe(404);
    expect(await ancienneAdresse.text()).toBe(attendu);
    expect((await fetch(`${app.url}${nouvelle.chemin}`)).status).toBe(200);

    // Revoke: 404, and the page offers to create one again.
    const page = await (await get(nav, '/espace/parametres/calendrier')).text();
    const f = formulaire(page, 'value="revoquer"');
    const rev = await nav.requete(`${app.url}${f.action}`, { form: f.champs });
    expect(rev.status).toBe(303);
    expect((await fetch(`${app.url}${nouvelle.chemin}`)).status).toBe(404);
    expect(await (await get(nav, '/espace/parametres/calendrier')).text()).toContain('Vous n’avez pas d’abonnement actif.');
    // Malformed tokens are the same 404.
    for (const x of ['/calendrier/abc.ics', `/calendrier/${jeton}`, `/calendrier/${jeton}.ics.ics`]) {
      const r = await fetch(`${app.url}${x}`);
      expect(`${x} ${r.status}`).toBe(`${x} 404`);
      expect(await r.text()).toBe(attendu);
    }
  });

  test('the feed follows visibility: a detached case leaves it', async () => {
    const lien = await dossierRattache('karim-benali', 'CAL-2026-00020');
    const id = await audience('CAL-2026-00020', 'D1', new Date(Date.now() + 3 * JOUR));
    const nav = await connecter('karim-benali');
    const { chemin } = await abonner(nav, 'creer');
    expect(await (await fetch(`${app.url}${chemin}`)).text()).toContain(`audience-${id}@`);
    const page = await (await get(nav, `/espace/dossiers/${lien}/detacher`)).text();
    const f = formulaire(page, '/detacher');
    expect((await nav.requete(`${app.url}${f.action}`, { form: f.champs })).status).toBe(303);
    expect(await (await fetch(`${app.url}${chemin}`)).text()).not.toContain(`audience-${id}@`);
  });
});
