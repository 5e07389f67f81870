import { describe, expect, test } from '@jest/globals';
import { ConfigError, lireConfig } from '../../domain/config.js';

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

describe('configuration', () => {
  test('the legal durations are the defaults', () => {
    const c = lireConfig(valide);
    expect([c.DRAFT_TTL, c.REMINDER_LEAD, c.CASE_RETENTION, c.REQUETE_RETENTION]).toEqual(['P30D', 'P3D', 'P1Y', 'P5Y']);
    expect(c.ALERT_DEBOUNCE).toBe('PT5M');
    expect(c.QUIET_HOURS).toEqual({ debut: '20:00', fin: '08:00' });
    expect(c.TEMPORAL_NAMESPACE).toBe('default');
    expect(c.TEMPORAL_TASK_QUEUE).toBe('portail');
    expect(c.PORT).toBe(3000);
    expect(c.PUBLIC_URL).toBe('https://portail.example.gouv.fr');
  });

  test('durations in seconds can be injected (tests, demonstrations)', () => {
    expect(lireConfig({ ...valide, CASE_RETENTION: 'PT10S' }).CASE_RETENTION).toBe('PT10S');
  });

  test('a wrong value is reported by the name of its variable', () => {
    const e = erreurs({ ...valide, DRAFT_TTL: '30 jours', PORT: 'abc' });
    expect(Object.keys(e).sort()).toEqual(['DRAFT_TTL', 'PORT']);
    expect(e.DRAFT_TTL).toMatch(/ISO-8601/);
  });

  test('every missing required variable is named, all at once', () => {
    const { DATABASE_URL: _a, SESSION_SECRET: _b, ...reste } = valide;
    const e = erreurs(reste);
    expect(Object.keys(e).sort()).toEqual(['DATABASE_URL', 'SESSION_SECRET']);
    expect(e.DATABASE_URL).toBe('variable obligatoire non définie');
  });

  test('the message of the error names each variable', () => {
    expect(() => lireConfig({ ...valide, REMINDER_LEAD: 'P0D' })).toThrow(/REMINDER_LEAD/);
  });

  test('an OpenID issuer in plain http is refused unless on a loopback host', () => {
    const e = erreurs({ ...valide, FC_ISSUER: 'http://fc.example.fr/api/v2' });
    expect(e.FC_ISSUER).toMatch(/https/);
    expect(lireConfig({ ...valide, FC_ISSUER: 'http://localhost:3100/api/v2' }).FC_ISSUER).toBe('http://localhost:3100/api/v2');
  });

  test('court API tokens are bound to one juridiction each and long enough', () => {
    const jeton = 'a'.repeat(40);
    expect(lireConfig({ ...valide, COURT_API_TOKENS: `TJ-PARIS:${jeton},TJ-LYON:${'b'.repeat(40)}` }).COURT_API_TOKENS).toEqual([
      { juridiction: 'TJ-PARIS', jeton },
      { juridiction: 'TJ-LYON', jeton: 'b'.repeat(40) },
    ]);
    expect(erreurs({ ...valide, COURT_API_TOKENS: 'TJ-PARIS:court' }).COURT_API_TOKENS).toMatch(/trop court/);
    expect(erreurs({ ...valide, COURT_API_TOKENS: `TJ-PARIS:${jeton},TJ-LYON:${jeton}` }).COURT_API_TOKENS).toMatch(/déjà attribué/);
  });

  test('quiet hours may be disabled with an empty value', () => {
    expect(lireConfig({ ...valide, QUIET_HOURS: '' }).QUIET_HOURS).toBeNull();
    expect(erreurs({ ...valide, QUIET_HOURS: '25:00-08:00' }).QUIET_HOURS).toMatch(/HH:MM/);
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
