// Help, support and directories (issue 9 items 2, 3, 4 and 6): /aide searched without
// JavaScript and with htmx, every answer linkable, error pages linking their answer; /contact
// stored, e-mailed to support and to the sender through the outbox and a workflow, refused with
// French errors, rate-limited per session and per address (429); the agents' support inbox with
// journaled consultation and closure; security.txt; the juridictions' map links.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { sql } from 'slonik';
import { z } from 'zod';
import { demarrerApplication, JURIDICTION_VALIDE, type Application } from '../aides/application.js';
import { attribuerRole, connecterAgent, lignesJournal } from '../aides/agent.js';
import { formulaire, Navigateur } from '../aides/navigateur.js';
import { QUESTIONS_AIDE } from '../../domain/aide.js';

let app: Application;

beforeAll(async () => {
  app = await demarrerApplication();
  // Agents' roles need their juridiction to exist.
  expect((await app.api('PUT', '/juridiction', JURIDICTION_VALIDE)).status).toBeLessThan(300);
}, 120_000);
afterAll(async () => {
  await app?.arreter();
});

const nombreContacts = () => app.pool.oneFirst(sql.type(z.object({ n: z.number() }))`SELECT count(*)::int AS n FROM contact`);

async function attendreCourriels(destinataire: string, n: number) {
  for (let i = 0; i < 150; i++) {
    const l = await app.courriels(destinataire);
    if (l.length >= n) return l;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`moins de ${n} courriel(s) pour ${destinataire}`);
}

/** Opens /contact in `nav` and posts the form with `champs` (the CSRF token from the page). */
async function envoyerContact(nav: Navigateur, champs: Record<string, string>): Promise<Response> {
  const page = await (await nav.requete(`${app.url}/contact`)).text();
  const f = formulaire(page, 'action="/contact"');
  return nav.requete(`${app.url}/contact`, { form: { ...f.champs, ...champs } });
}

const valide = (courriel: string) => ({ categorie: 'ajout_dossier', objet: 'Code SMS jamais reçu', message: 'J’ai demandé trois fois le code par SMS pour ajouter mon dossier, rien n’arrive.', courriel, nom: 'Jeanne Test' });

describe('/aide', () => {
  test('the search works without JavaScript, ignoring accents and case', async () => {
    const r = await fetch(`${app.url}/aide?q=DESACTIVER+alertes`);
    expect(r.status).toBe(200);
    const page = await r.text();
    expect(page).toContain('Comment désactiver les alertes de mise à jour ?');
    expect(page).not.toContain('Quelles pièces puis-je joindre');
    expect(page).toMatch(/\d+ réponses? pour « DESACTIVER alertes »/);
    // « telephone » finds « téléphone », a prefix finds the whole word.
    expect(await (await fetch(`${app.url}/aide?q=telephone`)).text()).toContain('Mon adresse électronique ou mon numéro de téléphone a changé');
    expect(await (await fetch(`${app.url}/aide?q=pieces+joindre`)).text()).toContain('Quelles pièces puis-je joindre');
    const rien = await (await fetch(`${app.url}/aide?q=zzzxqw`)).text();
    expect(rien).toContain('Aucune réponse ne contient « zzzxqw »');
    expect(rien).toContain('href="/contact"');
  });

  test('htmx gets the results fragment only', async () => {
    const r = await fetch(`${app.url}/aide?q=brouillon`, { headers: { 'HX-Request': 'true' } });
    const fragment = await r.text();
    expect(fragment.startsWith('<div id="resultats-aide">')).toBe(true);
    expect(fragment).not.toContain('<html');
    expect(fragment).toContain('id="brouillon"');
  });

  test('every answer has its stable anchor; ?question= opens it; the directories are listed', async () => {
    const page = await (await fetch(`${app.url}/aide`)).text();
    for (const q of QUESTIONS_AIDE) expect(page).toContain(`id="${q.id}"`);
    expect(new Set(QUESTIONS_AIDE.map((q) => q.id)).size).toBe(QUESTIONS_AIDE.length);
    expect(page).not.toMatch(/<details[^>]*\bopen\b/);
    const ouverte = await (await fetch(`${app.url}/aide?question=code-sms`)).text();
    expect(ouverte).toMatch(/<details class="[^"]*" id="code-sms" open>/);
    expect(ouverte.match(/<details[^>]*\bopen\b/g)).toHaveLength(1);
    for (const annuaire of ['conciliateurs.fr', 'cnb.avocat.fr', 'commissaire-justice.fr', 'notaires.fr', 'annuaires.justice.gouv.fr']) expect(page).toContain(annuaire);
    expect(page).toMatch(/href="https:\/\/www\.conciliateurs\.fr\/" rel="noopener"/);
  });

  test('error pages link their answer: 404, CSRF refusal', async () => {
    const r404 = await fetch(`${app.url}/nulle-part`);
    expect(r404.status).toBe(404);
    expect(await r404.text()).toContain('href="/aide?question=page-introuvable#page-introuvable"');
    const nav = new Navigateur();
    await nav.requete(`${app.url}/contact`);
    const csrf = await nav.requete(`${app.url}/contact`, { form: valide('csrf@example.fr') });
    expect(csrf.status).toBe(403);
    expect(await csrf.text()).toContain('href="/aide?question=formulaire-expire#formulaire-expire"');
    expect(await nombreContacts()).toBe(0);
  });
});

