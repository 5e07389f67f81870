// The citizen's requête pages on the whole portal (real Postgres, Temporal dev server, worker,
// mail sink), driven like a browser without JavaScript: a draft begun, saved and kept; malformed
// fields refused with their messages and nothing saved; someone else's requête is a 404 on every
// route of the page table; attachments checked by content with their own French messages and
// nothing stored when refused; an incomplete requête refused at sending with the missing fields
// named; a complete one sent (acknowledgment e-mail, proof of deposit), then read-only on every
// write route; a deleted draft leaves "Brouillon supprimé le …" in the list.
// Small attachment limits (MAX_DOCUMENT_BYTES, MAX_REQUETE_BYTES) keep the files small.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createHash } from 'node:crypto';
import { inflateSync } from 'node:zlib';
import { sql } from 'slonik';
import { z } from 'zod';
import { demarrerApplication, JURIDICTION_VALIDE, PDF_MINIMAL, type Application } from '../aides/application.js';
import type { Navigateur } from '../aides/navigateur.js';
import { routes } from '../../web/app.js';
import { creerJournal } from '../../web/log.js';
import { attendreValeur as attendre } from '../aides/attente.js';

const MAX = 100_000;
const MAX_TOTAL = 250_000;
const BASE = '/espace/requetes';

let app: Application;
let angela: Navigateur;
let karim: Navigateur;

beforeAll(async () => {
  app = await demarrerApplication({ MAX_DOCUMENT_BYTES: String(MAX), MAX_REQUETE_BYTES: String(MAX_TOTAL) });
  expect((await app.api('PUT', '/juridiction', JURIDICTION_VALIDE)).status).toBe(200);
  angela = await app.connecter('angela-dubois');
  karim = await app.connecter('karim-benali');
}, 120_000);
afterAll(async () => {
  await app?.arreter();
});

// ------------------------------------------------------------------------------------------------
// Helpers

/** The text a person reads: tags removed, entities decoded, spaces collapsed. */
function texte(page: string): string {
  return page
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

async function page(nav: Navigateur, chemin: string): Promise<{ statut: number; page: string }> {
  const r = await nav.requete(`${app.url}${chemin}`);
  return { statut: r.status, page: await r.text() };
}

/** The session's CSRF token, read from any page (the logout form carries it). */
async function jeton(nav: Navigateur): Promise<string> {
  const { page: p } = await page(nav, BASE);
  return /name="_csrf" value="([^"]+)"/.exec(p)![1]!;
}

interface Reponse { statut: number; page: string; location: string | null; entetes: Headers }

async function poster(nav: Navigateur, chemin: string, champs: Record<string, string> = {}, o: { entetes?: Record<string, string> } = {}): Promise<Reponse> {
  const r = await nav.requete(`${app.url}${chemin}`, { form: { _csrf: await jeton(nav), ...champs }, entetes: o.entetes });
  return { statut: r.status, page: await r.text(), location: r.headers.get('location'), entetes: r.headers };
}

async function televerser(nav: Navigateur, id: string, nom: string, octets: Buffer, o: { sansJeton?: boolean } = {}): Promise<Reponse> {
  const f = new FormData();
  if (!o.sansJeton) f.append('_csrf', await jeton(nav));
  f.append('fichier', new Blob([octets]), nom);
  const r = await nav.requete(`${app.url}${BASE}/${id}/pieces`, { multipart: f });
  return { statut: r.status, page: await r.text(), location: r.headers.get('location'), entetes: r.headers };
}

async function commencer(nav: Navigateur, type: string): Promise<string> {
  const r = await poster(nav, `${BASE}/nouvelle`, { juridiction: 'TJ-PARIS', type });
  expect(r.statut).toBe(303);
  const id = /^\/espace\/requetes\/([0-9a-f-]{36})$/.exec(r.location ?? '')?.[1];
  expect(id).toBeDefined();
  return id!;
}

