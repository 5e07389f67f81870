// The pure rules added for the agent pages (domain/agents.ts): the Paris calendar day, the one
// shape of a role grant with its French refusals, the reception desk's reach.
import { describe, expect, test } from '@jest/globals';
import { attributionRole, jourParis, roleAccueil, roleAutorise, type RoleActif } from '../../domain/agents.js';

describe('jourParis', () => {
  test('the calendar day in Europe/Paris, whatever the server zone', () => {
    expect(jourParis(new Date('2026-12-31T23:30:00Z'))).toBe('2027-01-01');
    expect(jourParis(new Date('2026-03-29T21:59:00Z'))).toBe('2026-03-29');
    expect(jourParis(new Date('2026-03-29T22:00:00Z'))).toBe('2026-03-30');
  });
});

describe('attributionRole', () => {
  const erreurs = (v: unknown) => {
    const r = attributionRole.safeParse(v);
    return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };

  test('normalises the e-mail (lower case) and the juridiction code (upper case)', () => {
    const r = attributionRole.parse({ courriel: ' Camille.MARTIN@justice.fr ', role: 'agent_greffe', juridiction: 'tj-paris' });
    expect(r).toEqual({ courriel: 'camille.martin@justice.fr', role: 'agent_greffe', juridiction: 'TJ-PARIS', debut: null, fin: null });
  });

  test('French refusals naming the field', () => {
    expect(erreurs({ courriel: 'x@justice.fr', role: 'greffier', juridiction: 'TJ-PARIS' })).toEqual([expect.stringMatching(/^role: rôle inconnu « greffier »/)]);
    expect(erreurs({ courriel: 'x@justice.fr', role: 'magistrat', juridiction: 'TJ-PARIS' })).toEqual([
      'debut: un magistrat est habilité avec une date de début', 'fin: un magistrat est habilité avec une date de fin',
    ]);
    expect(erreurs({ courriel: 'x@justice.fr', role: 'magistrat', juridiction: 'TJ-PARIS', debut: '2026-02-30', fin: '2026-12-31' })).toEqual(['debut: date inexistante']);
    expect(erreurs({ courriel: 'x@justice.fr', role: 'magistrat', juridiction: 'TJ-PARIS', debut: '2026-12-31', fin: '2026-01-01' })).toEqual(['fin: la date de fin précède la date de début']);
    expect(erreurs({ courriel: 'x@justice.fr', role: 'directeur_greffe', juridiction: null })).toEqual(['juridiction: le rôle directeur_greffe exige une juridiction']);
    expect(erreurs({ courriel: 'x@justice.fr', role: 'statistiques_national', juridiction: 'TJ-PARIS' })).toEqual(['juridiction: le rôle statistiques_national est national : pas de juridiction']);
    expect(erreurs({ courriel: 'pas une adresse', role: 'agent_accueil', juridiction: null })).toEqual(['courriel: adresse électronique invalide']);
  });
});

describe('roleAccueil', () => {
  const sauj: RoleActif = { role: 'agent_accueil', juridiction: 'TJ-PARIS', debut: null, fin: null };
  test('the reception desk looks up any juridiction’s case; roleAutorise keeps its own rule', () => {
    expect(roleAccueil({ roles: [sauj] }, '2026-11-23')).toBe(sauj);
    expect(roleAutorise({ roles: [sauj] }, 'accueil', 'TJ-LYON', '2026-11-23')).toBeNull();
    expect(roleAccueil({ roles: [{ role: 'agent_greffe', juridiction: 'TJ-PARIS', debut: null, fin: null }] }, '2026-11-23')).toBeNull();
    expect(roleAccueil({ roles: [{ ...sauj, fin: '2026-01-01' }] }, '2026-11-23')).toBeNull();
  });
});
