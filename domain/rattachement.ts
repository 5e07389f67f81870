// Adding a case to a citizen's space (rattachement): the pure rules of the SMS code that proves
// possession of the phone the court recorded (ANCHORS C2 items 11-12), and how a link is named
// on the pages. No I/O: services/rattachement.ts applies them inside its transactions, with the
// instant of its injectable clock.

export const REGLES_CODE = {
  /** 6 digits from crypto.randomInt: about 20 bits (ASVS 4.0.3 V2.7.6). */
  chiffres: 6,
  /** Validity of a code (ASVS 4.0.3 V2.7.2). */
  validiteMs: 10 * 60_000,
  /** Wrong entries a code survives: the 5th invalidates it. */
  essaisParCode: 5,
  /** At most this many codes per account and per phone number within `fenetreEnvoisMs`… */
  envoisParFenetre: 3,
  fenetreEnvoisMs: 3600_000,
  /** …and at least this long between two codes. */
  intervalleEnvoisMs: 60_000,
  /** This many wrong codes for one identification number within `fenetreEchecsMs`… */
  echecsAvantVerrou: 10,
  fenetreEchecsMs: 24 * 3600_000,
  /** …lock linking by that number for this long. */
  verrouMs: 24 * 3600_000,
} as const;

/** What a citizen typed as the code: 6 digits once spaces are removed, else null. */
export function normaliserCode(saisie: string): string | null {
  const s = saisie.replace(/[\s.-]/g, '');
  return new RegExp(`^\\d{${REGLES_CODE.chiffres}}$`).test(s) ? s : null;
}

/** The phone as the pages may show it: its last two digits only ("••78"). */
export function masquerTelephone(telephone: string): string {
  const chiffres = telephone.replace(/\D/g, '');
  return `••${chiffres.slice(-2)}`;
}

/** The text of the code SMS. The code sits between ⟦ ⟧ so the outbox masks it once sent. */
export function texteSmsCode(numeroDossier: string, code: string): string {
  return `Justice.fr : votre code pour ajouter le dossier n° ${numeroDossier} est ⟦${code}⟧. Il expire dans 10 minutes. Ne le communiquez à personne.`;
}

export type RefusEnvoi = { motif: 'quota' | 'intervalle'; reessayerA: Date };

/**
 * May a new code be sent now? `envois` are the instants of the codes already sent to this
 * account and to this phone number (at least those of the last hour). The quota is checked
 * first: its answer (when the oldest send of the hour leaves the window) is the later one.
 */
export function controlerEnvoi(envois: { compte: readonly Date[]; telephone: readonly Date[] }, maintenant: Date): RefusEnvoi | null {
  const t = maintenant.getTime();
  let reessayerQuota: number | null = null;
  for (const liste of [envois.compte, envois.telephone]) {
    const recents = liste.map((d) => d.getTime()).filter((x) => x > t - REGLES_CODE.fenetreEnvoisMs && x <= t).sort((a, b) => a - b);
    if (recents.length >= REGLES_CODE.envoisParFenetre) {
      // The window frees a slot when the oldest of the last `envoisParFenetre` sends leaves it.
      const libere = recents[recents.length - REGLES_CODE.envoisParFenetre]! + REGLES_CODE.fenetreEnvoisMs;
      reessayerQuota = Math.max(reessayerQuota ?? 0, libere);
    }
  }
  if (reessayerQuota !== null) return { motif: 'quota', reessayerA: new Date(reessayerQuota) };
  const dernier = Math.max(-Infinity, ...envois.compte.map((d) => d.getTime()), ...envois.telephone.map((d) => d.getTime()));
  if (dernier > t - REGLES_CODE.intervalleEnvoisMs && dernier <= t) return { motif: 'intervalle', reessayerA: new Date(dernier + REGLES_CODE.intervalleEnvoisMs) };
  return null;
}

export interface Code {
  expires_at: Date;
  attempts: number;
  used_at: Date | null;
  invalidated_at: Date | null;
}

/**
 * Can this code still be checked? `desactive`: 5 wrong entries (or the number was locked);
 * `remplace`: a newer code was sent for the same attempt.
 */
export function etatCode(c: Code, maintenant: Date): 'utilisable' | 'utilise' | 'desactive' | 'remplace' | 'expire' {
  if (c.used_at) return 'utilise';
  if (c.invalidated_at) return c.attempts >= REGLES_CODE.essaisParCode ? 'desactive' : 'remplace';
  if (c.expires_at.getTime() <= maintenant.getTime()) return 'expire';
  return 'utilisable';
}

export function essaisRestants(attempts: number): number {
  return Math.max(0, REGLES_CODE.essaisParCode - attempts);
}

/** Failure counters of one identification number (table `identifiant`). */
export interface CompteurEchecs {
  echecs: number;
  echecs_depuis: Date | null;
  verrouille_jusqu_a: Date | null;
}

export function estVerrouille(c: Pick<CompteurEchecs, 'verrouille_jusqu_a'>, maintenant: Date): boolean {
  return c.verrouille_jusqu_a !== null && c.verrouille_jusqu_a.getTime() > maintenant.getTime();
}

/**
 * The counters after one more wrong code. Failures count in a 24 h window opened by the first
 * one; the 10th within it locks the number for 24 h and starts a fresh count.
 */
export function apresEchec(c: CompteurEchecs, maintenant: Date): CompteurEchecs & { verrouille: boolean } {
  const t = maintenant.getTime();
  const fenetreOuverte = c.echecs_depuis !== null && c.echecs_depuis.getTime() > t - REGLES_CODE.fenetreEchecsMs;
  const echecs = fenetreOuverte ? c.echecs + 1 : 1;
  const depuis = fenetreOuverte ? c.echecs_depuis : maintenant;
  if (echecs >= REGLES_CODE.echecsAvantVerrou) {
    return { echecs: 0, echecs_depuis: null, verrouille_jusqu_a: new Date(t + REGLES_CODE.verrouMs), verrouille: true };
  }
  return { echecs, echecs_depuis: depuis, verrouille_jusqu_a: c.verrouille_jusqu_a, verrouille: false };
}

// ------------------------------------------------------------------------------------------------
// How a link is named: one view per represented party (seed 000, "plusieurs numéros").

export interface PartieNommee {
  type: 'physique' | 'morale' | 'autorite';
  civilite: string | null;
  nom: string | null;
  nom_usage: string | null;
  prenoms: string | null;
  raison_sociale: string | null;
  titre: string | null;
}

export function nomPartie(p: PartieNommee): string {
  if (p.type === 'morale') return p.raison_sociale ?? 'Personne morale';
  if (p.type === 'autorite') return p.titre ?? 'Autorité';
  return [p.civilite, p.prenoms, p.nom_usage ?? p.nom].filter(Boolean).join(' ');
}

export interface Representant {
  civilite: string | null;
  nom: string | null;
  prenoms: string | null;
}

/**
 * "En tant que représentant de Mme Angela DUBOIS (Demandeur)" when the consent names a
 * representative (who received the number), else "Partie : Demandeur — Mme Angela DUBOIS".
 */
export function qualite(partie: PartieNommee & { role: string }, representant: Representant | null): string {
  if (representant?.nom) return `En tant que représentant de ${nomPartie(partie)} (${partie.role})`;
  return `Partie : ${partie.role} — ${nomPartie(partie)}`;
}
