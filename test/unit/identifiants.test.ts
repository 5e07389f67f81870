import { describe, expect, test } from '@jest/globals';
import { BITS, empreinte, genererNumero, memeEmpreinte, normaliserNumero } from '../../domain/identifiants.js';

describe('identification numbers', () => {
  test('carry at least 60 bits and are typed as three groups of four', () => {
    expect(BITS).toBeGreaterThanOrEqual(60);
    expect(genererNumero()).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
  });

  test('10,000 numbers are all distinct and use every symbol', () => {
    const numeros = Array.from({ length: 10000 }, genererNumero);
    expect(new Set(numeros).size).toBe(10000);
    expect(new Set(numeros.join('').replace(/-/g, '')).size).toBe(32);
  });

  test('what a citizen types is normalised: case, spaces, dashes, O for 0, I and L for 1', () => {
    expect(normaliserNumero(' k7qf 3xwm-9rtd ')).toBe('K7QF3XWM9RTD');
    expect(normaliserNumero('OIL0-AAAA-BBBB')).toBe('0110AAAABBBB');
    expect(normaliserNumero('K7QF-3XWM-9RT')).toBeNull();
    expect(normaliserNumero('K7QF-3XWM-9RTU')).toBeNull();
  });

  test('the keyed hash depends on the key and the purpose, and compares in constant time', () => {
    const a = empreinte('k'.repeat(32), 'identifiant', 'K7QF3XWM9RTD');
    expect(memeEmpreinte(a, empreinte('k'.repeat(32), 'identifiant', 'K7QF3XWM9RTD'))).toBe(true);
    expect(memeEmpreinte(a, empreinte('j'.repeat(32), 'identifiant', 'K7QF3XWM9RTD'))).toBe(false);
    expect(memeEmpreinte(a, empreinte('k'.repeat(32), 'code_sms', 'K7QF3XWM9RTD'))).toBe(false);
  });
});