const Ligne = z.object({ statut: z.string(), donnees: z.record(z.unknown()), envoi_demande_at: z.date().nullable(), reference: z.string().nullable() });
const ligne = (id: string) => app.pool.one(sql.type(Ligne)`SELECT statut, donnees, envoi_demande_at, reference FROM requete WHERE id = ${id}`);
const nbPieces = (id: string) => app.pool.oneFirst(sql.type(z.object({ n: z.number() }))`SELECT count(*)::int AS n FROM piece_jointe WHERE requete_id = ${id}`);
const nbTiers = (id: string) => app.pool.oneFirst(sql.type(z.object({ n: z.number() }))`SELECT count(*)::int AS n FROM tiers WHERE requete_id = ${id}`);
const idsPieces = (id: string) => app.pool.anyFirst(sql.type(z.object({ id: z.string() }))`SELECT id FROM piece_jointe WHERE requete_id = ${id} ORDER BY created_at`);
const idsTiers = (id: string) => app.pool.anyFirst(sql.type(z.object({ id: z.string() }))`SELECT id FROM tiers WHERE requete_id = ${id} ORDER BY created_at`);


/** The text pdfkit wrote (its content streams are deflated, its strings hex in TJ arrays). */
function textePdf(pdf: Buffer): string {
  const brut = pdf.toString('latin1');
  const morceaux: string[] = [];
  for (const m of brut.matchAll(/stream\r?\n/g)) {
    const debut = m.index! + m[0].length;
    let contenu: string;
    try {
      contenu = inflateSync(pdf.subarray(debut, brut.indexOf('endstream', debut))).toString('latin1');
    } catch {
      continue;
    }
    for (const t of contenu.matchAll(/\[(.*?)\] TJ/g)) morceaux.push([...t[1]!.matchAll(/<([0-9a-f]+)>/g)].map((h) => Buffer.from(h[1]!, 'hex').toString('latin1')).join(''));
  }
  return morceaux.join('\n');
}

const PNG = (n: number) => Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(n - 8, 7)]);
const PDF = (n: number) => Buffer.concat([PDF_MINIMAL, Buffer.alloc(n - PDF_MINIMAL.length, 0x20)]);
/** What a renamed Windows program starts with. */
const EXE = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1'), Buffer.alloc(2000, 1)]);

const JAF_COMPLET = {
  objet: 'residence',
  enfants: 'Léa DUBOIS, née le 12/03/2015',
  demandes: 'Fixer la résidence de Léa à mon domicile.',
  motifs: 'Situation exposée en détail.\nDeuxième ligne.',
};

// ------------------------------------------------------------------------------------------------

