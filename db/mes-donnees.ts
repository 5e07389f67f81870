// Everything the portal holds about ONE account, for "Mes données" (issue 9, decree art. 5: the
// right of access "s'exerce directement dans son espace personnel sécurisé"). Every query is
// keyed by the account id, directly or through the account's own links and requêtes: nothing
// here can reach another citizen's rows. The rows come back raw; domain/mes-donnees.ts masks
// the coordinates and computes the retention dates, web/citoyen/mes-donnees.ts shows them.
//
// Tables holding a compte_id (migrations 0001-0008): compte, acceptation_cgu, code_sms,
// rattachement, requete, notification, abonnement_calendrier, contact; session holds it inside
// its jsonb. Secrets are never selected: identification numbers, SMS codes and calendar tokens
// exist only as keyed hashes, and neither the hashes nor the notification bodies are read here.
import { z } from 'zod';
import { sql, type Connexion, instant } from './pool.js';
import { Compte } from './comptes.js';
import { Dossier, IdentitePartie, Partie } from './dossiers.js';
import { coupureRetention, visible } from './rattachements.js';
import { piecesDeLaRequete, requetesDuCompte, tiersDeLaRequete, type LigneTiers, type Piece, type Requete } from './requetes.js';

// The account as FranceConnect gave it: the account row's own schema, without its internal id.
export const IdentiteCompte = Compte.omit({ id: true });
export type IdentiteCompte = z.infer<typeof IdentiteCompte>;

export const AcceptationCgu = z.object({ version: z.string(), accepted_at: z.date() });
export type AcceptationCgu = z.infer<typeof AcceptationCgu>;

/**
 * One of the account's links, attached or detached. `visible` is db/rattachements.ts's rule
 * (followed online, party listed and not cut off, not past retention): when false the pages
 * show only that the link exists, not the case's content. The coordinates are those the court
 * uses for this link: the representative's when the consent names one, else the party's.
 */
export const LienDuCompte = Dossier.pick({ numero_dossier: true, nature: true, etat: true, date_saisine: true, date_cloture: true, juridiction: true })
  .merge(IdentitePartie.omit({ type: true }))
  .extend({
    id: z.string().uuid(),
    created_at: z.date(),
    detached_at: z.date().nullable(),
    alertes_actives: z.boolean(),
    visible: z.boolean(),
    /** Why a link is hidden, in the order the rule checks it. */
    masque: z.enum(['suivi_hors_ligne', 'partie_retiree', 'acces_retire', 'conservation_ecoulee']).nullable(),
    dossier_id: z.string().uuid(),
    juridiction_nom: z.string(),
    juridiction_telephone: z.string().nullable(),
    juridiction_courriel: z.string().nullable(),
    partie_type: Partie.shape.type,
    representant_civilite: z.string().nullable(),
    representant_nom: z.string().nullable(),
    representant_prenoms: z.string().nullable(),
    courriel_connu: z.string().nullable(),
    telephone_connu: z.string().nullable(),
  });
export type LienDuCompte = z.infer<typeof LienDuCompte>;

export const DocumentConsulte = z.object({ rattachement_id: z.string().uuid(), titre: z.string(), type: z.string(), consulte_le: z.date() });
export type DocumentConsulte = z.infer<typeof DocumentConsulte>;

/** An e-mail or SMS: metadata only, never its body nor its subject (they may name the case). */
export const EnvoiNotification = z.object({
  created_at: z.date(),
  sent_at: z.date().nullable(),
  canal: z.enum(['courriel', 'sms']),
  type: z.string(),
  statut: z.enum(['en_attente', 'envoye', 'echec_temporaire', 'echec_definitif']),
  destinataire: z.string(),
  dossier_id: z.string().uuid().nullable(),
  requete_id: z.string().uuid().nullable(),
});
export type EnvoiNotification = z.infer<typeof EnvoiNotification>;

export const ConsultationAgent = z.object({
  at: z.date(),
  action: z.string(),
  role: z.string().nullable(),
  juridiction: z.string().nullable(),
  juridiction_nom: z.string().nullable(),
  objet_type: z.enum(['dossier', 'requete']),
  objet_id: z.string(),
});
export type ConsultationAgent = z.infer<typeof ConsultationAgent>;

export const CodeDemande = z.object({
  created_at: z.date(),
  telephone: z.string(),
  expires_at: z.date(),
  used_at: z.date().nullable(),
  invalidated_at: z.date().nullable(),
  attempts: z.number().int(),
});
export type CodeDemande = z.infer<typeof CodeDemande>;

export const Abonnement = z.object({ created_at: z.date(), revoked_at: z.date().nullable() });
export type Abonnement = z.infer<typeof Abonnement>;

