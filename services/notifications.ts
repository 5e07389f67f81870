// Operator's resend of a failed outbox row (`npm run admin -- notification renvoyer <id>`): the
// row goes back to en_attente and a short envoiNotifications workflow sends it, with the same
// retries and the same claim (db/notifications.ts reserver) as any send, so a resend racing a
// retry still sends once. For failures that are not the recipient's: relay or provider down
// longer than the retry window, a revoked Twilio token (401 counts as definitive), a
// misconfigured SMTP_URL.
import type { Client } from '@temporalio/client';
import { sql, type DatabasePool } from 'slonik';
import { z } from 'zod';
import { journaliser } from '../db/journal.js';
import type { Config } from '../domain/config.js';
import { ErreurPortail } from '../domain/erreurs.js';
import type { envoiNotifications } from '../workflows/envoi-notifications.js';

/** One resend per attempt count: running the command twice before it is tried starts nothing more. */
export const idWorkflowRenvoi = (notificationId: string, tentatives: number) => `notification-renvoi-${notificationId}-${tentatives}`;

const Ligne = z.object({ statut: z.string(), type: z.string(), canal: z.string(), tentatives: z.number().int(), masque: z.boolean() });

export async function renvoyerNotification(
  pool: DatabasePool,
  temporal: Client,
  config: Pick<Config, 'TEMPORAL_TASK_QUEUE'>,
  id: string,
): Promise<{ workflowId: string; canal: string; type: string }> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) throw new ErreurPortail('identifiant_invalide', `« ${id} » n’est pas un identifiant de notification (uuid).`, 400);
  return pool.transaction(async (t) => {
    const n = await t.maybeOne(sql.type(Ligne)`
      SELECT statut, type, canal, tentatives, corps LIKE '%[masqué%' AS masque FROM notification WHERE id = ${id} FOR UPDATE`);
    if (!n) throw new ErreurPortail('introuvable', `Aucune notification ${id}.`, 404);
    if (n.statut === 'envoye') throw new ErreurPortail('deja_envoyee', 'Cette notification a déjà été envoyée : rien à renvoyer.', 409);
    if (n.statut === 'en_attente') throw new ErreurPortail('en_attente', 'Cette notification est en attente : son workflow l’enverra (voir la file de tâches et le worker).', 409);
    // An SMS code is valid ten minutes and is masked once abandoned: the citizen asks for a new one.
    if (n.type === 'code_sms' || n.masque) throw new ErreurPortail('secret_perime', 'Le secret de ce message a expiré ou a été masqué : il ne peut pas être renvoyé (l’usager demande un nouveau code).', 409);
    await t.query(sql.unsafe`UPDATE notification SET statut = 'en_attente' WHERE id = ${id}`);
    await journaliser(t, { acteurType: 'systeme', action: 'notification.renvoyer', objetType: 'notification', objetId: id, resultat: 'succes', details: { statutPrecedent: n.statut, tentatives: n.tentatives } });
    // Started before the commit: if Temporal refuses, the row keeps its failed status and the
    // command can simply be run again; the activity's claim waits on this transaction's lock.
    const workflowId = idWorkflowRenvoi(id, n.tentatives);
    await temporal.workflow.start<typeof envoiNotifications>('envoiNotifications', {
      workflowId,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      args: [{ notificationIds: [id] }],
      workflowIdConflictPolicy: 'USE_EXISTING',
      staticSummary: 'Renvoi d’une notification (exploitation)',
    });
    return { workflowId, canal: n.canal, type: n.type };
  });
}
