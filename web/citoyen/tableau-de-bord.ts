// The dashboard's search, filters, sort and pages (issue 5; seed 000 "Rechercher – trier –
// filtrer"): the query string read by a zod schema (a bad value is dropped, never a 500), the
// search form (a plain GET, so the URL keeps the state; htmx only swaps the list in place), the
// cards and the DSFR pagination. The SQL lives in db/rattachements.ts.
import { z } from 'zod';
import type { CarteTableau, CriteresTableau, Filtre, Tri } from '../../db/rattachements.js';
import { FENETRE_JOURS, FILTRES, TRIS } from '../../db/rattachements.js';
import { formaterDate, formaterDateHeure } from '../../domain/dates.js';
import { empreinte, normaliserNumero } from '../../domain/identifiants.js';
import { qualite } from '../../domain/rattachement.js';
import { lienCarte } from '../pages/juridictions.js';
import { html, type SafeHtml } from '../vues/html.js';

/** The search appears from this many visible links (seed 000). */
export const SEUIL_RECHERCHE = 5;
export const PAR_PAGE = 20;
/** The id of the list htmx swaps in place. */
export const ID_LISTE = 'resultats-dossiers';

const premier = (v: unknown) => (Array.isArray(v) ? v[0] : v);
const texte = (max: number) =>
  z.preprocess(premier, z.string().transform((s) => s.trim().slice(0, max)).optional()).catch(undefined);

/** The query string of /espace. Unknown keys are ignored; each bad value falls back alone. */
export const RequeteTableau = z.object({
  nom: texte(100),
  juridiction: texte(100),
  numero: texte(40),
  filtre: z
    .preprocess((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]), z.array(z.string()))
    .transform((a) => [...new Set(a.filter((x): x is Filtre => (FILTRES as readonly string[]).includes(x)))])
    .catch([]),
  tri: z.preprocess(premier, z.enum(TRIS)).catch('maj'),
  page: z.preprocess(premier, z.coerce.number().int().min(1).max(1_000_000)).catch(1),
});
export type RequeteTableau = z.infer<typeof RequeteTableau>;

export const LIBELLES_FILTRES: Record<Filtre, string> = {
  proches: 'Événements proches',
  recents: 'Documents récents',
  en_cours: 'Dossiers en cours',
  termines: 'Dossiers terminés',
};
const INDICES_FILTRES: Record<Filtre, string> = {
  proches: `Une audience dans les ${FENETRE_JOURS} prochains jours`,
  recents: `Un document reçu depuis moins de ${FENETRE_JOURS} jours`,
  en_cours: 'Dossiers non clôturés',
  termines: 'Dossiers clôturés',
};
export const LIBELLES_TRIS: Record<Tri, string> = {
  maj: 'Dernière mise à jour',
  audience: 'Prochaine audience',
  numero: 'Numéro de dossier',
  juridiction: 'Juridiction',
};

/** The SQL criteria, and the message when the identification number cannot be one. */
export function criteres(q: RequeteTableau, cleHash: string): { criteres: CriteresTableau; erreurNumero?: string } {
  const c: CriteresTableau = { nom: q.nom || undefined, juridiction: q.juridiction || undefined, filtres: q.filtre, tri: q.tri };
  if (!q.numero) return { criteres: c };
  const n = normaliserNumero(q.numero);
  if (!n) return { criteres: { ...c, numero: null }, erreurNumero: 'Le numéro d’identification comporte 12 caractères, par exemple K7QF-3XWM-9RTD.' };
  return { criteres: { ...c, numero: empreinte(cleHash, 'identifiant', n) } };
}

/** /espace with these criteria (only the non-default ones), for links and the pushed URL. */
export function urlTableau(q: RequeteTableau, page = q.page): string {
  const p = new URLSearchParams();
  if (q.nom) p.set('nom', q.nom);
  if (q.juridiction) p.set('juridiction', q.juridiction);
  if (q.numero) p.set('numero', q.numero);
  for (const f of q.filtre) p.append('filtre', f);
  if (q.tri !== 'maj') p.set('tri', q.tri);
  if (page > 1) p.set('page', String(page));
  const s = p.toString();
  return s ? `/espace?${s}` : '/espace';
}

export const estRecherche = (q: RequeteTableau) => Boolean(q.nom || q.juridiction || q.numero || q.filtre.length);

/** Attributes that make a link or form swap the list in place and push its URL. */
const enPlace = (url: string) => html` hx-get="${url}" hx-target="#${ID_LISTE}" hx-push-url="true"`;

