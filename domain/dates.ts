// The only place that formats instants for people: French, in Europe/Paris whatever the
// server's zone (ANCHORS B1 "Time and language").
import { FUSEAU } from './durees.js';

const heure = new Intl.DateTimeFormat('fr-FR', { timeZone: FUSEAU, hour: '2-digit', minute: '2-digit' });
const jour = new Intl.DateTimeFormat('fr-FR', { timeZone: FUSEAU, day: '2-digit', month: '2-digit', year: 'numeric' });
const jourLong = new Intl.DateTimeFormat('fr-FR', { timeZone: FUSEAU, day: 'numeric', month: 'long', year: 'numeric' });

/** "14:05" */
export function formaterHeure(d: Date): string {
  return heure.format(d);
}

/** "24/11/2026 à 14:05" */
export function formaterDateHeure(d: Date): string {
  return `${jour.format(d)} à ${heure.format(d)}`;
}

/** "24 novembre 2026" */
export function formaterDate(d: Date): string {
  return jourLong.format(d);
}
