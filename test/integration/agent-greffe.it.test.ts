// The clerk's, reception desk's and head of registry's pages on the whole portal (issue 8 items
// 2 and 3): every consultation and action lands in the journal in the same transaction; writes go
// through the court API's own commands (consent e-mail, events, hearings, closure); the SAUJ
// needs a purpose and sees one case read-only; the citizen sees who (by role) consulted the case;
// the head of registry manages clerks and magistrates and reads the filtered journal.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { sql } from 'slonik';
import { z } from 'zod';
import { affaireValide, demarrerApplication, JETON_LYON, JURIDICTION_VALIDE, PDF_MINIMAL, type Application } from '../aides/application.js';
import { attribuerRole, connecterAgent, lignesJournal } from '../aides/agent.js';
import { formulaire, type Navigateur } from '../aides/navigateur.js';
import { creerRattachement } from '../../db/rattachements.js';

let app: Application;
let paris: string;
let lyon: string;
let greffe: Navigateur;
let idGreffe: string;

const idDossier = (portalis: string, juridiction: string) =>
  app.pool.oneFirst(sql.type(z.object({ id: z.string() }))`SELECT id FROM dossier WHERE numero_portalis = ${portalis} AND juridiction = ${juridiction}`);
const idAgent = (courriel: string) => app.pool.oneFirst(sql.type(z.object({ id: z.string() }))`SELECT id FROM agent WHERE courriel = ${courriel}`);

/** The text a person reads: tags removed, entities decoded, spaces collapsed. */
const texte = (h: string) => h.replace(/<[^>]+>/g, ' ').replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&').replace(/\s+/g, ' ');

async function poster(nav: Navigateur, page: string, action: string, champs: Record<string, string>): Promise<Response> {
  const f = formulaire(page, `action="${action}"`);
  return nav.requete(`${app.url}${action}`, { form: { ...f.champs, ...champs } });
}

beforeAll(async () => {
  app = await demarrerApplication();
  expect((await app.api('PUT', '/juridiction', JURIDICTION_VALIDE)).status).toBeLessThan(300);
  expect((await app.api('PUT', '/juridiction', { ...JURIDICTION_VALIDE, nom: 'Tribunal judiciaire de Lyon', adresse: '67 rue Servient, 69003 Lyon' }, { jeton: JETON_LYON })).status).toBeLessThan(300);
  expect((await app.api('PUT', '/affaires/PARIS-0001', affaireValide({ numeroDossier: '26/00001' }))).status).toBe(200);
  expect((await app.api('PUT', '/affaires/LYON-0001', affaireValide({ numeroDossier: '26/00001', nature: 'Bail d’habitation' }), { jeton: JETON_LYON })).status).toBe(200);
  paris = await idDossier('PARIS-0001', 'TJ-PARIS');
  lyon = await idDossier('LYON-0001', 'TJ-LYON');
  await attribuerRole(app, { courriel: 'greffe.paris@justice.fr', role: 'agent_greffe', juridiction: 'TJ-PARIS' });
  await attribuerRole(app, { courriel: 'accueil.paris@justice.fr', role: 'agent_accueil', juridiction: 'TJ-PARIS' });
  await attribuerRole(app, { courriel: 'directeur.greffe.paris@justice.fr', role: 'directeur_greffe', juridiction: 'TJ-PARIS' });
  greffe = (await connecterAgent(app, 'greffe.paris@justice.fr')).nav;
  idGreffe = await idAgent('greffe.paris@justice.fr');
});
afterAll(async () => {
  await app?.arreter();
});

