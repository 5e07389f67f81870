// /espace/parametres/calendrier: the personal calendar subscription (issue 5 item 5, beyond the
// seed). The citizen creates a secret address that a calendar app subscribes to (webcal://), and
// can regenerate it (the old one stops working) or revoke it. The token is shown once, in the
// answer to the POST that created it, never stored in clear (only its keyed hash, migration
// 0005) and never put in the session (the session store is a database table too).
import type { RouterContext } from '@koa/router';
import type { Compte } from '../../db/comptes.js';
import * as calendrier from '../../db/calendrier.js';
import { empreinteJetonCalendrier, genererJetonCalendrier } from '../../domain/calendrier.js';
import { formaterDateHeure } from '../../domain/dates.js';
import { journaliser } from '../../db/journal.js';
import type { ContexteRattachement } from '../../services/rattachement.js';
import { html, type SafeHtml } from '../vues/html.js';
import { flash, lireFlash, rendre } from '../vues/rendu.js';

export const CHEMIN_PARAMETRES_CALENDRIER = '/espace/parametres/calendrier';

/** The feed's https:// and webcal:// addresses for a token. */
export function adressesFlux(publicUrl: string, jeton: string): { https: string; webcal: string } {
  const https = `${publicUrl}/calendrier/${jeton}.ics`;
  return { https, webcal: https.replace(/^https?:/, 'webcal:') };
}

function bouton(csrf: string, action: 'creer' | 'regenerer' | 'revoquer', libelle: string, secondaire = false): SafeHtml {
  return html`<form method="post" action="${CHEMIN_PARAMETRES_CALENDRIER}" class="fr-mb-2w">
  <input type="hidden" name="_csrf" value="${csrf}">
  <input type="hidden" name="action" value="${action}">
  <button type="submit" class="fr-btn${secondaire ? ' fr-btn--secondary' : ''}">${libelle}</button>
</form>`;
}

export function pagesParametresCalendrier(deps: ContexteRattachement) {
  const afficher = async (ctx: RouterContext, nouvelle?: { https: string; webcal: string }) => {
    const compte = ctx.state.compte as Compte;
    const actif = await calendrier.abonnementActif(deps.pool, compte.id);
    const csrf = String(ctx.state._csrf);
    // The page may carry the secret address: no cache keeps it.
    ctx.set('Cache-Control', 'no-store');
    rendre(ctx, {
      titre: 'Abonnement à mon calendrier',
      contenu: html`
<p><a class="fr-link fr-icon-arrow-left-line fr-link--icon-left" href="/espace">Retour à mon espace</a></p>
<h1>Abonnement à mon calendrier</h1>
${lireFlash(ctx)}
<p>Avec une adresse d’abonnement personnelle, votre agenda (Google Agenda, Apple Calendrier, Microsoft Outlook…) affiche vos audiences et suit de lui-même leurs changements : une audience déplacée est mise à jour, une audience annulée est marquée comme annulée. Les audiences des 30 derniers jours restent visibles.</p>
<div class="fr-callout fr-mb-4w">
  <p class="fr-callout__text">Cette adresse est secrète : toute personne qui la connaît voit les dates et lieux de vos audiences. Ne la partagez pas. Si vous pensez qu’elle a été divulguée, régénérez-la : l’ancienne cessera aussitôt de fonctionner.</p>
</div>
${nouvelle
  ? html`<div class="fr-alert fr-alert--success fr-mb-4w" role="status">
  <h2 class="fr-alert__title">Votre adresse d’abonnement</h2>
  <p>Elle n’est affichée qu’une seule fois : copiez-la maintenant dans votre agenda.</p>
  <p class="fr-mt-2w"><a class="fr-link" href="${nouvelle.webcal}" id="adresse-webcal">S’abonner avec mon agenda (webcal)</a></p>
  <div class="fr-input-group fr-mt-2w">
    <label class="fr-label" for="adresse-https">Adresse à coller dans votre agenda (« Ajouter un agenda à partir d’une URL »)</label>
    <input class="fr-input" type="text" id="adresse-https" readonly value="${nouvelle.https}">
  </div>
  <div class="fr-input-group">
    <label class="fr-label" for="adresse-webcal-texte">Adresse webcal://</label>
    <input class="fr-input" type="text" id="adresse-webcal-texte" readonly value="${nouvelle.webcal}">
  </div>
</div>`
  : null}
${actif
  ? html`<p>Un abonnement est actif depuis le ${formaterDateHeure(actif.created_at)}.${nouvelle ? null : html` Son adresse n’est plus affichable : régénérez-la si vous l’avez perdue.`}</p>
${bouton(csrf, 'regenerer', 'Régénérer l’adresse')}
${bouton(csrf, 'revoquer', 'Révoquer l’abonnement', true)}`
  : html`<p>Vous n’avez pas d’abonnement actif.</p>
${bouton(csrf, 'creer', 'Créer mon adresse d’abonnement')}`}
<p class="fr-mt-4w"><a class="fr-link" href="/espace/audiences">Exporter une sélection d’audiences dans un fichier</a></p>`,
    });
  };

  return {
    async page(ctx: RouterContext): Promise<void> {
      await afficher(ctx);
    },

    async envoyer(ctx: RouterContext): Promise<void> {
      const compte = ctx.state.compte as Compte;
      const action = String((ctx.request.body as Record<string, unknown> | undefined)?.action ?? '');
      const maintenant = deps.maintenant();
      if (action === 'creer' || action === 'regenerer') {
        const jeton = genererJetonCalendrier();
        await deps.pool.transaction(async (t) => {
          const a = await calendrier.remplacerAbonnement(t, compte.id, empreinteJetonCalendrier(deps.config.HASH_KEY, jeton), maintenant);
          await journaliser(t, { acteurType: 'citoyen', acteurId: compte.id, action: `calendrier.${action}`, objetType: 'abonnement_calendrier', objetId: a.id, resultat: 'succes', details: {} });
        });
        // Shown in this answer only (no redirect): the token is never kept anywhere in clear.
        await afficher(ctx, adressesFlux(deps.config.PUBLIC_URL, jeton));
        return;
      }
      if (action === 'revoquer') {
        await deps.pool.transaction(async (t) => {
          if (await calendrier.revoquerAbonnement(t, compte.id, maintenant)) {
            await journaliser(t, { acteurType: 'citoyen', acteurId: compte.id, action: 'calendrier.revoquer', objetType: 'compte', objetId: compte.id, resultat: 'succes', details: {} });
          }
        });
        flash(ctx, { type: 'succes', titre: 'Abonnement révoqué', message: 'L’adresse d’abonnement ne fonctionne plus. Votre agenda n’affichera plus de nouvelles informations.' });
      }
      ctx.redirect(CHEMIN_PARAMETRES_CALENDRIER);
      ctx.status = 303;
    },
  };
}
