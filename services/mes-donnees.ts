// "Mes données" (issue 9, decree art. 5): the account's data as one export object, the single
// source of the page, the JSON download and the PDF, so the three can never disagree.
//
// The JSON shape is versioned (`version`): a field is never renamed or removed within a
// version, only added; anything else bumps the version. Instants are ISO 8601 in UTC, calendar
// days (date de saisine, birth date) YYYY-MM-DD as received. Coordinates held by the courts and
// addresses messages were sent to are masked (domain/mes-donnees.ts); bodies of messages and
// every secret (identification numbers, SMS codes, calendar tokens: stored as keyed hashes
// only) are absent by construction (db/mes-donnees.ts never selects them).
import type { DatabasePool } from 'slonik';
import type { Config } from '../domain/config.js';
import { LIBELLES_ROLES } from '../domain/agents.js';
import { formaterDate } from '../domain/dates.js';
import { ajouterDuree } from '../domain/durees.js';
import {
  dureeEnFrancais,
  libelleNotification,
  LIBELLES_CANAUX,
  LIBELLES_CONSULTATIONS,
  LIBELLES_STATUTS_ENVOI,
  masquerCourriel,
  masquerTelephone,
  MOTIFS_MASQUE,
} from '../domain/mes-donnees.js';
import { nomPartie } from '../domain/rattachement.js';
import { estModifiable, LIBELLES_STATUTS, nomTiers, typeRequete } from '../domain/requetes.js';
import { journaliser } from '../db/journal.js';
import * as db from '../db/mes-donnees.js';
import { versTiers } from '../db/requetes.js';

export const VERSION_EXPORT = 1;

/** How long a kind of data is kept, and until when for this citizen (null: not yet known). */
export interface Conservation {
  /** The rule in plain French ("Pendant toute la procédure, puis 1 an après la clôture du dossier"). */
  regle: string;
  /** The instant the data will be deleted, when it is already fixed. */
  jusquAu: string | null;
}

export interface ExportDossier {
  /** Is the case shown in the space now (attached, and not hidden by the visibility rules)? */
  consultable: boolean;
  /**
   * Why not. A case hidden by the rules (not followed online, access cut by the court, party
   * withdrawn, retention over) gives only the fields up to `detacheLe`: its content is no longer
   * the citizen's to read. A detached case gives everything.
   */
  motifNonConsultable: string | null;
  juridiction: { code: string; nom: string };
  numeroDossier: string;
  rattacheLe: string;
  detacheLe: string | null;
  nature?: string;
  etat?: string;
  dateSaisine?: string;
  dateCloture?: string | null;
  /** As whom the citizen follows the case: the party's role and name, and whether as its representative. */
  qualite?: { role: string; partie: string; enTantQueRepresentant: boolean };
  /** Update alerts by e-mail for this case (the account's global switch also applies). */
  alertesActives?: boolean;
  documentsConsultes?: { titre: string; type: string; premiereConsultationLe: string }[];
  conservation?: Conservation;
}

export interface ExportRequete {
  reference: string | null;
  type: string;
  libelleType: string;
  juridiction: { code: string; nom: string | null };
  statut: string;
  libelleStatut: string;
  /** Still changeable by the citizen (decree art. 5: until transmission). */
  modifiable: boolean;
  commenceeLe: string;
  modifieeLe: string;
  envoyeeLe: string | null;
  enregistreeLe: string | null;
  numeroDossier: string | null;
  supprimeeLe: string | null;
  motifSuppression: string | null;
  /** The requête's fields as the citizen filled them in (empty once purged). */
  donnees: Record<string, unknown>;
  tiers: { nom: string; type: string }[];
  pieces: { nom: string; typeMime: string; taille: number; sha256: string; ajouteeLe: string }[];
  conservation: Conservation;
}

