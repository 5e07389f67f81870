// Online petitions (requêtes) — decree 004 art. 2 and 4: kinds, their fields, the third parties'
// identity fields, the attachment rules and the draft's clock. One declarative table per kind
// drives the citizen form, the draft schema (lenient: a draft may be incomplete) and the
// sending schema (strict): the page and the server cannot disagree on a field.
import { DateTime, Duration } from 'luxon';
import { z } from 'zod';
import type { DetailErreur } from './erreurs.js';
import { ajouterDuree, FUSEAU, lireDuree, retrancherDuree } from './durees.js';

export const STATUTS_REQUETE = ['brouillon', 'echec', 'envoyee', 'enregistree', 'supprimee'] as const;
export type StatutRequete = (typeof STATUTS_REQUETE)[number];

export const LIBELLES_STATUTS: Record<StatutRequete, string> = {
  brouillon: 'Brouillon',
  echec: 'Échec de l’envoi',
  envoyee: 'Envoyée',
  enregistree: 'Enregistrée',
  supprimee: 'Supprimée',
};

/** Until transmission the citizen sees, changes and deletes everything (decree art. 5). */
export const estModifiable = (statut: string) => statut === 'brouillon' || statut === 'echec';

type TypeChamp = 'texte' | 'texte_long' | 'date' | 'choix' | 'montant';

export interface Champ {
  nom: string;
  libelle: string;
  aide?: string;
  type: TypeChamp;
  obligatoire: boolean;
  max?: number;
  options?: readonly { valeur: string; libelle: string }[];
  /** A date that cannot lie in the future (facts already happened, a birth). */
  passe?: boolean;
}

export interface TypeRequete {
  code: string;
  libelle: string;
  description: string;
  champs: readonly Champ[];
  /** Third parties the petition must name (e.g. the other parent). */
  tiersMin: number;
  tiersAide: string;
  piecesMin: number;
  piecesAide: string;
}

