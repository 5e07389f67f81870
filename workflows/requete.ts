// One workflow per online petition (`requete-<id>`), begun with the draft (decree 004 art. 4):
// - while it is a draft (or after a failed send), it warns the citizen before expiry and purges
//   it DRAFT_TTL after its first day, unless the citizen sends or deletes it first;
// - "envoyer" is an update: the requête is checked and locked in one activity, and the answer
//   (accepted, or the missing fields) comes back at once; transmission then runs with retries,
//   ending `envoyee` (acknowledgment e-mailed) or `echec` (reason kept, the citizen may resend:
//   same requête, same id at the court, so never twice);
// - once registered it waits for the linked case's closure, then REQUETE_RETENTION, then purges.
// Every instant comes computed by the sender (Europe/Paris calendar); the state is plain JSON.
import {
  ActivityFailure,
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activites } from '../activities/index.js';
import { StatutRequete } from '../domain/attributs.js';
import {
  clotureRequeteSignal,
  enregistrementRequeteSignal,
  envoyerRequeteUpdate,
  etatRequeteQuery,
  supprimerRequeteSignal,
  type EntreeRequete,
  type ResultatEnvoi,
  type StatutRequeteWorkflow,
} from './messages.js';

// Database work only: a lost worker is noticed after 30 s rather than a minute, which also bounds
// how long a citizen's "Envoyer" can wait when the worker dies under it.
const { verrouillerPourEnvoi, avertirExpiration, purgerRequete, constaterEchec, envoyerNotification } = proxyActivities<Activites>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes', nonRetryableErrorTypes: ['notification_introuvable', 'notification_refusee'] },
});

// A court that cannot take the requête for a while is retried for some minutes; past that the
// citizen is told (échec) rather than left waiting without news, and may send again.
const { transmettreRequete } = proxyActivities<Activites>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 6, nonRetryableErrorTypes: ['depot_refuse'] },
});

const RAISON_INDISPONIBLE = 'La juridiction n’a pas pu recevoir votre requête pour le moment (service indisponible). Vous pouvez la renvoyer.';

async function envoyerSansEchouer(ids: readonly string[]): Promise<void> {
  for (const id of ids) {
    try {
      await envoyerNotification(id);
    } catch (e) {
      // A refused address is recorded on the row; it must not end the requête's lifecycle.
      if (!(e instanceof ActivityFailure)) throw e;
    }
  }
}