describe('requête pages', () => {
  test('begin a draft, save it without JavaScript: the values are kept; the autosave answers a fragment', async () => {
    const nouvelle = await page(angela, `${BASE}/nouvelle`);
    expect(nouvelle.statut).toBe(200);
    for (const t of ['Requête au juge aux affaires familiales', 'Requête relative à une mesure de protection', 'Constitution de partie civile', 'Tribunal judiciaire de Paris']) expect(texte(nouvelle.page)).toContain(t);
    // Nothing chosen: both errors, linked to their fields.
    const vide = await poster(angela, `${BASE}/nouvelle`, {});
    expect(vide.statut).toBe(422);
    expect(vide.page).toContain('href="#type"');

    const id = await commencer(angela, 'jaf');
    const edition = await page(angela, `${BASE}/${id}`);
    expect(edition.statut).toBe(200);
    // The kind's fields, from the declarative table.
    expect(edition.page).toMatch(/<label class="fr-label" for="enfants">Enfants concernés/);
    expect(edition.page).toMatch(/<textarea[^>]*id="motifs"/);
    expect(edition.page).toMatch(/<input type="radio" id="objet" name="objet" value="residence"/);
    expect(edition.page).toContain('Enregistrer le brouillon');
    expect(edition.page).toContain(`hx-post="${BASE}/${id}"`);
    expect(edition.page).toContain('enctype="multipart/form-data"');

    const r = await poster(angela, `${BASE}/${id}`, { objet: 'pension', enfants: 'Léa, 10 ans', demandes: '', motifs: '' });
    expect(r.statut).toBe(303);
    expect(r.location).toBe(`${BASE}/${id}?enregistre=1`);
    const apres = await page(angela, r.location!);
    expect(apres.page).toMatch(/value="pension" checked/);
    expect(apres.page).toContain('>Léa, 10 ans</textarea>');
    expect(texte(apres.page)).toMatch(/Brouillon enregistré à \d\d:\d\d/);
    expect((await ligne(id)).donnees).toMatchObject({ objet: 'pension', enfants: 'Léa, 10 ans' });

    // htmx's autosave: the CSRF token in a header, a small fragment back.
    const j = await jeton(angela);
    const auto = await angela.requete(`${app.url}${BASE}/${id}`, { form: { objet: 'pension', enfants: 'Léa, 10 ans', demandes: 'Une pension', motifs: '' }, entetes: { 'HX-Request': 'true', 'X-CSRF-Token': j } });
    expect(auto.status).toBe(200);
    const fragment = await auto.text();
    expect(fragment).toMatch(/^<p[^>]*>Brouillon enregistré à \d\d:\d\d<\/p>$/);
    expect((await ligne(id)).donnees).toMatchObject({ demandes: 'Une pension' });

    // The list: kind, juridiction, status, the draft's expiry.
    const liste = texte((await page(angela, BASE)).page);
    expect(liste).toContain('Requête au juge aux affaires familiales');
    expect(liste).toContain('Tribunal judiciaire de Paris');
    expect(liste).toContain('Brouillon');
    expect(liste).toMatch(/sera supprimé le \d{1,2} \S+ \d{4} \(dans 30 jours\)/);
    expect(liste).toContain('Nouvelle requête');
    // The dashboard links to it.
    expect((await page(angela, '/espace')).page).toContain(`href="${BASE}"`);
  });

  test('a malformed field is refused with its message, tied to the field, and nothing is saved', async () => {
    const id = await commencer(angela, 'partie_civile');
    expect((await poster(angela, `${BASE}/${id}`, { infraction: 'Vol', lieuFaits: 'Paris' })).statut).toBe(303);
    const avant = (await ligne(id)).donnees;
    const r = await poster(angela, `${BASE}/${id}`, { infraction: 'Vol avec violence', dateFaits: '2026-13-45', lieuFaits: 'Lyon', montant: 'beaucoup' });
    expect(r.statut).toBe(422);
    const t = texte(r.page);
    expect(t).toContain('« Date des faits » : saisissez une date valide (jj/mm/aaaa).');
    expect(t).toContain('« Montant demandé en réparation (en euros) » : saisissez un montant en euros');
    // In the summary, linked; on the field, described by.
    expect(r.page).toContain('href="#dateFaits"');
    expect(r.page).toMatch(/id="dateFaits"[^>]*aria-describedby="dateFaits-indice dateFaits-erreur"[^>]*aria-invalid="true"/);
    expect(r.page).toContain('id="dateFaits-erreur"');
    // What was typed is shown back, but not saved.
    expect(r.page).toContain('value="Vol avec violence"');
    expect((await ligne(id)).donnees).toEqual(avant);
    // A date in the future cannot be the date of the facts.
    const futur = await poster(angela, `${BASE}/${id}`, { dateFaits: '2999-01-01' });
    expect(futur.statut).toBe(422);
    expect(texte(futur.page)).toContain('« Date des faits » ne peut pas être dans le futur.');
    // The autosave refuses it too, in its fragment.
    const auto = await poster(angela, `${BASE}/${id}`, { dateFaits: '31/02/2026' }, { entetes: { 'HX-Request': 'true' } });
    expect(auto.statut).toBe(422);
    expect(texte(auto.page)).toContain('Brouillon non enregistré');
    expect((await ligne(id)).donnees).toEqual(avant);
  });

  test('another citizen gets a 404 on every requête route, and changes nothing', async () => {
    const id = await commencer(angela, 'jaf');
    expect((await poster(angela, `${BASE}/${id}`, JAF_COMPLET)).statut).toBe(303);
    expect((await poster(angela, `${BASE}/${id}/tiers`, { type: 'physique', nom: 'MARTIN', prenoms: 'Paul' })).statut).toBe(303);
    expect((await televerser(angela, id, 'acte.pdf', PDF(2000))).statut).toBe(303);
    const [tiersId] = await idsTiers(id);
    const [pieceId] = await idsPieces(id);
    const avant = await ligne(id);

    const table = routes({ config: app.config, pool: app.pool, temporal: app.temporal, log: creerJournal('test', 'silent') }).filter((r) => r.chemin.startsWith(`${BASE}/:id`));
    expect(table.length).toBeGreaterThanOrEqual(13);
    const vus: string[] = [];
    for (const r of table) {
      const chemin = r.chemin.replace(':id', id).replace(':tiersId', tiersId!).replace(':pieceId', pieceId!);
      let statut: number;
      if (r.methode === 'GET') statut = (await page(karim, chemin)).statut;
      else if (r.chemin.endsWith('/pieces')) statut = (await televerser(karim, id, 'autre.pdf', PDF(2000))).statut;
      else statut = (await poster(karim, chemin, { objet: 'autre', nom: 'X', prenoms: 'Y', type: 'physique' })).statut;
      vus.push(`${r.methode} ${r.chemin} ${statut}`);
    }
    expect(vus).toEqual(table.map((r) => `${r.methode} ${r.chemin} 404`));
    // An id that does not exist answers the same.
    expect((await page(karim, `${BASE}/00000000-0000-4000-8000-000000000000`)).statut).toBe(404);
    expect(await ligne(id)).toEqual(avant);
    expect(await nbTiers(id)).toBe(1);
    expect(await nbPieces(id)).toBe(1);
    // Karim's list does not show it.
    expect((await page(karim, BASE)).page).not.toContain(id);
  });

  test('attachments are checked by content: each refusal has its message and stores nothing', async () => {
    const id = await commencer(angela, 'protection');
    const refus = async (nom: string, octets: Buffer, message: string | RegExp, statut = 422) => {
      const r = await televerser(angela, id, nom, octets);
      expect(r.statut).toBe(statut);
      const t = texte(r.page);
      if (typeof message === 'string') expect(t).toContain(message);
      else expect(t).toMatch(message);
      // On the page: in the summary and on the file field.
      expect(r.page).toContain('href="#fichier"');
      expect(r.page).toContain('id="fichier-erreur"');
      expect(await nbPieces(id)).toBe(0);
    };
    await refus('certificat.pdf', EXE, 'Le fichier « certificat.pdf » n’est ni un PDF, ni une image JPEG ou PNG : seuls ces formats sont acceptés.');
    await refus('certificat.jpg', PDF(3000), 'Le fichier « certificat.jpg » est un PDF mais son nom ne se termine pas par .pdf : renommez-le avant de le joindre.');
    await refus('vide.pdf', Buffer.alloc(0), 'Le fichier « vide.pdf » est vide.');
    // One byte over: the domain check says how much it weighs.
    await refus('gros.pdf', PDF(MAX + 1), /Le fichier « gros\.pdf » pèse [\d\s,]+ (Mo|ko|octets) : la limite est de [\d\s,]+ (Mo|ko|octets) par fichier\./);
    // Far over: cut short while it is read.
    await refus('tres-gros.pdf', PDF(MAX + 20_000), /Le fichier « tres-gros\.pdf » dépasse la limite de \d+ ko par fichier/, 413);
    // Several files at once, or a body far past any file: refused too.
    const deux = new FormData();
    deux.append('_csrf', await jeton(angela));
    deux.append('fichier', new Blob([PDF(2000)]), 'un.pdf');
    deux.append('fichier', new Blob([PDF(2000)]), 'deux.pdf');
    const r2 = await angela.requete(`${app.url}${BASE}/${id}/pieces`, { multipart: deux });
    expect(r2.status).toBe(413);
    expect(texte(await r2.text())).toContain('Joignez un seul fichier à la fois.');
    const enorme = await televerser(angela, id, 'enorme.pdf', PDF(MAX + 200_000));
    expect(enorme.statut).toBe(413);
    expect(texte(enorme.page)).toMatch(/Le fichier envoyé dépasse la limite de \d+ ko par fichier\./);
    expect(await nbPieces(id)).toBe(0);
    // Without the form's token: refused before anything is read into the requête.
    expect((await televerser(angela, id, 'certificat.pdf', PDF(3000), { sansJeton: true })).statut).toBe(403);
    expect(await nbPieces(id)).toBe(0);

    // Good files are accepted, whatever the case of their extension.
    const pdf = await televerser(angela, id, 'Certificat médical.PDF', PDF(90_000));
    expect(pdf.statut).toBe(303);
    const png = await televerser(angela, id, 'photo.png', PNG(90_000));
    expect(png.statut).toBe(303);
    expect(await nbPieces(id)).toBe(2);
    const edition = await page(angela, `${BASE}/${id}`);
    expect(texte(edition.page)).toContain('« photo.png » a été joint à la requête.');
    expect(texte(edition.page)).toMatch(/Certificat médical\.PDF — télécharger \(PDF, 88 ko\)/);
    // Too much in total for the requête.
    await televerser(angela, id, 'encore.png', PNG(90_000)).then(async (r) => {
      expect(r.statut).toBe(422);
      expect(texte(r.page)).toContain('les pièces jointes dépasseraient');
    });
    expect(await nbPieces(id)).toBe(2);

    // Download: as an attachment, with its type, never sniffed.
    const [premiere, seconde] = await idsPieces(id);
    const d = await angela.requete(`${app.url}${BASE}/${id}/pieces/${premiere}`);
    expect(d.status).toBe(200);
    expect(d.headers.get('content-type')).toBe('application/pdf');
    expect(d.headers.get('content-disposition')).toMatch(/^attachment; filename="Certificat medical\.PDF"; filename\*=UTF-8''Certificat%20m%C3%A9dical\.PDF$/);
    expect(d.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await d.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');
    const i = await angela.requete(`${app.url}${BASE}/${id}/pieces/${seconde}`);
    expect(i.headers.get('content-type')).toBe('image/png');
    await i.body?.cancel();

    // Removed: gone from the page and the database.
    expect((await poster(angela, `${BASE}/${id}/pieces/${seconde}/retirer`)).statut).toBe(303);
    expect(await nbPieces(id)).toBe(1);
    expect((await page(angela, `${BASE}/${id}/pieces/${seconde}`)).statut).toBe(404);
  });

  test('third parties: the decree fields per kind, errors tied to the fields, removal', async () => {
    const id = await commencer(angela, 'jaf');
    const vide = await poster(angela, `${BASE}/${id}/tiers`, { type: 'physique', nom: '', prenoms: '' });
    expect(vide.statut).toBe(422);
    expect(texte(vide.page)).toContain('Le nom de la personne est obligatoire.');
    expect(vide.page).toContain('href="#tiers-nom"');
    expect(vide.page).toMatch(/id="tiers-nom"[^>]*aria-describedby="tiers-nom-erreur"/);
    expect(await nbTiers(id)).toBe(0);
    expect((await poster(angela, `${BASE}/${id}/tiers`, { type: 'physique', civilite: 'M.', nom: 'MARTIN', nomUsage: 'DURAND', prenoms: 'Paul Louis', raisonSociale: 'ignorée' })).statut).toBe(303);
    expect((await poster(angela, `${BASE}/${id}/tiers`, { type: 'morale', raisonSociale: 'Exemple SARL', formeJuridique: 'SARL' })).statut).toBe(303);
    expect((await poster(angela, `${BASE}/${id}/tiers`, { type: 'autorite', titre: 'Préfet de police' })).statut).toBe(303);
    const t = texte((await page(angela, `${BASE}/${id}`)).page);
    expect(t).toContain('M. Paul Louis MARTIN (nom d’usage DURAND)');
    expect(t).toContain('Exemple SARL (SARL)');
    expect(t).toContain('Préfet de police');
    expect(t).not.toContain('ignorée');
    const [premier] = await idsTiers(id);
    expect((await poster(angela, `${BASE}/${id}/tiers/${premier}/retirer`)).statut).toBe(303);
    expect(await nbTiers(id)).toBe(2);
  });

  test('sending: an incomplete requête is refused with the missing fields named; a complete one is sent, read-only after', async () => {
    const id = await commencer(angela, 'jaf');
    expect((await poster(angela, `${BASE}/${id}`, { objet: 'visite' })).statut).toBe(303);
    // No proof of deposit before sending.
    expect((await page(angela, `${BASE}/${id}/recepisse.pdf`)).statut).toBe(404);
    const recap = await page(angela, `${BASE}/${id}/recapitulatif`);
    expect(recap.statut).toBe(200);
    expect(texte(recap.page)).toContain('Droit de visite et d’hébergement');
    const refus = await poster(angela, `${BASE}/${id}/envoyer`);
    expect(refus.statut).toBe(422);
    const t = texte(refus.page);
    expect(t).toContain('Votre requête ne peut pas encore être envoyée');
    expect(t).toContain('« Enfants concernés » est obligatoire.');
    expect(t).toContain('« Ce que vous demandez au juge » est obligatoire.');
    expect(t).toContain('Indiquez au moins une personne concernée par la demande.');
    expect(refus.page).toContain(`href="${BASE}/${id}#enfants"`);
    expect(refus.page).toContain(`href="${BASE}/${id}#tiers"`);
    expect(await ligne(id)).toMatchObject({ statut: 'brouillon', envoi_demande_at: null });

    // Completed, with a third party and an attachment.
    expect((await poster(angela, `${BASE}/${id}`, JAF_COMPLET)).statut).toBe(303);
    expect((await poster(angela, `${BASE}/${id}/tiers`, { type: 'physique', civilite: 'M.', nom: 'MARTIN', prenoms: 'Paul' })).statut).toBe(303);
    expect((await televerser(angela, id, 'acte-de-naissance.pdf', PDF(5000))).statut).toBe(303);
    const envoi = await poster(angela, `${BASE}/${id}/envoyer`);
    expect(envoi.statut).toBe(303);
    expect(envoi.location).toBe(`${BASE}/${id}`);
    const envoyee = await attendre('statut envoyee', async () => {
      const l = await ligne(id);
      return l.statut === 'envoyee' ? l : null;
    });
    expect(envoyee.reference).toMatch(/^RQ-\d{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    const vue = await page(angela, `${BASE}/${id}`);
    const tv = texte(vue.page);
    expect(tv).toContain('Requête transmise à la juridiction');
    expect(tv).toContain(envoyee.reference!);
    expect(tv).toContain('seule la juridiction peut la faire évoluer');
    expect(vue.page).not.toContain('Enregistrer le brouillon');
    expect(vue.page).not.toContain('<form method="post" action="' + `${BASE}/${id}`);
    // The acknowledgment e-mail.
    const [accuse] = await attendre('accusé de réception', async () => {
      const c = (await app.courriels('angela.dubois@example.org')).filter((m) => m.subject.includes(envoyee.reference!));
      return c.length ? c : null;
    });
    expect(accuse!.subject).toContain('Accusé de réception');
    // The proof of deposit.
    const pdf = await angela.requete(`${app.url}${BASE}/${id}/recepisse.pdf`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(pdf.headers.get('content-disposition')).toContain(`recepisse-${envoyee.reference}.pdf`);
    const octetsPdf = Buffer.from(await pdf.arrayBuffer());
    expect(octetsPdf.subarray(0, 5).toString()).toBe('%PDF-');
    const contenuPdf = textePdf(octetsPdf);
    for (const attendu of [envoyee.reference!, 'Tribunal judiciaire de Paris', 'Requête au juge aux affaires familiales', 'Angela Claire Louise DUBOIS', 'M. Paul MARTIN', 'acte-de-naissance.pdf', '5000 octets', `SHA-256 : ${createHash('sha256').update(PDF(5000)).digest('hex')}`, '(heure de Paris)']) {
      expect(contenuPdf).toContain(attendu);
    }
    // The list shows it sent.
    expect(texte((await page(angela, BASE)).page)).toMatch(new RegExp(`Référence ${envoyee.reference}.*Envoyée.*Envoyée le`));

    // Read-only: every write route answers the refusal and changes nothing.
    const avant = await ligne(id);
    const [tiersId] = await idsTiers(id);
    const [pieceId] = await idsPieces(id);
    const ecritures: [string, () => Promise<Reponse>][] = [
      ['champs', () => poster(angela, `${BASE}/${id}`, { ...JAF_COMPLET, motifs: 'changé' })],
      ['autosave', () => poster(angela, `${BASE}/${id}`, { motifs: 'changé' }, { entetes: { 'HX-Request': 'true' } })],
      ['tiers', () => poster(angela, `${BASE}/${id}/tiers`, { type: 'physique', nom: 'X', prenoms: 'Y' })],
      ['retirer tiers', () => poster(angela, `${BASE}/${id}/tiers/${tiersId}/retirer`)],
      ['pièce', () => televerser(angela, id, 'autre.pdf', PDF(2000))],
      ['retirer pièce', () => poster(angela, `${BASE}/${id}/pieces/${pieceId}/retirer`)],
      ['supprimer', () => poster(angela, `${BASE}/${id}/supprimer`)],
      ['envoyer', () => poster(angela, `${BASE}/${id}/envoyer`)],
    ];
    for (const [nom, ecrire] of ecritures) {
      const r = await ecrire();
      expect(`${nom} ${r.statut}`).toBe(`${nom} 409`);
      expect(texte(r.page)).toMatch(/a (déjà )?été transmise à la juridiction/);
    }
    expect((await page(angela, `${BASE}/${id}/supprimer`)).statut).toBe(409);
    expect(await ligne(id)).toEqual(avant);
    expect(await idsTiers(id)).toEqual([tiersId]);
    expect(await idsPieces(id)).toEqual([pieceId]);
    // The attachment can still be downloaded.
    expect((await angela.requete(`${app.url}${BASE}/${id}/pieces/${pieceId}`)).status).toBe(200);

    // Registered by the court: the page gives the case numbers.
    const enr = await app.api('POST', `/requetes/${id}/enregistrement`, { numeroDossier: '26/00777', numeroPortalis: 'N7X4-2026-00777' });
    expect(enr.status).toBeLessThan(300);
    const enregistree = texte((await page(angela, `${BASE}/${id}`)).page);
    expect(enregistree).toContain('Requête enregistrée par la juridiction');
    expect(enregistree).toContain('sous le numéro de dossier 26/00777 (numéro Portalis N7X4-2026-00777)');
    expect(enregistree).toContain('seule la juridiction peut la faire évoluer');
    expect(texte((await page(angela, BASE)).page)).toContain('(dossier n° 26/00777)');
    expect((await angela.requete(`${app.url}${BASE}/${id}/recepisse.pdf`)).status).toBe(200);
  });

  test('while the transmission runs the page says so and polls; the poll reloads the page once it ended', async () => {
    const id = await commencer(angela, 'partie_civile');
    // The lock the sending activity takes, held here so the page can be seen in that state.
    await app.pool.query(sql.unsafe`UPDATE requete SET envoi_demande_at = now() WHERE id = ${id}`);
    const vue = await page(angela, `${BASE}/${id}`);
    const t = texte(vue.page);
    expect(t).toContain('Transmission en cours');
    expect(t).toContain('Pendant sa transmission à la juridiction, la requête ne peut pas être modifiée.');
    expect(vue.page).toContain(`hx-get="${BASE}/${id}/etat" hx-trigger="every 2s"`);
    expect(vue.page).toContain(`<a class="fr-link fr-icon-refresh-line fr-link--icon-left" href="${BASE}/${id}">Actualiser la page</a>`);
    expect((await page(angela, `${BASE}/${id}/etat`)).statut).toBe(204);
    expect((await poster(angela, `${BASE}/${id}`, { infraction: 'Vol' })).statut).toBe(409);
    await app.pool.query(sql.unsafe`UPDATE requete SET envoi_demande_at = NULL WHERE id = ${id}`);
    const fin = await angela.requete(`${app.url}${BASE}/${id}/etat`);
    expect(fin.status).toBe(200);
    expect(fin.headers.get('hx-refresh')).toBe('true');
    await fin.body?.cancel();
  });

  test('after a failed transmission the reason is shown and the requête is editable again, with a resend button', async () => {
    const id = await commencer(angela, 'partie_civile');
    // What the workflow's constaterEchec leaves (the court refused for good).
    await app.pool.query(sql.unsafe`UPDATE requete SET statut = 'echec', echec_raison = 'La juridiction ne reçoit plus de requêtes en ligne.' WHERE id = ${id}`);
    const vue = await page(angela, `${BASE}/${id}`);
    const t = texte(vue.page);
    expect(t).toContain('L’envoi de votre requête a échoué');
    expect(t).toContain('La juridiction ne reçoit plus de requêtes en ligne.');
    expect(vue.page).toContain(`action="${BASE}/${id}/envoyer"`);
    expect(t).toContain('Renvoyer la requête');
    expect(vue.page).toContain('Enregistrer le brouillon');
    expect((await poster(angela, `${BASE}/${id}`, { infraction: 'Escroquerie' })).statut).toBe(303);
    expect((await ligne(id)).donnees).toMatchObject({ infraction: 'Escroquerie' });
    expect(texte((await page(angela, BASE)).page)).toContain('Échec de l’envoi');
  });

  test('deleting a draft: confirmation, then the list says "Brouillon supprimé le …"', async () => {
    const id = await commencer(angela, 'protection');
    expect((await televerser(angela, id, 'certificat.pdf', PDF(3000))).statut).toBe(303);
    const confirmation = await page(angela, `${BASE}/${id}/supprimer`);
    expect(confirmation.statut).toBe(200);
    expect(texte(confirmation.page)).toContain('Supprimer ce brouillon ?');
    const r = await poster(angela, `${BASE}/${id}/supprimer`);
    expect(r.statut).toBe(303);
    expect(r.location).toBe(BASE);
    const liste = texte((await page(angela, BASE)).page);
    expect(liste).toContain('Brouillon supprimé');
    expect(liste).toMatch(/Brouillon supprimé le \d{1,2} \S+ \d{4} \(supprimé à votre demande\)/);
    expect(await nbPieces(id)).toBe(0);
    expect((await ligne(id)).statut).toBe('supprimee');
    expect((await page(angela, `${BASE}/${id}`)).statut).toBe(404);
  });
});