export const TYPES_REQUETE: readonly TypeRequete[] = [
  {
    code: 'jaf',
    libelle: 'Requête au juge aux affaires familiales',
    description: 'Résidence des enfants, droit de visite et d’hébergement, pension alimentaire, exercice de l’autorité parentale.',
    champs: [
      {
        nom: 'objet', libelle: 'Objet de la demande', type: 'choix', obligatoire: true,
        options: [
          { valeur: 'residence', libelle: 'Résidence des enfants' },
          { valeur: 'visite', libelle: 'Droit de visite et d’hébergement' },
          { valeur: 'pension', libelle: 'Contribution à l’entretien et à l’éducation des enfants (pension alimentaire)' },
          { valeur: 'autorite', libelle: 'Exercice de l’autorité parentale' },
          { valeur: 'autre', libelle: 'Autre demande' },
        ],
      },
      { nom: 'enfants', libelle: 'Enfants concernés', aide: 'Prénoms, noms et dates de naissance.', type: 'texte_long', obligatoire: true, max: 2000 },
      { nom: 'demandes', libelle: 'Ce que vous demandez au juge', type: 'texte_long', obligatoire: true, max: 5000 },
      { nom: 'motifs', libelle: 'Pourquoi : exposé de la situation', type: 'texte_long', obligatoire: true, max: 10000 },
    ],
    tiersMin: 1,
    tiersAide: 'Indiquez l’autre parent (ou toute autre personne concernée par la demande).',
    piecesMin: 0,
    piecesAide: 'Par exemple : acte de naissance des enfants, justificatifs de ressources.',
  },
  {
    code: 'protection',
    libelle: 'Requête relative à une mesure de protection',
    description: 'Demander une sauvegarde de justice, une curatelle, une tutelle ou une habilitation familiale pour un proche.',
    champs: [
      {
        nom: 'mesure', libelle: 'Mesure demandée', type: 'choix', obligatoire: true,
        options: [
          { valeur: 'sauvegarde', libelle: 'Sauvegarde de justice' },
          { valeur: 'curatelle', libelle: 'Curatelle' },
          { valeur: 'tutelle', libelle: 'Tutelle' },
          { valeur: 'habilitation', libelle: 'Habilitation familiale' },
        ],
      },
      { nom: 'personneNom', libelle: 'Nom de la personne à protéger', type: 'texte', obligatoire: true, max: 200 },
      { nom: 'personnePrenoms', libelle: 'Prénoms de la personne à protéger', type: 'texte', obligatoire: true, max: 200 },
      { nom: 'personneNaissance', libelle: 'Date de naissance de la personne à protéger', type: 'date', obligatoire: true, passe: true },
      { nom: 'personneAdresse', libelle: 'Adresse de la personne à protéger', type: 'texte', obligatoire: true, max: 500 },
      { nom: 'lien', libelle: 'Votre lien avec cette personne', aide: 'Par exemple : fille, conjoint, frère.', type: 'texte', obligatoire: true, max: 200 },
      { nom: 'motifs', libelle: 'Pourquoi une mesure est nécessaire', type: 'texte_long', obligatoire: true, max: 10000 },
    ],
    tiersMin: 0,
    tiersAide: 'Indiquez, si vous le souhaitez, les proches à informer de la demande.',
    piecesMin: 1,
    piecesAide: 'Joignez le certificat médical circonstancié établi par un médecin inscrit sur la liste du procureur de la République (obligatoire).',
  },
  {
    code: 'partie_civile',
    libelle: 'Constitution de partie civile',
    description: 'Demander réparation du préjudice causé par une infraction.',
    champs: [
      { nom: 'infraction', libelle: 'Faits dénoncés', aide: 'Décrivez l’infraction (vol, agression, escroquerie…).', type: 'texte', obligatoire: true, max: 500 },
      { nom: 'dateFaits', libelle: 'Date des faits', type: 'date', obligatoire: true, passe: true },
      { nom: 'lieuFaits', libelle: 'Lieu des faits', type: 'texte', obligatoire: true, max: 500 },
      { nom: 'numeroPlainte', libelle: 'Numéro de la plainte, si elle a été déposée', type: 'texte', obligatoire: false, max: 100 },
      { nom: 'prejudice', libelle: 'Votre préjudice', aide: 'Dommages corporels, matériels, moraux.', type: 'texte_long', obligatoire: true, max: 10000 },
      { nom: 'montant', libelle: 'Montant demandé en réparation (en euros)', type: 'montant', obligatoire: false },
    ],
    tiersMin: 0,
    tiersAide: 'Indiquez, si vous la connaissez, la personne mise en cause.',
    piecesMin: 0,
    piecesAide: 'Par exemple : récépissé de plainte, certificats médicaux, factures.',
  },
];

export const typeRequete = (code: string): TypeRequete | undefined => TYPES_REQUETE.find((t) => t.code === code);
export const CodeTypeRequete = z.enum(['jaf', 'protection', 'partie_civile'], { errorMap: () => ({ message: 'Choisissez le type de requête.' }) });

// Control characters have no place in a petition (NUL cannot even be stored); line breaks can.
const CONTROLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

