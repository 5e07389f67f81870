// The case page /espace/dossiers/{id} on the whole portal (real Postgres, Temporal): summary with
// the juridiction's contact details, "Vie du dossier" in chronological order with one coloured
// badge per kind of item, parties by role without the withdrawn ones, the decision-date rule
// (a decision shows only its date, a renvoi the new hearing's), "visible jusqu'au …" for closed
// cases, and documents: only the link's party's, PDF headers, first consultation recorded once,
// and every other way in (other party, other account, detached link, withdrawn access, purged
// case) answering the byte-identical 404 of an unknown id.
//
// Links are created directly with db/rattachements.ts `creerRattachement` from the consent's
// identification number row: the SMS flow itself is rattachement.it.test.ts's subject.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { sql } from 'slonik';
import { z } from 'zod';
import { affaireValide, demarrerApplication, JURIDICTION_VALIDE, PDF_MINIMAL, type Application } from '../aides/application.js';
import type { Navigateur } from '../aides/navigateur.js';
import { IDENTITES_TEST } from '../../dev/franceconnect.js';
import { purgerDossier } from '../../db/dossiers.js';
import { creerRattachement, detacherRattachement } from '../../db/rattachements.js';

let app: Application;

beforeAll(async () => {
  app = await demarrerApplication();
  expect((await app.api('PUT', '/juridiction', JURIDICTION_VALIDE)).status).toBe(200);
});
afterAll(async () => {
  await app?.arreter();
});

// ------------------------------------------------------------------------------------------------
// Helpers

interface Compte { nav: Navigateur; id: string }

async function connecter(identite: string): Promise<Compte> {
  const i = IDENTITES_TEST.find((x) => x.id === identite)!;
  const nav = await app.connecter(identite, { fournisseur: i.fournisseur });
  const id = await app.pool.oneFirst(sql.type(z.object({ id: z.string() }))`SELECT id FROM compte ORDER BY last_login_at DESC NULLS LAST LIMIT 1`);
  return { nav, id };
}

const partie = (id: string, o: Record<string, unknown> = {}) => ({
  id, role: 'Demandeur', type: 'physique', civilite: 'Mme', nom: 'DUBOIS', prenoms: 'Angela', courriel: `${id.toLowerCase()}@example.fr`, telephone: '+33612345678', ...o,
});

async function pousser(portalis: string, parties: Record<string, unknown>[], o: Record<string, unknown> = {}) {
  const r = await app.api('PUT', `/affaires/${portalis}`, affaireValide({ numeroDossier: `26/${portalis.slice(-5)}`, parties, ...o }));
  expect(`${r.status} ${await r.text()}`).toMatch(/^200 /);
}

/** Consent for the party, then a link for the account through its identification number. */
async function attacher(compte: Compte, portalis: string, partieId: string): Promise<string> {
  const r = await app.api('POST', `/affaires/${portalis}/consentements`, { partie: partieId });
  expect([200, 201]).toContain(r.status);
  const i = await app.pool.one(sql.type(z.object({ identifiant_id: z.string(), partie_id: z.string(), dossier_id: z.string() }))`
    SELECT i.id AS identifiant_id, c.partie_id, c.dossier_id
    FROM identifiant i JOIN consentement c ON c.id = i.consentement_id JOIN partie p ON p.id = c.partie_id JOIN dossier d ON d.id = c.dossier_id
    WHERE d.numero_portalis = ${portalis} AND p.id_tribunal = ${partieId} AND c.revoked_at IS NULL`);
  const id = await creerRattachement(app.pool, { compteId: compte.id, dossierId: i.dossier_id, partieId: i.partie_id, identifiantId: i.identifiant_id, creeLe: app.horloge.maintenant() });
  return id!;
}

async function evenement(portalis: string, e: Record<string, unknown>) {
  const r = await app.api('POST', `/affaires/${portalis}/evenements`, e);
  expect(`${r.status} ${await r.text()}`).toMatch(/^201 /);
}