export interface ExportDonnees {
  version: number;
  genereLe: string;
  responsableDuTraitement: string;
  traitement: string;
  identite: {
    source: 'FranceConnect';
    fournisseur: string;
    identifiantFranceConnect: string;
    prenoms: string | null;
    nomDeNaissance: string | null;
    nomDUsage: string | null;
    dateDeNaissance: string | null;
    sexe: string | null;
    lieuDeNaissance: string | null;
    paysDeNaissance: string | null;
    courriel: string | null;
    compteCreeLe: string;
    derniereConnexionLe: string | null;
  };
  cgu: { version: string; accepteesLe: string }[];
  dossiers: ExportDossier[];
  alertes: {
    /** The global switch of update alerts by e-mail. */
    courrielsActives: boolean;
    parDossier: { numeroDossier: string; juridiction: string; actives: boolean }[];
    /** Hearing reminders by SMS cannot be turned off (seed 000). */
    rappelsSmsDesactivables: false;
  };
  notifications: {
    creeLe: string;
    envoyeLe: string | null;
    canal: 'courriel' | 'sms';
    libelleCanal: string;
    type: string;
    libelle: string;
    statut: string;
    libelleStatut: string;
    destinataire: string;
    numeroDossier: string | null;
    referenceRequete: string | null;
  }[];
  requetes: ExportRequete[];
  consultationsParLesAgents: {
    le: string;
    action: string;
    libelle: string;
    fonction: string;
    juridiction: string | null;
    objet: 'dossier' | 'requete';
    numeroDossier: string | null;
    referenceRequete: string | null;
  }[];
  coordonneesConnuesDesJuridictions: {
    numeroDossier: string;
    /** The court holding them, with its registry's public contact details: the way to have them corrected. */
    juridiction: { code: string; nom: string; telephone: string | null; courriel: string | null };
    /** Whose coordinates: the party's own, or those of the representative the consent names. */
    titulaire: 'partie' | 'representant';
    courriel: string | null;
    telephone: string | null;
  }[];
  codesSms: { demandeLe: string; telephone: string; etat: string }[];
  calendrier: { abonnementActif: boolean; actifDepuis: string | null; abonnementsRevoques: number };
  sessionsActives: number;
  demandesDeContact: { reference: string; objet: string; envoyeeLe: string; closeLe: string | null }[];
  /** Retention rules as configured (ISO 8601 durations), for the record. */
  durees: { dossier: string; brouillon: string; requeteEnvoyee: string };
}

const iso = (d: Date) => d.toISOString();
const isoOuNull = (d: Date | null) => (d ? d.toISOString() : null);
const jour = formaterDate;

const MOTIFS_PURGE: Record<string, string> = {
  brouillon_expire: 'délai sans envoi dépassé',
  supprimee_par_le_demandeur: 'supprimée à votre demande',
  conservation_expiree: 'durée de conservation écoulée',
};

export function conservationDossier(dateCloture: Date | null, retention: string): Conservation {
  const duree = dureeEnFrancais(retention);
  if (!dateCloture) return { regle: `Pendant toute la procédure, puis ${duree} après la clôture du dossier`, jusquAu: null };
  return { regle: `${duree} après la clôture du dossier (clôturé le ${jour(dateCloture)})`, jusquAu: iso(ajouterDuree(dateCloture, retention)) };
}

function conservationRequete(r: db.RequeteComplete['requete'], config: Pick<Config, 'DRAFT_TTL' | 'REQUETE_RETENTION'>): Conservation {
  const cinq = dureeEnFrancais(config.REQUETE_RETENTION);
  if (r.statut === 'supprimee') return { regle: `Contenu supprimé${r.purged_at ? ` le ${jour(r.purged_at)}` : ''} ; il ne reste que la trace de la requête (type, juridiction, dates).`, jusquAu: null };
  if (estModifiable(r.statut)) {
    return { regle: `Brouillon : ${dureeEnFrancais(config.DRAFT_TTL)} à compter du premier jour de sa rédaction, s’il n’est pas envoyé`, jusquAu: isoOuNull(r.expire_le) };
  }
  if (r.dossier_cloture_at) return { regle: `${cinq} après la clôture du dossier (clôturé le ${jour(r.dossier_cloture_at)})`, jusquAu: iso(ajouterDuree(r.dossier_cloture_at, config.REQUETE_RETENTION)) };
  return { regle: `Pendant toute la procédure, puis ${cinq} après la clôture du dossier`, jusquAu: null };
}

function etatCode(c: db.CodeDemande, maintenant: Date): string {
  if (c.used_at) return 'Utilisé';
  if (c.invalidated_at) return 'Désactivé';
  if (c.expires_at <= maintenant) return 'Expiré';
  return 'En cours de validité';
}

