import type { RouterContext } from '@koa/router';
import { html } from '../vues/html.js';
import { page } from '../vues/gabarit.js';

export async function accueil(ctx: RouterContext): Promise<void> {
  ctx.type = 'html';
  ctx.body = page({
    titre: 'Accueil',
    contenu: html`
<h1>Portail du justiciable</h1>
<p class="fr-text--lead">Suivez en ligne l'avancement de vos affaires judiciaires, consultez les avis, convocations et récépissés que le tribunal vous adresse, et transmettez vos requêtes aux juridictions.</p>
<div class="fr-grid-row fr-grid-row--gutters fr-mt-4w">
  <div class="fr-col-12 fr-col-md-4"><div class="fr-card"><div class="fr-card__body"><div class="fr-card__content">
    <h2 class="fr-card__title">Suivre mes affaires</h2>
    <p class="fr-card__desc">Après avoir consenti à la communication électronique auprès du tribunal, vous recevez par courriel un numéro d'identification pour ajouter votre dossier à votre espace personnel.</p>
  </div></div></div></div>
  <div class="fr-col-12 fr-col-md-4"><div class="fr-card"><div class="fr-card__body"><div class="fr-card__content">
    <h2 class="fr-card__title">Être prévenu</h2>
    <p class="fr-card__desc">Une alerte par courriel à chaque mise à jour de votre dossier, et un rappel par SMS trois jours avant chaque audience.</p>
  </div></div></div></div>
  <div class="fr-col-12 fr-col-md-4"><div class="fr-card fr-enlarge-link"><div class="fr-card__body"><div class="fr-card__content">
    <h2 class="fr-card__title"><a href="/juridictions">Contacter une juridiction</a></h2>
    <p class="fr-card__desc">Adresses, téléphones et localisation des juridictions raccordées au portail.</p>
  </div></div></div></div>
</div>`,
  }).toString();
}
