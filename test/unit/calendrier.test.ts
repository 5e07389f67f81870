// domain/calendrier.ts: the .ics is read back by two independent parsers (Mozilla's ical.js and
// node-ical) to the same instants, across both daylight-saving changes of 2026 in Paris; the
// CSV files have Google's and Outlook's exact headers, US date and time shapes in Paris wall
// time, and RFC 4180 quoting.
import { describe, expect, test } from '@jest/globals';
import ICAL from 'ical.js';
import nodeIcal from 'node-ical';
import {
  BOM,
  ENTETES_GOOGLE,
  ENTETES_OUTLOOK,
  champCsv,
  construireCsvGoogle,
  construireCsvOutlook,
  construireIcs,
  empreinteJetonCalendrier,
  FORME_JETON,
  genererJetonCalendrier,
  uidAudience,
  type AudienceCalendrier,
} from '../../domain/calendrier.js';

const HOTE = 'portail.example.fr';

function audience(o: Partial<AudienceCalendrier> = {}): AudienceCalendrier {
  return {
    id: '6f1c1d2e-3a4b-4c5d-8e6f-7a8b9c0d1e2f',
    debut: new Date('2026-12-01T13:00:00Z'),
    salle: 'Salle 2.14',
    adresse: 'Parvis du Tribunal de Paris, 75017 Paris',
    libelle: 'Audience de mise en état',
    annulee: false,
    sequence: 0,
    modifieLe: new Date('2026-11-01T08:00:00Z'),
    numeroDossier: '26/01234',
    juridictionNom: 'Tribunal judiciaire de Paris',
    juridictionTelephone: '01 44 32 51 51',
    lien: 'https://portail.example.fr/espace/dossiers/abc',
    ...o,
  };
}

// 2026-03-29: Paris goes from +01:00 to +02:00; 2026-10-25: back to +01:00. The day after each
// change, 14:00 in Paris is 12:00Z (summer) and 13:00Z (winter).
const APRES_PRINTEMPS = audience({ id: '00000000-0000-4000-8000-000000000330', debut: new Date('2026-03-30T12:00:00Z') });
const APRES_AUTOMNE = audience({ id: '00000000-0000-4000-8000-000000001026', debut: new Date('2026-10-26T13:00:00Z') });