export function formulaireRecherche(q: RequeteTableau, erreurNumero: string | undefined): SafeHtml {
  const champ = (id: 'nom' | 'juridiction' | 'numero', label: string, indice: string, erreur?: string) => html`
    <div class="fr-col-12 fr-col-md-4"><div class="fr-input-group${erreur ? ' fr-input-group--error' : ''}">
      <label class="fr-label" for="recherche-${id}">${label}<span class="fr-hint-text">${indice}</span></label>
      <input class="fr-input${erreur ? ' fr-input--error' : ''}" type="search" id="recherche-${id}" name="${id}" value="${q[id] ?? ''}" maxlength="100" autocomplete="off"${erreur ? html` aria-invalid="true" aria-describedby="recherche-${id}-erreur"` : null}>
      ${erreur ? html`<p class="fr-error-text" id="recherche-${id}-erreur">${erreur}</p>` : null}
    </div></div>`;
  return html`<form id="recherche-dossiers" class="fr-mb-4w" method="get" action="/espace" role="search" aria-label="Rechercher parmi mes dossiers"
  hx-get="/espace" hx-target="#${ID_LISTE}" hx-push-url="true">
  <h2 class="fr-h5">Rechercher un dossier</h2>
  <p class="fr-text--sm">Renseignez un ou plusieurs champs. La recherche ne tient compte ni des accents ni des majuscules.</p>
  <div class="fr-grid-row fr-grid-row--gutters">
    ${champ('nom', 'Nom, prénom ou raison sociale', 'D’une partie au dossier')}
    ${champ('juridiction', 'Juridiction', 'Nom ou ville du tribunal')}
    ${champ('numero', 'Numéro d’identification', 'Reçu par courriel, par exemple K7QF-3XWM-9RTD', erreurNumero)}
  </div>
  <div class="fr-grid-row fr-grid-row--gutters">
    <div class="fr-col-12 fr-col-md-8">
      <fieldset class="fr-fieldset" id="filtres" aria-labelledby="filtres-legende">
        <legend class="fr-fieldset__legend fr-text--regular" id="filtres-legende">Filtres</legend>
        ${FILTRES.map((f) => html`<div class="fr-fieldset__element fr-fieldset__element--inline"><div class="fr-checkbox-group fr-checkbox-group--sm">
          <input type="checkbox" id="filtre-${f}" name="filtre" value="${f}"${q.filtre.includes(f) ? html` checked` : null} aria-describedby="filtre-${f}-indice">
          <label class="fr-label" for="filtre-${f}">${LIBELLES_FILTRES[f]}<span class="fr-hint-text" id="filtre-${f}-indice">${INDICES_FILTRES[f]}</span></label>
        </div></div>`)}
      </fieldset>
    </div>
    <div class="fr-col-12 fr-col-md-4"><div class="fr-select-group">
      <label class="fr-label" for="tri">Trier par</label>
      <select class="fr-select" id="tri" name="tri">
        ${TRIS.map((t) => html`<option value="${t}"${q.tri === t ? html` selected` : null}>${LIBELLES_TRIS[t]}</option>`)}
      </select>
    </div></div>
  </div>
  <ul class="fr-btns-group fr-btns-group--inline-md">
    <li><button class="fr-btn" type="submit">Filtrer les dossiers</button></li>
    <li><a class="fr-btn fr-btn--secondary" href="/espace">Réinitialiser les filtres</a></li>
  </ul>
</form>`;
}

