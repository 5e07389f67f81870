// Adding a case to the personal space with the identification number and the SMS code, on the
// whole portal (real Postgres, Temporal, SMS sink): every refusal has its own French message,
// the limits hold (5 tries per code, 3 SMS/hour and 60 s apart per account and per phone,
// 10 failures in 24 h lock the number), several numbers give several links, detaching and
// re-adding work, another account only ever gets a 404, hidden cases stay hidden, and neither
// the number nor the code is ever stored or journaled in clear. The portal's clock is moved
// (app.horloge) instead of waiting.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { sql } from 'slonik';
import { z } from 'zod';
import { affaireValide, demarrerApplication, JURIDICTION_VALIDE, type Application } from '../aides/application.js';
import { formulaire, type Navigateur } from '../aides/navigateur.js';
import { IDENTITES_TEST } from '../../dev/franceconnect.js';
import { purgerDossier } from '../../db/dossiers.js';
import { formaterHeure } from '../../domain/dates.js';
import { normaliserNumero } from '../../domain/identifiants.js';
import { attendreValeur as attendre } from '../aides/attente.js';

let app: Application;
/** Every number and code seen by this file: none may remain in the journal or the outbox. */
const secrets: string[] = [];

const MIN = 60_000;
const HEURE = 3600_000;
const AJOUTER = '/espace/dossiers/ajouter';

beforeAll(async () => {
  app = await demarrerApplication();
  expect((await app.api('PUT', '/juridiction', JURIDICTION_VALIDE)).status).toBe(200);
});
afterAll(async () => {
  await app?.arreter();
});
// Each test starts a day later: no limit, interval or lock of a previous test applies.
beforeEach(() => app.horloge.avancer(25 * HEURE));

// ------------------------------------------------------------------------------------------------
// Helpers

let numeroTelephone = 0;
/** A phone number of its own for each party, so the sink's messages never mix. */
const nouveauTelephone = () => `+336${String(20_000_000 + ++numeroTelephone)}`;

interface Partie { id: string; role: string; type: 'physique' | 'morale'; civilite?: string; nom?: string; prenoms?: string; raisonSociale?: string; courriel: string; telephone: string | null; accesRetire?: boolean }

function partie(portalis: string, id: string, o: Partial<Partie> = {}): Partie {
  return { id, role: 'Demandeur', type: 'physique', civilite: 'Mme', nom: 'DUBOIS', prenoms: 'Angela', courriel: `${id.toLowerCase()}.${portalis.toLowerCase()}@example.fr`, telephone: nouveauTelephone(), ...o };
}

async function pousserAffaire(portalis: string, parties: Partie[], o: Record<string, unknown> = {}): Promise<void> {
  const r = await app.api('PUT', `/affaires/${portalis}`, affaireValide({ numeroDossier: `26/${portalis.slice(-5)}`, parties, ...o }));
  expect(`${r.status} ${await r.text()}`).toMatch(/^200 /);
}


/** Records the consent and returns the identification number read from the e-mail. */
async function consentir(portalis: string, p: Partie, representant?: { nom: string; prenoms?: string; courriel: string; telephone?: string }): Promise<string> {
  const r = await app.api('POST', `/affaires/${portalis}/consentements`, { partie: p.id, ...(representant ? { representant } : {}) });
  expect(r.status).toBe(201);
  const a = representant?.courriel ?? p.courriel;
  const [courriel] = await attendre(`courriel à ${a}`, async () => {
    const c = await app.courriels(a);
    return c.length ? c : null;
  });
  const numero = /Numéro d'identification : (\S+)/.exec(courriel!.text)![1]!;
  secrets.push(numero, normaliserNumero(numero)!);
  return numero;
}

async function connecter(identite: string): Promise<Navigateur> {
  const i = IDENTITES_TEST.find((x) => x.id === identite)!;
  return app.connecter(identite, { fournisseur: i.fournisseur });
}

interface Reponse { statut: number; page: string; location: string | null; tentative: string | null; retryAfter: string | null }

async function poster(nav: Navigateur, chemin: string, champs: Record<string, string>, o: { sansJeton?: boolean } = {}): Promise<Reponse> {
  const jeton: Record<string, string> = o.sansJeton ? {} : { _csrf: formulaire(await (await nav.requete(`${app.url}${AJOUTER}`)).text(), 'name="etape" value="numero"').champs._csrf! };
  const r = await nav.requete(`${app.url}${chemin}`, { form: { ...jeton, ...champs } });
  const location = r.headers.get('location');
  return { statut: r.status, page: await r.text(), location, tentative: location ? new URL(location, app.url).searchParams.get('tentative') : null, retryAfter: r.headers.get('retry-after') };
}