/** ical.js: events by UID, with their start and end as instants. */
function lireIcalJs(texte: string) {
  const comp = new ICAL.Component(ICAL.parse(texte));
  for (const vtz of comp.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(vtz);
  return comp.getAllSubcomponents('vevent').map((v) => {
    const e = new ICAL.Event(v);
    return {
      uid: e.uid,
      debut: e.startDate.toJSDate().toISOString(),
      fin: e.endDate.toJSDate().toISOString(),
      tzid: e.startDate.zone?.tzid,
      sequence: e.sequence,
      statut: v.getFirstPropertyValue('status'),
      lieu: e.location,
      resume: e.summary,
      description: e.description,
    };
  });
}

describe('.ics', () => {
  test('DST: 14:00 in Paris the day after each change, read back to the same instant by ical.js and node-ical', () => {
    for (const tz of ['UTC', 'Asia/Tokyo', 'America/New_York']) {
      // The writer must not depend on the process's zone (STACK.md §10 trap). Node reads TZ on
      // each Date conversion, so changing it here exercises the other zones.
      const avant = process.env.TZ;
      process.env.TZ = tz;
      try {
        const texte = construireIcs([APRES_PRINTEMPS, APRES_AUTOMNE], { hote: HOTE });
        expect(texte).toContain('DTSTART;TZID=Europe/Paris:20260330T140000');
        expect(texte).toContain('DTEND;TZID=Europe/Paris:20260330T150000');
        expect(texte).toContain('DTSTART;TZID=Europe/Paris:20261026T140000');

        const js = lireIcalJs(texte);
        expect(js.map((e) => [e.uid, e.debut, e.fin, e.tzid])).toEqual([
          [uidAudience(APRES_PRINTEMPS.id, HOTE), '2026-03-30T12:00:00.000Z', '2026-03-30T13:00:00.000Z', 'Europe/Paris'],
          [uidAudience(APRES_AUTOMNE.id, HOTE), '2026-10-26T13:00:00.000Z', '2026-10-26T14:00:00.000Z', 'Europe/Paris'],
        ]);

        const ni = Object.values(nodeIcal.sync.parseICS(texte)).filter((c): c is nodeIcal.VEvent => c?.type === 'VEVENT');
        expect(ni.map((e) => [e.uid, new Date(e.start).toISOString(), new Date(e.end!).toISOString()])).toEqual([
          [uidAudience(APRES_PRINTEMPS.id, HOTE), '2026-03-30T12:00:00.000Z', '2026-03-30T13:00:00.000Z'],
          [uidAudience(APRES_AUTOMNE.id, HOTE), '2026-10-26T13:00:00.000Z', '2026-10-26T14:00:00.000Z'],
        ]);
      } finally {
        if (avant === undefined) delete process.env.TZ;
        else process.env.TZ = avant;
      }
    }
  });

  test('RFC 5545 envelope: PUBLISH, VTIMEZONE Europe/Paris, UTC DTSTAMP, CRLF, fields of the hearing', () => {
    const texte = construireIcs([audience({ sequence: 3, salle: 'Salle "A", 1er étage' })], { hote: HOTE });
    expect(texte.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\n')).toBe(true);
    expect(texte).toMatch(/\r\nMETHOD:PUBLISH\r\n/);
    expect(texte).toMatch(/\r\nBEGIN:VTIMEZONE\r\nTZID:Europe\/Paris\r\n/);
    expect(texte).toMatch(/\r\nDTSTAMP:20261101T080000Z\r\n/);
    expect(texte.replace(/\r\n/g, '')).not.toMatch(/[^\r]\n/);
    const [e] = lireIcalJs(texte);
    expect(e).toMatchObject({
      uid: 'audience-6f1c1d2e-3a4b-4c5d-8e6f-7a8b9c0d1e2f@portail.example.fr',
      sequence: 3,
      statut: 'CONFIRMED',
      resume: 'Audience de mise en état — dossier n° 26/01234',
      lieu: 'Salle "A", 1er étage, Parvis du Tribunal de Paris, 75017 Paris',
    });
    expect(e!.description).toContain('01 44 32 51 51');
    expect(e!.description).toContain('une heure est réservée');
  });

  test('a moved hearing keeps its UID with a higher SEQUENCE; a cancelled one is STATUS:CANCELLED', () => {
    const avant = lireIcalJs(construireIcs([audience()], { hote: HOTE }))[0]!;
    const apres = lireIcalJs(construireIcs([audience({ debut: new Date('2026-12-08T13:00:00Z'), sequence: 1 })], { hote: HOTE }))[0]!;
    expect(apres.uid).toBe(avant.uid);
    expect(apres.sequence).toBeGreaterThan(avant.sequence);
    expect(apres.debut).toBe('2026-12-08T13:00:00.000Z');
    const annulee = construireIcs([audience({ annulee: true, sequence: 2 })], { hote: HOTE });
    expect(lireIcalJs(annulee)[0]!.statut).toBe('CANCELLED');
    const ni = Object.values(nodeIcal.sync.parseICS(annulee)).find((c) => c?.type === 'VEVENT') as nodeIcal.VEvent;
    expect(ni.status).toBe('CANCELLED');
    // No reminder for a cancelled hearing.
    expect(annulee).not.toContain('BEGIN:VALARM');
  });
});

/** Parses RFC 4180 text (quoted fields, doubled quotes, line breaks inside quotes). */
function lireCsv(texte: string): string[][] {
  const lignes: string[][] = [];
  let ligne: string[] = [];
  let champ = '';
  let entreGuillemets = false;
  for (let i = 0; i < texte.length; i++) {
    const c = texte[i]!;
    if (entreGuillemets) {
      if (c === '"' && texte[i + 1] === '"') { champ += '"'; i++; }
      else if (c === '"') entreGuillemets = false;
      else champ += c;
    } else if (c === '"') entreGuillemets = true;
    else if (c === ',') { ligne.push(champ); champ = ''; }
    else if (c === '\r' && texte[i + 1] === '\n') { ligne.push(champ); lignes.push(ligne); ligne = []; champ = ''; i++; }
    else champ += c;
  }
  if (champ || ligne.length) { ligne.push(champ); lignes.push(ligne); }
  return lignes;
}

describe('.csv', () => {
  test('Google: exact headers, MM/DD/YYYY and 02:00 PM in Paris wall time, across DST, no BOM', () => {
    const texte = construireCsvGoogle([APRES_PRINTEMPS, APRES_AUTOMNE]);
    expect(texte.split('\r\n')[0]).toBe('Subject,Start Date,Start Time,End Date,End Time,All Day Event,Description,Location,Private');
    expect(ENTETES_GOOGLE.join(',')).toBe(texte.split('\r\n')[0]);
    expect(texte.charCodeAt(0)).not.toBe(0xfeff);
    expect(texte.endsWith('\r\n')).toBe(true);
    const [entetes, l1, l2] = lireCsv(texte);
    expect(entetes).toHaveLength(9);
    expect(l1!.slice(0, 6)).toEqual(['Audience de mise en état — dossier n° 26/01234', '03/30/2026', '02:00 PM', '03/30/2026', '03:00 PM', 'False']);
    expect(l2!.slice(0, 6)).toEqual(['Audience de mise en état — dossier n° 26/01234', '10/26/2026', '02:00 PM', '10/26/2026', '03:00 PM', 'False']);
    expect(l1![7]).toBe('Salle 2.14, Parvis du Tribunal de Paris, 75017 Paris');
    expect(l1![8]).toBe('True');
  });

  test('Outlook: exact headers, UTF-8 BOM, reminder the day before', () => {
    const texte = construireCsvOutlook([audience({ debut: new Date('2026-12-01T08:30:00Z') })]);
    expect(texte.startsWith(BOM)).toBe(true);
    expect(Buffer.from(texte, 'utf8').subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const sansBom = texte.slice(1);
    expect(sansBom.split('\r\n')[0]).toBe(
      'Subject,Start Date,Start Time,End Date,End Time,All day event,Reminder on/off,Reminder Date,Reminder Time,Meeting Organizer,Description,Location,Private',
    );
    expect(ENTETES_OUTLOOK).toHaveLength(13);
    const [, l] = lireCsv(sansBom);
    expect(l!.slice(0, 10)).toEqual([
      'Audience de mise en état — dossier n° 26/01234', '12/01/2026', '09:30 AM', '12/01/2026', '10:30 AM', 'False',
      'True', '11/30/2026', '09:30 AM', 'Tribunal judiciaire de Paris',
    ]);
    expect(l![12]).toBe('True');
  });

  test('RFC 4180 quoting of commas, quotes and line breaks; the file reads back to the same values', () => {
    expect(champCsv('simple')).toBe('simple');
    expect(champCsv('a,b')).toBe('"a,b"');
    expect(champCsv('il a dit "non"')).toBe('"il a dit ""non"""');
    expect(champCsv('ligne 1\nligne 2')).toBe('"ligne 1\nligne 2"');
    expect(champCsv('a\r\nb')).toBe('"a\r\nb"');
    const a = audience({ libelle: 'Audience "urgente", référé\nsalle B', salle: 'Salle 1, aile "Est"' });
    for (const texte of [construireCsvGoogle([a]), construireCsvOutlook([a]).slice(1)]) {
      const [entetes, l] = lireCsv(texte);
      expect(l).toHaveLength(entetes!.length);
      expect(l![0]).toBe('Audience "urgente", référé\nsalle B — dossier n° 26/01234');
      expect(l![entetes!.indexOf('Location')]).toBe('Salle 1, aile "Est", Parvis du Tribunal de Paris, 75017 Paris');
    }
  });
});

describe('subscription tokens', () => {
  test('32 random bytes in base64url; only a keyed hash, different per key', () => {
    const j = genererJetonCalendrier();
    expect(j).toMatch(FORME_JETON);
    expect(Buffer.from(j, 'base64url')).toHaveLength(32);
    expect(genererJetonCalendrier()).not.toBe(j);
    const h = empreinteJetonCalendrier('k'.repeat(32), j);
    expect(h).toHaveLength(32);
    expect(h.toString('hex')).not.toContain(Buffer.from(j, 'base64url').toString('hex'));
    expect(empreinteJetonCalendrier('k'.repeat(32), j).equals(h)).toBe(true);
    expect(empreinteJetonCalendrier('m'.repeat(32), j).equals(h)).toBe(false);
  });
});
