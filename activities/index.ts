// createActivities(deps): side effects, with their dependencies injected so tests run them on a
// real database and the local sinks. Workflows import only the *type* `Activites`.
import { ApplicationFailure } from '@temporalio/activity';
import type { DatabasePool } from 'slonik';
import * as notifications from '../db/notifications.js';
import type { Messagerie } from './envoi.js';

export interface DependancesActivites {
  pool: DatabasePool;
  messagerie: Messagerie;
}

/** A secret (identification number) is written between these markers and masked once sent. */
export const SECRET_DEBUT = '⟦';
export const SECRET_FIN = '⟧';
const masquerSecrets = (texte: string) => texte.replace(/⟦[^⟧]*⟧/g, '[masqué après envoi]');
const retirerMarqueurs = (texte: string) => texte.replace(/[⟦⟧]/g, '');

export function createActivities(deps: DependancesActivites) {
  return {
    /** Sends one outbox row; idempotent: an already-sent row is not sent again. */
    async envoyerNotification(id: string): Promise<void> {
      const n = await notifications.reserver(deps.pool, id);
      if (!n) {
        if (await notifications.existe(deps.pool, id)) return;
        throw ApplicationFailure.nonRetryable(`notification ${id} introuvable`, 'notification_introuvable');
      }
      try {
        const texte = retirerMarqueurs(n.corps);
        const fournisseurId =
          n.canal === 'courriel'
            ? await deps.messagerie.envoyerCourriel({ a: n.destinataire, sujet: n.sujet ?? 'Portail du justiciable', texte, cle: n.cle_idempotence })
            : await deps.messagerie.envoyerSms({ a: n.destinataire, texte });
        const archive = n.corps.includes(SECRET_DEBUT) ? masquerSecrets(n.corps) : undefined;
        await notifications.marquerEnvoyee(deps.pool, id, fournisseurId, archive);
      } catch (e) {
        await notifications.marquerEchec(deps.pool, id, e instanceof Error ? e.message : String(e), false);
        throw e;
      }
    },
  };
}

export type Activites = ReturnType<typeof createActivities>;