function schemaChamp(c: Champ, strict: boolean, aujourdHui: string): z.ZodTypeAny {
  const libelle = c.libelle;
  const max = c.max ?? 200;
  // In order: the first failed check is the message the citizen reads for this field.
  const regles: [(v: string) => boolean, string][] = [
    [(v) => v.length <= max, `« ${libelle} » : ${max} caractères au plus.`],
    [(v) => !CONTROLE.test(v), `« ${libelle} » contient un caractère non autorisé.`],
  ];
  if (strict && c.obligatoire) regles.push([(v) => v !== '', `« ${libelle} » est obligatoire.`]);
  if (c.type === 'date') {
    regles.push([(v) => v === '' || (/^\d{4}-\d{2}-\d{2}$/.test(v) && DateTime.fromISO(v).isValid), `« ${libelle} » : saisissez une date valide (jj/mm/aaaa).`]);
    if (c.passe) regles.push([(v) => v === '' || v <= aujourdHui, `« ${libelle} » ne peut pas être dans le futur.`]);
  }
  if (c.type === 'montant') regles.push([(v) => v === '' || /^\d{1,9}([.,]\d{1,2})?$/.test(v), `« ${libelle} » : saisissez un montant en euros, par exemple 1500 ou 1500,50.`]);
  if (c.type === 'choix') {
    const valeurs = (c.options ?? []).map((o) => o.valeur);
    regles.push([(v) => v === '' || valeurs.includes(v), `« ${libelle} » : choisissez une des options proposées.`]);
  }
  return z
    .string({ invalid_type_error: `« ${libelle} » : texte attendu.` })
    .trim()
    .default('')
    .superRefine((v, ctx) => {
      const echec = regles.find(([ok]) => !ok(v));
      if (echec) ctx.addIssue({ code: 'custom', message: echec[1] });
    });
}

/**
 * The fields of a kind of petition. Lenient (`strict` false) for a draft: any field may be empty,
 * but what is there must be well-formed. Strict for sending: mandatory fields filled in.
 */
export function schemaDonnees(t: TypeRequete, strict: boolean, aujourdHui: string) {
  return z.object(Object.fromEntries(t.champs.map((c) => [c.nom, schemaChamp(c, strict, aujourdHui)]))).strip();
}

// Third parties named in a petition: exactly the identity fields the decree lists.
const texteTiers = (libelle: string, max: number) =>
  z.string().trim().max(max, `« ${libelle} » : ${max} caractères au plus.`).refine((v) => !CONTROLE.test(v), `« ${libelle} » contient un caractère non autorisé.`).default('');

export const tiersSchema = z
  .object({
    type: z.enum(['physique', 'morale', 'autorite'], { errorMap: () => ({ message: 'Choisissez s’il s’agit d’une personne, d’une société ou association, ou d’une autorité administrative.' }) }),
    civilite: z.enum(['', 'M.', 'Mme'], { errorMap: () => ({ message: 'Choisissez « M. » ou « Mme ».' }) }).default(''),
    nom: texteTiers('Nom', 200),
    nomUsage: texteTiers('Nom d’usage', 200),
    prenoms: texteTiers('Prénoms', 200),
    raisonSociale: texteTiers('Raison sociale', 200),
    formeJuridique: texteTiers('Forme juridique', 100),
    titre: texteTiers('Titre', 200),
  })
  .strip()
  .superRefine((t, ctx) => {
    const manque = (champ: string, message: string) => ctx.addIssue({ code: 'custom', path: [champ], message });
    if (t.type === 'physique') {
      if (!t.nom) manque('nom', 'Le nom de la personne est obligatoire.');
      if (!t.prenoms) manque('prenoms', 'Les prénoms de la personne sont obligatoires.');
    } else if (t.type === 'morale') {
      if (!t.raisonSociale) manque('raisonSociale', 'La raison sociale est obligatoire.');
    } else if (!t.titre) {
      manque('titre', 'Le titre de l’autorité est obligatoire (par exemple : « Préfet de police »).');
    }
  })
  // Only the fields of the chosen kind are kept: a person has no raison sociale.
  .transform((t) => ({
    type: t.type,
    civilite: t.type === 'physique' && t.civilite ? t.civilite : null,
    nom: t.type === 'physique' ? t.nom : null,
    nomUsage: t.type === 'physique' && t.nomUsage ? t.nomUsage : null,
    prenoms: t.type === 'physique' ? t.prenoms : null,
    raisonSociale: t.type === 'morale' ? t.raisonSociale : null,
    formeJuridique: t.type === 'morale' && t.formeJuridique ? t.formeJuridique : null,
    titre: t.type === 'autorite' ? t.titre : null,
  }));
