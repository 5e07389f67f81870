// /agent/accueil: the reception desk (SAUJ) looks up ONE case by its number, in any juridiction,
// to inform the citizen standing at the desk (decree 004 art. 1 and 3). The purpose must be
// stated: without it nothing is shown and the refusal is journaled. The view is read-only and
// holds that case's data only (no contact details, no documents); the consultation is journaled
// in the transaction of its reads, with the purpose.
import type { RouterContext } from '@koa/router';
import type { DatabasePool } from 'slonik';
import { z } from 'zod';
import { jourParis, roleAccueil, type AgentConnecte } from '../../domain/agents.js';
import * as agents from '../../db/agents.js';
import * as dossiers from '../../db/dossiers.js';
import { journaliser } from '../../db/journal.js';
import { listerJuridictions } from '../../db/juridictions.js';
import { limiterRecherches, refusAction } from '../middleware/agent.js';
import { html } from '../vues/html.js';
import { resumeErreurs, type ErreurFormulaire } from '../vues/formulaire.js';
import { champ, erreurDe, erreursDeZod, selecteur, texteDe } from './champs.js';
import { filAriane, jetonCsrf, rendreAgent } from './vues.js';
import { CHAMPS_VUE_ACCUEIL, lireDossierAgent, vueDossierAgent } from './vue-dossier.js';

export const rechercheAccueil = z.object({
  numero: z.string().trim().min(1, 'Saisissez le numéro de dossier ou le numéro Portalis.').max(64, 'Numéro trop long (64 caractères au plus).'),
  juridiction: z.string().trim().max(32).transform((v) => v || null),
  finalite: z.string().trim().min(10, 'Indiquez la finalité de la consultation (10 caractères au moins), par exemple « Information du justiciable présent à l’accueil ».').max(300, 'La finalité tient en 300 caractères au plus.'),
});

const CHAMPS = { numero: 'accueil-numero', juridiction: 'accueil-juridiction', finalite: 'accueil-finalite' };

