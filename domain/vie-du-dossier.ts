// Rules of the case page (seed 000, "Vie du dossier", "Pourquoi le détail de la décision…",
// "bandeau « mon dossier est en cours de mise à jour »"), as pure functions the page and the
// unit tests share. No I/O, no clock: callers pass `maintenant`.
import { DateTime } from 'luxon';
import { FUSEAU } from './durees.js';

// ------------------------------------------------------------------------------------------------
// Decisions

/**
 * How the court API marks a decision: the event's `type`. The portal shows a decision's date,
 * never its content (the signed judgment goes by post), so for these types the `libelle` the
 * court sent is not displayed at all. A few synonyms are included on purpose: a court that sends
 * "jugement" must not see its text published by accident.
 */
export const TYPES_DECISION = ['decision', 'jugement', 'ordonnance', 'arret'] as const;
/** An adjournment: the one decision whose outcome is shown, as the new hearing date. */
export const TYPE_RENVOI = 'renvoi';

/** 'Décision', 'décision ', 'DECISION' → 'decision'. */
export function normaliserType(type: string): string {
  return type.normalize('NFD').replace(/[\u0300-\u036f]/g, '').trim().toLowerCase();
}

export type NatureEvenement = 'decision' | 'renvoi' | 'evenement';

export function natureEvenement(type: string): NatureEvenement {
  const t = normaliserType(type);
  if (t === TYPE_RENVOI) return 'renvoi';
  if ((TYPES_DECISION as readonly string[]).includes(t)) return 'decision';
  return 'evenement';
}

export interface AudienceConnue {
  debut: Date;
  annulee: boolean;
}

/**
 * What the timeline says about an event.
 * - decision: "Décision rendue" and nothing else (the date is on the left of the line);
 * - renvoi: "Affaire renvoyée à l'audience du …": the new date is the start of the first hearing
 *   the court scheduled (PUT /affaires/{n}/audiences/{id}) after the renvoi's own date and not
 *   cancelled; when there is none yet, "nouvelle date à venir". The court's libellé is not shown
 *   either (it is part of the decision);
 * - any other event: its libellé.
 */
export function texteEvenement(
  e: { type: string; date: Date; libelle: string },
  audiences: readonly AudienceConnue[],
): { nature: NatureEvenement; texte: string; nouvelleDate: Date | null } {
  const nature = natureEvenement(e.type);
  if (nature === 'decision') return { nature, texte: 'Décision rendue', nouvelleDate: null };
  if (nature === 'renvoi') {
    const suivante = audiences
      .filter((a) => !a.annulee && a.debut.getTime() > e.date.getTime())
      .sort((a, b) => a.debut.getTime() - b.debut.getTime())[0];
    return suivante
      ? { nature, texte: 'Affaire renvoyée à l’audience du', nouvelleDate: suivante.debut }
      : { nature, texte: 'Affaire renvoyée : nouvelle date à venir', nouvelleDate: null };
  }
  return { nature, texte: e.libelle, nouvelleDate: null };
}

// ------------------------------------------------------------------------------------------------
// Timeline order

/** The date of saisine (a calendar day) as an instant: midnight in Paris that day. */
export function debutDeJournee(jour: string): Date {
  return DateTime.fromISO(jour, { zone: FUSEAU }).startOf('day').toJSDate();
}

export type GenreElement = 'saisine' | 'evenement' | 'audience' | 'document';
const RANG: Record<GenreElement, number> = { saisine: 0, evenement: 1, document: 2, audience: 3 };

/**
 * Chronological order, oldest first. Ties (same instant) keep a stable, meaningful order: the
 * saisine first, an event before its own document, then hearings; then the court's order.
 */
export function ordonner<T extends { date: Date; genre: GenreElement; cle: string }>(elements: readonly T[]): T[] {
  return [...elements].sort(
    (a, b) => a.date.getTime() - b.date.getTime() || RANG[a.genre] - RANG[b.genre] || (a.cle < b.cle ? -1 : a.cle > b.cle ? 1 : 0),
  );
}

// ------------------------------------------------------------------------------------------------
// Update batches

/**
 * How long a batch stays open without being closed. A court pushes a batch in seconds; 30
 * minutes leaves room for a slow one (thousands of events, retries) while bounding the damage
 * when the court's application crashes or loses its DELETE: the banner cannot tell citizens for
 * hours that their case is being updated when nothing is. Re-opening an open batch (a retry, or
 * a long batch's heartbeat) moves the expiry 30 minutes from then.
 */
export const DUREE_MAX_LOT_MS = 30 * 60_000;

export function expirationLot(ouvertLe: Date): Date {
  return new Date(ouvertLe.getTime() + DUREE_MAX_LOT_MS);
}

/** The banner shows while a batch exists and has not expired. */
export function lotEnCours(lot: { expire_le: Date } | null, maintenant: Date): boolean {
  return !!lot && lot.expire_le.getTime() > maintenant.getTime();
}

// ------------------------------------------------------------------------------------------------
// Live refresh

export interface Changements {
  evenements: number;
  audiences: number;
  documents: number;
  /** The case itself (état, nature, closure…) changed. */
  dossier: boolean;
}

const pluriel = (n: number, un: string, plusieurs: string) => `${n} ${n > 1 ? plusieurs : un}`;

/** "2 nouveaux événements, 1 audience ajoutée ou modifiée" — or a generic sentence. */
export function decrireChangements(c: Changements): string {
  const morceaux: string[] = [];
  if (c.evenements) morceaux.push(pluriel(c.evenements, 'nouvel événement', 'nouveaux événements'));
  if (c.documents) morceaux.push(pluriel(c.documents, 'nouveau document', 'nouveaux documents'));
  if (c.audiences) morceaux.push(pluriel(c.audiences, 'audience ajoutée ou modifiée', 'audiences ajoutées ou modifiées'));
  if (c.dossier) morceaux.push('le résumé du dossier a changé');
  if (!morceaux.length) return 'Le tribunal a mis à jour votre dossier.';
  const s = morceaux.join(', ');
  return `${s.charAt(0).toUpperCase()}${s.slice(1)}.`;
}

// ------------------------------------------------------------------------------------------------
// Documents

/** A file name for Content-Disposition: the title, without path or control characters, + .pdf */
export function nomFichier(titre: string): string {
  const base = titre.replace(/[\u0000-\u001f\u007f/\\"]+/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 150) || 'document';
  return /\.pdf$/i.test(base) ? base : `${base}.pdf`;
}

/** A court document (always a PDF, named by its title). */
export function dispositionContenu(type: 'inline' | 'attachment', titre: string): string {
  return dispositionFichier(type, nomFichier(titre));
}

/**
 * RFC 6266 / 8187: an ASCII fallback and the UTF-8 name, for a file whose name is already clean
 * and keeps its own extension (a requête's JPEG stays `.jpg`).
 */
export function dispositionFichier(type: 'inline' | 'attachment', nom: string): string {
  const ascii = nom.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^\x20-\x7e]/g, '_').replace(/[%;"\\]/g, '_');
  const utf8 = encodeURIComponent(nom).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${type}; filename="${ascii}"; filename*=UTF-8''${utf8}`;
}
