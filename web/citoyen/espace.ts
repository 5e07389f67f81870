// /espace: the citizen's dashboard. Empty at first login, and it says why: no national database
// links court cases to a person, so each case is added by the citizen (seed 000).
import type { RouterContext } from '@koa/router';
import type { Compte } from '../../db/comptes.js';
import { html } from '../vues/html.js';
import { lireFlash, nomAffiche, rendre } from '../vues/rendu.js';

export async function pageEspace(ctx: RouterContext): Promise<void> {
  const compte = ctx.state.compte as Compte;
  rendre(ctx, {
    titre: 'Mon espace',
    contenu: html`
${lireFlash(ctx)}
<h1>Bonjour ${nomAffiche(compte)}</h1>
<ul class="fr-btns-group fr-btns-group--inline-md"><li><a class="fr-btn fr-icon-add-line fr-btn--icon-left" href="/espace/dossiers/ajouter">Ajouter un dossier</a></li></ul>
<div class="fr-callout fr-mt-4w">
  <h2 class="fr-callout__title">Votre espace ne contient encore aucun dossier</h2>
  <p class="fr-callout__text">Il n’existe pas de base nationale reliant les dossiers des tribunaux aux personnes : vos dossiers n’apparaissent donc pas d’eux-mêmes. Lorsque le tribunal enregistre votre consentement à la communication électronique, il vous envoie par courriel un numéro d’identification. Ajoutez alors le dossier avec ce numéro et le code que vous recevrez par SMS ; il restera visible à chaque connexion.</p>
</div>`,
  });
}
