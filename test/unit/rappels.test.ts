// The J-3 reminder arithmetic (domain/rappels.ts): Europe/Paris calendar days, quiet hours
// 20:00-08:00, both daylight-saving changes of 2026 (29 March, 25 October), short notice.
import { describe, expect, test } from '@jest/globals';
import { decisionEnvoiSms, dureeJusquaFinSilence, instantAnnulation, instantRappel, periodeDeSilence } from '../../domain/rappels.js';

const SILENCE = { debut: '20:00', fin: '08:00' };
const AVANT = new Date('2026-01-01T00:00:00Z');
const iso = (d: Date | null) => d?.toISOString() ?? null;

describe('reminder instant, REMINDER_LEAD P3D', () => {
  test('three calendar days before, across the spring change (71 hours)', () => {
    // Tuesday 31 March 2026 10:00 CEST → Saturday 28 March 10:00 CET.
    expect(iso(instantRappel(new Date('2026-03-31T08:00:00Z'), 'P3D', SILENCE, AVANT))).toBe('2026-03-28T09:00:00.000Z');
  });

  test('three calendar days before, across the autumn change (73 hours)', () => {
    // Tuesday 27 October 2026 09:00 CET → Saturday 24 October 09:00 CEST.
    expect(iso(instantRappel(new Date('2026-10-27T08:00:00Z'), 'P3D', SILENCE, AVANT))).toBe('2026-10-24T07:00:00.000Z');
  });

  test('a target in the quiet hours of the spring-change night is held until 08:00 CEST', () => {
    // Wednesday 1 April 07:30 CEST → Sunday 29 March 07:30 CEST (quiet) → 08:00 CEST.
    expect(iso(instantRappel(new Date('2026-04-01T05:30:00Z'), 'P3D', SILENCE, AVANT))).toBe('2026-03-29T06:00:00.000Z');
  });

  test('a target in the quiet hours of the autumn-change night is held until 08:00 CET', () => {
    // Wednesday 28 October 07:30 CET → Sunday 25 October 07:30 CET (quiet) → 08:00 CET.
    expect(iso(instantRappel(new Date('2026-10-28T06:30:00Z'), 'P3D', SILENCE, AVANT))).toBe('2026-10-25T07:00:00.000Z');
  });

  test('an evening hearing: the 21:00 target is held until 08:00 the next morning', () => {
    // Wednesday 10 June 21:00 CEST → Sunday 7 June 21:00 (quiet) → Monday 8 June 08:00.
    expect(iso(instantRappel(new Date('2026-06-10T19:00:00Z'), 'P3D', SILENCE, AVANT))).toBe('2026-06-08T06:00:00.000Z');
  });

  test('outside quiet hours the target is kept, to the minute', () => {
    expect(iso(instantRappel(new Date('2026-06-10T17:59:00Z'), 'P3D', SILENCE, AVANT))).toBe('2026-06-07T17:59:00.000Z'); // 19:59
    expect(iso(instantRappel(new Date('2026-06-10T06:00:00Z'), 'P3D', SILENCE, AVANT))).toBe('2026-06-07T06:00:00.000Z'); // 08:00
  });

  test('without quiet hours, a night target is kept', () => {
    expect(iso(instantRappel(new Date('2026-06-10T19:00:00Z'), 'P3D', null, AVANT))).toBe('2026-06-07T19:00:00.000Z');
  });
});