async function audience(portalis: string, id: string, debut: string, libelle = 'Audience de plaidoirie') {
  const r = await app.api('PUT', `/affaires/${portalis}/audiences/${id}`, { debut, adresse: 'Parvis du Tribunal de Paris, 75017 Paris', salle: 'Salle 2.01', libelle });
  expect(r.status).toBe(200);
}

const pdf = (texte: string) => Buffer.concat([PDF_MINIMAL, Buffer.from(`% ${texte}\n`)]).toString('base64');

/** The text a person reads: tags removed, entities decoded, spaces collapsed. */
function texte(page: string): string {
  return page
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

async function corps(nav: Navigateur, chemin: string): Promise<string> {
  const r = await nav.requete(`${app.url}${chemin}`);
  return `${r.status}\n${await r.text()}`;
}

const idDocument = (titre: string) =>
  app.pool.oneFirst(sql.type(z.object({ id: z.string() }))`SELECT id FROM document WHERE titre = ${titre}`);

// ------------------------------------------------------------------------------------------------
// One case seen by Angela (P1, demandeur); P2 is the other party.

const P = 'VIE-2026-00001';
let angela: Compte;
let lien: string;

describe('case page', () => {
  beforeAll(async () => {
    await pousser(P, [
      partie('P1'),
      partie('P2', { role: 'Défendeur', type: 'morale', civilite: undefined, nom: undefined, prenoms: undefined, raisonSociale: 'Société Exemple SARL' }),
      partie('P3', { role: 'Défendeur', civilite: 'M.', nom: 'MARTIN', prenoms: 'Paul', avocat: 'Me Durand' }),
      partie('P4', { role: 'Intervenant', civilite: 'M.', nom: 'RETIRE', prenoms: 'Jean' }),
    ]);
    // P4 consents, then the court no longer lists it: kept (retiree_at) but never shown.
    expect((await app.api('POST', `/affaires/${P}/consentements`, { partie: 'P4' })).status).toBe(201);
    await pousser(P, [
      partie('P1'),
      partie('P2', { role: 'Défendeur', type: 'morale', civilite: undefined, nom: undefined, prenoms: undefined, raisonSociale: 'Société Exemple SARL' }),
      partie('P3', { role: 'Défendeur', civilite: 'M.', nom: 'MARTIN', prenoms: 'Paul', avocat: 'Me Durand' }),
    ]);
    // Pushed out of order on purpose: the page sorts.
    await evenement(P, { id: 'E4', type: 'decision', date: '2027-01-15T14:00:00+01:00', libelle: 'Le tribunal prononce le divorce aux torts partagés' });
    await evenement(P, { id: 'E1', type: 'depot', date: '2026-09-05T10:00:00+02:00', libelle: 'Dépôt de la requête', document: { type: 'recepisse', titre: 'Récépissé de dépôt P1', destinataires: ['P1'], pdf: pdf('P1') } });
    await evenement(P, { id: 'E2', type: 'convocation', date: '2026-09-10T10:00:00+02:00', libelle: 'Convocation du défendeur', document: { type: 'convocation', titre: 'Convocation de la société P2', destinataires: ['P2'], pdf: pdf('P2') } });
    await evenement(P, { id: 'E3', type: 'renvoi', date: '2026-10-01T11:00:00+02:00', libelle: 'Renvoi à la demande du défendeur pour conclusions' });
    await audience(P, 'A2', '2026-11-20T14:00:00+01:00', 'Audience de renvoi');
    await audience(P, 'A1', '2026-09-30T10:00:00+02:00', 'Première audience');
    await audience(P, 'A0', '2026-10-15T10:00:00+02:00', 'Audience annulée ensuite');
    expect((await app.api('DELETE', `/affaires/${P}/audiences/A0`)).status).toBe(204);
    angela = await connecter('angela-dubois');
    lien = await attacher(angela, P, 'P1');
  });

  test('summary: nature, état, numéro, juridiction with contact details and map, saisine, party', async () => {
    const page = await (await angela.nav.requete(`${app.url}/espace/dossiers/${lien}`)).text();
    const t = texte(page);
    expect(t).toContain('Dossier n° 26/00001');
    expect(t).toContain('Nature Divorce');
    expect(t).toContain('État En cours');
    expect(t).toContain('Tribunal judiciaire de Paris');
    expect(t).toContain('Parvis du Tribunal de Paris, 75017 Paris');
    expect(t).toContain('Téléphone : 01 44 32 51 51');
    expect(page).toContain('href="https://www.openstreetmap.org/?mlat=48.8951&amp;mlon=2.3146');
    expect(t).toContain('Date de saisine 1 septembre 2026');
    expect(t).toContain('Partie : Demandeur — Mme Angela DUBOIS');
    expect(t).not.toContain('consultable jusqu’au');
  });

  test('"Vie du dossier": chronological, dates on the left, one badge per kind, decision date only, renvoi with the new date', async () => {
    const page = await (await angela.nav.requete(`${app.url}/espace/dossiers/${lien}`)).text();
    const vie = /<ol class="fr-raw-list vie-du-dossier"[\s\S]*?<\/ol>/.exec(page)![0];
    const items = vie.split('<li class="fr-grid-row').slice(1).map((m) => texte(`<li ${m}`).trim());
    expect(items.map((i) => i.replace(/Consulter[\s\S]*$/, '').trim())).toEqual([
      '01 septembre 2026 Saisine Réception de votre dossier par le tribunal',
      '05/09/2026 à 10:00 Événement Dépôt de la requête',
      '05/09/2026 à 10:00 Document Récépissé : Récépissé de dépôt P1',
      '10/09/2026 à 10:00 Événement Convocation du défendeur',
      '30/09/2026 à 10:00 Audience Première audience Parvis du Tribunal de Paris, 75017 Paris, Salle 2.01',
      '01/10/2026 à 11:00 Renvoi Affaire renvoyée à l’audience du 20/11/2026 à 14:00',
      '15/10/2026 à 10:00 Audience Audience annulée — Audience annulée ensuite Parvis du Tribunal de Paris, 75017 Paris, Salle 2.01',
      '20/11/2026 à 14:00 Audience Audience de renvoi Parvis du Tribunal de Paris, 75017 Paris, Salle 2.01',
      '15/01/2027 à 14:00 Décision Décision rendue',
    ].map((s) => s.replace('01 septembre', '1 septembre')));
    // The decision's and the renvoi's texts are never published.
    expect(page).not.toContain('prononce le divorce');
    expect(page).not.toContain('pour conclusions');
    // Distinct coloured badges, each with its visible text.
    expect(vie).toContain('fr-badge--purple-glycine fr-icon-folder-2-line">Saisine<');
    expect(vie).toContain('fr-badge--blue-ecume fr-icon-flag-line">Événement<');
    expect(vie).toContain('fr-badge--green-emeraude fr-icon-calendar-event-line">Audience<');
    expect(vie).toContain('fr-badge--pink-tuile fr-icon-file-pdf-line">Document<');
    expect(vie).toContain('fr-badge--brown-caramel fr-icon-scales-3-line">Décision<');
    expect(vie).toContain('fr-badge--orange-terre-battue fr-icon-scales-3-line">Renvoi<');
    // Hearings carry the slot the calendar export fills.
    const audiences = await app.pool.anyFirst(sql.type(z.object({ id: z.string() }))`
      SELECT a.id FROM audience a JOIN dossier d ON d.id = a.dossier_id WHERE d.numero_portalis = ${P}`);
    expect(audiences).toHaveLength(3);
    for (const a of audiences) {
      expect(page).toContain(`id="audience-${a}"`);
      expect(page).toContain(`<div class="export-audience" data-audience="${a}"></div>`);
    }
    // The rule is explained on the page.
    expect(texte(page)).toContain('Seule la date d’une décision est affichée, sauf pour un renvoi');
  });

  test('only the documents addressed to the followed party', async () => {
    const page = await (await angela.nav.requete(`${app.url}/espace/dossiers/${lien}`)).text();
    expect(page).toContain('Récépissé de dépôt P1');
    expect(page).not.toContain('Convocation de la société P2');
    expect(page).not.toContain(await idDocument('Convocation de la société P2'));
  });

  test('parties grouped by role, without the withdrawn ones', async () => {
    const page = await (await angela.nav.requete(`${app.url}/espace/dossiers/${lien}`)).text();
    const bloc = texte(/<section class="fr-accordion[\s\S]*?<\/section>/.exec(page)![0]).trim();
    expect(bloc).toBe('Voir le détail des parties Demandeur Mme Angela DUBOIS Défendeur Société Exemple SARL M. Paul MARTIN — avocat : Me Durand');
    expect(page).not.toContain('RETIRE');
  });

  test('a document: inline PDF with the right headers, download, first consultation recorded once and shown', async () => {
    const doc = await idDocument('Récépissé de dépôt P1');
    const avant = await (await angela.nav.requete(`${app.url}/espace/dossiers/${lien}`)).text();
    expect(texte(avant)).toContain('Pas encore consulté');

    const r = await angela.nav.requete(`${app.url}/espace/dossiers/${lien}/documents/${doc}`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/pdf');
    expect(r.headers.get('content-disposition')).toBe(`inline; filename="Recepisse de depot P1.pdf"; filename*=UTF-8''R%C3%A9c%C3%A9piss%C3%A9%20de%20d%C3%A9p%C3%B4t%20P1.pdf`);
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('cache-control')).toBe('private, no-store');
    const octets = Buffer.from(await r.arrayBuffer());
    expect(octets.subarray(0, 5).toString()).toBe('%PDF-');
    expect(octets.toString()).toContain('% P1');

    const lireConsultation = () => app.pool.any(sql.type(z.object({ consulte_le: z.date() }))`
      SELECT consulte_le FROM consultation_document WHERE rattachement_id = ${lien} AND document_id = ${doc}`);
    const [premiere] = await lireConsultation();
    expect(premiere).toBeDefined();

    await new Promise((res) => setTimeout(res, 20));
    const t = await angela.nav.requete(`${app.url}/espace/dossiers/${lien}/documents/${doc}?telechargement=1`);
    expect(t.status).toBe(200);
    expect(t.headers.get('content-disposition')).toMatch(/^attachment; filename="Recepisse de depot P1\.pdf"; filename\*=UTF-8''/);
    await t.arrayBuffer();
    const apres = await lireConsultation();
    expect(apres).toHaveLength(1);
    expect(apres[0]!.consulte_le.getTime()).toBe(premiere!.consulte_le.getTime());

    const page = texte(await (await angela.nav.requete(`${app.url}/espace/dossiers/${lien}`)).text());
    expect(page).toMatch(/Consulté le \d{2}\/\d{2}\/\d{4} à \d{2}:\d{2}/);
    expect(page).not.toContain('Pas encore consulté');

    const journal = await app.pool.any(sql.type(z.object({ resultat: z.string(), acteur_id: z.string().nullable(), details: z.any() }))`
      SELECT resultat, acteur_id, details FROM journal WHERE action = 'document.consulter' AND objet_id = ${doc} ORDER BY id`);
    expect(journal.map((j) => [j.resultat, j.acteur_id, j.details.premiere, j.details.telechargement])).toEqual([
      ['succes', angela.id, true, false],
      ['succes', angela.id, false, true],
    ]);
  });
});

describe('closed case', () => {
  test('"visible (consultable) jusqu’au" = closure + CASE_RETENTION, in Paris', async () => {
    const Q = 'VIE-2026-00002';
    await pousser(Q, [partie('P1')]);
    const nav = await connecter('karim-benali');
    const id = await attacher(nav, Q, 'P1');
    // 30 November 2026, 23:30 in Paris = 22:30 UTC: the Paris day is what counts.
    expect((await app.api('POST', `/affaires/${Q}/cloture`, { date: '2026-11-30T23:30:00+01:00' })).status).toBe(204);
    const t = texte(await (await nav.nav.requete(`${app.url}/espace/dossiers/${id}`)).text());
    expect(t).toContain('Dossier terminé le 30 novembre 2026 ; il reste consultable jusqu’au 30 novembre 2027.');
  });
});

describe('document authorization: every other way in is the 404 of an unknown id', () => {
  test('other party, other account, detached link, withdrawn access, purged case', async () => {
    const R = 'VIE-2026-00003';
    const parties = [partie('P1'), partie('P2', { civilite: 'M.', nom: 'ADVERSE', prenoms: 'Marc' })];
    await pousser(R, parties);
    await evenement(R, { id: 'E1', type: 'avis', date: '2026-09-05T10:00:00+02:00', libelle: 'Avis', document: { type: 'avis', titre: 'Avis pour P1 (R)', destinataires: ['P1'], pdf: pdf('R1') } });
    await evenement(R, { id: 'E2', type: 'avis', date: '2026-09-06T10:00:00+02:00', libelle: 'Avis', document: { type: 'avis', titre: 'Avis pour P2 (R)', destinataires: ['P2'], pdf: pdf('R2') } });
    const a = await connecter('lucas-petit');
    const b = await connecter('josiane-robert');
    const lienA = await attacher(a, R, 'P1');
    const lienB = await attacher(b, R, 'P2');
    const docA = await idDocument('Avis pour P1 (R)');
    const docB = await idDocument('Avis pour P2 (R)');

    const reference = await corps(a.nav, `/espace/dossiers/${randomUUID()}`);
    expect(reference.startsWith('404\n')).toBe(true);
    const refB = await corps(b.nav, `/espace/dossiers/${randomUUID()}`);
    // Sanity: each can read their own.
    expect((await corps(a.nav, `/espace/dossiers/${lienA}/documents/${docA}`)).startsWith('200\n')).toBe(true);
    expect((await corps(b.nav, `/espace/dossiers/${lienB}/documents/${docB}`)).startsWith('200\n')).toBe(true);

    // Unknown document, malformed ids.
    expect(await corps(a.nav, `/espace/dossiers/${lienA}/documents/${randomUUID()}`)).toBe(reference);
    expect(await corps(a.nav, `/espace/dossiers/${lienA}/documents/pas-un-uuid`)).toBe(reference);
    expect(await corps(a.nav, `/espace/dossiers/${randomUUID()}/documents/${docA}`)).toBe(reference);
    // The other party's document of the same case, through one's own link.
    expect(await corps(a.nav, `/espace/dossiers/${lienA}/documents/${docB}`)).toBe(reference);
    // Another account, with the right link and document ids.
    expect(await corps(b.nav, `/espace/dossiers/${lienA}/documents/${docA}`)).toBe(refB);
    expect(await corps(b.nav, `/espace/dossiers/${lienA}/actualisation?version=1&depuis=2026-01-01T00:00:00Z`)).toBe(refB);

    // The court withdraws P1's access, then gives it back.
    await pousser(R, [{ ...parties[0]!, accesRetire: true }, parties[1]!]);
    expect(await corps(a.nav, `/espace/dossiers/${lienA}/documents/${docA}`)).toBe(reference);
    expect(await corps(a.nav, `/espace/dossiers/${lienA}`)).toBe(reference);
    await pousser(R, parties);
    expect((await corps(a.nav, `/espace/dossiers/${lienA}/documents/${docA}`)).startsWith('200\n')).toBe(true);

    // Detached link.
    expect(await detacherRattachement(app.pool, a.id, lienA, app.horloge.maintenant(), app.config.CASE_RETENTION)).toBe(true);
    expect(await corps(a.nav, `/espace/dossiers/${lienA}/documents/${docA}`)).toBe(reference);

    // Purged case: B's link and document go with it.
    const dossierId = await app.pool.oneFirst(sql.type(z.object({ id: z.string() }))`SELECT id FROM dossier WHERE numero_portalis = ${R}`);
    await purgerDossier(app.pool, dossierId);
    expect(await corps(b.nav, `/espace/dossiers/${lienB}/documents/${docB}`)).toBe(refB);
    expect(await corps(b.nav, `/espace/dossiers/${lienB}`)).toBe(refB);

    // Refusals are journaled, without anything the citizen could not already see.
    const refus = await app.pool.oneFirst(sql.type(z.object({ n: z.coerce.number() }))`
      SELECT count(*) AS n FROM journal WHERE action = 'document.consulter' AND resultat = 'refus' AND acteur_id = ${a.id}`);
    expect(refus).toBeGreaterThanOrEqual(6);
  });
});
