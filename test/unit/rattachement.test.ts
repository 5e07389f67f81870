import { describe, expect, test } from '@jest/globals';
import {
  REGLES_CODE,
  apresEchec,
  controlerEnvoi,
  essaisRestants,
  estVerrouille,
  etatCode,
  masquerTelephone,
  nomPartie,
  normaliserCode,
  qualite,
  texteSmsCode,
} from '../../domain/rattachement.js';
import { genererCodeSms } from '../../domain/identifiants.js';
import { retrancherDuree, ajouterDuree } from '../../domain/durees.js';

const T0 = new Date('2026-11-23T10:00:00Z');
const plus = (ms: number) => new Date(T0.getTime() + ms);
const MIN = 60_000;
const HEURE = 3600_000;

describe('the SMS code', () => {
  test('is 6 digits, valid 10 minutes, 5 tries, as ASVS and the checklist require', () => {
    expect(REGLES_CODE).toMatchObject({ chiffres: 6, validiteMs: 10 * MIN, essaisParCode: 5, envoisParFenetre: 3, fenetreEnvoisMs: HEURE, intervalleEnvoisMs: MIN, echecsAvantVerrou: 10, verrouMs: 24 * HEURE });
    for (let i = 0; i < 200; i++) expect(genererCodeSms()).toMatch(/^\d{6}$/);
  });

  test('what a citizen types: spaces ignored, exactly 6 digits', () => {
    expect(normaliserCode(' 123 456 ')).toBe('123456');
    expect(normaliserCode('012345')).toBe('012345');
    expect(normaliserCode('12345')).toBeNull();
    expect(normaliserCode('1234567')).toBeNull();
    expect(normaliserCode('12345a')).toBeNull();
    expect(normaliserCode('١٢٣٤٥٦')).toBeNull();
    expect(normaliserCode('')).toBeNull();
  });

  test('the SMS text says what it is for, how long it lasts, and marks the code as a secret', () => {
    expect(texteSmsCode('26/01234', '042195')).toBe(
      'Justice.fr : votre code pour ajouter le dossier n° 26/01234 est ⟦042195⟧. Il expire dans 10 minutes. Ne le communiquez à personne.',
    );
  });

  test('a code is usable until it expires, is used, disabled after 5 failures or replaced', () => {
    const code = { expires_at: plus(10 * MIN), attempts: 0, used_at: null, invalidated_at: null };
    expect(etatCode(code, T0)).toBe('utilisable');
    expect(etatCode(code, plus(10 * MIN - 1))).toBe('utilisable');
    expect(etatCode(code, plus(10 * MIN))).toBe('expire');
    expect(etatCode({ ...code, used_at: T0 }, T0)).toBe('utilise');
    expect(etatCode({ ...code, attempts: 5, invalidated_at: T0 }, T0)).toBe('desactive');
    expect(etatCode({ ...code, attempts: 2, invalidated_at: T0 }, T0)).toBe('remplace');
    expect([0, 1, 4, 5, 6].map(essaisRestants)).toEqual([5, 4, 1, 0, 0]);
  });
});

describe('sending limits: 3 per hour and 60 s apart, per account and per phone', () => {
  test('the first sends pass', () => {
    expect(controlerEnvoi({ compte: [], telephone: [] }, T0)).toBeNull();
    expect(controlerEnvoi({ compte: [plus(-2 * MIN)], telephone: [plus(-2 * MIN)] }, T0)).toBeNull();
  });

  test('less than 60 s after the last send (of the account or to the phone): wait', () => {
    expect(controlerEnvoi({ compte: [plus(-30_000)], telephone: [] }, T0)).toEqual({ motif: 'intervalle', reessayerA: plus(30_000) });
    expect(controlerEnvoi({ compte: [], telephone: [plus(-59_000)] }, T0)).toEqual({ motif: 'intervalle', reessayerA: plus(1000) });
    expect(controlerEnvoi({ compte: [plus(-60_000)], telephone: [] }, T0)).toBeNull();
  });

  test('a 4th code within the hour is refused until the oldest leaves the window', () => {
    const trois = [plus(-50 * MIN), plus(-20 * MIN), plus(-5 * MIN)];
    expect(controlerEnvoi({ compte: trois, telephone: [] }, T0)).toEqual({ motif: 'quota', reessayerA: plus(10 * MIN) });
    expect(controlerEnvoi({ compte: [], telephone: trois }, T0)).toEqual({ motif: 'quota', reessayerA: plus(10 * MIN) });
    // The quota answer wins over the interval: it is the later one.
    expect(controlerEnvoi({ compte: [plus(-50 * MIN), plus(-20 * MIN), plus(-10_000)], telephone: [] }, T0)?.motif).toBe('quota');
    // Sends older than an hour do not count.
    expect(controlerEnvoi({ compte: [plus(-3 * HEURE), plus(-2 * HEURE), plus(-61 * MIN)], telephone: [] }, T0)).toBeNull();
    expect(controlerEnvoi({ compte: [plus(-60 * MIN), plus(-20 * MIN), plus(-5 * MIN)], telephone: [] }, T0)).toBeNull();
  });
});

