// The retention cut-offs of the daily purge (domain/retention.ts) and the configuration's
// refusal of a journal kept less than six months (C2 item 16).
import { describe, expect, test } from '@jest/globals';
import { ConfigError, lireConfig } from '../../domain/config.js';
import { auMoinsSixMois, seuilsRetention } from '../../domain/retention.js';

const valide = {
  DATABASE_URL: 'postgres://portail:pw@127.0.0.1:5432/portail',
  TEMPORAL_ADDRESS: '127.0.0.1:7233',
  FC_ISSUER: 'https://fcp.integ01.dev-franceconnect.fr/api/v2',
  FC_CLIENT_ID: 'client',
  FC_CLIENT_SECRET: 'secret',
  AGENT_OIDC_ISSUER: 'http://127.0.0.1:3100/api/v2',
  AGENT_OIDC_CLIENT_ID: 'agents',
  AGENT_OIDC_CLIENT_SECRET: 'secret',
  SMTP_URL: 'smtp://127.0.0.1:1025',
  TWILIO_ACCOUNT_SID: 'AC0123456789abcdef',
  TWILIO_AUTH_TOKEN: 'jeton',
  TWILIO_FROM: 'JUSTICE',
  PUBLIC_URL: 'https://portail.example.gouv.fr/',
  SESSION_SECRET: 'x'.repeat(32),
  HASH_KEY: 'y'.repeat(32),
};

function erreurs(env: Record<string, string | undefined>): Record<string, string> {
  try {
    lireConfig(env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return Object.fromEntries((e as ConfigError).variables.map((v) => [v.nom, v.message]));
  }
  throw new Error('aucune erreur de configuration');
}

describe('retention cut-offs', () => {
  // 13:00 in Paris (CET, UTC+1).
  const maintenant = new Date('2026-11-23T12:00:00Z');

  test('one year back, counted on the Paris calendar', () => {
    const s = seuilsRetention(maintenant, { journal: 'P1Y', contact: 'P1Y' });
    expect(s.journal.toISOString()).toBe('2025-11-23T12:00:00.000Z');
    expect(s.contact.toISOString()).toBe('2025-11-23T12:00:00.000Z');
  });

  test('the journal cut-off is never later than six months back, whatever the duration given', () => {
    // 23 May 2026, 13:00 in Paris, is 11:00 UTC (summer time).
    for (const journal of ['P1D', 'PT1S', 'P5M', 'P6M']) {
      expect(seuilsRetention(maintenant, { journal, contact: 'P1D' }).journal.toISOString()).toBe('2026-05-23T11:00:00.000Z');
    }
    expect(seuilsRetention(maintenant, { journal: 'P3Y', contact: 'P1D' }).journal.toISOString()).toBe('2023-11-23T12:00:00.000Z');
  });

  test('support requests have no floor: their own duration only', () => {
    expect(seuilsRetention(maintenant, { journal: 'P1Y', contact: 'P1D' }).contact.toISOString()).toBe('2026-11-22T12:00:00.000Z');
  });

  test('across a daylight-saving change the wall-clock hour is kept (C2 item 17)', () => {
    // 29 March 2026 is the spring change; six months before is 29 September 2025 (summer time too).
    const s = seuilsRetention(new Date('2026-03-29T10:00:00Z'), { journal: 'P6M', contact: 'P1Y' });
    expect(s.journal.toISOString()).toBe('2025-09-29T10:00:00.000Z');
    expect(s.contact.toISOString()).toBe('2025-03-29T11:00:00.000Z');
  });

  test('an invalid duration is refused rather than read as zero', () => {
    expect(() => seuilsRetention(maintenant, { journal: 'un an', contact: 'P1Y' })).toThrow(RangeError);
  });

  test('six months at least, independently of the day', () => {
    for (const v of ['P6M', 'P1Y', 'P183D', 'P5Y', 'P1Y6M', 'P27W']) expect(`${v} ${auMoinsSixMois(v)}`).toBe(`${v} true`);
    for (const v of ['P5M', 'P182D', 'P26W', 'PT1H', 'P1D', 'P0D', 'six mois', '']) expect(`${v} ${auMoinsSixMois(v)}`).toBe(`${v} false`);
  });
});

describe('configuration of the retention', () => {
  test('both default to one year', () => {
    const c = lireConfig(valide);
    expect([c.JOURNAL_RETENTION, c.CONTACT_RETENTION]).toEqual(['P1Y', 'P1Y']);
  });

  test('a journal kept less than six months stops the start, in French, naming the variable', () => {
    for (const v of ['P3M', 'P30D', 'PT10S', 'P26W']) {
      const e = erreurs({ ...valide, JOURNAL_RETENTION: v });
      expect(Object.keys(e)).toEqual(['JOURNAL_RETENTION']);
      expect(e.JOURNAL_RETENTION).toBe(`le journal doit être conservé au moins six mois (P6M), reçu « ${v} »`);
    }
    expect(lireConfig({ ...valide, JOURNAL_RETENTION: 'P6M' }).JOURNAL_RETENTION).toBe('P6M');
    expect(lireConfig({ ...valide, JOURNAL_RETENTION: 'P3Y' }).JOURNAL_RETENTION).toBe('P3Y');
  });

  test('a value that is not a duration gets the usual message, once', () => {
    expect(erreurs({ ...valide, JOURNAL_RETENTION: 'un an' }).JOURNAL_RETENTION).toMatch(/durée ISO-8601 positive attendue/);
    expect(erreurs({ ...valide, CONTACT_RETENTION: 'P0D' }).CONTACT_RETENTION).toMatch(/durée ISO-8601 positive attendue/);
  });

  test('support requests may be kept any positive duration', () => {
    expect(lireConfig({ ...valide, CONTACT_RETENTION: 'P3M' }).CONTACT_RETENTION).toBe('P3M');
  });
});
