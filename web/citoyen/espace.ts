// /espace: the citizen's dashboard. Empty at first login, and it says why: no national database
// links court cases to a person, so each case is added by the citizen (seed 000). Then one card
// per link (a case seen as one represented party), with the case's summary and its "Détail".
import type { RouterContext } from '@koa/router';
import type { Compte } from '../../db/comptes.js';
import type { RattachementVisible } from '../../db/rattachements.js';
import { qualite } from '../../domain/rattachement.js';
import * as service from '../../services/rattachement.js';
import type { ContexteRattachement } from '../../services/rattachement.js';
import { html } from '../vues/html.js';
import { lireFlash, nomAffiche, rendre } from '../vues/rendu.js';

function carte(r: RattachementVisible) {
  const enQualite = qualite(r.partie, r.representant);
  return html`<div class="fr-col-12 fr-col-md-6">
  <div class="fr-card">
    <div class="fr-card__body">
      <div class="fr-card__content">
        <h3 class="fr-card__title">${r.nature}</h3>
        <p class="fr-card__desc">${enQualite}</p>
        <div class="fr-card__start">
          <ul class="fr-badges-group"><li><p class="fr-badge fr-badge--no-icon${r.date_cloture ? '' : ' fr-badge--info'}">${r.etat}</p></li></ul>
        </div>
        <div class="fr-card__end">
          <p class="fr-card__detail">Dossier n° ${r.numero_dossier}</p>
          <p class="fr-card__detail fr-icon-bank-line">${r.juridiction_nom}</p>
        </div>
      </div>
      <div class="fr-card__footer">
        <ul class="fr-btns-group fr-btns-group--inline-reverse fr-btns-group--inline-lg">
          <li><a class="fr-btn fr-btn--secondary" href="/espace/dossiers/${r.id}">Détail<span class="fr-sr-only"> du dossier n° ${r.numero_dossier}, ${enQualite}</span></a></li>
        </ul>
      </div>
    </div>
  </div>
</div>`;
}

export function pageEspace(deps: ContexteRattachement) {
  return async (ctx: RouterContext): Promise<void> => {
    const compte = ctx.state.compte as Compte;
    const liens = await service.lister(deps, compte.id);
    rendre(ctx, {
      titre: 'Mon espace',
      contenu: html`
${lireFlash(ctx)}
<h1>Bonjour ${nomAffiche(compte)}</h1>
<ul class="fr-btns-group fr-btns-group--inline-md fr-btns-group--icon-left"><li><a class="fr-btn fr-icon-add-line fr-btn--icon-left" href="/espace/dossiers/ajouter">Ajouter un dossier</a></li></ul>
${liens.length === 0
  ? html`<div class="fr-callout fr-mt-4w">
  <h2 class="fr-callout__title">Votre espace ne contient encore aucun dossier</h2>
  <p class="fr-callout__text">Il n’existe pas de base nationale reliant les dossiers des tribunaux aux personnes : vos dossiers n’apparaissent donc pas d’eux-mêmes. Lorsque le tribunal enregistre votre consentement à la communication électronique, il vous envoie par courriel un numéro d’identification. Ajoutez alors le dossier avec ce numéro et le code que vous recevrez par SMS ; il restera visible à chaque connexion.</p>
</div>`
  : html`<h2 class="fr-mt-4w">Mes dossiers <span class="fr-text--md fr-text--regular">(${liens.length})</span></h2>
<div class="fr-grid-row fr-grid-row--gutters">
${liens.map(carte)}
</div>`}`,
    });
  };
}
