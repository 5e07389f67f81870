// "Mes données" (issue 9 items 1 and 4) on the whole portal (real Postgres, Temporal, worker,
// mail/SMS sinks, FranceConnect stand-in). Angela is seeded through the real flows: three cases
// pushed by the court API, consents and numbers e-mailed, each case added with its SMS code; a
// hearing (its reminder SMS), an event, a closure, a detached case, an alert switched off, a
// calendar subscription, a draft and a sent requête, agents' reads journaled. Karim, another
// citizen, has his own case, requête and agent read. The JSON export must hold every kind of
// Angela's data and nothing of Karim's, nor any secret; the PDF lists the same items; the page
// shows the court's coordinates masked only and the retention dates of each case.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { inflateSync } from 'node:zlib';
import { sql } from 'slonik';
import { z } from 'zod';
import { affaireValide, demarrerApplication, JURIDICTION_VALIDE, PDF_MINIMAL, type Application } from '../aides/application.js';
import { formulaire, type Navigateur } from '../aides/navigateur.js';
import { journaliser } from '../../db/journal.js';
import { formaterDate } from '../../domain/dates.js';
import { ajouterDuree } from '../../domain/durees.js';
import { normaliserNumero } from '../../domain/identifiants.js';
import type { ExportDonnees } from '../../services/mes-donnees.js';
import * as requetes from '../../services/requetes.js';
import { routes } from '../../web/app.js';
import { creerJournal } from '../../web/log.js';

let app: Application;
let angela: Navigateur;
let karim: Navigateur;
/** Every identification number and SMS code seen: none may appear in an export. */
const secrets: string[] = [];
const AGENT_ID = randomUUID();
const AJOUTER = '/espace/dossiers/ajouter';
const JOUR = 86_400_000;

const ids = { angela: '', karim: '', dossierA: '', dossierB: '', dossierK: '', dossierD: '', lienC: '', brouillon: '', envoyee: '', reference: '', brouillonKarim: '' };
let clotureB: Date;

interface Partie { portalis: string; numero: string; nom: string; prenoms: string; courriel: string | null; telephone: string | null; representant?: { nom: string; prenoms: string; courriel: string; telephone: string } }
const A: Partie = { portalis: 'MD-A', numero: '26/70001', nom: 'DUBOIS', prenoms: 'Angela', courriel: 'angela.tribunal@example.fr', telephone: '06 12 34 56 78' };
const B: Partie = { portalis: 'MD-B', numero: '26/70002', nom: 'DUBOIS', prenoms: 'Angela', courriel: 'angela.b@example.fr', telephone: '+33611111102' };
const C: Partie = { portalis: 'MD-C', numero: '26/70003', nom: 'DUBOIS', prenoms: 'Angela', courriel: 'angela.c@example.fr', telephone: '+33611111103' };
/** Added, then the court cuts Angela's online access to it (e.g. a new guardianship). */
const D: Partie = { portalis: 'MD-D', numero: '26/70004', nom: 'DUBOIS', prenoms: 'Angela', courriel: 'angela.d@example.fr', telephone: '+33611111104' };
const K: Partie = { portalis: 'MD-K', numero: '26/79999', nom: 'BENALI', prenoms: 'Karim', courriel: 'karim.tribunal@example.fr', telephone: '+33698765432' };
/** Karim follows his daughter's case as her representative: the number and code go to him. */
const K2: Partie = { portalis: 'MD-K2', numero: '26/79998', nom: 'BENALI', prenoms: 'Léa', courriel: null, telephone: null, representant: { nom: 'BENALI', prenoms: 'Karim', courriel: 'karim.parent@example.fr', telephone: '+33698765400' } };
const contact = (p: Partie) => ({ courriel: (p.representant?.courriel ?? p.courriel)!, telephone: (p.representant?.telephone ?? p.telephone)! });
const e164 = (t: string) => (t.startsWith('+') ? t : `+33${t.replace(/\s/g, '').slice(1)}`);

// ------------------------------------------------------------------------------------------------
// Helpers

async function attendre<T>(quoi: string, f: () => Promise<T | undefined | null | false>, essais = 300): Promise<T> {
  for (let i = 0; i < essais; i++) {
    const v = await f();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`attendu : ${quoi}`);
}

