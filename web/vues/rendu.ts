// Renders a full DSFR page or, for an htmx request, only the fragment; the page knows who is
// logged in (header menu), the CSRF token (forms, htmx header) and the flash message.
import type Koa from 'koa';
import type { Compte } from '../../db/comptes.js';
import type { DonneesSession } from '../middleware/session.js';
import { html, type SafeHtml } from './html.js';
import { page } from './gabarit.js';

export function nomAffiche(c: Pick<Compte, 'given_name' | 'family_name' | 'preferred_name'>): string {
  return [c.given_name, c.preferred_name ?? c.family_name].filter(Boolean).join(' ');
}

/** The message left by the previous request (post/redirect/get), read once. */
export function lireFlash(ctx: Koa.Context): SafeHtml | null {
  const s = ctx.session as DonneesSession | null;
  const f = s?.flash;
  if (!f) return null;
  delete s!.flash;
  const classe = f.type === 'succes' ? 'fr-alert--success' : f.type === 'erreur' ? 'fr-alert--error' : 'fr-alert--info';
  return html`<div class="fr-alert ${classe} fr-mb-4w" role="${f.type === 'erreur' ? 'alert' : 'status'}">${f.titre ? html`<h2 class="fr-alert__title">${f.titre}</h2>` : null}<p>${f.message}</p></div>`;
}

export function flash(ctx: Koa.Context, f: NonNullable<DonneesSession['flash']>): void {
  if (ctx.session) (ctx.session as DonneesSession).flash = f;
}

export function rendre(ctx: Koa.Context, o: { titre: string; contenu: SafeHtml; fragment?: SafeHtml; statut?: number }): void {
  ctx.status = o.statut ?? 200;
  ctx.type = 'html';
  if (o.fragment && ctx.get('HX-Request') === 'true') {
    ctx.body = o.fragment.toString();
    return;
  }
  const compte = ctx.state.compte as Compte | undefined;
  ctx.body = page({
    titre: o.titre,
    contenu: o.contenu,
    csrf: ctx.state._csrf as string | undefined,
    utilisateur: compte ? nomAffiche(compte) : undefined,
  }).toString();
}