export async function requete(entree: EntreeRequete): Promise<void> {
  const id = entree.requeteId;
  let statut: StatutRequeteWorkflow = entree.statut ?? 'brouillon';
  let avertis = entree.avertis ?? 0;
  let purgeLe = entree.purgeLe ?? null;
  let envois = entree.envois ?? 0;
  let transmission = false;
  let supprimee = false;
  const aEnvoyer: string[] = [];

  // Upserted only when the run was started with it (services/workflows.ts always does): a
  // server without the attribute registered (the time-skipping test server) would fail the task.
  const avecAttribut = workflowInfo().typedSearchAttributes.get(StatutRequete) !== undefined;
  const changerStatut = (s: StatutRequeteWorkflow) => {
    if (s === statut) return;
    statut = s;
    if (avecAttribut) upsertSearchAttributes([{ key: StatutRequete, value: s }]);
  };

  setHandler(etatRequeteQuery, () => ({ statut, transmission, avertis, purgeLe, envois }));
  setHandler(
    envoyerRequeteUpdate,
    async (): Promise<ResultatEnvoi> => {
      if (transmission) return { acceptee: true, erreurs: [] };
      const erreurs = await verrouillerPourEnvoi(id);
      // Checked again after the activity: a deletion or the expiry may have happened meanwhile.
      if (erreurs.length === 0 && (statut === 'brouillon' || statut === 'echec') && !supprimee) transmission = true;
      if (erreurs.length === 0 && !transmission) return { acceptee: false, erreurs: [{ champ: 'requete', message: 'Ce brouillon vient d’être supprimé : il ne peut plus être envoyé.' }] };
      return { acceptee: erreurs.length === 0, erreurs };
    },
    {
      validator: () => {
        if (statut !== 'brouillon' && statut !== 'echec') throw ApplicationFailure.nonRetryable('Cette requête a déjà été transmise à la juridiction.', 'deja_envoyee');
        if (supprimee) throw ApplicationFailure.nonRetryable('Cette requête a été supprimée.', 'supprimee');
      },
    },
  );
  setHandler(supprimerRequeteSignal, () => {
    if (!transmission && (statut === 'brouillon' || statut === 'echec')) supprimee = true;
  });
  setHandler(enregistrementRequeteSignal, (m) => {
    aEnvoyer.push(...m.notifications);
    changerStatut('enregistree');
  });
  setHandler(clotureRequeteSignal, (m) => {
    purgeLe = m.purgeLe;
  });

  const terminer = async (motif: 'brouillon_expire' | 'supprimee_par_le_demandeur' | 'conservation_expiree') => {
    await purgerRequete(id, motif);
    changerStatut('supprimee');
    await condition(allHandlersFinished);
  };

  // The draft (and a failed send, which is not transmitted either): expiry clock running.
  while (statut === 'brouillon' || statut === 'echec') {
    if (transmission) {
      envois++;
      try {
        await envoyerSansEchouer(await transmettreRequete(id));
        changerStatut('envoyee');
      } catch (e) {
        if (!(e instanceof ActivityFailure)) throw e;
        const refus = e.cause instanceof ApplicationFailure && e.cause.type === 'depot_refuse' ? e.cause.message : RAISON_INDISPONIBLE;
        await envoyerSansEchouer(await constaterEchec(id, refus, envois));
        changerStatut('echec');
      }
      transmission = false;
      continue;
    }
    if (supprimee) return terminer('supprimee_par_le_demandeur');
    const maintenant = Date.now();
    const expire = Date.parse(entree.expireLe);
    if (maintenant >= expire) return terminer('brouillon_expire');
    const avertissement = entree.avertissements[avertis];
    if (avertissement !== undefined && maintenant >= Date.parse(avertissement)) {
      // Past warnings (a draft begun late in its own first day, a worker down for days) are not
      // sent late in a burst: only the last one due is.
      const dus = entree.avertissements.filter((a) => Date.parse(a) <= maintenant).length;
      await envoyerSansEchouer(await avertirExpiration(id, dus, entree.avertissements[dus - 1]!));
      avertis = dus;
      continue;
    }
    const prochain = avertissement !== undefined ? Math.min(Date.parse(avertissement), expire) : expire;
    await condition(() => transmission || supprimee || workflowInfo().continueAsNewSuggested, prochain - maintenant);
    if (workflowInfo().continueAsNewSuggested && !transmission && !supprimee) {
      await condition(allHandlersFinished);
      return continueAsNew<typeof requete>({ ...entree, statut, avertis, purgeLe, envois });
    }
  }

  // Sent: waiting for the court to register it (no clock: the procedure runs its course).
  await condition(() => statut !== 'envoyee');

  // Registered: the outbox rows of the registration, then the retention after the case closes.
  for (;;) {
    while (aEnvoyer.length > 0) {
      await envoyerSansEchouer([aEnvoyer[0]!]);
      aEnvoyer.shift();
    }
    const echeance = purgeLe;
    if (echeance !== null && Date.parse(echeance) <= Date.now()) return terminer('conservation_expiree');
    const fini = () => aEnvoyer.length > 0 || purgeLe !== echeance || workflowInfo().continueAsNewSuggested;
    if (echeance === null) await condition(fini);
    else await condition(fini, Date.parse(echeance) - Date.now());
    if (workflowInfo().continueAsNewSuggested && aEnvoyer.length === 0) {
      await condition(allHandlersFinished);
      return continueAsNew<typeof requete>({ ...entree, statut, avertis, purgeLe, envois });
    }
  }
}