async function ok(r: Promise<Response>): Promise<void> {
  const reponse = await r;
  expect(`${reponse.status} ${await reponse.text()}`).toMatch(/^20[014] /);
}

async function pousser(p: Partie, o: { accesRetire?: boolean } = {}): Promise<string> {
  await ok(app.api('PUT', `/affaires/${p.portalis}`, affaireValide({
    numeroDossier: p.numero,
    nature: p === D ? 'Tutelle des majeurs' : 'Divorce',
    parties: [
      { id: 'P1', role: 'Demandeur', type: 'physique', civilite: p.prenoms === 'Karim' ? 'M.' : 'Mme', nom: p.nom, prenoms: p.prenoms, ...(p.courriel ? { courriel: p.courriel, telephone: p.telephone } : {}), ...(o.accesRetire ? { accesRetire: true } : {}) },
      { id: 'P2', role: 'Défendeur', type: 'morale', raisonSociale: 'Société Exemple SARL', formeJuridique: 'SARL' },
    ],
  })));
  return app.pool.oneFirst(sql.type(z.object({ id: z.string() }))`SELECT id FROM dossier WHERE numero_portalis = ${p.portalis}`);
}

/** Records P1's consent; returns the identification number read from the e-mail. */
async function consentir(p: Partie): Promise<string> {
  expect((await app.api('POST', `/affaires/${p.portalis}/consentements`, { partie: 'P1', ...(p.representant ? { representant: p.representant } : {}) })).status).toBe(201);
  const a = contact(p).courriel;
  const [courriel] = await attendre(`courriel à ${a}`, async () => {
    const c = await app.courriels(a);
    return c.length ? c : null;
  });
  const numero = /Numéro d'identification : (\S+)/.exec(courriel!.text)![1]!;
  secrets.push(numero, normaliserNumero(numero)!);
  return numero;
}

/** The add flow: number, then the code received by SMS. */
async function ajouter(nav: Navigateur, p: Partie): Promise<void> {
  const numero = await consentir(p);
  app.horloge.avancer(61_000);
  const jeton = async () => formulaire(await (await nav.requete(`${app.url}${AJOUTER}`)).text(), 'name="etape" value="numero"').champs._csrf!;
  const d = await nav.requete(`${app.url}${AJOUTER}`, { form: { _csrf: await jeton(), etape: 'numero', numero } });
  expect(d.status).toBe(303);
  const tentative = new URL(d.headers.get('location')!, app.url).searchParams.get('tentative')!;
  const [sms] = await attendre(`SMS au ${contact(p).telephone}`, async () => {
    const l = await app.sms(e164(contact(p).telephone));
    return l.length ? l : null;
  });
  const code = /est (\d{6})\. Il expire/.exec(sms!.body)![1]!;
  secrets.push(code);
  const r = await nav.requete(`${app.url}${AJOUTER}`, { form: { _csrf: await jeton(), etape: 'code', tentative, code } });
  expect(r.status).toBe(303);
  expect(r.headers.get('location')).toBe('/espace');
}

async function texteDe(nav: Navigateur, chemin: string): Promise<{ statut: number; page: string }> {
  const r = await nav.requete(`${app.url}${chemin}`);
  return { statut: r.status, page: await r.text() };
}

/** Posts a form of the page at `depuis` (its CSRF token) to `chemin`. */
async function poster(nav: Navigateur, depuis: string, chemin: string, champs: Record<string, string>): Promise<Response> {
  const { page } = await texteDe(nav, depuis);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page)![1]!;
  return nav.requete(`${app.url}${chemin}`, { form: { _csrf: csrf, ...champs } });
}

