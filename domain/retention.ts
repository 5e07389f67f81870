// Retention of the audit journal and of support requests (ANCHORS.md C2 item 16): the cut-off
// instants of the daily purge (activities/retention.ts), computed from the instant the workflow
// hands over, so that a test injects time through the workflow and never through the clock.
//
// The rule, in full (the SQL in db/journal.ts and db/contact.ts applies it):
//  - a journal row is purged once it is older than JOURNAL_RETENTION, unless it names a case
//    (`objet_type = 'dossier'`) or a requête (`'requete'`) the portal still holds: the decree
//    keeps agents' consultations for the procedure plus one year, and the case itself goes one
//    year (CASE_RETENTION) after its closure, so "held, and at least JOURNAL_RETENTION old"
//    gives the procedure plus at least a year; once the case is purged (tombstone only) its
//    rows follow the plain age rule, which usually removes the oldest at the next run;
//  - never a row younger than six months (the CNIL floor), whatever the configuration or the
//    instant given: the cut-off is clamped here, the query re-checks against the database's
//    own clock, and the journal's trigger refuses the deletion anyway;
//  - a support request is purged CONTACT_RETENTION after it was closed; an open one is kept
//    (nobody has answered it yet, and it stays in the support inbox until someone does).
import { Duration } from 'luxon';
import { lireDuree, retrancherDuree } from './durees.js';

/** The youngest journal row a purge may ever remove (CNIL délibération 2021-122). */
export const PLANCHER_JOURNAL = 'P6M';

/**
 * Whether an ISO-8601 duration is at least six months. Months are averaged (a year / 12) so
 * that the check does not depend on the day it runs: P6M and P183D pass, P26W (182 days) does
 * not. A value that passes but is shorter than six calendar months on some date is still
 * clamped by `seuilsRetention`.
 */
export function auMoinsSixMois(iso: string): boolean {
  if (!lireDuree(iso)) return false;
  return Duration.fromISO(iso, { conversionAccuracy: 'longterm' }).as('months') >= 6 - 1e-9;
}

export interface DureesRetention {
  /** JOURNAL_RETENTION */
  journal: string;
  /** CONTACT_RETENTION */
  contact: string;
}

export interface SeuilsRetention {
  /** Journal rows strictly older than this may go (subject to the case rule above). */
  journal: Date;
  /** Support requests closed strictly before this go. */
  contact: Date;
}

/** The cut-offs at `maintenant`, calendar units counted in Europe/Paris (domain/durees.ts). */
export function seuilsRetention(maintenant: Date | number, durees: DureesRetention): SeuilsRetention {
  const journal = retrancherDuree(maintenant, durees.journal);
  const plancher = retrancherDuree(maintenant, PLANCHER_JOURNAL);
  return {
    journal: journal.getTime() < plancher.getTime() ? journal : plancher,
    contact: retrancherDuree(maintenant, durees.contact),
  };
}