describe('lockout: 10 failed codes in 24 h lock the number for 24 h', () => {
  const neuf = { echecs: 0, echecs_depuis: null, verrouille_jusqu_a: null };

  test('failures accumulate in a window opened by the first', () => {
    let k = apresEchec(neuf, T0);
    expect(k).toEqual({ echecs: 1, echecs_depuis: T0, verrouille_jusqu_a: null, verrouille: false });
    for (let i = 2; i <= 9; i++) k = apresEchec(k, plus(i * HEURE));
    expect(k).toMatchObject({ echecs: 9, echecs_depuis: T0, verrouille: false });
    const dixieme = apresEchec(k, plus(23 * HEURE));
    expect(dixieme).toEqual({ echecs: 0, echecs_depuis: null, verrouille_jusqu_a: plus(47 * HEURE), verrouille: true });
    expect(estVerrouille(dixieme, plus(47 * HEURE - 1))).toBe(true);
    expect(estVerrouille(dixieme, plus(47 * HEURE))).toBe(false);
  });

  test('after 24 h the count starts again', () => {
    let k = apresEchec(neuf, T0);
    for (let i = 0; i < 8; i++) k = apresEchec(k, plus(MIN));
    expect(k.echecs).toBe(9);
    const tard = apresEchec(k, plus(24 * HEURE));
    expect(tard).toEqual({ echecs: 1, echecs_depuis: plus(24 * HEURE), verrouille_jusqu_a: null, verrouille: false });
  });

  test('a number never locked is not locked', () => {
    expect(estVerrouille(neuf, T0)).toBe(false);
  });
});

describe('showing the phone and the link', () => {
  test('only the last two digits of the phone', () => {
    expect(masquerTelephone('+33612345678')).toBe('••78');
    expect(masquerTelephone('06 12 34 56 12')).toBe('••12');
  });

  const angela = { role: 'Demandeur', type: 'physique' as const, civilite: 'Mme', nom: 'DUBOIS', nom_usage: null, prenoms: 'Angela', raison_sociale: null, titre: null };

  test('a party is named by its kind', () => {
    expect(nomPartie(angela)).toBe('Mme Angela DUBOIS');
    expect(nomPartie({ ...angela, nom_usage: 'MARTIN' })).toBe('Mme Angela MARTIN');
    expect(nomPartie({ ...angela, type: 'morale', raison_sociale: 'Société Exemple SARL' })).toBe('Société Exemple SARL');
    expect(nomPartie({ ...angela, type: 'autorite', titre: 'Procureur de la République' })).toBe('Procureur de la République');
  });

  test('"en tant que représentant de …" when the consent names a representative, else the party', () => {
    expect(qualite(angela, null)).toBe('Partie : Demandeur — Mme Angela DUBOIS');
    expect(qualite(angela, { civilite: 'M.', nom: 'DUBOIS', prenoms: 'Paul' })).toBe('En tant que représentant de Mme Angela DUBOIS (Demandeur)');
  });
});

describe('retention cut-off', () => {
  test('is the instant CASE_RETENTION before now, in calendar units of Paris', () => {
    expect(retrancherDuree(new Date('2027-03-31T08:00:00Z'), 'P1Y').toISOString()).toBe('2026-03-31T08:00:00.000Z');
    const maintenant = new Date('2026-11-23T10:00:00Z');
    expect(ajouterDuree(retrancherDuree(maintenant, 'P1Y'), 'P1Y').toISOString()).toBe(maintenant.toISOString());
    expect(() => retrancherDuree(maintenant, 'P0D')).toThrow(RangeError);
  });
});
