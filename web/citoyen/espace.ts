// /espace: the citizen's dashboard. Empty at first login, and it says why: no national database
// links court cases to a person, so each case is added by the citizen (seed 000). Then one card
// per link (a case seen as one represented party), 20 per page, with the search, filters and
// sort from 5 links on (seed 000 "Rechercher – trier – filtrer"; web/citoyen/tableau-de-bord.ts).
//
// One URL, two answers: a plain GET renders the whole page (no JavaScript needed, the URL keeps
// the state); htmx's request for the list (HX-Target = the list) gets only the list. A history
// restore targets the body and so gets the whole page. A small poller (/espace/etat) tells the
// open page when the account's cases changed.
import type { RouterContext } from '@koa/router';
import type { Compte } from '../../db/comptes.js';
import * as rattachements from '../../db/rattachements.js';
import type { ContexteRattachement } from '../../services/rattachement.js';
import { html, type SafeHtml } from '../vues/html.js';
import { lireFlash, nomAffiche, rendre } from '../vues/rendu.js';
import { criteres, estRecherche, formulaireRecherche, ID_LISTE, liste, PAR_PAGE, RequeteTableau, SEUIL_RECHERCHE, urlTableau } from './tableau-de-bord.js';

/** Polling period of the live refresh. */
export const PERIODE_ACTUALISATION_S = 30;

function poller(version: string, depuis: Date): SafeHtml {
  const url = `/espace/etat?v=${encodeURIComponent(version)}&depuis=${encodeURIComponent(depuis.toISOString())}`;
  return html`<div role="status" aria-live="polite"><div id="maj-dossiers" hx-get="${url}" hx-trigger="every ${PERIODE_ACTUALISATION_S}s" hx-swap="outerHTML"></div></div>`;
}

export function pageEspace(deps: ContexteRattachement) {
  return async (ctx: RouterContext): Promise<void> => {
    const compte = ctx.state.compte as Compte;
    const maintenant = deps.maintenant();
    const retention = deps.config.CASE_RETENTION;
    const demande = RequeteTableau.parse(ctx.query);
    const { criteres: c, erreurNumero } = criteres(demande, deps.config.HASH_KEY);
    const page1 = (p: number) => ({ limite: PAR_PAGE, decalage: (p - 1) * PAR_PAGE });
    // Counts (with the version) and the asked page at once; the page is read again only when past the end.
    const [comptes, demandee] = await Promise.all([
      rattachements.compterTableau(deps.pool, compte.id, maintenant, retention, c),
      rattachements.listerTableau(deps.pool, compte.id, maintenant, retention, c, page1(demande.page)),
    ]);
    const { total, version } = comptes;
    // Below the threshold there is no search form: criteria in the URL are ignored.
    const avecRecherche = total >= SEUIL_RECHERCHE;
    const q = avecRecherche ? demande : RequeteTableau.parse({ page: String(demande.page) });
    const sansCritere = !avecRecherche && estRecherche(demande);
    const trouves = sansCritere ? total : comptes.trouves;
    const pages = Math.max(1, Math.ceil(trouves / PAR_PAGE));
    const page = Math.min(q.page, pages);
    const cartes = !sansCritere && page === demande.page
      ? demandee
      : await rattachements.listerTableau(deps.pool, compte.id, maintenant, retention, sansCritere ? {} : c, page1(page));
    const fragment = liste({ q, cartes, total, trouves, page, pages, recherche: estRecherche(q), maintenant });
    ctx.vary('HX-Request');
    ctx.vary('HX-Target');
    ctx.set('Cache-Control', 'no-store');
    const pourLaListe = ctx.get('HX-Request') === 'true' && ctx.get('HX-Target') === `div#${ID_LISTE}`;
    if (pourLaListe) {
      // The form's field error travels with the list, out of band.
      const erreur = html`<div id="erreur-recherche" hx-swap-oob="true">${erreurNumero && avecRecherche ? html`<p class="fr-error-text">${erreurNumero}</p>` : null}</div>`;
      rendre(ctx, { titre: 'Mon espace', contenu: fragment, fragment: html`${fragment}${erreur}` });
      return;
    }
    rendre(ctx, {
      titre: 'Mon espace',
      contenu: html`
${lireFlash(ctx)}
<h1>Bonjour ${nomAffiche(compte)}</h1>
<ul class="fr-btns-group fr-btns-group--inline-md fr-btns-group--icon-left"><li><a class="fr-btn fr-icon-add-line fr-btn--icon-left" href="/espace/dossiers/ajouter">Ajouter un dossier</a></li><li><a class="fr-btn fr-btn--secondary fr-icon-draft-line fr-btn--icon-left" href="/espace/requetes">Mes requêtes</a></li><li><a class="fr-btn fr-btn--secondary fr-icon-calendar-line fr-btn--icon-left" href="/espace/audiences">Exporter mes audiences</a></li><li><a class="fr-btn fr-btn--tertiary fr-icon-calendar-event-line fr-btn--icon-left" href="/espace/parametres/calendrier">Abonnement à mon calendrier</a></li><li><a class="fr-btn fr-btn--tertiary fr-icon-file-text-line fr-btn--icon-left" href="/espace/mes-donnees">Mes données</a></li></ul>
${total === 0
  ? html`<div class="fr-callout fr-mt-4w">
  <h2 class="fr-callout__title">Votre espace ne contient encore aucun dossier</h2>
  <p class="fr-callout__text">Il n’existe pas de base nationale reliant les dossiers des tribunaux aux personnes : vos dossiers n’apparaissent donc pas d’eux-mêmes. Lorsque le tribunal enregistre votre consentement à la communication électronique, il vous envoie par courriel un numéro d’identification. Ajoutez alors le dossier avec ce numéro et le code que vous recevrez par SMS ; il restera visible à chaque connexion.</p>
</div>`
  : html`<h2 class="fr-mt-4w">Mes dossiers <span class="fr-text--md fr-text--regular">(${total.toLocaleString('fr-FR')} ${total > 1 ? 'dossiers' : 'dossier'})</span></h2>
${avecRecherche ? formulaireRecherche(q, avecRecherche ? erreurNumero : undefined) : null}
<div id="erreur-recherche"></div>
<div id="${ID_LISTE}">${fragment}</div>`}
${poller(version, maintenant)}`,
    });
  };
}

