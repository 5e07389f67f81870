// What a court's business application sends (Court API v1, DESIGN.md): the single source of
// these shapes for the API, the agent pages that enter the same data, and the demo data.
// Messages are in French because they reach the court's developers and the clerks as is.
import { z } from 'zod';

// Control characters (NUL above all, which PostgreSQL cannot store) have no place in a name or
// an address; tabs and line breaks are tolerated in free text.
const CONTROLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
const sansControle = (v: string) => !CONTROLE.test(v);
const texte = (max: number) => z.string({ required_error: 'champ obligatoire', invalid_type_error: 'texte attendu' }).trim().min(1, 'ne doit pas être vide').max(max, `${max} caractères au plus`).refine(sansControle, 'caractère de contrôle interdit');
const texteOptionnel = (max: number) => z.string({ invalid_type_error: 'texte attendu' }).trim().max(max, `${max} caractères au plus`).refine(sansControle, 'caractère de contrôle interdit').nullish().transform((v) => (v ? v : null));

/** Years a court date can plausibly have (and PostgreSQL can store). */
const ANNEE_MIN = 1900;
const ANNEE_MAX = 2200;

/** Court-side identifiers (party, event, hearing ids): safe in URLs and logs. */
export const idTribunal = z.string({ required_error: 'champ obligatoire', invalid_type_error: 'texte attendu' }).regex(/^[A-Za-z0-9._:-]{1,64}$/, 'identifiant de 1 à 64 caractères parmi A-Z a-z 0-9 . _ : -');
export const codeJuridiction = z.string().regex(/^[A-Z0-9_-]{2,32}$/, 'code de juridiction : 2 à 32 caractères parmi A-Z 0-9 _ -');
export const numeroPortalis = z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'numéro Portalis : 1 à 64 caractères parmi A-Z a-z 0-9 . _ -');

/** An instant with an explicit offset: a local time without one is ambiguous around DST. */
export const instant = z
  .string({ required_error: 'champ obligatoire', invalid_type_error: 'date attendue' })
  .datetime({ offset: true, message: 'date et heure ISO 8601 avec décalage attendues (ex. 2026-12-01T14:00:00+01:00)' })
  .transform((v, ctx) => {
    const d = new Date(v);
    if (Number.isNaN(d.getTime()) || d.getUTCFullYear() < ANNEE_MIN || d.getUTCFullYear() > ANNEE_MAX) {
      ctx.addIssue({ code: 'custom', message: `date et heure valides entre ${ANNEE_MIN} et ${ANNEE_MAX} attendues` });
      return z.NEVER;
    }
    return d;
  });

export const dateCalendaire = z
  .string({ required_error: 'champ obligatoire', invalid_type_error: 'date attendue' })
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'date AAAA-MM-JJ attendue')
  .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v), 'date inexistante')
  .refine((v) => Number(v.slice(0, 4)) >= ANNEE_MIN && Number(v.slice(0, 4)) <= ANNEE_MAX, `année entre ${ANNEE_MIN} et ${ANNEE_MAX} attendue`);

const courriel = z.string({ invalid_type_error: 'texte attendu' }).trim().email('adresse électronique invalide').max(254);
/** E.164 after removing spaces and dots; French numbers may be given as 06… */
export const telephone = z
  .string({ invalid_type_error: 'texte attendu' })
  .transform((v) => v.replace(/[\s.()-]/g, ''))
  .transform((v) => (/^0[1-9]\d{8}$/.test(v) ? `+33${v.slice(1)}` : v))
  .refine((v) => /^\+[1-9]\d{6,14}$/.test(v), 'numéro de téléphone au format international (+33…) ou français (06…) attendu');

export const juridictionSchema = z
  .object({
    nom: texte(200),
    adresse: texte(500),
    telephone: texteOptionnel(40),
    courriel: courriel.nullish().transform((v) => v ?? null),
    latitude: z.number({ invalid_type_error: 'nombre attendu' }).min(-90).max(90).nullish().transform((v) => v ?? null),
    longitude: z.number({ invalid_type_error: 'nombre attendu' }).min(-180).max(180).nullish().transform((v) => v ?? null),
    horaires: texteOptionnel(500),
  })
  .strict();
export type JuridictionEntree = z.infer<typeof juridictionSchema>;