/** The export object of the raw rows (pure: the clock and the configuration are passed in). */
export function construireExport(d: db.DonneesDuCompte, config: Pick<Config, 'CASE_RETENTION' | 'DRAFT_TTL' | 'REQUETE_RETENTION'>, maintenant: Date): ExportDonnees {
  const i = d.identite;
  const liensVisibles = new Map(d.liens.filter((l) => l.visible).map((l) => [l.id, l]));
  // A case is named (number) in messages and agent reads only through a link the citizen may see.
  const numeros = new Map<string, string>();
  for (const l of d.liens) if (l.visible) numeros.set(l.dossier_id, l.numero_dossier);
  const references = new Map(d.requetes.map((r) => [r.requete.id, r.requete.reference]));

  const dossiers: ExportDossier[] = d.liens.map((l) => {
    const base = {
      consultable: l.visible && !l.detached_at,
      motifNonConsultable: !l.visible ? `Dossier masqué : ${MOTIFS_MASQUE[l.masque ?? ''] ?? 'il n’est plus consultable en ligne'}.` : l.detached_at ? 'Dossier détaché de votre espace.' : null,
      juridiction: { code: l.juridiction, nom: l.juridiction_nom },
      numeroDossier: l.numero_dossier,
      rattacheLe: iso(l.created_at),
      detacheLe: isoOuNull(l.detached_at),
    };
    if (!l.visible) return base;
    const representant = !!l.representant_nom;
    return {
      ...base,
      nature: l.nature,
      etat: l.etat,
      dateSaisine: l.date_saisine,
      dateCloture: isoOuNull(l.date_cloture),
      qualite: { role: l.role, partie: nomPartie({ ...l, type: l.partie_type }), enTantQueRepresentant: representant },
      alertesActives: l.alertes_actives,
      documentsConsultes: d.documentsConsultes
        .filter((c) => c.rattachement_id === l.id)
        .map((c) => ({ titre: c.titre, type: c.type, premiereConsultationLe: iso(c.consulte_le) })),
      conservation: conservationDossier(l.date_cloture, config.CASE_RETENTION),
    };
  });

  // One alert switch per case, on when one of its live links is on (web/citoyen/parametres.ts).
  const parDossier = new Map<string, { numeroDossier: string; juridiction: string; actives: boolean }>();
  for (const l of d.liens) {
    if (!l.visible || l.detached_at) continue;
    const e = parDossier.get(l.dossier_id);
    parDossier.set(l.dossier_id, { numeroDossier: l.numero_dossier, juridiction: l.juridiction_nom, actives: (e?.actives ?? false) || l.alertes_actives });
  }

  // The coordinates the court uses for each live, visible link; one row per case and holder.
  const coordonnees: ExportDonnees['coordonneesConnuesDesJuridictions'] = [];
  const vues = new Set<string>();
  for (const l of liensVisibles.values()) {
    if (l.detached_at) continue;
    const titulaire = l.representant_nom ? 'representant' as const : 'partie' as const;
    const courriel = l.courriel_connu ? masquerCourriel(l.courriel_connu) : null;
    const telephone = l.telephone_connu ? masquerTelephone(l.telephone_connu) : null;
    const cle = `${l.dossier_id}|${titulaire}|${courriel}|${telephone}`;
    if (vues.has(cle)) continue;
    vues.add(cle);
    coordonnees.push({
      numeroDossier: l.numero_dossier,
      juridiction: { code: l.juridiction, nom: l.juridiction_nom, telephone: l.juridiction_telephone, courriel: l.juridiction_courriel },
      titulaire, courriel, telephone,
    });
  }

  const actif = d.abonnements.find((a) => !a.revoked_at) ?? null;
  return {
    version: VERSION_EXPORT,
    genereLe: iso(maintenant),
    responsableDuTraitement: 'Ministère de la Justice (direction des services judiciaires), 13 place Vendôme, 75001 Paris',
    traitement: 'Portail du justiciable — arrêté créant le traitement automatisé de données à caractère personnel « Portail du justiciable »',
    identite: {
      source: 'FranceConnect',
      fournisseur: i.fc_iss,
      identifiantFranceConnect: i.fc_sub,
      prenoms: i.given_name,
      nomDeNaissance: i.family_name,
      nomDUsage: i.preferred_name,
      dateDeNaissance: i.birthdate,
      sexe: i.gender,
      lieuDeNaissance: i.birthplace,
      paysDeNaissance: i.birthcountry,
      courriel: i.email,
      compteCreeLe: iso(i.created_at),
      derniereConnexionLe: isoOuNull(i.last_login_at),
    },
    cgu: d.cgu.map((c) => ({ version: c.version, accepteesLe: iso(c.accepted_at) })),
    dossiers,
    alertes: { courrielsActives: i.alertes_actives, parDossier: [...parDossier.values()], rappelsSmsDesactivables: false },
    notifications: d.notifications.map((n) => ({
      creeLe: iso(n.created_at),
      envoyeLe: isoOuNull(n.sent_at),
      canal: n.canal,
      libelleCanal: LIBELLES_CANAUX[n.canal] ?? n.canal,
      type: n.type,
      libelle: libelleNotification(n.type),
      statut: n.statut,
      libelleStatut: LIBELLES_STATUTS_ENVOI[n.statut] ?? n.statut,
      destinataire: n.canal === 'sms' ? masquerTelephone(n.destinataire) : masquerCourriel(n.destinataire),
      numeroDossier: n.dossier_id ? numeros.get(n.dossier_id) ?? null : null,
      referenceRequete: n.requete_id ? references.get(n.requete_id) ?? null : null,
    })),
    requetes: d.requetes.map(({ requete: r, tiers, pieces }) => ({
      reference: r.reference,
      type: r.type,
      libelleType: typeRequete(r.type)?.libelle ?? r.type,
      juridiction: { code: r.juridiction, nom: r.juridiction_nom },
      statut: r.statut,
      libelleStatut: LIBELLES_STATUTS[r.statut],
      modifiable: estModifiable(r.statut) && r.envoi_demande_at === null,
      commenceeLe: iso(r.created_at),
      modifieeLe: iso(r.updated_at),
      envoyeeLe: isoOuNull(r.sent_at),
      enregistreeLe: isoOuNull(r.registered_at),
      numeroDossier: r.numero_dossier,
      supprimeeLe: isoOuNull(r.purged_at),
      motifSuppression: r.purge_motif ? MOTIFS_PURGE[r.purge_motif] ?? r.purge_motif : null,
      donnees: r.donnees,
      tiers: tiers.map((t) => ({ nom: nomTiers(versTiers(t)), type: t.type })),
      pieces: pieces.map((p) => ({ nom: p.nom, typeMime: p.type_mime, taille: p.taille, sha256: p.sha256, ajouteeLe: iso(p.created_at) })),
      conservation: conservationRequete(r, config),
    })),
    consultationsParLesAgents: d.consultationsAgents.map((c) => ({
      le: iso(c.at),
      action: c.action,
      libelle: LIBELLES_CONSULTATIONS[c.action] ?? 'Consultation',
      fonction: (LIBELLES_ROLES as Record<string, string>)[c.role ?? ''] ?? 'Agent de la justice',
      juridiction: c.juridiction_nom ?? c.juridiction,
      objet: c.objet_type,
      numeroDossier: c.objet_type === 'dossier' ? numeros.get(c.objet_id) ?? null : null,
      referenceRequete: c.objet_type === 'requete' ? references.get(c.objet_id) ?? null : null,
    })),
    coordonneesConnuesDesJuridictions: coordonnees,
    codesSms: d.codes.map((c) => ({ demandeLe: iso(c.created_at), telephone: masquerTelephone(c.telephone), etat: etatCode(c, maintenant) })),
    calendrier: { abonnementActif: !!actif, actifDepuis: actif ? iso(actif.created_at) : null, abonnementsRevoques: d.abonnements.filter((a) => a.revoked_at).length },
    sessionsActives: d.sessionsActives,
    demandesDeContact: d.contacts.map((c) => ({ reference: c.reference, objet: c.objet, envoyeeLe: iso(c.created_at), closeLe: isoOuNull(c.closed_at) })),
    durees: { dossier: config.CASE_RETENTION, brouillon: config.DRAFT_TTL, requeteEnvoyee: config.REQUETE_RETENTION },
  };
}

export interface ContexteMesDonnees {
  pool: DatabasePool;
  config: Config;
  maintenant: () => Date;
}

/** Reads and builds the account's export. */
export async function exporter(ctx: ContexteMesDonnees, compteId: string): Promise<ExportDonnees> {
  const maintenant = ctx.maintenant();
  const brut = await ctx.pool.connect((c) => db.donneesDuCompte(c, compteId, maintenant, ctx.config.CASE_RETENTION));
  return construireExport(brut, ctx.config, maintenant);
}

/** The download (JSON or PDF) is an access to personal data: journaled like any other. */
export async function journaliserExport(ctx: ContexteMesDonnees, compteId: string, format: 'json' | 'pdf'): Promise<void> {
  await journaliser(ctx.pool, { acteurType: 'citoyen', acteurId: compteId, action: 'compte.exporter_donnees', objetType: 'compte', objetId: compteId, resultat: 'succes', details: { format, version: VERSION_EXPORT } });
}
