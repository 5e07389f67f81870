// The portal's own juridictions with their contact details and a map link (seed: "Comment
// localiser le tribunal en charge de mon dossier ?").
import type { RouterContext } from '@koa/router';
import type { DatabasePool } from 'slonik';
import { listerJuridictions } from '../../db/juridictions.js';
import { html } from '../vues/html.js';
import { page } from '../vues/gabarit.js';

export function lienCarte(latitude: number | null, longitude: number | null): string | null {
  if (latitude === null || longitude === null) return null;
  return `https://www.openstreetmap.org/?mlat=${latitude}&mlon=${longitude}#map=17/${latitude}/${longitude}`;
}

export function pageJuridictions(pool: DatabasePool) {
  return async (ctx: RouterContext): Promise<void> => {
    const juridictions = await listerJuridictions(pool);
    ctx.type = 'html';
    ctx.body = page({
      titre: 'Juridictions',
      contenu: html`
<h1>Juridictions raccordées au portail</h1>
<p>Le tribunal qui gère votre dossier reste votre interlocuteur privilégié. Ses coordonnées figurent aussi sur tous les documents de votre espace. Les liens « Localiser sur une carte » ouvrent OpenStreetMap, un site extérieur.</p>
<p>Pour une juridiction qui n’est pas encore raccordée au portail, un service d’accueil unique du justiciable ou un professionnel du droit, consultez les <a href="/aide#annuaires-officiels">annuaires officiels</a>.</p>
${juridictions.length === 0
  ? html`<p>Aucune juridiction n'est encore raccordée.</p>`
  : html`<div class="fr-grid-row fr-grid-row--gutters">${juridictions.map((j) => {
      const carte = lienCarte(j.latitude, j.longitude);
      return html`
  <div class="fr-col-12 fr-col-md-6"><div class="fr-tile fr-tile--horizontal"><div class="fr-tile__body"><div class="fr-tile__content">
    <h2 class="fr-tile__title">${j.nom}</h2>
    <address class="fr-tile__desc">${j.adresse}</address>
    <p class="fr-tile__detail">${j.telephone && html`Téléphone : <a href="tel:${j.telephone.replace(/\s/g, '')}">${j.telephone}</a>`}
    ${j.courriel && html`<br>Courriel : <a href="mailto:${j.courriel}">${j.courriel}</a>`}
    ${j.horaires && html`<br>Horaires d’ouverture : ${j.horaires}`}
    ${carte && html`<br><a class="fr-link fr-icon-map-pin-2-line fr-link--icon-left" href="${carte}" target="_blank" rel="noopener" title="Localiser ${j.nom} sur OpenStreetMap - nouvelle fenêtre">Localiser sur une carte<span class="fr-sr-only"> : ${j.nom} (OpenStreetMap, nouvelle fenêtre)</span></a>`}</p>
  </div></div></div></div>`;
    })}</div>`}`,
    }).toString();
  };
}
