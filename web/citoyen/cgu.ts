// First login (and each new CGU version): the terms are shown and their acceptance recorded
// with the version and the date (decree, art. 2).
import type { RouterContext } from '@koa/router';
import type { DatabasePool } from 'slonik';
import { CGU, VERSION_CGU } from '../../domain/cgu.js';
import * as comptes from '../../db/comptes.js';
import { journaliser } from '../../db/journal.js';
import type { Compte } from '../../db/comptes.js';
import { html } from '../vues/html.js';
import { rendre } from '../vues/rendu.js';

function vue(ctx: RouterContext, erreur: boolean) {
  rendre(ctx, {
    titre: 'Conditions générales d’utilisation',
    statut: erreur ? 422 : 200,
    contenu: html`
${erreur && html`<div class="fr-alert fr-alert--error fr-mb-4w" role="alert"><h2 class="fr-alert__title">Il y a une erreur</h2><p><a href="#accepte">Cochez la case pour accepter les conditions générales d’utilisation.</a></p></div>`}
<h1>Conditions générales d’utilisation</h1>
<p class="fr-text--sm">Version du ${new Date(`${VERSION_CGU}T12:00:00Z`).toLocaleDateString('fr-FR', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/Paris' })}</p>
${CGU.map((s) => html`<h2 class="fr-h4">${s.titre}</h2>${s.paragraphes.map((p) => html`<p>${p}</p>`)}`)}
<form method="post" action="/espace/cgu">
  <input type="hidden" name="_csrf" value="${String(ctx.state._csrf)}">
  <div class="fr-checkbox-group${erreur ? ' fr-checkbox-group--error' : ''}">
    <input type="checkbox" id="accepte" name="accepte" value="oui"${erreur ? html` aria-describedby="accepte-erreur"` : ''}>
    <label class="fr-label" for="accepte">J’ai lu et j’accepte les conditions générales d’utilisation</label>
    ${erreur && html`<div class="fr-messages-group" id="accepte-erreur" aria-live="polite"><p class="fr-message fr-message--error">Cochez cette case pour continuer.</p></div>`}
  </div>
  <button type="submit" class="fr-btn fr-mt-3w">Continuer</button>
</form>`,
  });
}

export function pagesCgu(pool: DatabasePool) {
  return {
    async page(ctx: RouterContext) {
      vue(ctx, false);
    },
    async accepter(ctx: RouterContext) {
      const compte = ctx.state.compte as Compte;
      if ((ctx.request.body as Record<string, unknown> | undefined)?.accepte !== 'oui') return vue(ctx, true);
      await pool.transaction(async (t) => {
        await comptes.accepterCgu(t, compte.id, VERSION_CGU);
        await journaliser(t, { acteurType: 'citoyen', acteurId: compte.id, action: 'cgu.accepter', objetType: 'compte', objetId: compte.id, resultat: 'succes', details: { version: VERSION_CGU } });
      });
      ctx.redirect('/espace');
    },
  };
}
