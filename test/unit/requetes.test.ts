// The requête rules of domain/requetes.ts, pure: the draft's clock (decree art. 4, "trente jours à
// compter du premier jour", in Paris days across daylight-saving changes), attachments checked by
// content, the third parties' decree fields, and what "complete" means before sending.
import { describe, expect, test } from '@jest/globals';
import { DateTime } from 'luxon';
import { avertissementsBrouillon, erreursEnvoi, expirationBrouillon, joursRestants, tiersSchema, verifierPiece } from '../../domain/requetes.js';

const paris = (iso: string) => DateTime.fromISO(iso, { zone: 'Europe/Paris' }).toJSDate();
const enParis = (d: Date) => DateTime.fromJSDate(d, { zone: 'Europe/Paris' }).toFormat("yyyy-MM-dd'T'HH:mm:ssZZ");

describe('the draft expires thirty days counted from its first day (Europe/Paris)', () => {
  test('whatever the hour it was begun, it ends at midnight starting day 30', () => {
    expect(enParis(expirationBrouillon(paris('2026-11-02T00:05'), 'P30D'))).toBe('2026-12-02T00:00:00+01:00');
    expect(enParis(expirationBrouillon(paris('2026-11-02T23:55'), 'P30D'))).toBe('2026-12-02T00:00:00+01:00');
  });
  test('across the spring and autumn daylight-saving changes', () => {
    expect(enParis(expirationBrouillon(paris('2026-03-10T23:30'), 'P30D'))).toBe('2026-04-09T00:00:00+02:00');
    expect(enParis(expirationBrouillon(paris('2026-10-10T08:00'), 'P30D'))).toBe('2026-11-09T00:00:00+01:00');
  });
  test('a duration with a time part (tests inject seconds) runs from the instant itself', () => {
    const t = paris('2026-11-02T15:00:07');
    expect(expirationBrouillon(t, 'PT30S').getTime() - t.getTime()).toBe(30000);
  });
  test('warnings 7 days and 1 day before, in calendar days (23rd and 29th day)', () => {
    const expire = expirationBrouillon(paris('2026-10-10T08:00'), 'P30D');
    expect(avertissementsBrouillon(expire, ['P1D', 'P7D']).map(enParis)).toEqual(['2026-11-02T00:00:00+01:00', '2026-11-08T00:00:00+01:00']);
  });
  test('days left as a citizen counts them', () => {
    const expire = paris('2026-12-02T00:00');
    expect(joursRestants(expire, paris('2026-11-25T00:00'))).toBe(7);
    expect(joursRestants(expire, paris('2026-12-01T23:00'))).toBe(1);
  });
});

const PDF = Buffer.from('%PDF-1.4\n%%EOF\n');
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
const EXE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(100, 0x90)]);
const limites = { maxOctets: 1000, maxTotal: 1500, maxNombre: 3 };
const rien = { octets: 0, nombre: 0 };