/**
 * GET /espace/etat?v=…&depuis=…: 204 while the account's visible cases are as the page showed
 * them (htmx swaps nothing and keeps polling); otherwise a notice saying which cases changed,
 * with a link that reloads the page as it was (same criteria), and no more polling. One indexed
 * query per poll; it does not extend the session (rolling off for this request), so an open tab
 * cannot keep a session alive forever.
 */
export function etatEspace(deps: ContexteRattachement) {
  return async (ctx: RouterContext): Promise<void> => {
    (ctx as unknown as { sessionOptions?: { rolling?: boolean } }).sessionOptions!.rolling = false;
    const compte = ctx.state.compte as Compte;
    const maintenant = deps.maintenant();
    const v = typeof ctx.query.v === 'string' ? ctx.query.v : '';
    const depuisBrut = typeof ctx.query.depuis === 'string' ? new Date(ctx.query.depuis) : new Date(NaN);
    const depuis = Number.isNaN(depuisBrut.getTime()) ? maintenant : depuisBrut;
    ctx.set('Cache-Control', 'no-store');
    const version = await rattachements.versionTableau(deps.pool, compte.id, maintenant, deps.config.CASE_RETENTION);
    if (version === v) {
      ctx.status = 204;
      return;
    }
    const { total, numeros } = await rattachements.modifiesDepuis(deps.pool, compte.id, maintenant, deps.config.CASE_RETENTION, depuis);
    // Back to the page as the citizen left it: the URL htmx reports, if it is our dashboard.
    let retour = '/espace';
    try {
      const courante = new URL(ctx.get('HX-Current-URL') || '/espace', deps.config.PUBLIC_URL);
      if (courante.origin === new URL(deps.config.PUBLIC_URL).origin && courante.pathname === '/espace') {
        const params: Record<string, string[]> = {};
        for (const k of new Set(courante.searchParams.keys())) params[k] = courante.searchParams.getAll(k);
        retour = urlTableau(RequeteTableau.parse(params));
      }
    } catch {
      /* keep /espace */
    }
    const detail = total === 0
      ? 'Des dossiers ont été mis à jour (ajoutés, retirés ou modifiés).'
      : `Des dossiers ont été mis à jour : ${total > 1 ? `${total} dossiers modifiés` : '1 dossier modifié'} (n° ${numeros.join(', ')}${total > numeros.length ? '…' : ''}).`;
    ctx.type = 'html';
    ctx.body = html`<div id="maj-dossiers" class="fr-notice fr-notice--info fr-mb-2w"><div class="fr-container"><div class="fr-notice__body">
  <p class="fr-notice__title">${detail} <a href="${retour}">Actualiser la liste</a></p>
</div></div></div>`.toString();
  };
}
