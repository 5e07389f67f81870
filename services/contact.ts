// A support request (/contact): checked against the rate limit, stored with its reference and its
// two e-mails (support inbox, acknowledgment to the sender) in one transaction, then handed to a
// short workflow that sends them. The words are domain/contact.ts; the page is web/pages/contact.ts.
import type { Client } from '@temporalio/client';
import type { DatabasePool } from 'slonik';
import * as contacts from '../db/contact.js';
import * as notifications from '../db/notifications.js';
import type { Config } from '../domain/config.js';
import {
  controlerContact,
  courrielAccuseContact,
  courrielSupport,
  genererReferenceContact,
  LIMITES_CONTACT,
  type FormulaireContact,
  type RefusContact,
} from '../domain/contact.js';
import { envoyerNotificationsContact } from './workflows.js';

export interface ContexteContact {
  pool: DatabasePool;
  temporal: Client;
  config: Config;
  maintenant: () => Date;
  /** Told when the e-mails could not be handed to Temporal (the request itself is stored). */
  signaler?: (e: unknown, contactId: string) => void;
}

export type ResultatContact = { accepte: true; reference: string; contactId: string } | { accepte: false; refus: RefusContact };

export async function envoyerContact(
  ctx: ContexteContact,
  o: { formulaire: FormulaireContact; compte: { id: string; nom: string } | null; sessionId: string },
): Promise<ResultatContact> {
  const recuLe = ctx.maintenant();
  const f = o.formulaire;
  const plusLongue = Math.max(...LIMITES_CONTACT.map((l) => l.fenetreMs));
  const r = await ctx.pool.transaction(async (t): Promise<ResultatContact & { notifications?: string[] }> => {
    await contacts.verrouillerEnvois(t, [`session:${o.sessionId}`, `courriel:${f.courriel.toLowerCase()}`]);
    const envois = await contacts.envoisRecents(t, { sessionId: o.sessionId, courriel: f.courriel, depuis: new Date(recuLe.getTime() - plusLongue) });
    const refus = controlerContact(envois, recuLe);
    if (refus) return { accepte: false, refus };
    const reference = genererReferenceContact(recuLe);
    const c = await contacts.enregistrerContact(t, {
      reference, compteId: o.compte?.id ?? null, courriel: f.courriel, nom: f.nom, categorie: f.categorie, objet: f.objet, message: f.message, sessionId: o.sessionId, recuLe,
    });
    const enregistre = { ...f, reference, recuLe, compte: o.compte };
    const support = courrielSupport(enregistre, `${ctx.config.PUBLIC_URL}/agent/contacts/${c.id}`);
    const accuse = courrielAccuseContact(enregistre, `${ctx.config.PUBLIC_URL}/aide`);
    const ids = [
      await notifications.mettreEnFile(t, { cle: `contact:${c.id}:support`, canal: 'courriel', destinataire: ctx.config.SUPPORT_EMAIL, type: 'contact_support', sujet: support.sujet, corps: support.corps }),
      await notifications.mettreEnFile(t, { cle: `contact:${c.id}:accuse`, canal: 'courriel', destinataire: f.courriel, type: 'contact_accuse', sujet: accuse.sujet, corps: accuse.corps, compteId: o.compte?.id ?? null }),
    ];
    return { accepte: true, reference, contactId: c.id, notifications: ids };
  });
  if (!r.accepte) return r;
  try {
    await envoyerNotificationsContact(ctx.temporal, ctx.config, r.contactId, r.notifications!);
  } catch (e) {
    // The request is stored and listed in the support inbox whatever happens to the e-mails:
    // the citizen gets their reference; the operator is told through the log.
    ctx.signaler?.(e, r.contactId);
  }
  return { accepte: true, reference: r.reference, contactId: r.contactId };
}