describe('attachments are judged by their content, never by their name', () => {
  test('a PDF and a PNG with their extensions are accepted, with the type found in the bytes', () => {
    expect(verifierPiece({ nom: 'plainte.PDF', octets: PDF }, rien, limites)).toEqual({ ok: true, type: 'application/pdf', nom: 'plainte.PDF' });
    expect(verifierPiece({ nom: 'photo.png', octets: PNG }, rien, limites)).toMatchObject({ ok: true, type: 'image/png' });
  });
  test('a renamed executable is refused as not a PDF, JPEG or PNG', () => {
    expect(verifierPiece({ nom: 'certificat.pdf', octets: EXE }, rien, limites)).toEqual({ ok: false, message: 'Le fichier « certificat.pdf » n’est ni un PDF, ni une image JPEG ou PNG : seuls ces formats sont acceptés.' });
  });
  test('a PDF named .jpg is refused with its own message', () => {
    const r = verifierPiece({ nom: 'scan.jpg', octets: PDF }, rien, limites);
    expect(r).toEqual({ ok: false, message: expect.stringContaining('est un PDF mais son nom ne se termine pas par .pdf') });
  });
  test('sizes: per file, per requête, and the number of files; an empty file', () => {
    expect(verifierPiece({ nom: 'gros.pdf', octets: Buffer.concat([PDF, Buffer.alloc(1000)]) }, rien, limites)).toMatchObject({ ok: false, message: expect.stringMatching(/la limite est de .* par fichier/) });
    expect(verifierPiece({ nom: 'b.pdf', octets: Buffer.concat([PDF, Buffer.alloc(600)]) }, { octets: 1000, nombre: 1 }, limites)).toMatchObject({ ok: false, message: expect.stringMatching(/au total pour cette requête/) });
    expect(verifierPiece({ nom: 'c.pdf', octets: PDF }, { octets: 10, nombre: 3 }, limites)).toMatchObject({ ok: false, message: expect.stringMatching(/plus de 3 pièces jointes/) });
    expect(verifierPiece({ nom: 'vide.pdf', octets: Buffer.alloc(0) }, rien, limites)).toMatchObject({ ok: false, message: 'Le fichier « vide.pdf » est vide.' });
  });
  test('a path in the name is dropped', () => {
    expect(verifierPiece({ nom: 'C:\\Users\\a\\..\\plainte.pdf', octets: PDF }, rien, limites)).toMatchObject({ ok: true, nom: 'plainte.pdf' });
  });
});

describe('third parties: the decree fields of their kind, and only those', () => {
  test('a person needs nom and prénoms; a company its raison sociale; an authority its titre', () => {
    expect(tiersSchema.safeParse({ type: 'physique', nom: 'MARTIN' }).error?.issues.map((i) => i.path[0])).toEqual(['prenoms']);
    expect(tiersSchema.safeParse({ type: 'morale' }).error?.issues.map((i) => i.path[0])).toEqual(['raisonSociale']);
    expect(tiersSchema.safeParse({ type: 'autorite' }).error?.issues.map((i) => i.path[0])).toEqual(['titre']);
  });
  test('fields of another kind are not kept', () => {
    expect(tiersSchema.parse({ type: 'morale', raisonSociale: 'Exemple SARL', formeJuridique: 'SARL', nom: 'MARTIN', titre: 'Préfet' })).toEqual({
      type: 'morale', civilite: null, nom: null, nomUsage: null, prenoms: null, raisonSociale: 'Exemple SARL', formeJuridique: 'SARL', titre: null,
    });
  });
});

describe('a requête is complete when its kind says so', () => {
  const jaf = { objet: 'residence', enfants: 'Léa, 3 ans', demandes: 'Résidence chez moi', motifs: 'Déménagement' };
  test('a complete JAF requête naming the other parent has no error', () => {
    expect(erreursEnvoi({ type: 'jaf', donnees: jaf, nbTiers: 1, nbPieces: 0, aujourdHui: '2026-11-23' })).toEqual([]);
  });
  test('missing fields, the other parent and the medical certificate are each named', () => {
    expect(erreursEnvoi({ type: 'jaf', donnees: { ...jaf, motifs: '' }, nbTiers: 0, nbPieces: 0, aujourdHui: '2026-11-23' }).map((e) => e.champ)).toEqual(['motifs', 'tiers']);
    expect(erreursEnvoi({ type: 'protection', donnees: {}, nbTiers: 0, nbPieces: 0, aujourdHui: '2026-11-23' }).map((e) => e.champ)).toContain('pieces');
  });
  test('facts in the future, an unknown option, a malformed amount are refused', () => {
    const e = erreursEnvoi({ type: 'partie_civile', donnees: { infraction: 'Vol', dateFaits: '2027-01-01', lieuFaits: 'Paris', prejudice: 'x', montant: '12 euros' }, nbTiers: 0, nbPieces: 0, aujourdHui: '2026-11-23' });
    expect(e.map((x) => x.champ)).toEqual(['dateFaits', 'montant']);
    expect(erreursEnvoi({ type: 'jaf', donnees: { ...jaf, objet: 'divorce' }, nbTiers: 1, nbPieces: 0, aujourdHui: '2026-11-23' })[0]!.message).toMatch(/choisissez une des options/);
  });
});
