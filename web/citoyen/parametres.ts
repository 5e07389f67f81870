// /espace/parametres (reached from the user's name in the header): the update-alert switches,
// all of them at once and one per case. Turning alerts off never touches the consent to
// electronic communication nor the hearing SMS reminders, and the page says so. Also the
// unsubscribe link of an alert e-mail (/alertes/desabonnement/<token>): no session needed, the
// signed token is the proof (hence no CSRF token); GET only shows the confirmation form, POST
// applies it, so a mail scanner following the link changes nothing.
import type { RouterContext } from '@koa/router';
import type { Compte } from '../../db/comptes.js';
import * as rattachements from '../../db/rattachements.js';
import { journaliser } from '../../db/journal.js';
import { lireJetonDesabonnement } from '../../domain/alertes.js';
import { introuvable } from '../../domain/erreurs.js';
import type { ContexteRattachement } from '../../services/rattachement.js';
import { html } from '../vues/html.js';
import { flash, lireFlash, rendre } from '../vues/rendu.js';

export const CHEMIN_PARAMETRES = '/espace/parametres';

const MENTION = 'Désactiver les alertes ne retire pas votre consentement à la communication électronique et n’arrête pas les rappels d’audience par SMS, qui ne peuvent pas être désactivés.';

export function pagesParametres(deps: ContexteRattachement) {
  return {
    async page(ctx: RouterContext): Promise<void> {
      const compte = ctx.state.compte as Compte;
      const csrf = String(ctx.state._csrf);
      const globales = await rattachements.alertesCompte(deps.pool, compte.id);
      const dossiers = await rattachements.alertesParDossier(deps.pool, compte.id, deps.maintenant(), deps.config.CASE_RETENTION);
      rendre(ctx, {
        titre: 'Mes paramètres',
        contenu: html`
<p><a class="fr-link fr-icon-arrow-left-line fr-link--icon-left" href="/espace">Retour à mon espace</a></p>
<h1>Mes paramètres</h1>
${lireFlash(ctx)}
<h2>Alertes de mise à jour par courriel</h2>
<p>Quand un de vos dossiers est mis à jour, vous recevez un courriel vous invitant à vous connecter. Il ne contient aucune information sur le contenu du dossier.</p>
<div class="fr-callout fr-mb-4w"><p class="fr-callout__text" id="mention-alertes">${MENTION}</p></div>
<form method="post" action="${CHEMIN_PARAMETRES}" class="fr-mb-4w">
  <input type="hidden" name="_csrf" value="${csrf}">
  <input type="hidden" name="action" value="${globales ? 'tout_desactiver' : 'tout_activer'}">
  <p>${globales ? 'Vos alertes sont activées.' : 'Toutes vos alertes sont désactivées.'}</p>
  <button type="submit" class="fr-btn${globales ? ' fr-btn--secondary' : ''}">${globales ? 'Désactiver toutes mes alertes' : 'Réactiver mes alertes'}</button>
</form>
${dossiers.length
  ? html`<h3>Par dossier</h3>
<ul class="fr-raw-list">
${dossiers.map((d) => html`<li class="fr-mb-2w"><form method="post" action="${CHEMIN_PARAMETRES}">
  <input type="hidden" name="_csrf" value="${csrf}">
  <input type="hidden" name="action" value="dossier">
  <input type="hidden" name="dossier" value="${d.dossier_id}">
  <input type="hidden" name="actives" value="${d.alertes ? 'non' : 'oui'}">
  <div class="fr-toggle">
    <input type="checkbox" class="fr-toggle__input" id="alerte-${d.dossier_id}" disabled${d.alertes && globales ? html` checked` : ''} aria-describedby="mention-alertes">
    <label class="fr-toggle__label" for="alerte-${d.dossier_id}">Dossier n° ${d.numero_dossier} — ${d.juridiction_nom}</label>
  </div>
  <button type="submit" class="fr-btn fr-btn--sm fr-btn--tertiary">${d.alertes ? `Désactiver les alertes du dossier n° ${d.numero_dossier}` : `Activer les alertes du dossier n° ${d.numero_dossier}`}</button>
</form></li>`)}
</ul>${globales ? null : html`<p>Les réglages par dossier s’appliqueront quand vous réactiverez vos alertes.</p>`}`
  : html`<p>Vous ne suivez encore aucun dossier.</p>`}
<h2 class="fr-mt-4w">Calendrier</h2>
<p><a class="fr-link" href="/espace/parametres/calendrier">Abonnement à mon calendrier</a></p>
<h2 class="fr-mt-4w">Mes données</h2>
<p>Consultez et téléchargez toutes les données que le portail conserve sur vous, dont les coordonnées que les juridictions ont enregistrées pour vous joindre. <a class="fr-link" href="/espace/mes-donnees">Mes données</a></p>`,
      });
    },

    async envoyer(ctx: RouterContext): Promise<void> {
      const compte = ctx.state.compte as Compte;
      const corps = (ctx.request.body ?? {}) as Record<string, unknown>;
      const action = String(corps.action ?? '');
      if (action === 'tout_desactiver' || action === 'tout_activer') {
        const actives = action === 'tout_activer';
        await deps.pool.transaction(async (t) => {
          await rattachements.reglerAlertesCompte(t, compte.id, actives);
          await journaliser(t, { acteurType: 'citoyen', acteurId: compte.id, action: actives ? 'alertes.activer' : 'alertes.desactiver', objetType: 'compte', objetId: compte.id, resultat: 'succes', details: {} });
        });
        flash(ctx, { type: 'succes', titre: actives ? 'Alertes réactivées' : 'Alertes désactivées', message: MENTION });
      } else if (action === 'dossier') {
        const dossierId = String(corps.dossier ?? '');
        const actives = corps.actives === 'oui';
        const visibles = await rattachements.alertesParDossier(deps.pool, compte.id, deps.maintenant(), deps.config.CASE_RETENTION);
        const d = visibles.find((x) => x.dossier_id === dossierId);
        if (!d) throw introuvable('Ce dossier');
        await deps.pool.transaction(async (t) => {
          await rattachements.reglerAlertesDossier(t, compte.id, dossierId, actives);
          await journaliser(t, { acteurType: 'citoyen', acteurId: compte.id, action: actives ? 'alertes.dossier.activer' : 'alertes.dossier.desactiver', objetType: 'dossier', objetId: dossierId, resultat: 'succes', details: {} });
        });
        flash(ctx, { type: 'succes', titre: actives ? 'Alertes activées' : 'Alertes désactivées', message: `Dossier n° ${d.numero_dossier}. ${MENTION}` });
      }
      ctx.redirect(CHEMIN_PARAMETRES);
      ctx.status = 303;
    },

    /** GET of the unsubscribe link: a confirmation form only. */
    async desabonnement(ctx: RouterContext): Promise<void> {
      const jeton = String(ctx.params.jeton ?? '');
      if (!lireJetonDesabonnement(deps.config.HASH_KEY, jeton)) throw introuvable('Ce lien');
      rendre(ctx, {
        titre: 'Ne plus recevoir d’alertes pour ce dossier',
        contenu: html`
<h1>Ne plus recevoir d’alertes pour ce dossier</h1>
<p>Vous ne recevrez plus de courriel quand ce dossier sera mis à jour. Vous pourrez réactiver ces alertes dans les paramètres de votre espace.</p>
<p>${MENTION}</p>
<form method="post" action="/alertes/desabonnement/${jeton}">
  <button type="submit" class="fr-btn">Confirmer</button>
</form>`,
      });
    },

    /** POST of the unsubscribe link: turns that account's alerts for that case off. */
    async confirmerDesabonnement(ctx: RouterContext): Promise<void> {
      const cible = lireJetonDesabonnement(deps.config.HASH_KEY, String(ctx.params.jeton ?? ''));
      if (!cible) throw introuvable('Ce lien');
      await deps.pool.transaction(async (t) => {
        if (await rattachements.reglerAlertesDossier(t, cible.compteId, cible.dossierId, false)) {
          await journaliser(t, { acteurType: 'citoyen', acteurId: cible.compteId, action: 'alertes.dossier.desactiver', objetType: 'dossier', objetId: cible.dossierId, resultat: 'succes', details: { par: 'lien' } });
        }
      });
      rendre(ctx, {
        titre: 'Alertes désactivées',
        contenu: html`
<h1>Alertes désactivées</h1>
<p>Vous ne recevrez plus d’alerte de mise à jour pour ce dossier.</p>
<p>${MENTION}</p>
<p><a class="fr-link" href="${CHEMIN_PARAMETRES}">Gérer mes alertes</a></p>`,
      });
    },
  };
}