export type Tiers = z.output<typeof tiersSchema>;

export const nomTiers = (t: Tiers) =>
  t.type === 'physique' ? [t.civilite, t.prenoms, t.nom, t.nomUsage ? `(nom d’usage ${t.nomUsage})` : null].filter(Boolean).join(' ') : t.type === 'morale' ? [t.raisonSociale, t.formeJuridique ? `(${t.formeJuridique})` : null].filter(Boolean).join(' ') : (t.titre ?? '');

/** Everything wrong with a petition before it can be sent, one detail per field; [] = complete. */
export function erreursEnvoi(o: { type: string; donnees: Record<string, unknown>; nbTiers: number; nbPieces: number; aujourdHui: string }): DetailErreur[] {
  const t = typeRequete(o.type);
  if (!t) return [{ champ: 'type', message: 'Type de requête inconnu.' }];
  const erreurs: DetailErreur[] = [];
  const r = schemaDonnees(t, true, o.aujourdHui).safeParse(o.donnees);
  if (!r.success) for (const i of r.error.issues) erreurs.push({ champ: String(i.path[0] ?? 'donnees'), message: i.message });
  if (o.nbTiers < t.tiersMin) erreurs.push({ champ: 'tiers', message: t.tiersMin === 1 ? 'Indiquez au moins une personne concernée par la demande.' : `Indiquez au moins ${t.tiersMin} personnes concernées.` });
  if (o.nbPieces < t.piecesMin) erreurs.push({ champ: 'pieces', message: t.piecesMin === 1 ? `Une pièce jointe est obligatoire : ${t.piecesAide}` : `${t.piecesMin} pièces jointes au moins sont obligatoires.` });
  return erreurs;
}

// ---------------------------------------------------------------------------------------------
// Attachments: the content decides the type, never the name (C2 item 21).

export type TypeMime = 'application/pdf' | 'image/jpeg' | 'image/png';
const EXTENSIONS: Record<TypeMime, readonly string[]> = {
  'application/pdf': ['pdf'],
  'image/jpeg': ['jpg', 'jpeg'],
  'image/png': ['png'],
};
const LIBELLE_TYPE: Record<TypeMime, string> = { 'application/pdf': 'un PDF', 'image/jpeg': 'une image JPEG', 'image/png': 'une image PNG' };