describe('clerk (agent_greffe)', () => {
  test('search by numéro de dossier or Portalis finds only the own juridiction’s case; the search is journaled', async () => {
    const r = await greffe.requete(`${app.url}/agent/dossiers?numero=${encodeURIComponent('26/00001')}`);
    expect(r.status).toBe(200);
    const page = await r.text();
    expect(page).toContain(`href="/agent/dossiers/${paris}"`);
    expect(page).not.toContain(lyon);
    expect(await (await greffe.requete(`${app.url}/agent/dossiers?numero=paris-0001`)).text()).toContain(`href="/agent/dossiers/${paris}"`);
    expect((await lignesJournal(app, { action: 'dossier.rechercher', acteurId: idGreffe }))[0]).toMatchObject({ role: 'agent_greffe', juridiction: 'TJ-PARIS', resultat: 'succes' });
  });

  test('the case view shows parties and contact details, and the consultation is journaled (agent, role, juridiction, purpose, object, outcome)', async () => {
    const r = await greffe.requete(`${app.url}/agent/dossiers/${paris}`);
    expect(r.status).toBe(200);
    expect(r.headers.get('cache-control')).toBe('no-store');
    const t = texte(await r.text());
    expect(t).toContain('Dossier n° 26/00001');
    expect(t).toContain('Mme Angela DUBOIS');
    expect(t).toContain('angela.dubois@example.fr');
    expect(t).toContain('Pas de consentement');
    const j = await lignesJournal(app, { action: 'dossier.consulter', objetId: paris });
    expect(j.at(-1)).toMatchObject({ acteur_type: 'agent', acteur_id: idGreffe, role: 'agent_greffe', juridiction: 'TJ-PARIS', finalite: 'gestion du dossier par le greffe', objet_type: 'dossier', resultat: 'succes' });
  });

  test('another juridiction’s case answers like an unknown page (404, no data), and the refusal is journaled', async () => {
    const inconnu = await greffe.requete(`${app.url}/agent/dossiers/00000000-0000-4000-8000-000000000000`);
    const autre = await greffe.requete(`${app.url}/agent/dossiers/${lyon}`);
    expect(autre.status).toBe(404);
    const corps = await autre.text();
    expect(corps).toBe(await inconnu.text());
    expect(corps).not.toContain('Bail');
    expect((await lignesJournal(app, { objetId: lyon })).at(-1)).toMatchObject({ acteur_id: idGreffe, resultat: 'refus' });
    for (const chemin of ['consentements', 'cloture', 'reouverture']) {
      const page = await (await greffe.requete(`${app.url}/agent/dossiers/${paris}`)).text();
      const f = formulaire(page, 'action="/agent/dossiers/');
      const r = await greffe.requete(`${app.url}/agent/dossiers/${lyon}/${chemin}`, { form: { _csrf: f.champs._csrf!, partie: 'P1', date: '2026-12-01T10:00' } });
      expect(`${chemin} ${r.status}`).toBe(`${chemin} 404`);
    }
    expect(await app.pool.exists(sql.unsafe`SELECT 1 FROM consentement WHERE dossier_id = ${lyon}`)).toBe(false);
  });

  test('records a consent through the court API’s command: e-mail with the number to the party, journaled with the agent', async () => {
    let page = await (await greffe.requete(`${app.url}/agent/dossiers/${paris}`)).text();
    // No party chosen: the form again, 422, the error tied to its field.
    const erreur = await poster(greffe, page, `/agent/dossiers/${paris}/consentements`, { partie: '' });
    expect(erreur.status).toBe(422);
    const h = await erreur.text();
    expect(h).toContain('href="#consentement-partie"');
    expect(h).toMatch(/id="consentement-partie"[^>]*aria-describedby="consentement-partie-erreur"/);
    page = await (await greffe.requete(`${app.url}/agent/dossiers/${paris}`)).text();
    const r = await poster(greffe, page, `/agent/dossiers/${paris}/consentements`, { partie: 'P1' });
    expect(r.status).toBe(303);
    expect(await app.pool.exists(sql.unsafe`SELECT 1 FROM consentement WHERE dossier_id = ${paris}`)).toBe(true);
    const j = (await lignesJournal(app, { action: 'consentement.enregistrer', objetId: paris })).at(-1)!;
    expect(j).toMatchObject({ acteur_type: 'agent', acteur_id: idGreffe, role: 'agent_greffe', juridiction: 'TJ-PARIS', resultat: 'succes' });
    const suite = texte(await (await greffe.requete(`${app.url}/agent/dossiers/${paris}`)).text());
    expect(suite).toContain('Consentement enregistré');
    for (let i = 0; i < 100; i++) {
      if ((await app.courriels('angela.dubois@example.fr')).length) break;
      await new Promise((ok) => setTimeout(ok, 100));
    }
    expect((await app.courriels('angela.dubois@example.fr'))[0]!.subject).toContain('26/00001');
  });

  test('manual event with a PDF (multipart), shown inline; a document type without a file is refused', async () => {
    const page = await (await greffe.requete(`${app.url}/agent/dossiers/${paris}`)).text();
    const f = formulaire(page, `action="/agent/dossiers/${paris}/evenements"`);
    const cookies = (greffe as unknown as { cookies: Map<string, string> }).cookies;
    const envoyer = (fd: FormData) => fetch(`${app.url}/agent/dossiers/${paris}/evenements`, { method: 'POST', body: fd, redirect: 'manual', headers: { cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') } });
    const sansFichier = new FormData();
    for (const [k, v] of Object.entries({ ...f.champs, type: 'convocation', date: '2026-11-20T09:30', libelle: 'Convocation à l’audience', document_type: 'convocation', document_titre: 'Convocation', destinataires: 'P1' })) sansFichier.append(k, v);
    const refus = await envoyer(sansFichier);
    expect(refus.status).toBe(422);
    expect(await refus.text()).toContain('Joignez le fichier PDF du document.');
    const fd = new FormData();
    for (const [k, v] of Object.entries({ ...f.champs, type: 'convocation', date: '2026-11-20T09:30', libelle: 'Convocation à l’audience', document_type: 'convocation', document_titre: 'Convocation', destinataires: 'P1' })) fd.append(k, v);
    fd.append('fichier', new Blob([PDF_MINIMAL], { type: 'application/pdf' }), 'convocation.pdf');
    const r = await envoyer(fd);
    expect(r.status).toBe(303);
    const ev = await app.pool.one(sql.type(z.object({ date: z.date(), libelle: z.string(), doc: z.string() }))`
      SELECT e.date, e.libelle, d.id AS doc FROM evenement e JOIN document d ON d.evenement_id = e.id WHERE e.dossier_id = ${paris}`);
    // 09:30 in Paris in November is 08:30 UTC.
    expect(ev.date.toISOString()).toBe('2026-11-20T08:30:00.000Z');
    const pdf = await greffe.requete(`${app.url}/agent/dossiers/${paris}/documents/${ev.doc}`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(pdf.headers.get('content-disposition')).toMatch(/^inline;/);
    expect(Buffer.from(await pdf.arrayBuffer()).equals(PDF_MINIMAL)).toBe(true);
    expect((await lignesJournal(app, { action: 'document.consulter' })).at(-1)).toMatchObject({ acteur_id: idGreffe, objet_id: paris, resultat: 'succes' });
    expect((await lignesJournal(app, { action: 'evenement.ajouter' })).filter((l) => l.resultat === 'succes').at(-1)).toMatchObject({ acteur_type: 'agent', acteur_id: idGreffe });
  });

  test('hearing scheduled, moved, cancelled; case closed and reopened — each through the court’s commands, journaled with the agent', async () => {
    let page = await (await greffe.requete(`${app.url}/agent/dossiers/${paris}`)).text();
    expect((await poster(greffe, page, `/agent/dossiers/${paris}/audiences`, { debut: '2027-01-15T14:00', libelle: 'Audience JAF', adresse: 'Parvis du Tribunal de Paris', salle: 'Salle 2.07' })).status).toBe(303);
    const a = await app.pool.one(sql.type(z.object({ id_tribunal: z.string(), debut: z.date() }))`SELECT id_tribunal, debut FROM audience WHERE dossier_id = ${paris}`);
    expect(a.debut.toISOString()).toBe('2027-01-15T13:00:00.000Z');
    page = await (await greffe.requete(`${app.url}/agent/dossiers/${paris}`)).text();
    expect((await poster(greffe, page, `/agent/dossiers/${paris}/audiences`, { audience: a.id_tribunal, debut: '2027-01-22T10:00', libelle: 'Audience JAF', adresse: 'Parvis du Tribunal de Paris', salle: '' })).status).toBe(303);
    expect((await app.pool.oneFirst(sql.type(z.object({ debut: z.date() }))`SELECT debut FROM audience WHERE dossier_id = ${paris}`)).toISOString()).toBe('2027-01-22T09:00:00.000Z');
    page = await (await greffe.requete(`${app.url}/agent/dossiers/${paris}`)).text();
    expect((await poster(greffe, page, `/agent/dossiers/${paris}/audiences/${a.id_tribunal}/annuler`, {})).status).toBe(303);
    expect(await app.pool.exists(sql.unsafe`SELECT 1 FROM audience WHERE dossier_id = ${paris} AND annulee_at IS NOT NULL`)).toBe(true);
    page = await (await greffe.requete(`${app.url}/agent/dossiers/${paris}`)).text();
    const sansDate = await poster(greffe, page, `/agent/dossiers/${paris}/cloture`, { date: '' });
    expect(sansDate.status).toBe(422);
    expect(await sansDate.text()).toContain('href="#cloture-date"');
    expect((await poster(greffe, page, `/agent/dossiers/${paris}/cloture`, { date: '2026-11-21T12:00' })).status).toBe(303);
    expect(await app.pool.exists(sql.unsafe`SELECT 1 FROM dossier WHERE id = ${paris} AND date_cloture IS NOT NULL`)).toBe(true);
    page = await (await greffe.requete(`${app.url}/agent/dossiers/${paris}`)).text();
    expect((await poster(greffe, page, `/agent/dossiers/${paris}/reouverture`, {})).status).toBe(303);
    expect(await app.pool.exists(sql.unsafe`SELECT 1 FROM dossier WHERE id = ${paris} AND date_cloture IS NULL`)).toBe(true);
    const actions = (await lignesJournal(app, { objetId: paris, acteurId: idGreffe })).filter((l) => l.resultat === 'succes').map((l) => l.action);
    for (const a2 of ['audience.planifier', 'audience.deplacer', 'audience.annuler', 'affaire.cloturer', 'affaire.rouvrir']) expect(actions).toContain(a2);
  });
});

describe('reception desk (agent_accueil, SAUJ)', () => {
  let accueil: Navigateur;
  beforeAll(async () => {
    accueil = (await connecterAgent(app, 'accueil.paris@justice.fr')).nav;
  });

  test('without a purpose: refused with a clear message, no case data, refusal journaled', async () => {
    const page = await (await accueil.requete(`${app.url}/agent/accueil`)).text();
    const r = await poster(accueil, page, '/agent/accueil', { numero: 'PARIS-0001', juridiction: '', finalite: '' });
    expect(r.status).toBe(422);
    const h = await r.text();
    expect(texte(h)).toContain('Indiquez la finalité de la consultation');
    expect(h).toContain('href="#accueil-finalite"');
    expect(h).not.toContain('DUBOIS');
    const idAccueil = await idAgent('accueil.paris@justice.fr');
    expect((await lignesJournal(app, { acteurId: idAccueil, action: 'dossier.consulter' })).at(-1)).toMatchObject({ resultat: 'refus', details: { motif: 'finalite_absente' } });
  });

  test('one case of any juridiction, read-only, without contact details nor documents; journaled with the purpose', async () => {
    const page = await (await accueil.requete(`${app.url}/agent/accueil`)).text();
    const ambigu = await poster(accueil, page, '/agent/accueil', { numero: '26/00001', juridiction: '', finalite: 'Information du justiciable présent à l’accueil' });
    expect(ambigu.status).toBe(422);
    expect(texte(await ambigu.text())).toContain('choisissez la juridiction');
    const r = await poster(accueil, page, '/agent/accueil', { numero: '26/00001', juridiction: 'TJ-LYON', finalite: 'Information du justiciable présent à l’accueil' });
    expect(r.status).toBe(200);
    const h = await r.text();
    expect(texte(h)).toContain('Bail d’habitation');
    expect(h).toContain('Mme Angela DUBOIS');
    expect(h).not.toContain('angela.dubois@example.fr');
    expect(h).not.toContain('<form method="post" action="/agent/dossiers');
    const idAccueil = await idAgent('accueil.paris@justice.fr');
    expect((await lignesJournal(app, { acteurId: idAccueil, objetId: lyon })).at(-1)).toMatchObject({
      action: 'dossier.consulter', role: 'agent_accueil', juridiction: 'TJ-LYON', finalite: 'Information du justiciable présent à l’accueil', resultat: 'succes', details: { juridictionAgent: 'TJ-PARIS' },
    });
    // The clerk's pages stay closed to the desk.
    expect((await accueil.requete(`${app.url}/agent/dossiers/${lyon}`)).status).toBe(403);
  });
});

describe('citizen side', () => {
  test('the case page lists the court’s consultations: date, role, juridiction — never the agent’s name', async () => {
    const nav = await app.connecter('angela-dubois');
    const compteId = await app.pool.oneFirst(sql.type(z.object({ id: z.string() }))`SELECT id FROM compte LIMIT 1`);
    const i = await app.pool.one(sql.type(z.object({ identifiant_id: z.string(), partie_id: z.string() }))`
      SELECT i.id AS identifiant_id, c.partie_id FROM identifiant i JOIN consentement c ON c.id = i.consentement_id WHERE c.dossier_id = ${paris}`);
    const lien = await creerRattachement(app.pool, { compteId, dossierId: paris, partieId: i.partie_id, identifiantId: i.identifiant_id, creeLe: app.horloge.maintenant() });
    await greffe.requete(`${app.url}/agent/dossiers/${paris}`);
    const h = await (await nav.requete(`${app.url}/espace/dossiers/${lien}`)).text();
    const section = texte(h.slice(h.indexOf('id="consultations-tribunal"'), h.indexOf('</section>', h.indexOf('id="consultations-tribunal"'))));
    expect(section).toContain('Consultations de votre dossier par le tribunal');
    expect(section).toContain('Agent de greffe');
    expect(section).toContain('Tribunal judiciaire de Paris');
    expect(section).not.toMatch(/Camille|Martin|greffe\.paris/);
  });
});

describe('head of registry (directeur_greffe)', () => {
  let directeur: Navigateur;
  beforeAll(async () => {
    directeur = (await connecterAgent(app, 'directeur.greffe.paris@justice.fr')).nav;
  });

  test('adds a clerk, habilitates a magistrate with dates (required), withdraws without deleting — journaled', async () => {
    let page = await (await directeur.requete(`${app.url}/agent/agents`)).text();
    expect(texte(page)).toContain('greffe.paris@justice.fr');
    const sansDates = await poster(directeur, page, '/agent/agents', { courriel: 'magistrat.paris@justice.fr', role: 'magistrat', debut: '', fin: '' });
    expect(sansDates.status).toBe(422);
    const h = await sansDates.text();
    expect(h).toContain('href="#ajout-debut"');
    expect(texte(h)).toContain('Un magistrat est habilité avec une date de début');
    const r = await poster(directeur, page, '/agent/agents', { courriel: 'Magistrat.Paris@justice.fr', role: 'magistrat', debut: '2026-01-01', fin: '2030-12-31' });
    expect(r.status).toBe(303);
    expect((await connecterAgent(app, 'magistrat.paris@justice.fr')).retour.status).toBe(302);
    page = await (await directeur.requete(`${app.url}/agent/agents`)).text();
    expect((await poster(directeur, page, '/agent/agents', { courriel: 'greffe.lyon@justice.fr', role: 'agent_greffe', debut: '', fin: '' })).status).toBe(303);
    // Not a head of registry's to give: refused.
    page = await (await directeur.requete(`${app.url}/agent/agents`)).text();
    expect((await poster(directeur, page, '/agent/agents', { courriel: 'x@justice.fr', role: 'directeur_greffe' })).status).toBe(422);
    // Another juridiction's list is closed.
    expect((await directeur.requete(`${app.url}/agent/agents?juridiction=TJ-LYON`)).status).toBe(404);
    const roleId = await app.pool.oneFirst(sql.type(z.object({ id: z.string() }))`
      SELECT r.id FROM agent_role r JOIN agent a ON a.id = r.agent_id WHERE a.courriel = 'magistrat.paris@justice.fr' AND r.revoked_at IS NULL`);
    page = await (await directeur.requete(`${app.url}/agent/agents`)).text();
    expect((await poster(directeur, page, `/agent/agents/${roleId}/retirer`, {})).status).toBe(303);
    expect(await app.pool.exists(sql.unsafe`SELECT 1 FROM agent_role WHERE id = ${roleId} AND revoked_at IS NOT NULL`)).toBe(true);
    expect((await connecterAgent(app, 'magistrat.paris@justice.fr')).retour.status).toBe(403);
    const idDirecteur = await idAgent('directeur.greffe.paris@justice.fr');
    const actions = (await lignesJournal(app, { acteurId: idDirecteur })).map((l) => `${l.action}:${l.resultat}`);
    expect(actions).toEqual(expect.arrayContaining(['agent.role.attribuer:succes', 'agent.role.attribuer:erreur', 'agent.role.retirer:succes']));
  });

  test('reads and filters the juridiction’s journal by action, agent and date', async () => {
    const tout = texte(await (await directeur.requete(`${app.url}/agent/journal`)).text());
    expect(tout).toContain('dossier.consulter');
    expect(tout).toContain('greffe.paris@justice.fr');
    const h = await (await directeur.requete(`${app.url}/agent/journal?action=affaire.cloturer&agent=greffe.paris%40justice.fr`)).text();
    const filtre = texte(h.slice(h.indexOf('id="journal"')));
    expect(filtre).toContain('affaire.cloturer');
    expect(filtre).not.toContain('dossier.rechercher');
    // The closure and the refused attempt without a date.
    expect(filtre).toMatch(/2 entrées/);
    expect(filtre).toContain('erreur');
    const futur = texte(await (await directeur.requete(`${app.url}/agent/journal?du=2099-01-01`)).text());
    expect(futur).toMatch(/0 entrée/);
    // Not for clerks.
    expect((await greffe.requete(`${app.url}/agent/journal`)).status).toBe(403);
  });
});
