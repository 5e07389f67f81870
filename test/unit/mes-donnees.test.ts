// The pure rules of "Mes données": masks of the coordinates the courts hold, durations in French,
// retention dates of a case (closure + CASE_RETENTION, in Europe/Paris).
import { describe, expect, test } from '@jest/globals';
import { dureeEnFrancais, masquerCourriel, masquerTelephone } from '../../domain/mes-donnees.js';
import { conservationDossier } from '../../services/mes-donnees.js';

describe('masks', () => {
  test('an e-mail keeps its first character and its domain', () => {
    expect(masquerCourriel('angela.dubois@example.fr')).toBe('a•••@example.fr');
    expect(masquerCourriel('x@y.fr')).toBe('x•••@y.fr');
    expect(masquerCourriel('pas-une-adresse')).toBe('•••');
    expect(masquerCourriel('@example.fr')).toBe('•••');
  });

  test('a phone keeps its country, its kind of line and its last two digits', () => {
    expect(masquerTelephone('+33612345678')).toBe('+33 6 •• •• •• 78');
    expect(masquerTelephone('06 12 34 56 78')).toBe('+33 6 •• •• •• 78');
    expect(masquerTelephone('01.44.32.51.51')).toBe('+33 1 •• •• •• 51');
    expect(masquerTelephone('+442079460958')).toBe('+44 ••• 58');
    expect(masquerTelephone('12')).toBe('••12');
    for (const t of ['+33612345678', '+442079460958']) expect(masquerTelephone(t).replace(/\D/g, '').length).toBeLessThanOrEqual(5);
  });
});

describe('durations in French', () => {
  test.each([
    ['P1Y', '1 an'],
    ['P5Y', '5 ans'],
    ['P30D', '30 jours'],
    ['P1Y6M', '1 an et 6 mois'],
    ['P1DT2H3M', '1 jour, 2 heures et 3 minutes'],
    ['PT3S', '3 secondes'],
    ['n’importe quoi', 'n’importe quoi'],
  ])('%s → %s', (iso, texte) => expect(dureeEnFrancais(iso)).toBe(texte));
});

describe('retention of a case', () => {
  test('open: the rule only; closed: closure + the retention, counted in Paris', () => {
    expect(conservationDossier(null, 'P1Y')).toEqual({ regle: 'Pendant toute la procédure, puis 1 an après la clôture du dossier', jusquAu: null });
    // Closed at 00:30 on 31 March 2026 in Paris (22:30 UTC the day before): deleted at 00:30 on 31 March 2027, Paris time.
    const c = conservationDossier(new Date('2026-03-30T22:30:00Z'), 'P1Y');
    expect(c.jusquAu).toBe('2027-03-30T22:30:00.000Z');
    expect(c.regle).toBe('1 an après la clôture du dossier (clôturé le 31 mars 2026)');
    // Across a daylight-saving change: 1 February (winter) + 6 months = 1 August (summer), same local time.
    expect(conservationDossier(new Date('2026-02-01T09:00:00Z'), 'P6M').jusquAu).toBe('2026-08-01T08:00:00.000Z');
  });
});