const demander = (nav: Navigateur, numero: string) => poster(nav, AJOUTER, { etape: 'numero', numero });
const saisir = (nav: Navigateur, tentative: string, code: string) => poster(nav, AJOUTER, { etape: 'code', tentative, code });
const renvoyer = (nav: Navigateur, tentative: string) => poster(nav, AJOUTER, { etape: 'renvoyer', tentative });

/** The text a person reads: tags removed, entities decoded, spaces collapsed. */
function texte(page: string): string {
  return page
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

/** The error summary's text. */
function erreur(page: string): string {
  const m = /<div class="fr-alert fr-alert--error[^"]*"[^>]*id="resume-erreurs"[\s\S]*?<\/div>/.exec(page);
  if (!m) throw new Error(`pas de résumé d’erreurs dans la page :\n${texte(page).slice(0, 2000)}`);
  return texte(m[0]).trim();
}

async function sms(telephone: string) {
  return app.sms(telephone);
}

/** The code of the newest SMS to `telephone` once there are `n` of them. */
async function codeRecu(telephone: string, n: number): Promise<string> {
  const liste = await attendre(`${n} SMS pour ${telephone}`, async () => {
    const l = await sms(telephone);
    return l.length >= n ? l : null;
  });
  const code = /est (\d{6})\. Il expire/.exec(liste[0]!.body)![1]!;
  secrets.push(code);
  return code;
}

/** Asks for a code, then types it; returns the new link's id. */
async function ajouter(nav: Navigateur, numero: string, telephone: string): Promise<string> {
  const avant = await liens(nav);
  const deja = (await sms(telephone)).length;
  const d = await demander(nav, numero);
  expect(d.statut).toBe(303);
  const r = await saisir(nav, d.tentative!, await codeRecu(telephone, deja + 1));
  expect(r.statut).toBe(303);
  expect(r.location).toBe('/espace');
  const apres = await liens(nav);
  const nouveaux = apres.filter((id) => !avant.includes(id));
  expect(nouveaux).toHaveLength(1);
  return nouveaux[0]!;
}

/** The link ids shown on the dashboard. */
async function liens(nav: Navigateur): Promise<string[]> {
  const page = await (await nav.requete(`${app.url}/espace`)).text();
  return [...new Set([...page.matchAll(/href="\/espace\/dossiers\/([0-9a-f-]{36})"/g)].map((m) => m[1]!))];
}

const compter = async (requete: ReturnType<typeof sql.unsafe>) => Number(await app.pool.oneFirst(sql.type(z.object({ n: z.coerce.number() }))`SELECT count(*) AS n FROM (${requete}) AS x`));

// ------------------------------------------------------------------------------------------------