describe('short notice and early hearings', () => {
  test('a hearing scheduled inside the lead time is reminded at once', () => {
    const maintenant = new Date('2026-06-10T08:00:00Z'); // 10:00 CEST
    expect(iso(instantRappel(new Date('2026-06-11T12:00:00Z'), 'P3D', SILENCE, maintenant))).toBe('2026-06-10T08:00:00.000Z');
  });

  test('…but not at night: held until 08:00 when the hearing is later', () => {
    const maintenant = new Date('2026-06-10T20:00:00Z'); // 22:00 CEST
    expect(iso(instantRappel(new Date('2026-06-11T12:00:00Z'), 'P3D', SILENCE, maintenant))).toBe('2026-06-11T06:00:00.000Z');
  });

  test('when 08:00 is too late (hearing at 07:30), sent at 19:59 the day before', () => {
    // Lead PT10H: Thursday 11 June 07:30 CEST → target Wednesday 21:30 (quiet) → 19:59 CEST.
    expect(iso(instantRappel(new Date('2026-06-11T05:30:00Z'), 'PT10H', SILENCE, AVANT))).toBe('2026-06-10T17:59:00.000Z');
  });

  test('the day before at 19:59 across the spring change (CET evening before a CEST morning)', () => {
    // Sunday 29 March 07:30 CEST, lead PT10H → Saturday 20:30 CET (quiet) → Saturday 19:59 CET.
    expect(iso(instantRappel(new Date('2026-03-29T05:30:00Z'), 'PT10H', SILENCE, AVANT))).toBe('2026-03-28T18:59:00.000Z');
  });

  test('the day before at 19:59 across the autumn change (CEST evening before a CET morning)', () => {
    // Sunday 25 October 07:30 CET, lead PT12H → Saturday 20:30 CEST (quiet) → Saturday 19:59 CEST.
    expect(iso(instantRappel(new Date('2026-10-25T06:30:00Z'), 'PT12H', SILENCE, AVANT))).toBe('2026-10-24T17:59:00.000Z');
  });

  test('scheduled during the night for before 08:00: sent at once rather than never', () => {
    const maintenant = new Date('2026-06-10T21:00:00Z'); // 23:00 CEST
    expect(iso(instantRappel(new Date('2026-06-11T05:30:00Z'), 'P3D', SILENCE, maintenant))).toBe('2026-06-10T21:00:00.000Z');
  });

  test('no reminder for a hearing that has started', () => {
    expect(instantRappel(new Date('2026-06-10T08:00:00Z'), 'P3D', SILENCE, new Date('2026-06-10T08:00:00Z'))).toBeNull();
  });

  test('seconds-scale lead (tests): PT5S before', () => {
    const maintenant = new Date('2026-06-10T10:00:00Z');
    expect(iso(instantRappel(new Date('2026-06-10T10:00:06Z'), 'PT5S', null, maintenant))).toBe('2026-06-10T10:00:01.000Z');
  });
});

describe('cancellation SMS and quiet periods', () => {
  test('a cancellation at night is sent at 08:00', () => {
    expect(iso(instantAnnulation(new Date('2026-06-11T12:00:00Z'), SILENCE, new Date('2026-06-10T20:30:00Z')))).toBe('2026-06-11T06:00:00.000Z');
    expect(iso(instantAnnulation(new Date('2026-06-11T12:00:00Z'), SILENCE, new Date('2026-06-10T12:30:00Z')))).toBe('2026-06-10T12:30:00.000Z');
    expect(instantAnnulation(new Date('2026-06-11T12:00:00Z'), SILENCE, new Date('2026-06-11T12:00:01Z'))).toBeNull();
  });

  test('the quiet period spanning the spring change lasts 11 hours', () => {
    const p = periodeDeSilence(Date.parse('2026-03-29T00:30:00Z'), SILENCE)!;
    expect([new Date(p.debut).toISOString(), new Date(p.fin).toISOString()]).toEqual(['2026-03-28T19:00:00.000Z', '2026-03-29T06:00:00.000Z']);
  });

  test('a daytime range (12:00-14:00) is understood too', () => {
    expect(periodeDeSilence(Date.parse('2026-06-10T10:30:00Z'), { debut: '12:00', fin: '14:00' })).not.toBeNull();
    expect(periodeDeSilence(Date.parse('2026-06-10T12:30:00Z'), { debut: '12:00', fin: '14:00' })).toBeNull();
  });
});