export const DemandeContact = z.object({ reference: z.string(), objet: z.string(), created_at: z.date(), closed_at: z.date().nullable() });
export type DemandeContact = z.infer<typeof DemandeContact>;

export interface RequeteComplete {
  requete: Requete;
  tiers: readonly LigneTiers[];
  pieces: readonly Piece[];
}

export interface DonneesDuCompte {
  identite: IdentiteCompte;
  cgu: readonly AcceptationCgu[];
  liens: readonly LienDuCompte[];
  documentsConsultes: readonly DocumentConsulte[];
  notifications: readonly EnvoiNotification[];
  requetes: readonly RequeteComplete[];
  consultationsAgents: readonly ConsultationAgent[];
  codes: readonly CodeDemande[];
  abonnements: readonly Abonnement[];
  contacts: readonly DemandeContact[];
  sessionsActives: number;
}

/** Agent actions that read a citizen's case or requête (web/agent/*, journaled there). */
export const ACTIONS_CONSULTATION = ['dossier.consulter', 'document.consulter', 'requete.consulter', 'requete.piece.consulter'] as const;

/** Upper bound of rows per list: a page, a JSON file and a PDF of a sane size. */
const LIMITE = 1000;

async function liens(c: Connexion, compteId: string, coupure: Date): Promise<readonly LienDuCompte[]> {
  return c.any(sql.type(LienDuCompte)`
    SELECT r.id, r.created_at, r.detached_at, r.alertes_actives,
           ${visible(coupure)} AS visible,
           CASE WHEN NOT d.suivi_en_ligne THEN 'suivi_hors_ligne'
                WHEN p.retiree_at IS NOT NULL THEN 'partie_retiree'
                WHEN p.acces_retire_at IS NOT NULL THEN 'acces_retire'
                WHEN d.date_cloture IS NOT NULL AND d.date_cloture <= ${instant(coupure)} THEN 'conservation_ecoulee'
           END AS masque,
           d.id AS dossier_id, d.numero_dossier, d.nature, d.etat, d.date_saisine, d.date_cloture,
           d.juridiction, coalesce(j.nom, d.juridiction) AS juridiction_nom, j.telephone AS juridiction_telephone, j.courriel AS juridiction_courriel,
           p.role, p.type AS partie_type, p.civilite, p.nom, p.nom_usage, p.prenoms, p.raison_sociale, p.titre,
           co.representant_civilite, co.representant_nom, co.representant_prenoms,
           CASE WHEN co.representant_nom IS NOT NULL THEN co.representant_courriel ELSE p.courriel END AS courriel_connu,
           CASE WHEN co.representant_nom IS NOT NULL THEN co.representant_telephone ELSE p.telephone END AS telephone_connu
    FROM rattachement r
    JOIN dossier d ON d.id = r.dossier_id
    JOIN partie p ON p.id = r.partie_id
    LEFT JOIN juridiction j ON j.code = d.juridiction
    LEFT JOIN identifiant i ON i.id = r.identifiant_id
    LEFT JOIN consentement co ON co.id = i.consentement_id
    WHERE r.compte_id = ${compteId}
    ORDER BY r.created_at DESC, r.id
    LIMIT ${LIMITE}`);
}

/**
 * The account's e-mails and SMS: those queued for the account (alerts, SMS codes, requête
 * mails) and for its requêtes, plus those the court's consents and hearings sent to the very
 * address or phone the account's links go through (identification number, hearing reminders
 * and cancellations are queued per party, before or without an account).
 */
async function notifications(c: Connexion, compteId: string): Promise<readonly EnvoiNotification[]> {
  // Three indexed lookups (notification_compte, notification_requete, notification_dossier)
  // rather than one OR, which would scan the whole outbox of the country.
  return c.any(sql.type(EnvoiNotification)`
    SELECT n.created_at, n.sent_at, n.canal, n.type, n.statut, n.destinataire, n.dossier_id, n.requete_id
    FROM notification n
    WHERE n.id IN (
      SELECT id FROM notification WHERE compte_id = ${compteId}
      UNION
      SELECT id FROM notification WHERE requete_id IN (SELECT id FROM requete WHERE compte_id = ${compteId})
      UNION
      SELECT m.id FROM rattachement r
      JOIN partie p ON p.id = r.partie_id
      JOIN identifiant i ON i.id = r.identifiant_id
      JOIN consentement co ON co.id = i.consentement_id
      JOIN notification m ON m.dossier_id = r.dossier_id
      WHERE r.compte_id = ${compteId} AND m.compte_id IS NULL AND m.type IN ('identifiant', 'rappel', 'annulation')
        AND m.destinataire IN (p.courriel, p.telephone, co.representant_courriel, co.representant_telephone))
    ORDER BY n.created_at DESC, n.id
    LIMIT ${LIMITE}`);
}