export function detecterType(octets: Uint8Array): TypeMime | null {
  const debut = (...o: number[]) => o.every((v, i) => octets[i] === v);
  if (debut(0x25, 0x50, 0x44, 0x46, 0x2d)) return 'application/pdf'; // %PDF-
  if (debut(0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (debut(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  return null;
}

export interface LimitesPieces {
  /** Per file (MAX_DOCUMENT_BYTES). */
  maxOctets: number;
  /** All the petition's attachments together (MAX_REQUETE_BYTES). */
  maxTotal: number;
  maxNombre: number;
}

export const PIECES_MAX = 20;

/** "98 ko", "2,5 Mo": a size as the pages and messages say it. */
export function formaterTaille(octets: number): string {
  if (octets >= 1024 * 1024) return `${(Math.round((octets / (1024 * 1024)) * 10) / 10).toString().replace('.', ',')} Mo`;
  return `${Math.max(1, Math.round(octets / 1024))} ko`;
}
const enMo = formaterTaille;
const octets = (n: number) => `${n.toLocaleString('fr-FR')} octets`;

/** A file name safe to show and to send back in Content-Disposition: no path, no control. */
export function nettoyerNom(nom: string): string {
  const base = nom.split(/[\\/]/).pop() ?? '';
  const propre = base.replace(/[\u0000-\u001F\u007F"<>|:*?]/g, '').trim().slice(0, 120);
  return propre || 'piece-jointe';
}

/** Why a file cannot be attached, in French, or its type when it can. */
export function verifierPiece(
  f: { nom: string; octets: Uint8Array },
  deja: { octets: number; nombre: number },
  l: LimitesPieces,
): { ok: true; type: TypeMime; nom: string } | { ok: false; message: string } {
  const nom = nettoyerNom(f.nom);
  if (f.octets.length === 0) return { ok: false, message: `Le fichier « ${nom} » est vide.` };
  if (f.octets.length > l.maxOctets) {
    // Just over the limit, rounded sizes would read "98 ko, limit 98 ko": then say the bytes.
    const [poids, limite] = enMo(f.octets.length) === enMo(l.maxOctets) ? [octets(f.octets.length), octets(l.maxOctets)] : [enMo(f.octets.length), enMo(l.maxOctets)];
    return { ok: false, message: `Le fichier « ${nom} » pèse ${poids} : la limite est de ${limite} par fichier.` };
  }
  if (deja.nombre >= l.maxNombre) return { ok: false, message: `Une requête ne peut pas compter plus de ${l.maxNombre} pièces jointes.` };
  if (deja.octets + f.octets.length > l.maxTotal) return { ok: false, message: `Avec « ${nom} », les pièces jointes dépasseraient ${enMo(l.maxTotal)} au total pour cette requête : retirez-en ou réduisez leur taille.` };
  const type = detecterType(f.octets);
  if (!type) return { ok: false, message: `Le fichier « ${nom} » n’est ni un PDF, ni une image JPEG ou PNG : seuls ces formats sont acceptés.` };
  const ext = /\.([A-Za-z0-9]{1,5})$/.exec(nom)?.[1]?.toLowerCase();
  if (!ext || !EXTENSIONS[type].includes(ext)) {
    return { ok: false, message: `Le fichier « ${nom} » est ${LIBELLE_TYPE[type]} mais son nom ne se termine pas par .${EXTENSIONS[type][0]} : renommez-le avant de le joindre.` };
  }
  return { ok: true, type, nom };
}

// ---------------------------------------------------------------------------------------------
// The draft's clock (decree art. 4): thirty days "à compter du premier jour où le justiciable a
// initié sa requête". Counted in days, it runs from the start of that first day in Europe/Paris,
// so every draft begun the same day ends at the same midnight whatever the hour it was begun;
// a duration with a time part (tests inject seconds) runs from the instant itself.

function aUnePartieHoraire(iso: string): boolean {
  const d = lireDuree(iso);
  if (!d) throw new RangeError(`durée ISO-8601 invalide : ${iso}`);
  const o = d.toObject();
  return Boolean(o.hours || o.minutes || o.seconds || o.milliseconds);
}

export function expirationBrouillon(commenceLe: Date, ttl: string): Date {
  if (aUnePartieHoraire(ttl)) return ajouterDuree(commenceLe, ttl);
  const premierJour = DateTime.fromJSDate(commenceLe, { zone: FUSEAU }).startOf('day');
  return ajouterDuree(premierJour.toMillis(), ttl);
}

/** The warning instants (DRAFT_WARNINGS, e.g. P7D and P1D before expiry) still ahead of `depuis`. */
export function avertissementsBrouillon(expireLe: Date, avance: readonly string[]): Date[] {
  return avance.map((a) => retrancherDuree(expireLe, a)).sort((a, b) => a.getTime() - b.getTime());
}

/** Whole days left before expiry, as a citizen counts them (Europe/Paris calendar days). */
export function joursRestants(expireLe: Date, maintenant: Date): number {
  const a = DateTime.fromJSDate(maintenant, { zone: FUSEAU }).startOf('day');
  const b = DateTime.fromJSDate(expireLe, { zone: FUSEAU }).startOf('day');
  return Math.max(0, Math.round(b.diff(a, 'days').days));
}

/** A legal duration is a retention: e.g. "P5Y" after a case's closure. */
export const purgeApresCloture = (clotureLe: Date, retention: string) => ajouterDuree(clotureLe, retention);

export const dureeValide = (iso: string) => Duration.fromISO(iso).isValid;
