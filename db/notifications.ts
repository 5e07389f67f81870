// The notifications outbox: every e-mail and SMS is a row with an idempotency key, written in
// the same transaction as the change that causes it, and sent by an activity that claims it.
import { sql, type CommonQueryMethods } from 'slonik';
import { z } from 'zod';

export const Notification = z.object({
  id: z.string().uuid(),
  cle_idempotence: z.string(),
  canal: z.enum(['courriel', 'sms']),
  destinataire: z.string(),
  type: z.string(),
  sujet: z.string().nullable(),
  corps: z.string(),
  statut: z.enum(['en_attente', 'envoye', 'echec_temporaire', 'echec_definitif']),
  tentatives: z.number().int(),
  fournisseur_id: z.string().nullable(),
  sent_at: z.date().nullable(),
  dossier_id: z.string().uuid().nullable(),
});
export type Notification = z.infer<typeof Notification>;

export interface NouvelleNotification {
  cle: string;
  canal: 'courriel' | 'sms';
  destinataire: string;
  type: string;
  sujet?: string | null;
  corps: string;
  compteId?: string | null;
  dossierId?: string | null;
  requeteId?: string | null;
}

/** Queues a notification; a second call with the same key returns the first row's id. */
export async function mettreEnFile(c: CommonQueryMethods, n: NouvelleNotification): Promise<string> {
  return c.oneFirst(sql.type(z.object({ id: z.string() }))`
    INSERT INTO notification (cle_idempotence, canal, destinataire, type, sujet, corps, compte_id, dossier_id, requete_id)
    VALUES (${n.cle}, ${n.canal}, ${n.destinataire}, ${n.type}, ${n.sujet ?? null}, ${n.corps}, ${n.compteId ?? null}, ${n.dossierId ?? null}, ${n.requeteId ?? null})
    ON CONFLICT (cle_idempotence) DO UPDATE SET cle_idempotence = EXCLUDED.cle_idempotence
    RETURNING id`);
}

/**
 * Takes a row for sending and counts the attempt; null when it was already sent or definitively
 * failed: a retried activity sends nothing twice. Called inside the transaction that will mark
 * it sent, the row stays locked while it is handed to the provider: an attempt the server gave
 * up on but that is still running (a slow SMTP server) and its retry cannot both send it.
 */
export async function reserver(c: CommonQueryMethods, id: string): Promise<Notification | null> {
  return c.maybeOne(sql.type(Notification)`
    UPDATE notification SET tentatives = tentatives + 1
    WHERE id = ${id} AND statut IN ('en_attente', 'echec_temporaire')
    RETURNING id, cle_idempotence, canal, destinataire, type, sujet, corps, statut, tentatives, fournisseur_id, sent_at, dossier_id`);
}

export async function trouverParCle(c: CommonQueryMethods, cle: string): Promise<string | null> {
  return c.maybeOneFirst(sql.type(z.object({ id: z.string() }))`SELECT id FROM notification WHERE cle_idempotence = ${cle}`);
}

export async function existe(c: CommonQueryMethods, id: string): Promise<boolean> {
  return c.exists(sql.unsafe`SELECT 1 FROM notification WHERE id = ${id}`);
}

/**
 * Marks a row sent. `corpsArchive` replaces the body when the body carried a secret (an
 * identification number is sent once, then only its hash remains).
 */
export async function marquerEnvoyee(c: CommonQueryMethods, id: string, fournisseurId: string, corpsArchive?: string): Promise<void> {
  await c.query(sql.unsafe`
    UPDATE notification SET statut = 'envoye', sent_at = now(), fournisseur_id = ${fournisseurId},
      corps = COALESCE(${corpsArchive ?? null}, corps), derniere_erreur = NULL
    WHERE id = ${id}`);
}

export async function marquerEchec(c: CommonQueryMethods, id: string, erreur: string, definitif: boolean): Promise<void> {
  await c.query(sql.unsafe`
    UPDATE notification SET statut = ${definitif ? 'echec_definitif' : 'echec_temporaire'}, derniere_erreur = ${erreur.slice(0, 1000)}
    WHERE id = ${id}`);
}

/**
 * Gives up on a row that was not sent in time or is no longer due (an SMS code after its
 * validity, a reminder whose hearing was cancelled, moved or began during quiet hours): marked
 * definitively failed, and any secret between ⟦ ⟧ masked, so the outbox keeps no usable code.
 * A row already sent is left as it is.
 */
export async function abandonner(c: CommonQueryMethods, id: string, raison: string): Promise<void> {
  // The reason first: it is why the row stops; a provider's earlier error follows it.
  await c.query(sql.unsafe`
    UPDATE notification SET statut = 'echec_definitif',
      derniere_erreur = left(${raison} || coalesce(' ; erreur précédente : ' || derniere_erreur, ''), 1000),
      corps = regexp_replace(corps, '⟦[^⟧]*⟧', '[masqué, non envoyé]', 'g')
    WHERE id = ${id} AND statut <> 'envoye'`);
}

/**
 * The outbox backlog for /metrics: rows not sent, by status and channel. Sent rows are left out
 * (they are the bulk of the table); the partial index of migration 0010 keeps this an index scan.
 */
export async function compterEnSouffrance(c: CommonQueryMethods): Promise<readonly { statut: string; canal: string; n: number }[]> {
  return c.any(sql.type(z.object({ statut: z.string(), canal: z.string(), n: z.number().int() }))`
    SELECT statut, canal, count(*)::int AS n FROM notification WHERE statut <> 'envoye' GROUP BY statut, canal`);
}