function carte(r: CarteTableau, maintenant: Date): SafeHtml {
  const enQualite = qualite(r.partie, r.representant);
  const carteUrl = lienCarte(r.juridiction_latitude, r.juridiction_longitude)
    ?? `https://www.openstreetmap.org/search?query=${encodeURIComponent(r.juridiction_adresse)}`;
  return html`<div class="fr-col-12 fr-col-md-6">
  <div class="fr-card" data-dossier="${r.numero_dossier}">
    <div class="fr-card__body">
      <div class="fr-card__content">
        <h3 class="fr-card__title">${r.nature}</h3>
        <p class="fr-card__desc">${enQualite}</p>
        <div class="fr-card__start">
          <ul class="fr-badges-group"><li><p class="fr-badge fr-badge--no-icon${r.date_cloture ? '' : ' fr-badge--info'}">${r.etat}</p></li></ul>
        </div>
        <div class="fr-card__end">
          <p class="fr-card__detail">Dossier n° ${r.numero_dossier}</p>
          <p class="fr-card__detail fr-icon-calendar-line">${r.prochaine_audience && r.prochaine_audience > maintenant
            ? html`Prochaine audience : le ${formaterDateHeure(r.prochaine_audience)}`
            : 'Aucune audience à venir'}</p>
          <p class="fr-card__detail fr-icon-refresh-line">Dernière mise à jour : le ${formaterDate(r.derniere_maj)}</p>
          <p class="fr-card__detail fr-icon-bank-line">${r.juridiction_nom}</p>
          <address class="fr-card__detail">${r.juridiction_adresse}${r.juridiction_telephone ? html` — <a href="tel:${r.juridiction_telephone.replace(/\s/g, '')}">${r.juridiction_telephone}</a>` : null}${r.juridiction_courriel ? html` — <a href="mailto:${r.juridiction_courriel}">${r.juridiction_courriel}</a>` : null}
            — <a href="${carteUrl}" target="_blank" rel="noopener" title="Localiser ${r.juridiction_nom} sur une carte (nouvelle fenêtre)">Localiser sur une carte</a></address>
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

/** DSFR pagination: first, previous, a window of pages around the current one, next, last. */
function pagination(q: RequeteTableau, page: number, pages: number): SafeHtml | null {
  if (pages <= 1) return null;
  const lien = (p: number, classe: string, libelle: string, actif: boolean) =>
    actif
      ? html`<li><a class="fr-pagination__link ${classe}" href="${urlTableau(q, p)}"${enPlace(urlTableau(q, p))}>${libelle}</a></li>`
      : html`<li><a class="fr-pagination__link ${classe}" aria-disabled="true" role="link">${libelle}</a></li>`;
  const numeros = new Set([1, pages]);
  for (let p = Math.max(1, page - 2); p <= Math.min(pages, page + 2); p++) numeros.add(p);
  const liste = [...numeros].sort((a, b) => a - b);
  const items: SafeHtml[] = [];
  liste.forEach((p, k) => {
    if (k > 0 && p - liste[k - 1]! > 1) items.push(html`<li><span class="fr-pagination__link fr-displayed-lg">…</span></li>`);
    items.push(
      p === page
        ? html`<li><a class="fr-pagination__link" aria-current="page" title="Page ${p}">${p}</a></li>`
        : html`<li><a class="fr-pagination__link" href="${urlTableau(q, p)}" title="Page ${p}"${enPlace(urlTableau(q, p))}>${p}</a></li>`,
    );
  });
  return html`<nav role="navigation" class="fr-pagination fr-mt-4w" aria-label="Pagination des dossiers">
  <ul class="fr-pagination__list">
    ${lien(1, 'fr-pagination__link--first', 'Première page', page > 1)}
    ${lien(page - 1, 'fr-pagination__link--prev fr-pagination__link--lg-label', 'Page précédente', page > 1)}
    ${items}
    ${lien(page + 1, 'fr-pagination__link--next fr-pagination__link--lg-label', 'Page suivante', page < pages)}
    ${lien(pages, 'fr-pagination__link--last', 'Dernière page', page < pages)}
  </ul>
</nav>`;
}

const pluriel = (n: number, un: string, plusieurs: string) => `${n.toLocaleString('fr-FR')} ${n > 1 ? plusieurs : un}`;

/** The list (the part htmx swaps): result count (announced), cards, pages. */
export function liste(o: { q: RequeteTableau; cartes: readonly CarteTableau[]; total: number; trouves: number; page: number; pages: number; recherche: boolean; maintenant: Date }): SafeHtml {
  const resume = o.recherche
    ? o.trouves === 0
      ? 'Aucun dossier ne correspond à votre recherche.'
      : `${pluriel(o.trouves, 'dossier correspond', 'dossiers correspondent')} à votre recherche sur ${pluriel(o.total, 'dossier', 'dossiers')}.`
    : pluriel(o.total, 'dossier', 'dossiers');
  const debut = (o.page - 1) * PAR_PAGE + 1;
  return html`<p class="fr-mb-2w" id="resume-resultats" role="status">${resume}${o.pages > 1 ? html` Page ${o.page} sur ${o.pages} (dossiers ${debut} à ${debut + o.cartes.length - 1}).` : null}</p>
<div class="fr-grid-row fr-grid-row--gutters">
${o.cartes.map((c) => carte(c, o.maintenant))}
</div>
${pagination(o.q, o.page, o.pages)}`;
}