describe('/contact', () => {
  test('a valid message is stored once, shows its reference, and e-mails support and the sender', async () => {
    const nav = new Navigateur();
    const avant = await nombreContacts();
    const r = await envoyerContact(nav, valide('jeanne.test@example.fr'));
    expect(r.status).toBe(302);
    expect(r.headers.get('location')).toBe('/contact/envoye');
    const confirmation = await (await nav.requete(`${app.url}/contact/envoye`)).text();
    const reference = /CT-\d{4}-[0-9A-Z]{4}-[0-9A-Z]{4}/.exec(confirmation)?.[0];
    expect(reference).toBeDefined();
    expect(await nombreContacts()).toBe(avant + 1);
    const ligne = await app.pool.one(sql.type(z.object({ reference: z.string(), categorie: z.string(), compte_id: z.string().nullable(), nom: z.string().nullable() }))`
      SELECT reference, categorie, compte_id, nom FROM contact WHERE courriel = 'jeanne.test@example.fr'`);
    expect(ligne).toEqual({ reference, categorie: 'ajout_dossier', compte_id: null, nom: 'Jeanne Test' });
    // The confirmation is read once: a reload no longer shows the reference.
    expect(await (await nav.requete(`${app.url}/contact/envoye`)).text()).not.toContain(reference!);

    const support = (await attendreCourriels(app.config.SUPPORT_EMAIL, 1)).filter((m) => m.subject.includes(reference!));
    expect(support).toHaveLength(1);
    expect(support[0]!.text).toContain('rien n’arrive');
    expect(support[0]!.text).toContain('jeanne.test@example.fr');
    const accuse = await attendreCourriels('jeanne.test@example.fr', 1);
    expect(accuse).toHaveLength(1);
    expect(accuse[0]!.subject).toContain(reference!);
    // The acknowledgment repeats nothing the sender typed (the address is not verified).
    expect(accuse[0]!.text).not.toContain('rien n’arrive');
    expect(accuse[0]!.text).not.toContain('Code SMS jamais reçu');
  }, 60_000);

  test('a logged-in citizen finds their e-mail prefilled and the request tied to their account', async () => {
    const nav = await app.connecter();
    const page = await (await nav.requete(`${app.url}/contact`)).text();
    expect(page).toContain('value="angela.dubois@example.org"');
    const f = formulaire(page, 'action="/contact"');
    const r = await nav.requete(`${app.url}/contact`, { form: { ...f.champs, categorie: 'requete', objet: 'Brouillon disparu', message: 'Mon brouillon de requête n’apparaît plus dans la liste.', courriel: 'angela.dubois@example.org', nom: '' } });
    expect(r.status).toBe(302);
    const compte = await app.pool.oneFirst(sql.type(z.object({ compte_id: z.string().nullable() }))`SELECT compte_id FROM contact WHERE courriel = 'angela.dubois@example.org'`);
    expect(compte).not.toBeNull();
  });

  test('invalid input: French errors tied to their fields and summarised, nothing stored', async () => {
    const avant = await nombreContacts();
    const r = await envoyerContact(new Navigateur(), { categorie: 'inconnue', objet: '', message: 'court', courriel: 'pas-une-adresse', nom: '' });
    expect(r.status).toBe(422);
    const page = await r.text();
    expect(page).toContain('Le formulaire contient 4 erreurs');
    expect(page).toContain('<a href="#contact-categorie">Choisissez l’objet de votre demande dans la liste.</a>');
    expect(page).toContain('id="contact-message-erreur"');
    expect(page).toContain('Adresse électronique invalide');
    expect(page).toMatch(/id="contact-courriel"[^>]*aria-invalid="true"/);
    // What was typed comes back, escaped.
    expect(page).toContain('value="pas-une-adresse"');
    expect(await nombreContacts()).toBe(avant);
    const xss = await envoyerContact(new Navigateur(), { ...valide('pas une adresse'), objet: '<script>alert(1)</script>' });
    expect(xss.status).toBe(422);
    const corps = await xss.text();
    expect(corps).not.toContain('<script>alert(1)</script>');
    expect(corps).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  test('rate limit: 3 per hour per session, then 429 with its own message', async () => {
    const nav = new Navigateur();
    for (let i = 1; i <= 3; i++) expect((await envoyerContact(nav, valide(`session.${i}@example.fr`))).status).toBe(302);
    const avant = await nombreContacts();
    const r = await envoyerContact(nav, valide('session.4@example.fr'));
    expect(r.status).toBe(429);
    expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(3000);
    const page = await r.text();
    expect(page).toContain('Vous avez déjà envoyé 3 messages au support en une heure depuis ce navigateur');
    expect(page).toContain('value="session.4@example.fr"');
    expect(await nombreContacts()).toBe(avant);
    // Another browser is not limited by this one.
    expect((await envoyerContact(new Navigateur(), valide('autre.navigateur@example.fr'))).status).toBe(302);
  });

  test('rate limit: 3 per hour per address, whatever the session', async () => {
    for (let i = 1; i <= 3; i++) expect((await envoyerContact(new Navigateur(), valide('Meme.Adresse@example.fr'))).status).toBe(302);
    const r = await envoyerContact(new Navigateur(), valide('meme.adresse@example.fr'));
    expect(r.status).toBe(429);
    expect(await r.text()).toContain('pour cette adresse électronique');
    // An hour later the address may write again.
    app.horloge.avancer(3601_000);
    try {
      expect((await envoyerContact(new Navigateur(), valide('meme.adresse@example.fr'))).status).toBe(302);
    } finally {
      app.horloge.avancer(-3601_000);
    }
  });
});

describe('support inbox (agents)', () => {
  test('a reception agent lists, opens and closes a request; each step journaled', async () => {
    await attribuerRole(app, { courriel: 'accueil.paris@justice.fr', role: 'agent_accueil', juridiction: 'TJ-PARIS' });
    const { nav } = await connecterAgent(app, 'accueil.paris@justice.fr');
    const c = await app.pool.one(sql.type(z.object({ id: z.string(), reference: z.string() }))`SELECT id, reference FROM contact WHERE courriel = 'jeanne.test@example.fr'`);
    const liste = await (await nav.requete(`${app.url}/agent/contacts`)).text();
    expect(liste).toContain(c.reference);
    // The list shows no personal data.
    expect(liste).not.toContain('jeanne.test@example.fr');
    const detail = await nav.requete(`${app.url}/agent/contacts/${c.id}`);
    expect(detail.status).toBe(200);
    const page = await detail.text();
    expect(page).toContain('rien n’arrive');
    expect(page).toContain('jeanne.test@example.fr');
    expect((await lignesJournal(app, { action: 'contact.consulter', objetId: c.id })).length).toBe(1);
    const f = formulaire(page, `action="/agent/contacts/${c.id}/clore"`);
    const r = await nav.requete(`${app.url}${f.action}`, { form: f.champs });
    expect(r.status).toBe(302);
    const ligne = await app.pool.one(sql.type(z.object({ closed_at: z.date().nullable(), closed_by: z.string().nullable() }))`SELECT closed_at, closed_by FROM contact WHERE id = ${c.id}`);
    expect(ligne.closed_at).not.toBeNull();
    expect(ligne.closed_by).not.toBeNull();
    const journal = await lignesJournal(app, { action: 'contact.clore', objetId: c.id });
    expect(journal).toHaveLength(1);
    expect(journal[0]!.role).toBe('agent_accueil');
    expect(await (await nav.requete(`${app.url}/agent/contacts?etat=closes`)).text()).toContain(c.reference);
    expect(await (await nav.requete(`${app.url}/agent/contacts`)).text()).not.toContain(c.reference);
    // A second closure changes nothing and journals nothing more.
    expect((await nav.requete(`${app.url}${f.action}`, { form: f.champs })).status).toBe(302);
    expect(await lignesJournal(app, { action: 'contact.clore', objetId: c.id })).toHaveLength(1);
  });

  test('a clerk may not open the support inbox', async () => {
    await attribuerRole(app, { courriel: 'greffe.paris@justice.fr', role: 'agent_greffe', juridiction: 'TJ-PARIS' });
    const { nav } = await connecterAgent(app, 'greffe.paris@justice.fr');
    const r = await nav.requete(`${app.url}/agent/contacts`);
    expect(r.status).toBe(403);
    expect(await r.text()).not.toContain('CT-');
  });
});

describe('security.txt and juridictions', () => {
  test('/.well-known/security.txt carries the RFC 9116 fields', async () => {
    const r = await fetch(`${app.url}/.well-known/security.txt`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    const texte = await r.text();
    expect(texte).toContain(`Contact: mailto:${app.config.SUPPORT_EMAIL}`);
    expect(texte).toContain('Preferred-Languages: fr, en');
    expect(texte).toContain(`Canonical: ${app.url}/.well-known/security.txt`);
    const expire = new Date(/^Expires: (.+)$/m.exec(texte)![1]!);
    const jours = (expire.getTime() - Date.now()) / 86400_000;
    expect(jours).toBeGreaterThan(360);
    expect(jours).toBeLessThanOrEqual(366);
  });

  test('/juridictions shows address, phone, hours and an OpenStreetMap link', async () => {
    expect((await app.api('PUT', '/juridiction', { ...JURIDICTION_VALIDE, horaires: 'Du lundi au vendredi, de 9 h à 17 h' })).status).toBeLessThan(300);
    const page = await (await fetch(`${app.url}/juridictions`)).text();
    expect(page).toContain('Parvis du Tribunal de Paris, 75017 Paris');
    expect(page).toContain('href="tel:0144325151"');
    expect(page).toContain('Horaires d’ouverture : Du lundi au vendredi, de 9 h à 17 h');
    expect(page).toContain('href="https://www.openstreetmap.org/?mlat=48.8951&amp;mlon=2.3146#map=17/48.8951/2.3146"');
  });
});
