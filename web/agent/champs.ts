// Form fields of the agent pages, DSFR markup: label, hint, error tied to the field by
// aria-describedby, the same way as web/vues/formulaire.ts for citizens, with the input types
// the clerk's forms need (date, datetime, e-mail, select, checkboxes, file).
import type { ZodIssue } from 'zod';
import { html, type SafeHtml } from '../vues/html.js';
import type { ErreurFormulaire } from '../vues/formulaire.js';

export interface ChampAgent {
  id: string;
  label: string;
  /** Field name; the id by default. */
  nom?: string;
  type?: 'text' | 'email' | 'tel' | 'date' | 'datetime-local' | 'file' | 'search';
  valeur?: string;
  indice?: string;
  erreur?: string;
  requis?: boolean;
  attributs?: SafeHtml;
}

function decrit(id: string, indice?: string, erreur?: string): string {
  return [indice ? `${id}-indice` : null, erreur ? `${id}-erreur` : null].filter(Boolean).join(' ');
}

export function champ(c: ChampAgent): SafeHtml {
  const d = decrit(c.id, c.indice, c.erreur);
  const classe = c.type === 'file' ? 'fr-upload' : `fr-input${c.erreur ? ' fr-input--error' : ''}`;
  const groupe = c.type === 'file' ? `fr-upload-group${c.erreur ? ' fr-input-group--error' : ''}` : `fr-input-group${c.erreur ? ' fr-input-group--error' : ''}`;
  return html`<div class="${groupe}">
  <label class="fr-label" for="${c.id}">${c.label}${c.requis ? null : html` <span class="fr-text--sm">(facultatif)</span>`}${c.indice ? html`<span class="fr-hint-text" id="${c.id}-indice">${c.indice}</span>` : null}</label>
  <input class="${classe}" type="${c.type ?? 'text'}" id="${c.id}" name="${c.nom ?? c.id}"${c.type === 'file' ? null : html` value="${c.valeur ?? ''}"`}${c.requis ? html` required` : null}${d ? html` aria-describedby="${d}"` : null}${c.erreur ? html` aria-invalid="true"` : null}${c.attributs ?? null}>
  ${c.erreur ? html`<p class="fr-error-text" id="${c.id}-erreur">${c.erreur}</p>` : null}
</div>`;
}

export function selecteur(c: { id: string; nom?: string; label: string; options: { valeur: string; libelle: string }[]; valeur?: string; erreur?: string; indice?: string; requis?: boolean }): SafeHtml {
  const d = decrit(c.id, c.indice, c.erreur);
  return html`<div class="fr-select-group${c.erreur ? ' fr-select-group--error' : ''}">
  <label class="fr-label" for="${c.id}">${c.label}${c.indice ? html`<span class="fr-hint-text" id="${c.id}-indice">${c.indice}</span>` : null}</label>
  <select class="fr-select${c.erreur ? ' fr-select--error' : ''}" id="${c.id}" name="${c.nom ?? c.id}"${c.requis ? html` required` : null}${d ? html` aria-describedby="${d}"` : null}${c.erreur ? html` aria-invalid="true"` : null}>
    ${c.options.map((o) => html`<option value="${o.valeur}"${o.valeur === (c.valeur ?? '') ? html` selected` : null}>${o.libelle}</option>`)}
  </select>
  ${c.erreur ? html`<p class="fr-error-text" id="${c.id}-erreur">${c.erreur}</p>` : null}
</div>`;
}

export function casesACocher(c: { id: string; nom: string; legende: string; options: { valeur: string; libelle: string }[]; valeurs: readonly string[]; erreur?: string; indice?: string }): SafeHtml {
  return html`<fieldset class="fr-fieldset${c.erreur ? ' fr-fieldset--error' : ''}" id="${c.id}" aria-labelledby="${c.id}-legende${c.erreur ? ` ${c.id}-erreur` : ''}">
  <legend class="fr-fieldset__legend fr-text--regular" id="${c.id}-legende">${c.legende}${c.indice ? html`<span class="fr-hint-text">${c.indice}</span>` : null}</legend>
  ${c.options.map((o, i) => html`<div class="fr-fieldset__element"><div class="fr-checkbox-group">
    <input type="checkbox" id="${c.id}-${i}" name="${c.nom}" value="${o.valeur}"${c.valeurs.includes(o.valeur) ? html` checked` : null}>
    <label class="fr-label" for="${c.id}-${i}">${o.libelle}</label>
  </div></div>`)}
  ${c.erreur ? html`<div class="fr-messages-group" id="${c.id}-erreur" aria-live="polite"><p class="fr-message fr-message--error">${c.erreur}</p></div>` : null}
</fieldset>`;
}

/**
 * zod issues as form errors: `champs` maps an issue path ("representant.courriel") to the id of
 * the field showing it; an unmapped path goes to `defaut`.
 */
export function erreursDeZod(issues: readonly ZodIssue[], champs: Record<string, string>, defaut?: string): ErreurFormulaire[] {
  const vus = new Set<string>();
  const erreurs: ErreurFormulaire[] = [];
  for (const i of issues) {
    const chemin = i.path.join('.');
    const champ = champs[chemin] ?? champs[String(i.path[0] ?? '')] ?? defaut;
    const cle = champ ?? chemin;
    if (vus.has(cle)) continue;
    vus.add(cle);
    erreurs.push({ champ, message: i.message.charAt(0).toUpperCase() + i.message.slice(1) });
  }
  return erreurs;
}

export const erreurDe = (erreurs: readonly ErreurFormulaire[], id: string) => erreurs.find((e) => e.champ === id)?.message;

/** A form field's value as one string (the last one if sent twice). */
export function texteDe(corps: Record<string, unknown>, nom: string): string {
  const v = corps[nom];
  if (Array.isArray(v)) return String(v[v.length - 1] ?? '');
  return typeof v === 'string' ? v : '';
}

export function listeDe(corps: Record<string, unknown>, nom: string): string[] {
  const v = corps[nom];
  if (Array.isArray(v)) return v.map(String);
  return typeof v === 'string' && v !== '' ? [v] : [];
}
