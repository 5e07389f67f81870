// The pure rules of the help page and the support form: search without accents, the error →
// answer mapping, the contact rate limit and reference, security.txt.
import { describe, expect, test } from '@jest/globals';
import { AIDE_PAR_ERREUR, normaliser, QUESTIONS_AIDE, questionPourErreur, rechercherAide } from '../../domain/aide.js';
import { controlerContact, formulaireContact, genererReferenceContact } from '../../domain/contact.js';
import { texteSecurityTxt } from '../../web/pages/security-txt.js';

describe('help', () => {
  test('search ignores accents, case and short words; every word must match', () => {
    expect(normaliser('Désactiver l’ALERTE')).toBe('desactiver l alerte');
    const ids = (q: string) => rechercherAide(q).flatMap((t) => t.questions.map((x) => x.id));
    expect(ids('desactiver')).toContain('desactiver-alertes');
    expect(ids('DÉSACTIVER les alertes')).toContain('desactiver-alertes');
    expect(ids('brouillon 30 jours')).toContain('brouillon');
    expect(ids('brouillon inexistantmot')).toEqual([]);
    expect(ids('')).toHaveLength(QUESTIONS_AIDE.length);
  });

  test('every mapped error code points to an existing answer', () => {
    const existants = new Set(QUESTIONS_AIDE.map((q) => q.id));
    for (const [code, id] of Object.entries(AIDE_PAR_ERREUR)) expect(`${code} → ${existants.has(id)}`).toBe(`${code} → true`);
    expect(questionPourErreur('csrf').id).toBe('formulaire-expire');
    expect(questionPourErreur('http_404', 404).id).toBe('page-introuvable');
    expect(questionPourErreur('code_nouveau').id).toBe('code-sms');
    expect(questionPourErreur('inconnu', 500).id).toBe('erreur-technique');
  });
});

describe('contact', () => {
  const t0 = new Date('2026-11-23T10:00:00Z');
  const avant = (min: number) => new Date(t0.getTime() - min * 60_000);

  test('3 per hour and 10 per day, per session and per address', () => {
    expect(controlerContact({ session: [avant(10), avant(20)], courriel: [] }, t0)).toBeNull();
    const heure = controlerContact({ session: [avant(10), avant(20), avant(30)], courriel: [] }, t0);
    expect(heure).toMatchObject({ par: 'session', max: 3 });
    expect(heure!.reessayerA.toISOString()).toBe(new Date(avant(30).getTime() + 3600_000).toISOString());
    const jour = Array.from({ length: 10 }, (_, i) => avant(120 + i * 60));
    expect(controlerContact({ session: [], courriel: jour }, t0)).toMatchObject({ par: 'courriel', max: 10 });
    expect(controlerContact({ session: [], courriel: jour.slice(1) }, t0)).toBeNull();
  });

  test('the form: French messages, one-line subject, optional name', () => {
    const r = formulaireContact.safeParse({ categorie: 'autre', objet: ' Une\nligne ', message: 'Un message suffisamment long.', courriel: 'a@b.fr', nom: '' });
    expect(r.success && r.data).toMatchObject({ objet: 'Une ligne', nom: null });
    const e = formulaireContact.safeParse({ categorie: 'x', objet: '', message: '', courriel: 'x' });
    expect(e.success).toBe(false);
    expect(e.error!.issues.map((i) => i.path[0])).toEqual(['categorie', 'objet', 'message', 'courriel']);
    expect(genererReferenceContact(t0)).toMatch(/^CT-2026-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
  });
});

test('security.txt: RFC 9116 fields, expiring in a year', () => {
  const t = texteSecurityTxt({ PUBLIC_URL: 'https://portail.example', SUPPORT_EMAIL: 'support@example.fr' }, new Date('2026-11-23T10:00:00.123Z'));
  expect(t).toContain('Contact: mailto:support@example.fr\n');
  expect(t).toContain('Expires: 2027-11-23T10:00:00Z\n');
  expect(t).toContain('Preferred-Languages: fr, en\n');
  expect(t).toContain('Canonical: https://portail.example/.well-known/security.txt\n');
});