/** The text a person reads: tags removed, entities decoded, spaces collapsed. */
function texte(page: string): string {
  return page
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

/** The text pdfkit wrote (content streams deflated or not, strings hex in TJ arrays), WinAnsi decoded. */
function textePdf(pdf: Buffer): string {
  const brut = pdf.toString('latin1');
  const morceaux: string[] = [];
  for (const m of brut.matchAll(/stream\r?\n/g)) {
    const debut = m.index! + m[0].length;
    const flux = pdf.subarray(debut, brut.indexOf('endstream', debut));
    let contenu: string;
    try {
      contenu = inflateSync(flux).toString('latin1');
    } catch {
      contenu = flux.toString('latin1');
    }
    for (const t of contenu.matchAll(/\[(.*?)\] TJ/g)) morceaux.push([...t[1]!.matchAll(/<([0-9a-f]+)>/g)].map((h) => Buffer.from(h[1]!, 'hex').toString('latin1')).join(''));
  }
  // Lines are wrapped at spaces: joined back with one. WinAnsi's few characters outside Latin-1.
  return morceaux.join(' ').replace(/\s+/g, ' ').replace(/\x95/g, '•').replace(/\x92/g, '’').replace(/\x96/g, '–').replace(/\x97/g, '—');
}

const ctxRequetes = () => ({ pool: app.pool, temporal: app.temporal, config: app.config, maintenant: app.horloge.maintenant });

async function exporter(nav: Navigateur): Promise<{ r: Response; texte: string; json: ExportDonnees }> {
  const r = await nav.requete(`${app.url}/espace/mes-donnees.json`);
  const t = await r.text();
  return { r, texte: t, json: JSON.parse(t) as ExportDonnees };
}

// ------------------------------------------------------------------------------------------------
// Seeding

beforeAll(async () => {
  // No quiet hours: the hearing's reminder SMS goes at once, whatever the hour of the run.
  app = await demarrerApplication({ QUIET_HOURS: '' });
  await ok(app.api('PUT', '/juridiction', JURIDICTION_VALIDE));
  ids.dossierA = await pousser(A);
  ids.dossierB = await pousser(B);
  await pousser(C);
  ids.dossierK = await pousser(K);
  ids.dossierD = await pousser(D);
  await pousser(K2);

  angela = await app.connecter('angela-dubois');
  karim = await app.connecter('karim-benali');
  const compte = (email: string) => app.pool.oneFirst(sql.type(z.object({ id: z.string() }))`SELECT id FROM compte WHERE email = ${email}`);
  ids.angela = await compte('angela.dubois@example.org');
  ids.karim = await compte('karim.benali@example.org');

  await ajouter(angela, A);
  await ajouter(angela, B);
  await ajouter(angela, C);
  await ajouter(karim, K);
  await ajouter(karim, K2);
  // At most 3 SMS codes an hour per account: D an hour later; then the court cuts the access.
  app.horloge.avancer(3600_000);
  await ajouter(angela, D);
  await pousser(D, { accesRetire: true });

  // Case A: a hearing in two days (its reminder SMS goes at once) and an event.
  await ok(app.api('PUT', `/affaires/${A.portalis}/audiences/A1`, { debut: new Date(Date.now() + 2 * JOUR).toISOString(), adresse: 'Parvis du Tribunal de Paris', libelle: 'Audience de plaidoiries' }));
  await ok(app.api('POST', `/affaires/${A.portalis}/evenements`, { id: 'E1', type: 'renvoi', date: new Date(Date.now() - JOUR).toISOString(), libelle: 'Renvoi à une audience ultérieure' }));
  // Case B closed ten days ago: its data goes one year after the closure.
  await ok(app.api('POST', `/affaires/${B.portalis}/cloture`, { date: new Date(Date.now() - 10 * JOUR).toISOString() }));
  clotureB = await app.pool.oneFirst(sql.type(z.object({ d: z.date() }))`SELECT date_cloture AS d FROM dossier WHERE id = ${ids.dossierB}`);
  // Case C detached through its confirmation page.
  ids.lienC = await app.pool.oneFirst(sql.type(z.object({ id: z.string() }))`
    SELECT r.id FROM rattachement r JOIN dossier d ON d.id = r.dossier_id WHERE r.compte_id = ${ids.angela} AND d.numero_portalis = ${C.portalis}`);
  const confirmation = await texteDe(angela, `/espace/dossiers/${ids.lienC}/detacher`);
  const f = formulaire(confirmation.page, 'Détacher ce dossier');
  expect((await angela.requete(`${app.url}${f.action}`, { form: f.champs })).status).toBe(303);
  // Alerts off for case A only; a calendar subscription.
  expect((await poster(angela, '/espace/parametres', '/espace/parametres', { action: 'dossier', dossier: ids.dossierA, actives: 'non' })).status).toBe(303);
  const abonnement = await poster(angela, '/espace/parametres/calendrier', '/espace/parametres/calendrier', { action: 'creer' });
  expect(abonnement.status).toBe(200);
  // The feed's secret token, shown once: it must never reappear.
  secrets.push(/\/calendrier\/([A-Za-z0-9_-]{20,})\.ics/.exec(await abonnement.text())![1]!);

  // Requêtes: Angela's draft and sent one, Karim's draft.
  const ctx = ctxRequetes();
  ids.brouillon = await requetes.commencer(ctx, ids.angela, { juridiction: 'TJ-PARIS', type: 'jaf' });
  expect(await requetes.enregistrerChamps(ctx, ids.angela, ids.brouillon, { objet: 'residence', motifs: 'Déménagement de l’autre parent' })).toEqual({ ok: true });
  expect(await requetes.ajouterTiers(ctx, ids.angela, ids.brouillon, { type: 'physique', civilite: 'M.', nom: 'MARTIN', prenoms: 'Paul' })).toEqual({ ok: true });
  ids.envoyee = await requetes.commencer(ctx, ids.angela, { juridiction: 'TJ-PARIS', type: 'partie_civile' });
  expect(await requetes.enregistrerChamps(ctx, ids.angela, ids.envoyee, { infraction: 'Vol de scooter', dateFaits: '2026-03-02', lieuFaits: 'Paris 17e', prejudice: 'Scooter volé', montant: '1500' })).toEqual({ ok: true });
  expect(await requetes.ajouterPiece(ctx, ids.angela, ids.envoyee, { nom: 'plainte.pdf', octets: PDF_MINIMAL })).toEqual({ ok: true, nom: 'plainte.pdf' });
  expect((await requetes.envoyer(ctx, ids.angela, ids.envoyee)).acceptee).toBe(true);
  ids.brouillonKarim = await requetes.commencer(ctx, ids.karim, { juridiction: 'TJ-PARIS', type: 'jaf' });
  expect(await requetes.ajouterTiers(ctx, ids.karim, ids.brouillonKarim, { type: 'physique', nom: 'ZORGLUB', prenoms: 'Zeta' })).toEqual({ ok: true });
  expect(await requetes.ajouterPiece(ctx, ids.karim, ids.brouillonKarim, { nom: 'karim-secret.pdf', octets: PDF_MINIMAL })).toEqual({ ok: true, nom: 'karim-secret.pdf' });
  ids.reference = await attendre('requête envoyée', () => app.pool.maybeOneFirst(sql.type(z.object({ r: z.string().nullable() }))`
    SELECT reference AS r FROM requete WHERE id = ${ids.envoyee} AND statut = 'envoyee'`));

  // Agents' reads, as web/agent/* journal them: Angela's case and requête, Karim's case.
  await journaliser(app.pool, { acteurType: 'agent', acteurId: AGENT_ID, role: 'agent_greffe', juridiction: 'TJ-PARIS', finalite: 'information', action: 'dossier.consulter', objetType: 'dossier', objetId: ids.dossierA, resultat: 'succes', details: { champs: [] } });
  await journaliser(app.pool, { acteurType: 'agent', acteurId: AGENT_ID, role: 'agent_greffe', juridiction: 'TJ-PARIS', action: 'requete.consulter', objetType: 'requete', objetId: ids.envoyee, resultat: 'succes', details: {} });
  // A read of the case cut off from Angela: no longer hers to see.
  await journaliser(app.pool, { acteurType: 'agent', acteurId: AGENT_ID, role: 'directeur_greffe', juridiction: 'TJ-PARIS', action: 'dossier.consulter', objetType: 'dossier', objetId: ids.dossierD, resultat: 'succes', details: {} });
  await journaliser(app.pool, { acteurType: 'agent', acteurId: AGENT_ID, role: 'magistrat', juridiction: 'TJ-PARIS', action: 'dossier.consulter', objetType: 'dossier', objetId: ids.dossierK, resultat: 'succes', details: {} });

  // The messages that leave asynchronously: the hearing reminder and the acknowledgment.
  await attendre('rappel d’audience et accusé de réception', async () => {
    const n = await app.pool.oneFirst(sql.type(z.object({ n: z.number() }))`
      SELECT count(*)::int AS n FROM notification WHERE (type = 'rappel' AND dossier_id = ${ids.dossierA}) OR (type = 'accuse_reception' AND requete_id = ${ids.envoyee})`);
    return n >= 2;
  });
}, 240_000);

afterAll(async () => {
  await app?.arreter();
});

// ------------------------------------------------------------------------------------------------

describe('access', () => {
  test('every "Mes données" route is in the page table, for citizens only; without a session each redirects to /connexion', async () => {
    const table = routes({ config: app.config, pool: app.pool, temporal: app.temporal, log: creerJournal('test', 'silent') });
    for (const chemin of ['/espace/mes-donnees', '/espace/mes-donnees.json', '/espace/mes-donnees.pdf']) {
      expect(table.find((r) => r.chemin === chemin && r.methode === 'GET')?.acces).toBe('citoyen');
      const r = await fetch(`${app.url}${chemin}`, { redirect: 'manual' });
      expect(r.status).toBe(302);
      expect(r.headers.get('location')).toBe('/connexion');
    }
  });

  test('the personal space links to "Mes données"', async () => {
    expect((await texteDe(angela, '/espace')).page).toContain('href="/espace/mes-donnees"');
    expect((await texteDe(angela, '/espace/parametres')).page).toContain('href="/espace/mes-donnees"');
  });
});

describe('JSON export', () => {
  test('is a dated, versioned download, journaled', async () => {
    const { r, json } = await exporter(angela);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^application\/json/);
    expect(r.headers.get('content-disposition')).toMatch(/^attachment; filename="mes-donnees-portail-du-justiciable-\d{4}-\d{2}-\d{2}\.json"$/);
    expect(r.headers.get('cache-control')).toContain('no-store');
    expect(json.version).toBe(1);
    expect(Math.abs(Date.parse(json.genereLe) - app.horloge.maintenant().getTime())).toBeLessThan(60_000);
    const lignes = await app.pool.any(sql.type(z.object({ acteur_id: z.string(), details: z.record(z.unknown()) }))`
      SELECT acteur_id, details FROM journal WHERE action = 'compte.exporter_donnees' AND acteur_type = 'citoyen'`);
    expect(lignes).toEqual(expect.arrayContaining([{ acteur_id: ids.angela, details: { format: 'json', version: 1 } }]));
  });

  test('holds every kind of Angela’s data', async () => {
    const { json: e } = await exporter(angela);
    // Identity from FranceConnect, CGU.
    expect(e.identite).toMatchObject({ source: 'FranceConnect', prenoms: 'Angela Claire Louise', nomDeNaissance: 'DUBOIS', dateDeNaissance: '1962-08-24', courriel: 'angela.dubois@example.org' });
    expect(e.cgu.length).toBeGreaterThanOrEqual(1);
    // Cases and as whom, attached and detached.
    const dossier = (n: string) => e.dossiers.find((d) => d.numeroDossier === n)!;
    expect(dossier(A.numero)).toMatchObject({ consultable: true, detacheLe: null, qualite: { role: 'Demandeur', partie: 'Mme Angela DUBOIS', enTantQueRepresentant: false }, alertesActives: false, juridiction: { code: 'TJ-PARIS', nom: 'Tribunal judiciaire de Paris' } });
    expect(dossier(A.numero).conservation).toEqual({ regle: 'Pendant toute la procédure, puis 1 an après la clôture du dossier', jusquAu: null });
    expect(dossier(B.numero).dateCloture).toBe(clotureB.toISOString());
    expect(dossier(B.numero).conservation!.jusquAu).toBe(ajouterDuree(clotureB, 'P1Y').toISOString());
    expect(dossier(C.numero).detacheLe).not.toBeNull();
    expect(dossier(C.numero).consultable).toBe(false);
    // The case the court cut off: named, with why, nothing of its content.
    expect(dossier(D.numero)).toEqual({
      consultable: false, motifNonConsultable: 'Dossier masqué : la juridiction a retiré votre accès en ligne à ce dossier.',
      juridiction: { code: 'TJ-PARIS', nom: 'Tribunal judiciaire de Paris' }, numeroDossier: D.numero, rattacheLe: expect.any(String), detacheLe: null,
    });
    expect(e.dossiers).toHaveLength(4);
    // Alert preferences.
    expect(e.alertes.courrielsActives).toBe(true);
    expect(e.alertes.parDossier).toEqual(expect.arrayContaining([
      { numeroDossier: A.numero, juridiction: 'Tribunal judiciaire de Paris', actives: false },
      { numeroDossier: B.numero, juridiction: 'Tribunal judiciaire de Paris', actives: true },
    ]));
    // E-mails and SMS: identification number, SMS codes, hearing reminder, requête acknowledgment.
    const types = new Set(e.notifications.map((n) => `${n.canal}:${n.type}`));
    for (const t of ['courriel:identifiant', 'sms:code_sms', 'sms:rappel', 'courriel:accuse_reception']) expect(types).toContain(t);
    expect(e.notifications.find((n) => n.type === 'identifiant' && n.numeroDossier === A.numero)).toMatchObject({ destinataire: 'a•••@example.fr', libelle: 'Numéro d’identification' });
    expect(e.notifications.find((n) => n.type === 'rappel')).toMatchObject({ destinataire: '+33 6 •• •• •• 78', numeroDossier: A.numero });
    expect(e.notifications.find((n) => n.type === 'accuse_reception')).toMatchObject({ referenceRequete: ids.reference, canal: 'courriel' });
    for (const n of e.notifications) expect(Object.keys(n)).not.toEqual(expect.arrayContaining(['corps']));
    // Requêtes, with their third parties and attachments' metadata.
    const brouillon = e.requetes.find((r) => r.statut === 'brouillon')!;
    expect(brouillon).toMatchObject({ type: 'jaf', modifiable: true, tiers: [{ nom: 'M. Paul MARTIN', type: 'physique' }] });
    expect(brouillon.conservation.jusquAu).not.toBeNull();
    const envoyee = e.requetes.find((r) => r.statut === 'envoyee')!;
    expect(envoyee).toMatchObject({ reference: ids.reference, modifiable: false, conservation: { regle: 'Pendant toute la procédure, puis 5 ans après la clôture du dossier', jusquAu: null } });
    expect(envoyee.pieces).toEqual([expect.objectContaining({ nom: 'plainte.pdf', typeMime: 'application/pdf', taille: PDF_MINIMAL.length })]);
    expect(envoyee.donnees).toMatchObject({ infraction: 'Vol de scooter' });
    expect(e.requetes).toHaveLength(2);
    // Agents' reads: role and juridiction, no agent.
    expect(e.consultationsParLesAgents).toEqual(expect.arrayContaining([
      expect.objectContaining({ objet: 'dossier', numeroDossier: A.numero, fonction: 'Agent de greffe', juridiction: 'Tribunal judiciaire de Paris' }),
      expect.objectContaining({ objet: 'requete', referenceRequete: ids.reference, fonction: 'Agent de greffe' }),
    ]));
    expect(e.consultationsParLesAgents).toHaveLength(2);
    // Coordinates the courts hold, masked, with the registry to contact; the detached case's are not listed.
    const PARIS = { code: 'TJ-PARIS', nom: 'Tribunal judiciaire de Paris', telephone: JURIDICTION_VALIDE.telephone, courriel: null };
    expect(e.coordonneesConnuesDesJuridictions).toEqual(expect.arrayContaining([
      { numeroDossier: A.numero, juridiction: PARIS, titulaire: 'partie', courriel: 'a•••@example.fr', telephone: '+33 6 •• •• •• 78' },
      { numeroDossier: B.numero, juridiction: PARIS, titulaire: 'partie', courriel: 'a•••@example.fr', telephone: '+33 6 •• •• •• 02' },
    ]));
    expect(e.coordonneesConnuesDesJuridictions.map((c) => c.numeroDossier)).toEqual(expect.not.arrayContaining([C.numero, D.numero]));
    expect(e.alertes.parDossier.map((a) => a.numeroDossier)).toEqual(expect.not.arrayContaining([C.numero, D.numero]));
    // SMS codes asked, calendar, sessions.
    expect(e.codesSms).toHaveLength(4);
    // Messages about the cut-off case are listed without naming it.
    expect(e.notifications.filter((n) => n.type === 'code_sms' && n.numeroDossier === null)).toHaveLength(1);
    expect(e.codesSms.every((c) => c.etat === 'Utilisé' && /^\+33 6 •• •• •• \d\d$/.test(c.telephone))).toBe(true);
    expect(e.calendrier).toMatchObject({ abonnementActif: true, abonnementsRevoques: 0 });
    expect(e.sessionsActives).toBeGreaterThanOrEqual(1);
  });

  test('holds nothing of Karim’s, and no secret nor full coordinate', async () => {
    const { texte: t } = await exporter(angela);
    for (const interdit of [
      'BENALI', 'Karim', 'karim', 'Léa', K.numero, K.portalis, K2.numero, K2.portalis, '98765400', ids.dossierK, ids.karim, ids.brouillonKarim, 'ZORGLUB', 'karim-secret.pdf', '98765432', '87 65 43',
      'Magistrat désigné', 'Directeur de greffe', AGENT_ID, 'Tutelle des majeurs', contact(D).courriel, '611111104', ids.dossierD,
      // Angela's own coordinates as the court holds them: masked only.
      contact(A).courriel, contact(B).courriel, '612345678', '12 34 56 78', '611111102',
      ...secrets,
    ]) expect({ interdit, trouve: t.includes(interdit) }).toEqual({ interdit, trouve: false });
    // Karim's export is his own.
    const { json: k, texte: tk } = await exporter(karim);
    expect(k.dossiers.map((d) => d.numeroDossier).sort()).toEqual([K2.numero, K.numero]);
    // As his daughter's representative: the coordinates are those the consent gave for him.
    expect(k.dossiers.find((d) => d.numeroDossier === K2.numero)!.qualite).toEqual({ role: 'Demandeur', partie: 'Mme Léa BENALI', enTantQueRepresentant: true });
    expect(k.coordonneesConnuesDesJuridictions.find((c) => c.numeroDossier === K2.numero)).toMatchObject({ titulaire: 'representant', courriel: 'k•••@example.fr', telephone: '+33 6 •• •• •• 00' });
    expect(k.notifications.find((n) => n.type === 'identifiant' && n.numeroDossier === K2.numero)).toMatchObject({ destinataire: 'k•••@example.fr' });
    expect(k.requetes).toHaveLength(1);
    expect(k.consultationsParLesAgents).toEqual([expect.objectContaining({ fonction: 'Magistrat désigné', numeroDossier: K.numero })]);
    for (const interdit of ['DUBOIS', 'Angela', A.numero, B.numero, C.numero, ids.reference, 'plainte.pdf', 'MARTIN']) expect({ interdit, trouve: tk.includes(interdit) }).toEqual({ interdit, trouve: false });
  });
});

