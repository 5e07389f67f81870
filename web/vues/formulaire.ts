// DSFR form pieces shared by the citizen pages: the error summary at the top of the page and a
// text field with its hint and error (ANCHORS A5 rule 4).
import { html, type SafeHtml } from './html.js';

/** One error: on a field (the summary links to it) or about the whole form. */
export interface ErreurFormulaire {
  champ?: string;
  message: string;
}

/** The error summary: an alert listing every error, linked to its field when it has one. */
export function resumeErreurs(erreurs: readonly ErreurFormulaire[]): SafeHtml | null {
  if (erreurs.length === 0) return null;
  const titre = erreurs.length > 1 ? `Le formulaire contient ${erreurs.length} erreurs` : 'Le formulaire contient une erreur';
  return html`<div class="fr-alert fr-alert--error fr-mb-4w" role="alert" id="resume-erreurs" tabindex="-1">
  <h2 class="fr-alert__title">${titre}</h2>
  ${erreurs.length === 1
    ? html`<p>${erreurs[0]!.champ ? html`<a href="#${erreurs[0]!.champ}">${erreurs[0]!.message}</a>` : erreurs[0]!.message}</p>`
    : html`<ul>${erreurs.map((e) => html`<li>${e.champ ? html`<a href="#${e.champ}">${e.message}</a>` : e.message}</li>`)}</ul>`}
</div>`;
}

export interface Champ {
  id: string;
  label: string;
  indice?: string;
  valeur?: string;
  erreur?: string;
  /** Extra attributes of the input (autocomplete, inputmode…), already safe. */
  attributs?: SafeHtml;
}

export function champTexte(c: Champ): SafeHtml {
  const decrit = [c.indice ? `${c.id}-indice` : null, c.erreur ? `${c.id}-erreur` : null].filter(Boolean).join(' ');
  return html`<div class="fr-input-group${c.erreur ? ' fr-input-group--error' : ''}">
  <label class="fr-label" for="${c.id}">${c.label}${c.indice ? html`<span class="fr-hint-text" id="${c.id}-indice">${c.indice}</span>` : null}</label>
  <input class="fr-input${c.erreur ? ' fr-input--error' : ''}" type="text" id="${c.id}" name="${c.id}" value="${c.valeur ?? ''}"${decrit ? html` aria-describedby="${decrit}"` : null}${c.erreur ? html` aria-invalid="true"` : null}${c.attributs ?? null}>
  ${c.erreur ? html`<p class="fr-error-text" id="${c.id}-erreur">${c.erreur}</p>` : null}
</div>`;
}

/** The DSFR stepper ("Étape n sur N", title of the step, next step). */
export function etapes(courante: number, titres: readonly string[]): SafeHtml {
  const suivante = titres[courante];
  return html`<div class="fr-stepper">
  <h2 class="fr-stepper__title">${titres[courante - 1]}<span class="fr-stepper__state">Étape ${courante} sur ${titres.length}</span></h2>
  <div class="fr-stepper__steps" data-fr-current-step="${courante}" data-fr-steps="${titres.length}"></div>
  ${suivante ? html`<p class="fr-stepper__details"><span class="fr-text--bold">Étape suivante :</span> ${suivante}</p>` : null}
</div>`;
}