export const partieSchema = z
  .object({
    id: idTribunal,
    role: texte(100),
    type: z.enum(['physique', 'morale', 'autorite'], { errorMap: () => ({ message: 'physique, morale ou autorite attendu' }) }),
    civilite: z.enum(['M.', 'Mme'], { errorMap: () => ({ message: '« M. » ou « Mme » attendu' }) }).nullish().transform((v) => v ?? null),
    nom: texteOptionnel(200),
    nomUsage: texteOptionnel(200),
    prenoms: texteOptionnel(200),
    raisonSociale: texteOptionnel(200),
    formeJuridique: texteOptionnel(100),
    titre: texteOptionnel(200),
    majeurProtege: z.boolean({ invalid_type_error: 'booléen attendu' }).default(false),
    courriel: courriel.nullish().transform((v) => v ?? null),
    telephone: telephone.nullish().transform((v) => v ?? null),
    avocat: texteOptionnel(200),
    // The court cuts this party's online access (guardianship, majority reached, protection
    // measure withdrawn…): the citizens' links through the party disappear until it is false
    // again. Absent means false, like every field of a PUT that replaces the case.
    accesRetire: z
      .boolean({ invalid_type_error: 'booléen attendu' })
      .optional()
      .describe('true : l’accès en ligne par cette partie est coupé (mise sous tutelle, majorité acquise…) ; les dossiers ajoutés avec ses numéros d’identification disparaissent des espaces personnels. Absent : false.'),
  })
  .strict()
  .superRefine((p, ctx) => {
    // The decree's identity fields depend on the kind of party.
    if (p.type === 'physique' && !p.nom) ctx.addIssue({ code: 'custom', path: ['nom'], message: 'obligatoire pour une personne physique' });
    if (p.type === 'morale' && !p.raisonSociale) ctx.addIssue({ code: 'custom', path: ['raisonSociale'], message: 'obligatoire pour une personne morale' });
    if (p.type === 'autorite' && !p.titre) ctx.addIssue({ code: 'custom', path: ['titre'], message: 'obligatoire pour une autorité administrative' });
  });
export type PartieEntree = z.infer<typeof partieSchema>;

export const affaireSchema = z
  .object({
    numeroDossier: texte(64),
    nature: texte(200),
    etat: texte(100),
    dateSaisine: dateCalendaire,
    suiviEnLigne: z.boolean({ required_error: 'champ obligatoire', invalid_type_error: 'booléen attendu' }),
    parties: z
      .array(partieSchema, { required_error: 'champ obligatoire', invalid_type_error: 'liste attendue' })
      .max(500, '500 parties au plus')
      .superRefine((ps, ctx) => {
        const vus = new Set<string>();
        ps.forEach((p, i) => {
          if (vus.has(p.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `identifiant de partie en double : ${p.id}` });
          vus.add(p.id);
        });
      }),
  })
  .strict();
export type AffaireEntree = z.infer<typeof affaireSchema>;

export const TYPES_DOCUMENT = ['recepisse', 'avis', 'convocation'] as const;

export const evenementSchema = z
  .object({
    id: idTribunal,
    type: texte(100),
    date: instant,
    libelle: texte(500),
    document: z
      .object({
        type: z.enum(TYPES_DOCUMENT, { errorMap: () => ({ message: 'recepisse, avis ou convocation attendu' }) }),
        titre: texte(200),
        destinataires: z.array(idTribunal).min(1, 'au moins un destinataire'),
        pdf: z.string({ required_error: 'champ obligatoire' }).regex(/^[A-Za-z0-9+/]+={0,2}$/, 'contenu PDF encodé en base64 attendu'),
      })
      .strict()
      .optional(),
  })
  .strict();
export type EvenementEntree = z.infer<typeof evenementSchema>;

export const audienceSchema = z
  .object({
    debut: instant,
    salle: texteOptionnel(100),
    adresse: texte(500),
    libelle: texte(200),
  })
  .strict();
export type AudienceEntree = z.infer<typeof audienceSchema>;

export const consentementSchema = z
  .object({
    partie: idTribunal,
    representant: z
      .object({
        civilite: z.enum(['M.', 'Mme']).nullish().transform((v) => v ?? null),
        nom: texte(200),
        prenoms: texteOptionnel(200),
        courriel: courriel,
        telephone: telephone.nullish().transform((v) => v ?? null),
      })
      .strict()
      .optional(),
  })
  .strict();
export type ConsentementEntree = z.infer<typeof consentementSchema>;

export const clotureSchema = z.object({ date: instant }).strict();

/** A PDF starts with `%PDF-` (magic bytes), whatever its name says. */
export function estUnPdf(contenu: Buffer): boolean {
  return contenu.subarray(0, 5).toString('latin1') === '%PDF-';
}