describe('PDF', () => {
  test('opens as a PDF and lists the same items as the JSON', async () => {
    const r = await angela.requete(`${app.url}/espace/mes-donnees.pdf`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/pdf');
    expect(r.headers.get('content-disposition')).toMatch(/^attachment; filename="mes-donnees-portail-du-justiciable-\d{4}-\d{2}-\d{2}\.pdf"$/);
    const pdf = Buffer.from(await r.arrayBuffer());
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const t = textePdf(pdf);
    const { json: e } = await exporter(angela);
    for (const attendu of [
      'Mes données', 'Identité reçue de FranceConnect', 'Angela Claire Louise', '24 août 1962', 'Divorce', `terminé le ${formaterDate(clotureB)}`,
      `Dossier n° ${A.numero}`, `Dossier n° ${B.numero}`, `Dossier n° ${C.numero}`, 'détaché le',
      'a•••@example.fr', '+33 6 •• •• •• 78', '+33 6 •• •• •• 02',
      `suppression le ${formaterDate(ajouterDuree(clotureB, 'P1Y'))}`,
      'Numéro d’identification', 'Rappel d’audience', 'Accusé de réception',
      ids.reference, 'plainte.pdf', 'M. Paul MARTIN', 'Agent de greffe',
      'Version', 'Abonnement au calendrier : actif',
    ]) expect({ attendu, trouve: t.includes(attendu) }).toEqual({ attendu, trouve: true });
    // As many messages and agents' reads as in the JSON.
    expect(t.match(/Agent de greffe/g)).toHaveLength(e.consultationsParLesAgents.length);
    for (const interdit of ['BENALI', 'Karim', K.numero, 'ZORGLUB', '12 34 56 78', contact(A).courriel, ...secrets]) expect({ interdit, trouve: t.includes(interdit) }).toEqual({ interdit, trouve: false });
    const journal = await app.pool.anyFirst(sql.type(z.object({ f: z.string() }))`
      SELECT details->>'format' AS f FROM journal WHERE action = 'compte.exporter_donnees' AND acteur_id = ${ids.angela}`);
    expect(journal).toContain('pdf');
  });
});

describe('page', () => {
  test('shows rights, masked coordinates only, and each case’s retention date', async () => {
    const { statut, page } = await texteDe(angela, '/espace/mes-donnees');
    expect(statut).toBe(200);
    const t = texte(page);
    expect(page).toMatch(/<h1>Mes données<\/h1>/);
    for (const h of ['Vos droits sur ces données', 'Identité reçue de FranceConnect', 'Vos dossiers', 'Coordonnées connues des juridictions', 'Durées de conservation de vos données', 'Vos alertes', 'Courriels et SMS envoyés', 'Vos requêtes', 'Consultations par les agents de la justice']) {
      expect(page).toContain(`>${h}</h2>`);
    }
    // Every table has a caption and column headers.
    const tables = page.match(/<table>[\s\S]*?<\/table>/g)!;
    expect(tables.length).toBeGreaterThanOrEqual(8);
    for (const tb of tables) {
      expect(tb).toMatch(/<caption>[^<]+<\/caption>/);
      expect(tb).toContain('<th scope="col">');
    }
    // Rights, in plain French.
    expect(t).toContain('Vous exercez votre droit d’accès directement dans votre espace personnel');
    expect(t).toContain('le droit à l’effacement ne s’applique pas');
    expect(t).toContain('Tant qu’une requête n’est pas transmise à la juridiction');
    // Coordinates: masked, read-only, what to do.
    const coord = texte(/<section[^>]*id="coordonnees"[\s\S]*?<\/section>/.exec(page)![0]);
    expect(coord).toContain('a•••@example.fr');
    expect(coord).toContain('+33 6 •• •• •• 78');
    expect(coord).toContain('Vous ne pouvez pas les modifier depuis votre espace');
    expect(coord).toContain('lors de votre prochaine audience');
    expect(page).toMatch(/<section[^>]*id="coordonnees"[\s\S]*href="\/juridictions"/);
    expect(coord).toContain(`Greffe : Tribunal judiciaire de Paris Téléphone : ${JURIDICTION_VALIDE.telephone}`);
    expect(coord).not.toContain(C.numero);
    expect(/<section[^>]*id="coordonnees"[\s\S]*?<\/section>/.exec(page)![0]).not.toMatch(/<(form|input|button)\b/);
    for (const interdit of ['612345678', '12 34 56 78', '611111102', contact(A).courriel, contact(B).courriel, 'BENALI', K.numero, ...secrets]) {
      expect({ interdit, trouve: page.includes(interdit) }).toEqual({ interdit, trouve: false });
    }
    // Retention: case B closed → closure + 1 year; case A open → after the closure.
    const conservation = /<section[^>]*id="conservation"[\s\S]*?<\/section>/.exec(page)![0];
    const ligne = (n: string) => texte(new RegExp(`<tr><th scope="row">Dossier n° ${n.replace('/', '\\/')}[\\s\\S]*?</tr>`).exec(conservation)![0]);
    expect(ligne(B.numero)).toContain(formaterDate(ajouterDuree(clotureB, 'P1Y')));
    expect(ligne(B.numero)).toContain(`1 an après la clôture du dossier (clôturé le ${formaterDate(clotureB)})`);
    expect(ligne(A.numero)).toContain('1 an après la clôture, date encore inconnue');
    expect(texte(conservation)).toContain(ids.reference);
    // Downloads offered.
    expect(page).toContain('href="/espace/mes-donnees.json"');
    expect(page).toContain('href="/espace/mes-donnees.pdf"');
  });
});
