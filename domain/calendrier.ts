// Calendar files for hearings (issue 5 item 5; seed 000 "Possibilité d'exporter une audience
// future dans son calendrier personnel"): an iCalendar file (.ics, RFC 5545) that Google Agenda,
// Apple Calendrier and Microsoft Outlook import, and CSV files in Google Calendar's and Outlook's
// import columns. Pure: the hearings come in, text comes out.
//
// Time zone: every wall-clock time is computed with luxon in Europe/Paris, never from a native
// Date (STACK.md §10: with a Date plus `timezone`, ical-generator writes the *process* zone's
// wall time). The .ics carries a VTIMEZONE for Europe/Paris and DTSTART;TZID=Europe/Paris.
//
// Duration: the courts give only the start of a hearing. Each event lasts one hour
// (DUREE_AUDIENCE), and the description says the end is indicative.
import { createHmac, randomBytes } from 'node:crypto';
import ical, { ICalAlarmType, ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import { getVtimezoneComponent } from '@touch4it/ical-timezones';
import { DateTime } from 'luxon';
import { FUSEAU } from './durees.js';

/** The assumed length of a hearing, when the court gives only its start. */
export const DUREE_AUDIENCE = { hours: 1 } as const;

/** What a calendar entry needs to know about a hearing. */
export interface AudienceCalendrier {
  id: string;
  debut: Date;
  salle: string | null;
  adresse: string;
  libelle: string;
  annulee: boolean;
  /** RFC 5545 SEQUENCE, kept by the database (migration 0005). */
  sequence: number;
  /** Last change of the hearing row: DTSTAMP and LAST-MODIFIED (so the feed is deterministic). */
  modifieLe: Date;
  numeroDossier: string;
  juridictionNom: string;
  juridictionTelephone: string | null;
  /** The case page on the portal, if known. */
  lien?: string | null;
}

export type FormatExport = 'ics' | 'csv-google' | 'csv-outlook';
export const FORMATS: readonly FormatExport[] = ['ics', 'csv-google', 'csv-outlook'];
export const estFormat = (v: unknown): v is FormatExport => typeof v === 'string' && (FORMATS as readonly string[]).includes(v);

export const LIBELLES_FORMATS: Record<FormatExport, { titre: string; aide: string }> = {
  ics: { titre: 'Fichier .ics', aide: 'Pour Google Agenda, Apple Calendrier (Mac, iPhone) et Microsoft Outlook.' },
  'csv-google': { titre: 'Fichier .csv pour Google Agenda', aide: 'Colonnes d’import de Google Agenda.' },
  'csv-outlook': { titre: 'Fichier .csv pour Microsoft Outlook', aide: 'Colonnes d’import d’Outlook (Windows).' },
};

const debutParis = (a: AudienceCalendrier) => DateTime.fromJSDate(a.debut, { zone: FUSEAU });
const finParis = (a: AudienceCalendrier) => debutParis(a).plus(DUREE_AUDIENCE);

/** "Audience de jugement — dossier n° 26/01234" */
export function titreAudience(a: AudienceCalendrier): string {
  return `${a.libelle} — dossier n° ${a.numeroDossier}`;
}

/** Room, then the hearing's address as the court gave it. */
export function lieuAudience(a: Pick<AudienceCalendrier, 'salle' | 'adresse'>): string {
  return [a.salle, a.adresse].filter((x) => x && x.trim()).join(', ');
}

export function descriptionAudience(a: AudienceCalendrier): string {
  return [
    `${a.libelle}, dossier n° ${a.numeroDossier}.`,
    `Juridiction : ${a.juridictionNom}${a.juridictionTelephone ? ` — téléphone : ${a.juridictionTelephone}` : ''}.`,
    'Heure de fin indicative : la durée de l’audience n’est pas connue, une heure est réservée.',
    a.lien ? `Votre dossier : ${a.lien}` : null,
  ]
    .filter(Boolean)
    .join('\n');
}

/** The UID of a hearing, stable across exports and feed refreshes: it never changes when it moves. */
export function uidAudience(audienceId: string, hotePublic: string): string {
  return `audience-${audienceId}@${hotePublic}`;
}

// ------------------------------------------------------------------------------------------------
// iCalendar

export interface OptionsIcs {
  /** Host name of PUBLIC_URL, the right-hand side of UIDs. */
  hote: string;
  nom?: string;
  /** Feed: suggested refresh interval (X-PUBLISHED-TTL / REFRESH-INTERVAL), in seconds. */
  ttl?: number;
}

/**
 * An RFC 5545 calendar, METHOD:PUBLISH, with the Europe/Paris VTIMEZONE. Cancelled hearings are
 * kept with STATUS:CANCELLED (the feed needs them; exports leave them out before calling).
 */
export function construireIcs(audiences: readonly AudienceCalendrier[], o: OptionsIcs): string {
  const cal = ical({
    name: o.nom ?? 'Mes audiences — Portail du justiciable',
    prodId: { company: 'justice.fr', product: 'portail-du-justiciable', language: 'FR' },
    method: ICalCalendarMethod.PUBLISH,
    ...(o.ttl ? { ttl: o.ttl } : {}),
  });
  // The VTIMEZONE comes from the events' own TZID. The calendar-level zone name stays empty on
  // purpose: ical-generator 10 writes DTSTAMP in the calendar's zone as a floating time when it
  // has one, while RFC 5545 §3.8.7.2 wants DTSTAMP in UTC (…Z). X-WR-TIMEZONE still tells
  // Google and Apple the calendar's zone.
  cal.timezone({ name: '', generator: getVtimezoneComponent });
  cal.x('X-WR-TIMEZONE', FUSEAU);
  for (const a of audiences) {
    const ev = cal.createEvent({
      id: uidAudience(a.id, o.hote),
      sequence: a.sequence,
      // luxon DateTimes in Europe/Paris: DTSTART;TZID=Europe/Paris with the right wall time.
      start: debutParis(a),
      end: finParis(a),
      timezone: FUSEAU,
      // UTC values (…Z): native Dates are right here, since the calendar has no zone name.
      stamp: a.modifieLe,
      lastModified: a.modifieLe,
      summary: titreAudience(a),
      location: lieuAudience(a),
      description: descriptionAudience(a),
      status: a.annulee ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
      ...(a.lien ? { url: a.lien } : {}),
    });
    if (!a.annulee) ev.createAlarm({ type: ICalAlarmType.display, trigger: 24 * 3600, description: titreAudience(a) });
  }
  return cal.toString();
}

// ------------------------------------------------------------------------------------------------
// CSV
//
// What the columns rely on:
//  - Google Calendar, help article "Create or edit a .csv file" (support.google.com/calendar/
//    answer/37118): headers Subject, Start Date, Start Time, End Date, End Time, All Day Event,
//    Description, Location, Private; dates like 05/30/2020 (MM/DD/YYYY), times like 10:00 AM;
//    All Day Event and Private are True/False. Times are read in the calendar's own time zone,
//    hence Europe/Paris wall time (a French citizen's calendar).
//  - Outlook (Windows) "Import and export > Comma Separated Values": the header names of the
//    file Outlook itself exports from a calendar in English ("Subject","Start Date","Start Time",
//    "End Date","End Time","All day event","Reminder on/off","Reminder Date","Reminder Time",
//    "Meeting Organizer", …,"Description","Location", …,"Private", …); its import maps columns
//    by these names, and any subset of them may be given. Same date and time shapes as Google.
//    A French-localised Outlook proposes its own mapping step for unknown names; the English
//    names are the documented ones.
//  - RFC 4180: CRLF line ends; a field with a comma, a double quote, CR or LF is enclosed in
//    double quotes, and its double quotes are doubled.
//  - Encoding: UTF-8. The Outlook file starts with a byte-order mark: without one, Outlook for
//    Windows reads a CSV in the system's ANSI code page (Windows-1252), and "Audience de mise
//    en état" would arrive as "mise en Ã©tat". Google reads UTF-8 without a BOM (and a BOM
//    could stick to its first header name), so its file has none.

export const ENTETES_GOOGLE = ['Subject', 'Start Date', 'Start Time', 'End Date', 'End Time', 'All Day Event', 'Description', 'Location', 'Private'] as const;
export const ENTETES_OUTLOOK = [
  'Subject', 'Start Date', 'Start Time', 'End Date', 'End Time', 'All day event', 'Reminder on/off', 'Reminder Date',
  'Reminder Time', 'Meeting Organizer', 'Description', 'Location', 'Private',
] as const;
export const BOM = '\uFEFF';

/** One RFC 4180 field. */
export function champCsv(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

function lignesCsv(lignes: readonly (readonly string[])[]): string {
  return lignes.map((l) => l.map(champCsv).join(',')).join('\r\n') + '\r\n';
}

/** 03/30/2026 */
export const dateUs = (d: DateTime) => d.toFormat('MM/dd/yyyy');
/** 02:00 PM (the 12-hour clock with a leading zero, English markers whatever the locale). */
export const heureUs = (d: DateTime) => d.setLocale('en-US').toFormat('hh:mm a');

export function construireCsvGoogle(audiences: readonly AudienceCalendrier[]): string {
  return lignesCsv([
    ENTETES_GOOGLE,
    ...audiences.map((a) => {
      const debut = debutParis(a);
      const fin = finParis(a);
      return [titreAudience(a), dateUs(debut), heureUs(debut), dateUs(fin), heureUs(fin), 'False', descriptionAudience(a), lieuAudience(a), 'True'];
    }),
  ]);
}

/** Outlook's reminder: the day before, at the same time (the court also sends an SMS 3 days before). */
export function construireCsvOutlook(audiences: readonly AudienceCalendrier[]): string {
  return BOM + lignesCsv([
    ENTETES_OUTLOOK,
    ...audiences.map((a) => {
      const debut = debutParis(a);
      const fin = finParis(a);
      const rappel = debut.minus({ days: 1 });
      return [
        titreAudience(a), dateUs(debut), heureUs(debut), dateUs(fin), heureUs(fin), 'False',
        'True', dateUs(rappel), heureUs(rappel), a.juridictionNom, descriptionAudience(a), lieuAudience(a), 'True',
      ];
    }),
  ]);
}

/** The file for a format: body, media type and extension. */
export function fichierExport(format: FormatExport, audiences: readonly AudienceCalendrier[], o: OptionsIcs): { corps: string; type: string; extension: string } {
  if (format === 'ics') return { corps: construireIcs(audiences, o), type: 'text/calendar; charset=utf-8', extension: 'ics' };
  if (format === 'csv-google') return { corps: construireCsvGoogle(audiences), type: 'text/csv; charset=utf-8', extension: 'csv' };
  return { corps: construireCsvOutlook(audiences), type: 'text/csv; charset=utf-8', extension: 'csv' };
}

// ------------------------------------------------------------------------------------------------
// Subscription tokens

/** 32 random bytes, base64url (43 characters): the secret part of the webcal URL. */
export function genererJetonCalendrier(): string {
  return randomBytes(32).toString('base64url');
}

export const FORME_JETON = /^[A-Za-z0-9_-]{43}$/;

/**
 * The keyed hash stored instead of the token: HMAC-SHA256 with HASH_KEY and its own purpose
 * label, the scheme of domain/identifiants.ts `empreinte` (whose labels are closed to this one).
 */
export function empreinteJetonCalendrier(cle: string, jeton: string): Buffer {
  return createHmac('sha256', cle).update(`calendrier\0${jeton}`).digest();
}
