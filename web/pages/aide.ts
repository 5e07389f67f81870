// /aide: the help page (issue 9 item 2). Questions grouped by theme, each answer a native
// <details> with a stable id (domain/aide.ts): it opens and closes without JavaScript, and
// `/aide?question=<id>#<id>` (lienAide, used by the error pages) renders that answer open, so a
// link works in every browser. The search is a GET form filtered here on the server (accents and
// case ignored); htmx only swaps the results in place as one types. Then the official directories.
import type { RouterContext } from '@koa/router';
import type { DatabasePool } from 'slonik';
import { ANNUAIRES, lienAide, QUESTIONS_AIDE, rechercherAide, TELEPHONE_SUPPORT, HORAIRES_SUPPORT, type Bloc, type QuestionAide, type ThemeAide } from '../../domain/aide.js';
import { html, type SafeHtml } from '../vues/html.js';
import { rendre } from '../vues/rendu.js';
import { compteFacultatif } from './contact.js';

const ID_RESULTATS = 'resultats-aide';

const premier = (v: unknown) => (Array.isArray(v) ? String(v[0] ?? '') : typeof v === 'string' ? v : '');

function bloc(b: Bloc): SafeHtml {
  return typeof b === 'string' ? html`<p>${b}</p>` : html`<ul>${b.liste.map((i) => html`<li>${i}</li>`)}</ul>`;
}

function reponse(q: QuestionAide, ouverte: boolean): SafeHtml {
  return html`<details class="fr-mb-2w aide-question" id="${q.id}"${ouverte ? html` open` : null}>
  <summary class="fr-text--lg fr-text--bold fr-mb-1w">${q.question}</summary>
  <div class="fr-pl-3w">
    ${q.reponse.map(bloc)}
    ${q.liens?.length ? html`<ul class="fr-links-group">${q.liens.map((l) => html`<li><a class="fr-link fr-icon-arrow-right-line fr-link--icon-right" href="${l.href}">${l.texte}</a></li>`)}</ul>` : null}
    <p class="fr-text--xs"><a href="${lienAide(q.id)}">Lien vers cette réponse</a></p>
  </div>
</details>`;
}

function resultats(themes: readonly ThemeAide[], o: { recherche: string; ouverte: string | null }): SafeHtml {
  const n = themes.reduce((s, t) => s + t.questions.length, 0);
  return html`<div id="${ID_RESULTATS}">
  ${o.recherche
    ? html`<p role="status" class="fr-mb-3w">${n === 0 ? html`Aucune réponse ne contient « ${o.recherche} ». Essayez un autre mot, ou <a href="/contact">contactez le support</a>.` : `${n} réponse${n > 1 ? 's' : ''} pour « ${o.recherche} ».`}${n > 0 ? html` <a href="/aide">Voir toutes les questions</a>` : null}</p>`
    : html`<p role="status" class="fr-sr-only"></p>`}
  ${themes.map((t) => html`<section class="fr-mb-5w" aria-labelledby="theme-${t.id}">
    <h2 id="theme-${t.id}">${t.titre}</h2>
    ${t.questions.map((q) => reponse(q, Boolean(o.recherche) || q.id === o.ouverte))}
  </section>`)}
</div>`;
}

const annuaires = html`<section class="fr-mb-5w" aria-labelledby="annuaires-officiels">
  <h2 id="annuaires-officiels">Annuaires</h2>
  <p>Pour trouver une juridiction, un service d’accueil unique du justiciable ou un professionnel du droit, consultez les annuaires officiels (sites extérieurs). Pour les juridictions raccordées au portail, voyez aussi la page <a href="/juridictions">Juridictions</a>.</p>
  <div class="fr-grid-row fr-grid-row--gutters">
    ${ANNUAIRES.map((a) => html`<div class="fr-col-12 fr-col-md-6 fr-col-lg-4"><div class="fr-tile fr-enlarge-link">
      <div class="fr-tile__body"><div class="fr-tile__content">
        <h3 class="fr-tile__title"><a href="${a.href}" rel="noopener">${a.titre}<span class="fr-sr-only"> (site extérieur)</span></a></h3>
        <p class="fr-tile__detail">${a.description}</p>
      </div></div>
    </div></div>`)}
  </div>
  <p class="fr-text--sm fr-mt-2w">Un lien ne fonctionne plus ? <a href="/contact">Signalez-le au support</a>.</p>
</section>`;

export function pageAide(pool: DatabasePool) {
  return async (ctx: RouterContext): Promise<void> => {
    const recherche = premier(ctx.query.q).trim().slice(0, 100);
    const question = premier(ctx.query.question);
    const ouverte = QUESTIONS_AIDE.some((q) => q.id === question) ? question : null;
    const themes = rechercherAide(recherche);
    const fragment = resultats(themes, { recherche, ouverte });
    await compteFacultatif(ctx, pool);
    rendre(ctx, {
      titre: recherche ? `Aide — recherche « ${recherche} »` : 'Aide',
      fragment,
      contenu: html`
<h1>Besoin d’aide ?</h1>
<p class="fr-text--lead">Les réponses aux questions les plus fréquentes sur le Portail du justiciable.</p>
<form class="fr-mb-4w" method="get" action="/aide" role="search" aria-label="Rechercher dans l’aide"
  hx-get="/aide" hx-target="#${ID_RESULTATS}" hx-swap="outerHTML" hx-trigger="submit, input delay:400ms" hx-push-url="true">
  <div class="fr-search-bar fr-search-bar--lg" id="recherche-aide">
    <label class="fr-label" for="aide-q">Rechercher dans l’aide</label>
    <input class="fr-input" type="search" id="aide-q" name="q" value="${recherche}" placeholder="Par exemple : code SMS, brouillon, alertes" maxlength="100" autocomplete="off">
    <button type="submit" class="fr-btn" title="Rechercher">Rechercher</button>
  </div>
</form>
<nav class="fr-summary fr-mb-4w" role="navigation" aria-labelledby="sommaire-aide">
  <p class="fr-summary__title" id="sommaire-aide">Thèmes</p>
  <ol class="fr-summary__list">
    ${rechercherAide('').map((t) => html`<li><a class="fr-summary__link" href="/aide#theme-${t.id}">${t.titre}</a></li>`)}
    <li><a class="fr-summary__link" href="/aide#annuaires-officiels">Annuaires</a></li>
  </ol>
</nav>
${fragment}
${annuaires}
<div class="fr-callout">
  <h2 class="fr-callout__title">Vous n’avez pas trouvé la réponse ?</h2>
  <p class="fr-callout__text">Contactez l’équipe support par le formulaire, ou par téléphone au ${TELEPHONE_SUPPORT}, ${HORAIRES_SUPPORT}. Pour une question sur le contenu de votre dossier, adressez-vous au tribunal qui le gère.</p>
  <a class="fr-btn" href="/contact">Contacter le support</a>
</div>`,
    });
  };
}