describe('adding a case', () => {
  test('number (any case, spaces) → SMS code to the court’s phone → the case on the dashboard', async () => {
    const p1 = partie('ADD-2026-00001', 'P1', { telephone: '+33612345678' });
    await pousserAffaire('ADD-2026-00001', [p1, partie('ADD-2026-00001', 'P2', { type: 'morale', raisonSociale: 'Société Exemple SARL', telephone: null })]);
    const numero = await consentir('ADD-2026-00001', p1);
    const nav = await connecter('karim-benali');

    const vide = await (await nav.requete(`${app.url}/espace`)).text();
    expect(vide).toContain('Votre espace ne contient encore aucun dossier');
    const formulaireNumero = await (await nav.requete(`${app.url}${AJOUTER}`)).text();
    expect(formulaireNumero).toContain('Obtenir le code par SMS');
    expect(formulaireNumero).toContain('Étape 1 sur 2');

    const d = await demander(nav, ` ${numero.replace(/-/g, ' ').toLowerCase()} `);
    expect(d.statut).toBe(303);
    expect(d.location).toMatch(/^\/espace\/dossiers\/ajouter\?tentative=[0-9a-f-]{36}$/);
    const pageCode = texte(await (await nav.requete(`${app.url}${d.location}`)).text());
    expect(pageCode).toContain('Un code a été envoyé au numéro se terminant par ••78');
    expect(pageCode).not.toMatch(/12 ?34 ?56|612345/);

    const recu = await attendre('le SMS', async () => (await sms('+33612345678'))[0]);
    expect(recu.body).toMatch(/^Justice\.fr : votre code pour ajouter le dossier n° 26\/00001 est \d{6}\. Il expire dans 10 minutes\. Ne le communiquez à personne\.$/);
    const code = await codeRecu('+33612345678', 1);

    const r = await saisir(nav, d.tentative!, code);
    expect(r.statut).toBe(303);
    expect(r.location).toBe('/espace');
    const espace = await (await nav.requete(`${app.url}/espace`)).text();
    expect(texte(espace)).toContain('Ce dossier vient d’être ajouté à votre compte');
    expect(espace).not.toContain('Votre espace ne contient encore aucun dossier');
    const carte = texte(espace);
    expect(carte).toContain('Divorce');
    expect(carte).toContain('En cours');
    expect(carte).toContain('Dossier n° 26/00001');
    expect(carte).toContain('Tribunal judiciaire de Paris');
    expect(carte).toContain('Partie : Demandeur — Mme Angela DUBOIS');
    const [id] = await liens(nav);
    expect(espace).toContain(`href="/espace/dossiers/${id}"`);
    expect(carte).toContain('Détail');
    // The message is shown once.
    expect(texte(await (await nav.requete(`${app.url}/espace`)).text())).not.toContain('vient d’être ajouté');

    const pageDossier = texte(await (await nav.requete(`${app.url}/espace/dossiers/${id}`)).text());
    expect(pageDossier).toContain('Dossier n° 26/00001');
    expect(pageDossier).toContain('Divorce');
    expect(pageDossier).toContain('Tribunal judiciaire de Paris');
    expect(pageDossier).toContain('Détacher ce dossier');

    // Single use: the same code again is refused; the same number again says it is already there.
    const encore = await saisir(nav, d.tentative!, code);
    expect(encore.statut).toBe(422);
    expect(erreur(encore.page)).toContain('Ce code a déjà été utilisé');
    const deja = await demander(nav, numero);
    expect(deja.statut).toBe(422);
    expect(erreur(deja.page)).toContain('Ce dossier est déjà dans votre espace');
    expect(await sms('+33612345678')).toHaveLength(1);

    const actions = await app.pool.anyFirst(sql.type(z.object({ l: z.string() }))`
      SELECT action || ' ' || resultat AS l FROM journal WHERE acteur_type = 'citoyen' AND action LIKE 'rattachement.%' ORDER BY id`);
    expect(actions).toEqual([
      'rattachement.envoyer_code succes', 'rattachement.verifier_code succes', 'rattachement.ajouter succes',
      'rattachement.verifier_code refus', 'rattachement.envoyer_code refus',
    ]);
  });

  test('unknown, mistyped and hidden numbers: each its message, the same one whenever existence must not leak', async () => {
    const nav = await connecter('karim-benali');
    const vide = await demander(nav, '   ');
    expect(vide.statut).toBe(422);
    expect(erreur(vide.page)).toBe('Le formulaire contient une erreur Saisissez le numéro d’identification reçu par courriel.');
    expect(vide.page).toContain('fr-input-group--error');
    expect(vide.page).toContain('class="fr-error-text" id="numero-erreur"');
    expect(vide.page).toContain('aria-describedby="numero-indice numero-erreur"');
    expect(vide.page).toContain('<a href="#numero">');

    const mal = await demander(nav, 'K7QF-3XWM');
    expect(mal.statut).toBe(422);
    expect(erreur(mal.page)).toContain('Ce numéro d’identification est mal saisi : il compte 12 lettres et chiffres');
    // What was typed stays in the field, to be corrected.
    expect(mal.page).toContain('value="K7QF-3XWM"');

    const MESSAGE_INCONNU = 'Ce numéro d’identification ne correspond à aucun dossier consultable en ligne. Vérifiez votre saisie ; si le numéro est exact, rapprochez-vous du tribunal qui gère votre dossier.';
    const inconnu = await demander(nav, 'K7QF-3XWM-9RTD');
    expect(inconnu.statut).toBe(422);
    expect(erreur(inconnu.page)).toContain(MESSAGE_INCONNU);

    // Numbers that exist but cannot be used: not followed online, access withdrawn, party no
    // longer listed, closed more than CASE_RETENTION ago, purged. The very same answer.
    const P = 'HID-2026-00002';
    const ps = ['P1', 'P2', 'P3'].map((id) => partie(P, id));
    await pousserAffaire(P, ps);
    const [n1, n2, n3] = [await consentir(P, ps[0]!), await consentir(P, ps[1]!), await consentir(P, ps[2]!)];
    const reponseInconnu = (page: string) => erreur(page);
    const reference = reponseInconnu(inconnu.page);

    await pousserAffaire(P, ps, { suiviEnLigne: false });
    expect(reponseInconnu((await demander(nav, n1)).page)).toBe(reference);
    await pousserAffaire(P, [{ ...ps[0]!, accesRetire: true }, ps[1]!, ps[2]!]);
    expect(reponseInconnu((await demander(nav, n1)).page)).toBe(reference);
    await pousserAffaire(P, [ps[0]!, ps[1]!]);
    expect(reponseInconnu((await demander(nav, n3)).page)).toBe(reference);
    const ilYA400Jours = new Date(app.horloge.maintenant().getTime() - 400 * 24 * HEURE).toISOString();
    expect((await app.api('POST', `/affaires/${P}/cloture`, { date: ilYA400Jours })).status).toBe(204);
    expect(reponseInconnu((await demander(nav, n2)).page)).toBe(reference);
    // Closed more than CASE_RETENTION ago: the case workflow purges it at once; purge it here
    // too in case it has not yet (purging is idempotent).
    const dossierId = await app.pool.maybeOneFirst(sql.type(z.object({ id: z.string() }))`SELECT id FROM dossier WHERE numero_portalis = ${P}`);
    if (dossierId) await purgerDossier(app.pool, dossierId);
    expect(reponseInconnu((await demander(nav, n2)).page)).toBe(reference);
    for (const p of ps) expect(await sms(p.telephone!)).toHaveLength(0);

    // Every attempt is journaled, with its reason and without the number.
    expect(await compter(sql.unsafe`SELECT 1 FROM journal WHERE action = 'rattachement.envoyer_code' AND resultat = 'refus' AND details->>'motif' IN ('numero_vide', 'numero_mal_forme', 'numero_inconnu')`)).toBe(8);
  });

  test('no phone recorded by the court: say so and point to the court', async () => {
    const P = 'TEL-2026-00003';
    const p1 = partie(P, 'P1', { telephone: null });
    await pousserAffaire(P, [p1]);
    const numero = await consentir(P, p1);
    const nav = await connecter('karim-benali');
    const r = await demander(nav, numero);
    expect(r.statut).toBe(422);
    expect(erreur(r.page)).toContain('Le tribunal n’a enregistré aucun numéro de téléphone portable pour ce dossier : le code ne peut pas vous être envoyé par SMS. Contactez le Tribunal judiciaire de Paris (01 44 32 51 51)');
    expect(await compter(sql.unsafe`SELECT 1 FROM journal WHERE details->>'motif' = 'sans_telephone'`)).toBe(1);
    expect(await compter(sql.unsafe`SELECT 1 FROM code_sms c JOIN identifiant i ON i.id = c.identifiant_id WHERE i.destinataire = ${p1.courriel}`)).toBe(0);
  });

  test('wrong, malformed, disabled, replaced and expired codes; a code is bound to its attempt', async () => {
    const P = 'COD-2026-00004';
    const [p1, p2] = [partie(P, 'P1'), partie(P, 'P2', { civilite: 'M.', prenoms: 'Paul', role: 'Défendeur' })];
    await pousserAffaire(P, [p1, p2]);
    const numero = await consentir(P, p1);
    const nav = await connecter('marie-helene-lefevre');
    const tel = p1.telephone!;

    const a = await demander(nav, numero);
    const code = await codeRecu(tel, 1);
    const faux = code === '000000' ? '111111' : '000000';
    const r1 = await saisir(nav, a.tentative!, faux);
    expect(r1.statut).toBe(422);
    expect(erreur(r1.page)).toContain('Le code saisi est incorrect. Il vous reste 4 essais.');
    expect(r1.page).toContain('class="fr-error-text" id="code-erreur"');
    expect(r1.page).toContain('se terminant par ••');
    // A malformed entry is not a guess: no try is lost.
    const mal = await saisir(nav, a.tentative!, '12a456');
    expect(erreur(mal.page)).toContain('Le code compte 6 chiffres, sans lettres.');
    expect(erreur((await saisir(nav, a.tentative!, '')).page)).toContain('Saisissez le code à 6 chiffres reçu par SMS.');
    expect(erreur((await saisir(nav, a.tentative!, faux)).page)).toContain('Il vous reste 3 essais.');
    expect(erreur((await saisir(nav, a.tentative!, faux)).page)).toContain('Il vous reste 2 essais.');
    expect(erreur((await saisir(nav, a.tentative!, faux)).page)).toContain('Il vous reste 1 essai.');
    const cinquieme = await saisir(nav, a.tentative!, faux);
    expect(erreur(cinquieme.page)).toContain('Le code saisi est incorrect. Après 5 essais erronés, ce code est désactivé : demandez un nouveau code.');
    // Disabled: even the right code is refused now.
    const bon = await saisir(nav, a.tentative!, code);
    expect(bon.statut).toBe(422);
    expect(erreur(bon.page)).toContain('Ce code est désactivé après 5 essais erronés : demandez un nouveau code.');

    // A new code for the same attempt, at least 60 s later.
    const tot = await renvoyer(nav, a.tentative!);
    expect(tot.statut).toBe(429);
    expect(Number(tot.retryAfter)).toBeGreaterThan(0);
    expect(erreur(tot.page)).toMatch(/Un code vient d’être envoyé à ce numéro de téléphone\. Attendez \d+ secondes? avant d’en demander un nouveau\./);
    app.horloge.avancer(61_000);
    const b = await renvoyer(nav, a.tentative!);
    expect(b.statut).toBe(303);
    expect(b.tentative).not.toBe(a.tentative);
    const code2 = await codeRecu(tel, 2);

    // Another attempt (another number, another phone) of the same account, to check binding.
    const numero2 = await consentir(P, p2);
    app.horloge.avancer(61_000);
    const c = await demander(nav, numero2);
    const code3 = await codeRecu(p2.telephone!, 1);
    // The code of attempt b typed on attempt c: wrong (and counted), never accepted.
    expect(erreur((await saisir(nav, c.tentative!, code2)).page)).toContain('Le code saisi est incorrect. Il vous reste 4 essais.');

    expect(erreur((await saisir(nav, c.tentative!, '')).page)).toContain('Saisissez le code');

    // A newer code replaces the previous one of the same attempt (an hour later: the account
    // has had its 3 codes of the hour).
    app.horloge.avancer(HEURE);
    const d = await renvoyer(nav, b.tentative!);
    expect(d.statut).toBe(303);
    const code4 = await codeRecu(tel, 3);
    expect(erreur((await saisir(nav, b.tentative!, code2)).page)).toContain('Ce code a été remplacé par un code plus récent');
    expect(code3).toMatch(/^\d{6}$/);

    // Expired: 10 minutes and one second later.
    app.horloge.avancer(10 * MIN + 1000);
    const expire = await saisir(nav, d.tentative!, code4);
    expect(expire.statut).toBe(422);
    expect(erreur(expire.page)).toContain('Ce code a expiré : il n’est valable que 10 minutes. Demandez un nouveau code.');
    expect(expire.page).toContain('Recevoir un nouveau code');
    expect(await liens(nav)).toEqual([]);
  });

  test('at most 3 SMS per hour per account, and per phone number whoever asks', async () => {
    const P = 'SMS-2026-00005';
    const telPartage = nouveauTelephone();
    const ps = [
      partie(P, 'P1'),
      partie(P, 'P2', { prenoms: 'Léa', telephone: telPartage }),
      partie(P, 'P3', { prenoms: 'Tom', telephone: telPartage }),
    ];
    await pousserAffaire(P, ps);
    const [n1, n2, n3] = [await consentir(P, ps[0]!), await consentir(P, ps[1]!), await consentir(P, ps[2]!)];

    // Per account: the 4th code within the hour is refused, with the time to come back.
    const nav = await connecter('josiane-robert');
    const a = await demander(nav, n1);
    const debut = await app.pool.oneFirst(sql.type(z.object({ d: z.date() }))`SELECT created_at AS d FROM code_sms WHERE id = ${a.tentative!}`);
    app.horloge.avancer(61_000);
    expect((await renvoyer(nav, a.tentative!)).statut).toBe(303);
    app.horloge.avancer(61_000);
    const t3 = await renvoyer(nav, a.tentative!);
    expect(t3.statut).toBe(303);
    app.horloge.avancer(61_000);
    const quatrieme = await renvoyer(nav, t3.tentative!);
    expect(quatrieme.statut).toBe(429);
    const reprise = new Date(debut.getTime() + HEURE);
    expect(erreur(quatrieme.page)).toContain(`Le maximum de 3 codes par heure est atteint. Vous pourrez demander un nouveau code à partir de ${formaterHeure(reprise)}.`);
    // The limit is the account's, whatever the number.
    expect((await demander(nav, n2)).statut).toBe(429);
    await codeRecu(ps[0]!.telephone!, 3);
    await new Promise((r) => setTimeout(r, 500));
    expect(await sms(ps[0]!.telephone!)).toHaveLength(3);
    expect(await sms(telPartage)).toHaveLength(0);
    // An hour after the first, a new code can be sent.
    app.horloge.avancer(reprise.getTime() - app.horloge.maintenant().getTime());
    expect((await renvoyer(nav, t3.tentative!)).statut).toBe(303);

    // Per phone: two accounts asking for the same phone share its limits.
    app.horloge.avancer(2 * HEURE);
    const navA = await connecter('lucas-petit');
    const navB = await connecter('ana-da-silva-ferreira');
    const x = await demander(navA, n2);
    expect(x.statut).toBe(303);
    // B never asked, but the phone just received a code: 60 s.
    const attente = await demander(navB, n3);
    expect(attente.statut).toBe(429);
    expect(erreur(attente.page)).toContain('Un code vient d’être envoyé à ce numéro de téléphone.');
    app.horloge.avancer(61_000);
    const y = await demander(navB, n3);
    expect(y.statut).toBe(303);
    app.horloge.avancer(61_000);
    expect((await renvoyer(navA, x.tentative!)).statut).toBe(303);
    app.horloge.avancer(61_000);
    const trop = await renvoyer(navB, y.tentative!);
    expect(trop.statut).toBe(429);
    expect(erreur(trop.page)).toContain('Le maximum de 3 codes par heure est atteint.');
    await codeRecu(telPartage, 3);
    await new Promise((r) => setTimeout(r, 500));
    expect(await sms(telPartage)).toHaveLength(3);
  });

  test('10 wrong codes in 24 h lock the number for 24 h, for every account; the page says to contact the court', async () => {
    const P = 'VER-2026-00006';
    const p1 = partie(P, 'P1');
    await pousserAffaire(P, [p1]);
    const numero = await consentir(P, p1);
    const tel = p1.telephone!;
    const nav = await connecter('karim-benali');
    const a = await demander(nav, numero);
    const code1 = await codeRecu(tel, 1);
    const faux = (c: string) => (c === '000000' ? '111111' : '000000');
    for (let i = 0; i < 5; i++) await saisir(nav, a.tentative!, faux(code1));
    app.horloge.avancer(61_000);
    const b = await renvoyer(nav, a.tentative!);
    const code2 = await codeRecu(tel, 2);
    for (let i = 0; i < 4; i++) expect((await saisir(nav, b.tentative!, faux(code2))).statut).toBe(422);
    const dixieme = await saisir(nav, b.tentative!, faux(code2));
    expect(dixieme.statut).toBe(422);
    const message = erreur(dixieme.page);
    expect(message).toMatch(/Pour protéger ce dossier, son ajout avec ce numéro d’identification est bloqué jusqu’au \d\d\/\d\d\/\d{4} à \d\d:\d\d, après 10 codes erronés\./);
    expect(message).toContain('contactez le Tribunal judiciaire de Paris (01 44 32 51 51)');
    // Locked: the right code does nothing, no new code is sent, for this account or another.
    expect(erreur((await saisir(nav, b.tentative!, code2)).page)).toContain('est bloqué jusqu’au');
    app.horloge.avancer(61_000);
    expect(erreur((await demander(nav, numero)).page)).toContain('est bloqué jusqu’au');
    const autre = await connecter('angela-dubois');
    expect(erreur((await demander(autre, numero)).page)).toContain('est bloqué jusqu’au');
    expect(await sms(tel)).toHaveLength(2);
    expect(await compter(sql.unsafe`SELECT 1 FROM journal WHERE action = 'rattachement.verifier_code' AND details->>'motif' = 'verrouille'`)).toBeGreaterThanOrEqual(2);
    // 24 h later, linking works again.
    app.horloge.avancer(24 * HEURE);
    await ajouter(autre, numero, tel);
  });

  test('several numbers for one case: one link per represented party, shown separately', async () => {
    const P = 'REP-2026-00007';
    const telParent = nouveauTelephone();
    const [enfant1, enfant2] = [
      partie(P, 'P1', { role: 'Enfant', prenoms: 'Léa', civilite: undefined, telephone: null }),
      partie(P, 'P2', { role: 'Enfant', prenoms: 'Tom', civilite: undefined, telephone: null }),
    ];
    await pousserAffaire(P, [enfant1, enfant2]);
    const representant = { nom: 'BENALI', prenoms: 'Karim', courriel: 'karim.rep@example.fr', telephone: telParent };
    const n1 = await consentir(P, enfant1, representant);
    await app.api('POST', `/affaires/${P}/consentements`, { partie: enfant2.id, representant });
    const courriels = await attendre('deux courriels', async () => {
      const c = await app.courriels(representant.courriel);
      return c.length >= 2 ? c : null;
    });
    const n2 = /Numéro d'identification : (\S+)/.exec(courriels[0]!.text)![1]!;
    secrets.push(n2, normaliserNumero(n2)!);
    expect(n2).not.toBe(n1);

    const nav = await connecter('karim-benali');
    const l1 = await ajouter(nav, n1, telParent);
    app.horloge.avancer(61_000);
    const l2 = await ajouter(nav, n2, telParent);
    expect(l1).not.toBe(l2);
    const espace = texte(await (await nav.requete(`${app.url}/espace`)).text());
    expect(espace).toContain('En tant que représentant de Léa DUBOIS (Enfant)');
    expect(espace).toContain('En tant que représentant de Tom DUBOIS (Enfant)');
    expect(espace.match(/Dossier n° 26\/00007/g)).toHaveLength(2);
    expect(texte(await (await nav.requete(`${app.url}/espace/dossiers/${l1}`)).text())).toContain('En tant que représentant de Léa DUBOIS (Enfant)');
    expect(texte(await (await nav.requete(`${app.url}/espace/dossiers/${l2}`)).text())).toContain('En tant que représentant de Tom DUBOIS (Enfant)');
  });

  test('detach with a confirmation step, then re-add with the same number and a new code', async () => {
    const P = 'DET-2026-00008';
    const p1 = partie(P, 'P1');
    await pousserAffaire(P, [p1]);
    const numero = await consentir(P, p1);
    const nav = await connecter('angela-dubois');
    const avant = await liens(nav);
    const id = await ajouter(nav, numero, p1.telephone!);

    const confirmation = await (await nav.requete(`${app.url}/espace/dossiers/${id}/detacher`)).text();
    expect(texte(confirmation)).toContain('Détacher ce dossier ?');
    const f = formulaire(confirmation, 'Détacher ce dossier');
    expect(f.action).toBe(`/espace/dossiers/${id}/detacher`);
    // Without the CSRF token: refused, nothing detached.
    expect((await nav.requete(`${app.url}/espace/dossiers/${id}/detacher`, { form: {} })).status).toBe(403);
    expect(await liens(nav)).toContain(id);
    const r = await nav.requete(`${app.url}${f.action}`, { form: f.champs });
    expect(r.status).toBe(303);
    expect(r.headers.get('location')).toBe('/espace');
    const espace = texte(await (await nav.requete(`${app.url}/espace`)).text());
    expect(espace).toContain('Le dossier a été détaché de votre espace');
    expect(espace).toContain('Le fait de détacher votre dossier n’annule ni votre consentement, ni vos alertes, ni l’envoi d’avis, de convocations et de récépissés par voie dématérialisée. Votre dossier ne sera simplement plus visible sur votre compte.');
    expect(await liens(nav)).toEqual(avant);
    expect((await nav.requete(`${app.url}/espace/dossiers/${id}`)).status).toBe(404);
    // The consent and the number are untouched.
    expect(await compter(sql.unsafe`SELECT 1 FROM consentement c JOIN identifiant i ON i.consentement_id = c.id WHERE c.revoked_at IS NULL AND i.revoked_at IS NULL AND c.id IN (SELECT i2.consentement_id FROM rattachement r JOIN identifiant i2 ON i2.id = r.identifiant_id WHERE r.id = ${id})`)).toBe(1);

    app.horloge.avancer(61_000);
    const nouveau = await ajouter(nav, numero, p1.telephone!);
    expect(nouveau).not.toBe(id);
    expect(await liens(nav)).toContain(nouveau);
  });

  test('another account never reaches a link: 404, byte-identical to an unknown id, and no effect', async () => {
    const P = 'IDR-2026-00009';
    const p1 = partie(P, 'P1');
    await pousserAffaire(P, [p1]);
    const numero = await consentir(P, p1);
    const navA = await connecter('lucas-petit');
    const id = await ajouter(navA, numero, p1.telephone!);
    const navB = await connecter('ana-da-silva-ferreira');

    const inconnu = randomUUID();
    const corps = async (nav: Navigateur, chemin: string) => {
      const r = await nav.requete(`${app.url}${chemin}`);
      return `${r.status}\n${await r.text()}`;
    };
    const reference = await corps(navB, `/espace/dossiers/${inconnu}`);
    expect(reference.startsWith('404\n')).toBe(true);
    expect(await corps(navB, `/espace/dossiers/${id}`)).toBe(reference);
    expect(await corps(navB, '/espace/dossiers/pas-un-uuid')).toBe(reference);
    expect(await corps(navB, `/espace/dossiers/${id}/detacher`)).toBe(await corps(navB, `/espace/dossiers/${inconnu}/detacher`));
    const postA = await poster(navB, `/espace/dossiers/${id}/detacher`, {});
    const postInconnu = await poster(navB, `/espace/dossiers/${inconnu}/detacher`, {});
    expect(postA.statut).toBe(404);
    expect(postA.page).toBe(postInconnu.page);
    expect(await liens(navA)).toContain(id);
    expect(await liens(navB)).toEqual([]);
    // B cannot use A's attempt either.
    app.horloge.avancer(61_000);
    await nouveauCodePour(navA, numero, p1.telephone!, async (tentative, code) => {
      const r = await saisir(navB, tentative, code);
      expect(erreur(r.page)).toContain('Votre demande de code n’est plus valable');
      expect((await renvoyer(navB, tentative)).statut).toBe(422);
    });
    expect(await liens(navB)).toEqual([]);
  });

  test('visibility: withdrawn access, a case not followed online, a case closed more than CASE_RETENTION ago', async () => {
    const P = 'VIS-2026-00010';
    const p1 = partie(P, 'P1');
    await pousserAffaire(P, [p1]);
    const numero = await consentir(P, p1);
    const nav = await connecter('marie-helene-lefevre');
    const id = await ajouter(nav, numero, p1.telephone!);
    const page = `/espace/dossiers/${id}`;
    const reference = await (await nav.requete(`${app.url}/espace/dossiers/${randomUUID()}`)).text();
    const cache = async () => {
      expect(await liens(nav)).not.toContain(id);
      const r = await nav.requete(`${app.url}${page}`);
      expect(r.status).toBe(404);
      expect(await r.text()).toBe(reference);
    };
    const visible = async () => {
      expect(await liens(nav)).toContain(id);
      expect((await nav.requete(`${app.url}${page}`)).status).toBe(200);
    };

    // The court withdraws the party's access, then gives it back: a replay changes nothing.
    await pousserAffaire(P, [{ ...p1, accesRetire: true }]);
    await cache();
    const version = await app.pool.oneFirst(sql.type(z.object({ v: z.number() }))`SELECT version AS v FROM dossier WHERE numero_portalis = ${P}`);
    await pousserAffaire(P, [{ ...p1, accesRetire: true }]);
    expect(await app.pool.oneFirst(sql.type(z.object({ v: z.number() }))`SELECT version AS v FROM dossier WHERE numero_portalis = ${P}`)).toBe(version);
    await pousserAffaire(P, [p1]);
    await visible();

    await pousserAffaire(P, [p1], { suiviEnLigne: false });
    await cache();
    await pousserAffaire(P, [p1]);
    await visible();

    // Closed 30 days ago: still shown, with until when; closed more than a year ago: gone.
    const jours = (n: number) => new Date(app.horloge.maintenant().getTime() - n * 24 * HEURE).toISOString();
    expect((await app.api('POST', `/affaires/${P}/cloture`, { date: jours(30) })).status).toBe(204);
    await visible();
    expect(texte(await (await nav.requete(`${app.url}${page}`)).text())).toMatch(/Dossier terminé le \d+ \S+ \d{4} ; il reste consultable jusqu’au/);
    expect((await app.api('POST', `/affaires/${P}/cloture`, { date: jours(367) })).status).toBe(204);
    await cache();
    // Nor can it be detached or re-added.
    expect((await poster(nav, `${page}/detacher`, {})).statut).toBe(404);
  });

  test('the code and the number are never stored or journaled in clear', async () => {
    expect(secrets.length).toBeGreaterThan(20);
    // Every SMS and e-mail has been handed over (or abandoned), so every marker is masked.
    await attendre('outbox vidée', async () => (await compter(sql.unsafe`SELECT 1 FROM notification WHERE statut IN ('en_attente', 'echec_temporaire')`)) === 0);
    const texteDe = (requete: ReturnType<typeof sql.fragment>) => app.pool.oneFirst(sql.type(z.object({ t: z.string().nullable() }))`SELECT coalesce(string_agg(l, E'\n'), '') AS t FROM (${requete}) AS x(l)`);
    // Whole rows for the numbers (12 symbols, nothing else looks like them)…
    const journal = (await texteDe(sql.fragment`SELECT j::text FROM journal j`))!;
    const outbox = (await texteDe(sql.fragment`SELECT n::text FROM notification n`))!;
    const codesSms = (await texteDe(sql.fragment`SELECT c::text FROM code_sms c`))!;
    // …and the free-text columns for the 6-digit codes (ids and timestamps hold digit runs).
    const texteJournal = (await texteDe(sql.fragment`SELECT concat_ws(' ', action, acteur_id, objet_id, details::text) FROM journal`))!;
    const texteOutbox = (await texteDe(sql.fragment`SELECT concat_ws(' ', destinataire, sujet, corps, derniere_erreur) FROM notification`))!;
    expect(journal).toContain('rattachement.envoyer_code');
    expect(outbox).toContain('[masqué après envoi]');
    for (const s of new Set(secrets)) {
      if (/^\d{6}$/.test(s)) {
        const mot = new RegExp(`(^|[^0-9A-Za-z])${s}([^0-9A-Za-z]|$)`);
        expect(texteJournal).not.toMatch(mot);
        expect(texteOutbox).not.toMatch(mot);
      } else {
        expect(journal).not.toContain(s);
        expect(outbox).not.toContain(s);
        expect(codesSms).not.toContain(s);
      }
    }
    expect(await compter(sql.unsafe`SELECT 1 FROM notification WHERE type = 'code_sms' AND (corps ~ '\\d{6}' OR corps LIKE '%⟦%')`)).toBe(0);
    expect(await compter(sql.unsafe`SELECT 1 FROM notification WHERE type = 'code_sms'`)).toBeGreaterThan(20);
  });
});

/** Asks A's code for `numero` and hands the attempt and the code to `f`. */
async function nouveauCodePour(nav: Navigateur, numero: string, telephone: string, f: (tentative: string, code: string) => Promise<void>): Promise<void> {
  const deja = (await sms(telephone)).length;
  // A's link exists: detach it first so a code can be asked again.
  const d = await demander(nav, numero);
  if (d.statut !== 303) {
    const [id] = await liens(nav);
    const conf = formulaire(await (await nav.requete(`${app.url}/espace/dossiers/${id}/detacher`)).text(), 'Détacher ce dossier');
    await nav.requete(`${app.url}${conf.action}`, { form: conf.champs });
    return nouveauCodePour(nav, numero, telephone, f);
  }
  await f(d.tentative!, await codeRecu(telephone, deja + 1));
}