export function pagesAccueilSauj(deps: { pool: DatabasePool; maintenant: () => Date }) {
  const { pool } = deps;

  function role(ctx: RouterContext) {
    const agent = ctx.state.agent as AgentConnecte;
    return { agent, role: roleAccueil(agent, jourParis(deps.maintenant())) };
  }

  async function refuser(ctx: RouterContext, agent: AgentConnecte): Promise<never> {
    await journaliser(pool, { acteurType: 'agent', acteurId: agent.id, action: 'accueil', objetType: 'page', objetId: ctx.path, resultat: 'refus', details: { chemin: ctx.path } });
    throw refusAction();
  }

  async function formulaire(ctx: RouterContext, o: { erreurs?: ErreurFormulaire[]; valeurs?: Record<string, unknown>; message?: string; statut?: number } = {}): Promise<void> {
    const juridictions = await listerJuridictions(pool);
    const e = o.erreurs ?? [];
    const v = (n: string) => texteDe(o.valeurs ?? {}, n);
    rendreAgent(ctx, {
      titre: `${e.length ? 'Erreur — ' : ''}Accueil du justiciable`,
      statut: o.statut,
      contenu: html`
${filAriane([{ titre: 'Espace agents', href: '/agent' }, { titre: 'Accueil du justiciable' }])}
<h1>Renseigner un justiciable sur son dossier</h1>
<p>Service d’accueil unique du justiciable : consultez un seul dossier, de n’importe quelle juridiction, pour informer la personne présente. La finalité est obligatoire et chaque consultation est tracée ; la personne pourra voir dans son espace qu’un agent d’accueil a consulté son dossier.</p>
${resumeErreurs(e)}
${o.message ? html`<div class="fr-alert fr-alert--info fr-mb-4w" role="status"><p>${o.message}</p></div>` : null}
<form method="post" action="/agent/accueil" novalidate>
  ${jetonCsrf(ctx)}
  ${champ({ id: 'accueil-numero', nom: 'numero', label: 'Numéro de dossier ou numéro Portalis', indice: 'Par exemple 26/01234', valeur: v('numero'), erreur: erreurDe(e, 'accueil-numero'), requis: true })}
  ${selecteur({ id: 'accueil-juridiction', nom: 'juridiction', label: 'Juridiction', indice: 'Utile quand plusieurs juridictions ont un dossier portant le même numéro', options: [{ valeur: '', libelle: 'Toutes les juridictions' }, ...juridictions.map((j) => ({ valeur: j.code, libelle: j.nom }))], valeur: v('juridiction'), erreur: erreurDe(e, 'accueil-juridiction') })}
  ${champ({ id: 'accueil-finalite', nom: 'finalite', label: 'Finalité de la consultation', indice: 'Par exemple : Information du justiciable présent à l’accueil sur la date de son audience', valeur: v('finalite'), erreur: erreurDe(e, 'accueil-finalite'), requis: true })}
  <button type="submit" class="fr-btn">Consulter le dossier</button>
</form>`,
    });
  }

  return {
    async page(ctx: RouterContext): Promise<void> {
      const { agent, role: r } = role(ctx);
      if (!r) await refuser(ctx, agent);
      await formulaire(ctx);
    },

    async consulter(ctx: RouterContext): Promise<void> {
      const { agent, role: r } = role(ctx);
      if (!r) return refuser(ctx, agent);
      const corps = (ctx.request.body ?? {}) as Record<string, unknown>;
      const v = rechercheAccueil.safeParse({ numero: texteDe(corps, 'numero'), juridiction: texteDe(corps, 'juridiction'), finalite: texteDe(corps, 'finalite') });
      if (!v.success) {
        const sansFinalite = v.error.issues.some((i) => i.path[0] === 'finalite');
        await journaliser(pool, {
          acteurType: 'agent', acteurId: agent.id, role: r.role, juridiction: null, action: 'dossier.consulter', objetType: 'dossier', objetId: null,
          resultat: 'refus', details: { motif: sansFinalite ? 'finalite_absente' : 'formulaire_invalide', juridictionAgent: r.juridiction },
        });
        return formulaire(ctx, { erreurs: erreursDeZod(v.error.issues, CHAMPS), valeurs: corps, statut: 422 });
      }
      const { numero, juridiction, finalite } = v.data;
      await limiterRecherches(pool, ctx, agent.id);
      const trouves = await agents.chercherDossiers(pool, numero, juridiction ? [juridiction] : [null], 5);
      if (trouves.length !== 1) {
        await journaliser(pool, {
          acteurType: 'agent', acteurId: agent.id, role: r.role, juridiction, finalite, action: 'dossier.rechercher', objetType: 'recherche', objetId: null,
          resultat: 'succes', details: { numero, resultats: trouves.length, juridictionAgent: r.juridiction },
        });
        return formulaire(ctx, {
          valeurs: corps,
          statut: trouves.length === 0 ? 404 : 422,
          ...(trouves.length === 0
            ? { message: `Aucun dossier ne porte le numéro « ${numero} »${juridiction ? ' dans cette juridiction' : ''}.` }
            : { erreurs: [{ champ: 'accueil-juridiction', message: 'Plusieurs juridictions ont un dossier portant ce numéro : choisissez la juridiction.' }] }),
        });
      }
      const d = (await dossiers.obtenirDossier(pool, trouves[0]!.id))!;
      const donnees = await pool.transaction(async (t) => {
        const lu = await lireDossierAgent(t, d);
        await journaliser(t, {
          acteurType: 'agent', acteurId: agent.id, role: r.role, juridiction: d.juridiction, finalite, action: 'dossier.consulter',
          objetType: 'dossier', objetId: d.id, resultat: 'succes', details: { champs: CHAMPS_VUE_ACCUEIL, juridictionAgent: r.juridiction },
        });
        return lu;
      });
      rendreAgent(ctx, {
        titre: `Dossier n° ${d.numero_dossier} (accueil)`,
        contenu: html`
${filAriane([{ titre: 'Espace agents', href: '/agent' }, { titre: 'Accueil du justiciable', href: '/agent/accueil' }, { titre: `Dossier n° ${d.numero_dossier}` }])}
<h1>Dossier n° ${d.numero_dossier}</h1>
<div class="fr-notice fr-notice--info fr-mb-3w"><div class="fr-container"><div class="fr-notice__body"><p class="fr-notice__title">Consultation en lecture seule, tracée avec la finalité : « ${finalite} »</p></div></div></div>
${vueDossierAgent(donnees, { complet: false })}
<p><a class="fr-btn fr-btn--secondary" href="/agent/accueil">Nouvelle consultation</a></p>`,
      });
    },
  };
}
