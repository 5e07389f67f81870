// Legal and technical durations are ISO-8601 strings (DESIGN.md): "P30D", "P1Y", "PT5S".
// Calendar units (years, months, days) are added in Europe/Paris, so that "one year after a
// closure on 31 March" lands on 31 March whatever the daylight-saving changes in between.
// Workflows never import this module (luxon stays out of the bundle): callers compute the
// absolute instants and pass them in.
import { DateTime, Duration } from 'luxon';

export const FUSEAU = 'Europe/Paris';

/** Parses an ISO-8601 duration; null when it is not one or is not strictly positive. */
export function lireDuree(iso: string): Duration | null {
  const d = Duration.fromISO(iso);
  if (!d.isValid) return null;
  // A duration made only of zeros is valid ISO but useless as a policy.
  if (Object.values(d.toObject()).every((v) => !v)) return null;
  if (Object.values(d.toObject()).some((v) => typeof v === 'number' && v < 0)) return null;
  return d;
}

/** The instant `iso` after `depuis`, calendar units counted in Europe/Paris. */
export function ajouterDuree(depuis: Date | number, iso: string): Date {
  const d = lireDuree(iso);
  if (!d) throw new RangeError(`durée ISO-8601 invalide : ${iso}`);
  const base = DateTime.fromMillis(typeof depuis === 'number' ? depuis : depuis.getTime(), { zone: FUSEAU });
  return base.plus(d).toJSDate();
}

/**
 * The instant `iso` before `jusqua`, calendar units counted in Europe/Paris: the cut-off of a
 * retention rule ("closed more than CASE_RETENTION ago" is "closed before this instant"), so
 * that a query can compare a column with one parameter.
 */
export function retrancherDuree(jusqua: Date | number, iso: string): Date {
  const d = lireDuree(iso);
  if (!d) throw new RangeError(`durée ISO-8601 invalide : ${iso}`);
  const base = DateTime.fromMillis(typeof jusqua === 'number' ? jusqua : jusqua.getTime(), { zone: FUSEAU });
  return base.minus(d).toJSDate();
}

/** Fixed-length durations only (hours, minutes, seconds): a debounce window, for instance. */
export function dureeEnMs(iso: string): number {
  const d = lireDuree(iso);
  if (!d) throw new RangeError(`durée ISO-8601 invalide : ${iso}`);
  return d.as('milliseconds');
}
