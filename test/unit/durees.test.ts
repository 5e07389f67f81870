import { describe, expect, test } from '@jest/globals';
import { ajouterDuree, dureeEnMs, lireDuree } from '../../domain/durees.js';

describe('legal durations', () => {
  test('one year after a closure lands on the same calendar day in Paris, across DST', () => {
    // 31 March 2026, 10:00 in Paris (summer time) → 31 March 2027 10:00 in Paris (summer time).
    expect(ajouterDuree(new Date('2026-03-31T08:00:00Z'), 'P1Y').toISOString()).toBe('2027-03-31T08:00:00.000Z');
    // 1 March 2026 10:00 (winter) + 30 days = 31 March 10:00 (summer): 30 calendar days, not 720 h.
    expect(ajouterDuree(new Date('2026-03-01T09:00:00Z'), 'P30D').toISOString()).toBe('2026-03-31T08:00:00.000Z');
  });

  test('fixed durations convert to milliseconds', () => {
    expect(dureeEnMs('PT5M')).toBe(300000);
    expect(dureeEnMs('PT2S')).toBe(2000);
  });

  test('zero, negative and malformed durations are refused', () => {
    expect(lireDuree('P0D')).toBeNull();
    expect(lireDuree('-P1D')).toBeNull();
    expect(lireDuree('1 an')).toBeNull();
    expect(() => ajouterDuree(0, 'n’importe quoi')).toThrow(RangeError);
  });
});