/**
 * Agents' reads of the account's visible cases and of its requêtes, as the case page lists them
 * (db/agents.ts consultationsDuDossier): when, which role, which juridiction; the agent's id is
 * not even selected.
 */
async function consultationsAgents(c: Connexion, dossierIds: readonly string[], requeteIds: readonly string[]): Promise<readonly ConsultationAgent[]> {
  if (!dossierIds.length && !requeteIds.length) return [];
  return c.any(sql.type(ConsultationAgent)`
    SELECT j.at, j.action, j.role, coalesce(j.details->>'juridictionAgent', j.juridiction) AS juridiction, ju.nom AS juridiction_nom,
           j.objet_type, j.objet_id
    FROM journal j LEFT JOIN juridiction ju ON ju.code = coalesce(j.details->>'juridictionAgent', j.juridiction)
    WHERE j.acteur_type = 'agent' AND j.resultat = 'succes'
      AND j.action = ANY(${sql.array([...ACTIONS_CONSULTATION], 'text')})
      AND ((j.objet_type = 'dossier' AND j.objet_id = ANY(${sql.array([...dossierIds], 'text')}))
        OR (j.objet_type = 'requete' AND j.objet_id = ANY(${sql.array([...requeteIds], 'text')})))
    ORDER BY j.at DESC, j.id DESC
    LIMIT ${LIMITE}`);
}

/** Everything, read on one connection (about a dozen small indexed queries). */
export async function donneesDuCompte(c: Connexion, compteId: string, maintenant: Date, retentionDossier: string): Promise<DonneesDuCompte> {
  const identite = await c.one(sql.type(IdentiteCompte)`
    SELECT fc_iss, fc_sub, given_name, family_name, preferred_name, birthdate, gender, birthplace, birthcountry, email,
           alertes_actives, created_at, last_login_at
    FROM compte WHERE id = ${compteId}`);
  const cgu = await c.any(sql.type(AcceptationCgu)`
    SELECT version, accepted_at FROM acceptation_cgu WHERE compte_id = ${compteId} ORDER BY accepted_at, version`);
  const lesLiens = await liens(c, compteId, coupureRetention(maintenant, retentionDossier));
  const documentsConsultes = await c.any(sql.type(DocumentConsulte)`
    SELECT cd.rattachement_id, doc.titre, doc.type, cd.consulte_le
    FROM consultation_document cd
    JOIN rattachement r ON r.id = cd.rattachement_id
    JOIN document doc ON doc.id = cd.document_id
    WHERE r.compte_id = ${compteId}
    ORDER BY cd.consulte_le DESC
    LIMIT ${LIMITE}`);
  const requetes: RequeteComplete[] = [];
  for (const r of await requetesDuCompte(c, compteId)) {
    requetes.push({ requete: r, tiers: await tiersDeLaRequete(c, r.id), pieces: await piecesDeLaRequete(c, r.id) });
  }
  // Agents' reads of a case are shown for the cases the citizen may see now (as on the case page).
  const dossiersVisibles = [...new Set(lesLiens.filter((l) => l.visible && !l.detached_at).map((l) => l.dossier_id))];
  const consultations = await consultationsAgents(c, dossiersVisibles, requetes.map((r) => r.requete.id));
  const codes = await c.any(sql.type(CodeDemande)`
    SELECT created_at, telephone, expires_at, used_at, invalidated_at, attempts
    FROM code_sms WHERE compte_id = ${compteId} ORDER BY created_at DESC LIMIT ${LIMITE}`);
  const abonnements = await c.any(sql.type(Abonnement)`
    SELECT created_at, revoked_at FROM abonnement_calendrier WHERE compte_id = ${compteId} ORDER BY created_at DESC`);
  const contacts = await c.any(sql.type(DemandeContact)`
    SELECT reference, objet, created_at, closed_at FROM contact WHERE compte_id = ${compteId} ORDER BY created_at DESC LIMIT ${LIMITE}`);
  // No index on the jsonb key: the session table only holds live and recently expired rows.
  const sessionsActives = await c.oneFirst(sql.type(z.object({ n: z.number().int() }))`
    SELECT count(*)::int AS n FROM session WHERE donnees->>'compteId' = ${compteId} AND expires_at > now()`);
  return {
    identite, cgu, liens: lesLiens, documentsConsultes, notifications: await notifications(c, compteId), requetes,
    consultationsAgents: consultations, codes, abonnements, contacts, sessionsActives,
  };
}
