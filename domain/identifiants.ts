// Identification numbers (sent by e-mail once a consent is recorded) and SMS codes. Only a keyed
// hash (HMAC-SHA256 with HASH_KEY) is ever stored, so a database leak does not let anyone attach
// a case; the clear number exists only in the e-mail.
import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';

/**
 * Crockford's base32: 32 symbols, no I, L, O or U; on input O reads as 0 and I/L as 1, so the
 * confusable pairs cannot make a typed number wrong. 12 symbols × 5 bits = 60 bits of
 * randomness, typed as three groups of four: `K7QF-3XWM-9RTD`.
 */
export const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const LONGUEUR = 12;
export const BITS = Math.log2(ALPHABET.length) * LONGUEUR;

export function genererNumero(): string {
  let s = '';
  for (let i = 0; i < LONGUEUR; i++) s += ALPHABET[randomInt(ALPHABET.length)];
  return formaterNumero(s);
}

export function formaterNumero(brut: string): string {
  return brut.match(/.{1,4}/g)!.join('-');
}

/** Canonical form of what a citizen typed, or null if it cannot be a number. */
export function normaliserNumero(saisie: string): string | null {
  const s = saisie
    .toUpperCase()
    .replace(/[\s\-–—._]/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
  if (s.length !== LONGUEUR) return null;
  for (const c of s) if (!ALPHABET.includes(c)) return null;
  return s;
}

/** Keyed hash with a purpose label, so a number's hash can never match a code's. */
export function empreinte(cle: string, usage: 'identifiant' | 'code_sms', valeur: string): Buffer {
  return createHmac('sha256', cle).update(`${usage}\0${valeur}`).digest();
}

export function memeEmpreinte(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Six-digit SMS code. */
export function genererCodeSms(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}