// At the moment of sending (a retry may come hours after the instant was computed).
describe('time until the end of quiet hours', () => {
  const reste = (iso: string) => dureeJusquaFinSilence(Date.parse(iso), SILENCE);
  const H = 3_600_000;

  test('boundaries: 19:59 and 08:00 are outside, 20:00 and 07:59 inside', () => {
    expect(reste('2026-06-10T17:59:00Z')).toBe(0); // 19:59 CEST
    expect(reste('2026-06-10T17:59:59.999Z')).toBe(0);
    expect(reste('2026-06-10T18:00:00Z')).toBe(12 * H); // 20:00 CEST → 08:00
    expect(reste('2026-06-11T05:59:00Z')).toBe(60_000); // 07:59 CEST
    expect(reste('2026-06-11T06:00:00Z')).toBe(0); // 08:00 CEST
  });

  test('the night of the spring change (29 March 2026) ends at 08:00 CEST, 11 hours after 20:00 CET', () => {
    expect(reste('2026-03-28T19:00:00Z')).toBe(11 * H); // 20:00 CET
    expect(reste('2026-03-29T01:30:00Z')).toBe(4.5 * H); // 03:30 CEST, just after the skipped hour
    expect(reste('2026-03-29T05:59:00Z')).toBe(60_000); // 07:59 CEST
    expect(reste('2026-03-29T06:00:00Z')).toBe(0); // 08:00 CEST
    expect(reste('2026-03-28T18:59:00Z')).toBe(0); // 19:59 CET
  });

  test('the night of the autumn change (25 October 2026) ends at 08:00 CET, 13 hours after 20:00 CEST', () => {
    expect(reste('2026-10-24T18:00:00Z')).toBe(13 * H); // 20:00 CEST
    // 02:30 happens twice: CEST then CET, an hour apart, same end.
    expect(reste('2026-10-25T00:30:00Z')).toBe(6.5 * H);
    expect(reste('2026-10-25T01:30:00Z')).toBe(5.5 * H);
    expect(reste('2026-10-25T06:59:00Z')).toBe(60_000); // 07:59 CET
    expect(reste('2026-10-25T07:00:00Z')).toBe(0); // 08:00 CET
    expect(reste('2026-10-24T17:59:00Z')).toBe(0); // 19:59 CEST
  });

  test('no quiet hours: never held', () => {
    expect(dureeJusquaFinSilence(Date.parse('2026-06-10T21:00:00Z'), null)).toBe(0);
  });
});

describe('deciding at the moment an SMS is sent', () => {
  const a = (iso: string) => Date.parse(iso);

  test('outside quiet hours: sent', () => {
    expect(decisionEnvoiSms(a('2026-06-10T17:59:00Z'), a('2026-06-11T12:00:00Z'), SILENCE)).toEqual({ decision: 'envoyer' });
  });

  test('a retry at 20:00 for a hearing after 08:00 is held until 08:00', () => {
    expect(decisionEnvoiSms(a('2026-06-10T18:00:00Z'), a('2026-06-11T12:00:00Z'), SILENCE)).toEqual({ decision: 'retenir', pendantMs: 12 * 3_600_000 });
  });

  test('held until 08:00 CET on the autumn-change night', () => {
    expect(decisionEnvoiSms(a('2026-10-24T21:00:00Z'), a('2026-10-26T09:00:00Z'), SILENCE)).toEqual({ decision: 'retenir', pendantMs: 10 * 3_600_000 });
  });

  test('a hearing at 08:00 sharp: 08:00 is too late, sent at once', () => {
    expect(decisionEnvoiSms(a('2026-06-10T20:00:00Z'), a('2026-06-11T06:00:00Z'), SILENCE)).toEqual({ decision: 'envoyer' });
  });

  test('a hearing at 07:30: sent at once rather than after it (a late reminder beats none)', () => {
    expect(decisionEnvoiSms(a('2026-06-11T01:00:00Z'), a('2026-06-11T05:30:00Z'), SILENCE)).toEqual({ decision: 'envoyer' });
  });

  test('a hearing that has already started: dropped, nobody is woken up for it', () => {
    expect(decisionEnvoiSms(a('2026-06-11T05:40:00Z'), a('2026-06-11T05:30:00Z'), SILENCE)).toEqual({ decision: 'abandonner' });
    expect(decisionEnvoiSms(a('2026-06-11T05:30:00Z'), a('2026-06-11T05:30:00Z'), SILENCE)).toEqual({ decision: 'abandonner' });
  });

  test('an SMS about no hearing is held until the end of quiet hours', () => {
    expect(decisionEnvoiSms(a('2026-06-11T05:59:00Z'), null, SILENCE)).toEqual({ decision: 'retenir', pendantMs: 60_000 });
  });

  test('no quiet hours: always sent, even for a hearing already started (unchanged behaviour by day)', () => {
    expect(decisionEnvoiSms(a('2026-06-11T01:00:00Z'), a('2026-06-11T00:30:00Z'), null)).toEqual({ decision: 'envoyer' });
  });
});
