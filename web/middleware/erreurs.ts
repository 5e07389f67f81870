// The one place where errors become responses: an ErreurPortail keeps its status and French
// message; anything else is a 500 with a support reference, logged with its stack, which never
// reaches the client. Under /api/ the answer is JSON; for htmx a fragment; otherwise a DSFR page.
import { randomUUID } from 'node:crypto';
import type Koa from 'koa';
import { ErreurPortail } from '../../domain/erreurs.js';
import { lienAide, questionPourErreur } from '../../domain/aide.js';
import { html } from '../vues/html.js';
import { page } from '../vues/gabarit.js';
import type { Logger } from '../log.js';

const TITRES: Record<number, string> = {
  400: 'Demande invalide',
  401: 'Identification requise',
  403: 'Accès refusé',
  404: 'Page non trouvée',
  405: 'Méthode non autorisée',
  409: 'Conflit',
  413: 'Contenu trop volumineux',
  415: 'Format non pris en charge',
  422: 'Données invalides',
  429: 'Trop de demandes',
  500: 'Erreur inattendue',
  503: 'Service indisponible',
};

function versErreurPortail(e: unknown): ErreurPortail | null {
  if (e instanceof ErreurPortail) return e;
  // Errors thrown by Koa and its middleware (http-errors): body parser 413/415/400, ctx.throw.
  const s = (e as { status?: unknown; expose?: unknown })?.status;
  if (typeof s === 'number' && s >= 400 && s < 500) {
    const messages: Record<number, string> = {
      400: 'La demande est mal formée.',
      403: "Vous n'avez pas les droits nécessaires pour cette action.",
      404: "La page demandée n'existe pas.",
      405: "Cette action n'est pas possible sur cette adresse.",
      413: 'Le contenu envoyé est trop volumineux.',
      415: "Le format du contenu envoyé n'est pas pris en charge.",
    };
    return new ErreurPortail(`http_${s}`, messages[s] ?? 'La demande ne peut pas être traitée.', s);
  }
  return null;
}

export function gestionErreurs(log: Logger): Koa.Middleware {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body == null) throw new ErreurPortail('introuvable', "La page demandée n'existe pas.", 404);
    } catch (e) {
      // A body refused before it was read to the end (undecodable Content-Encoding, bad JSON)
      // is left paused by the parser: drained here, the client gets our answer instead of a
      // connection reset. Not for an oversized body (413), which must not be read at all.
      if (!ctx.req.complete && (e as { status?: number })?.status !== 413 && !(e instanceof ErreurPortail && e.httpStatus === 413)) ctx.req.resume();
      let erreur = versErreurPortail(e);
      let reference: string | undefined;
      if (!erreur) {
        reference = randomUUID();
        log.error({ err: e, reference, methode: ctx.method, chemin: ctx.path }, 'erreur inattendue');
        erreur = new ErreurPortail(
          'erreur_interne',
          `Une erreur inattendue s'est produite. Si elle persiste, contactez le support en indiquant la référence ${reference}.`,
          500,
        );
      }
      ctx.status = erreur.httpStatus;
      if (ctx.path.startsWith('/api/')) {
        ctx.body = {
          erreur: erreur.messageUsager,
          code: erreur.code,
          details: erreur.details,
          ...(reference ? { reference } : {}),
        };
        return;
      }
      const titre = TITRES[erreur.httpStatus] ?? 'Erreur';
      // Every error page links the help answer about it (domain/aide.ts AIDE_PAR_ERREUR).
      const aide = questionPourErreur(erreur.code, erreur.httpStatus);
      const lien = html`<p id="aide-erreur">Besoin d’aide ? <a href="${lienAide(aide.id)}">${aide.question}</a></p>`;
      const contenu = html`
<div class="fr-grid-row fr-grid-row--gutters">
  <div class="fr-col-12 fr-col-md-8">
    <h1>${titre}</h1>
    <p class="fr-text--sm">Erreur ${erreur.httpStatus}</p>
    <p class="fr-text--lead">${erreur.messageUsager}</p>
    ${erreur.details.length > 0 && html`<ul>${erreur.details.map((d) => html`<li>${d.message}</li>`)}</ul>`}
    ${lien}
    <ul class="fr-btns-group fr-btns-group--inline-md"><li><a class="fr-btn" href="/">Page d'accueil</a></li><li><a class="fr-btn fr-btn--secondary" href="/contact">Contacter le support</a></li></ul>
  </div>
</div>`;
      ctx.type = 'html';
      if (ctx.get('HX-Request') === 'true') {
        ctx.body = html`<div class="fr-alert fr-alert--error" role="alert"><h3 class="fr-alert__title">${titre}</h3><p>${erreur.messageUsager}</p>${lien}</div>`.toString();
      } else {
        // Under /agent the header leads back to the agents' space, not to a citizen's.
        const entete = ctx.path === '/agent' || ctx.path.startsWith('/agent/') ? html`<li><a class="fr-btn fr-icon-lock-line" href="/agent">Espace agents</a></li>` : undefined;
        ctx.body = page({ titre, contenu, entete }).toString();
      }
    }
  };
}
