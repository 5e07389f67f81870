// The retention cut-offs of the daily purge (domain/retention.ts), with the six-month floor of the
// journal (C2 item 16); the variables themselves are tested in config.test.ts.
import { describe, expect, test } from '@jest/globals';
import { auMoinsSixMois, seuilsRetention } from '../../domain/retention.js';

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
