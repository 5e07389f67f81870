// /espace/dossiers/{id}: one of the citizen's links (the id is the link's, one per represented
// party), and detaching it (seed 000, "Détacher un dossier"). For now the page is the case's
// summary and the way to detach it; the case's life, documents and hearings come later.
// An id that is not one of this account's visible links (unknown, someone else's, detached,
// hidden by the visibility rules) answers exactly like a page that does not exist (ANCHORS C2
// item 7): same status, same bytes.
import type { RouterContext } from '@koa/router';
import type { Compte } from '../../db/comptes.js';
import type { RattachementVisible } from '../../db/rattachements.js';
import { formaterDate } from '../../domain/dates.js';
import { ajouterDuree } from '../../domain/durees.js';
import { ErreurPortail } from '../../domain/erreurs.js';
import { qualite } from '../../domain/rattachement.js';
import * as service from '../../services/rattachement.js';
import type { ContexteRattachement } from '../../services/rattachement.js';
import { html } from '../vues/html.js';
import { flash, rendre } from '../vues/rendu.js';

/** The very error an unknown path gets from web/middleware/erreurs.ts. */
const pageInexistante = () => new ErreurPortail('introuvable', "La page demandée n'existe pas.", 404);

export const MESSAGE_DETACHEMENT =
  'Le fait de détacher votre dossier n’annule ni votre consentement, ni vos alertes, ni l’envoi d’avis, de convocations et de récépissés par voie dématérialisée. Votre dossier ne sera simplement plus visible sur votre compte.';

function resume(r: RattachementVisible, retention: string) {
  return html`<dl class="fr-mb-3w">
  <dt class="fr-text--bold fr-mb-0">Nature</dt><dd class="fr-ml-0 fr-mb-2w">${r.nature}</dd>
  <dt class="fr-text--bold fr-mb-0">État</dt><dd class="fr-ml-0 fr-mb-2w">${r.etat}</dd>
  <dt class="fr-text--bold fr-mb-0">Numéro de dossier</dt><dd class="fr-ml-0 fr-mb-2w">${r.numero_dossier}</dd>
  <dt class="fr-text--bold fr-mb-0">Juridiction</dt><dd class="fr-ml-0 fr-mb-2w"><a class="fr-link" href="/juridictions">${r.juridiction_nom}</a></dd>
  <dt class="fr-text--bold fr-mb-0">Vous suivez ce dossier</dt><dd class="fr-ml-0 fr-mb-2w">${qualite(r.partie, r.representant)}</dd>
  ${r.date_cloture
    ? html`<dt class="fr-text--bold fr-mb-0">Dossier terminé</dt><dd class="fr-ml-0 fr-mb-2w">le ${formaterDate(r.date_cloture)} ; il reste consultable jusqu’au ${formaterDate(ajouterDuree(r.date_cloture, retention))}.</dd>`
    : null}
</dl>`;
}

export function pagesDossier(deps: ContexteRattachement) {
  const lien = async (ctx: RouterContext) => {
    const compte = ctx.state.compte as Compte;
    const r = await service.obtenir(deps, compte.id, String(ctx.params.id ?? ''));
    if (!r) throw pageInexistante();
    return r;
  };

  return {
    async page(ctx: RouterContext): Promise<void> {
      const r = await lien(ctx);
      rendre(ctx, {
        titre: `Dossier n° ${r.numero_dossier}`,
        contenu: html`
<p><a class="fr-link fr-icon-arrow-left-line fr-link--icon-left" href="/espace">Retour à mon espace</a></p>
<h1>Dossier n° ${r.numero_dossier}</h1>
${resume(r, deps.config.CASE_RETENTION)}
<ul class="fr-btns-group fr-btns-group--inline-md fr-btns-group--icon-left">
  <li><a class="fr-btn fr-btn--secondary fr-icon-close-circle-line fr-btn--icon-left" href="/espace/dossiers/${r.id}/detacher">Détacher ce dossier</a></li>
</ul>`,
      });
    },

    async confirmation(ctx: RouterContext): Promise<void> {
      const r = await lien(ctx);
      rendre(ctx, {
        titre: `Détacher le dossier n° ${r.numero_dossier}`,
        contenu: html`
<div class="fr-grid-row"><div class="fr-col-12 fr-col-md-8">
<h1>Détacher ce dossier ?</h1>
${resume(r, deps.config.CASE_RETENTION)}
<div class="fr-callout fr-mb-4w">
  <p class="fr-callout__text">${MESSAGE_DETACHEMENT}</p>
  <p class="fr-callout__text fr-mt-2w">Vous pourrez l’ajouter de nouveau avec le même numéro d’identification et un nouveau code reçu par SMS.</p>
</div>
<form method="post" action="/espace/dossiers/${r.id}/detacher">
  <input type="hidden" name="_csrf" value="${String(ctx.state._csrf)}">
  <ul class="fr-btns-group fr-btns-group--inline-md">
    <li><button type="submit" class="fr-btn">Détacher ce dossier</button></li>
    <li><a class="fr-btn fr-btn--secondary" href="/espace/dossiers/${r.id}">Annuler</a></li>
  </ul>
</form>
</div></div>`,
      });
    },

    async detacher(ctx: RouterContext): Promise<void> {
      const compte = ctx.state.compte as Compte;
      if (!(await service.detacher(deps, compte.id, String(ctx.params.id ?? '')))) throw pageInexistante();
      flash(ctx, { type: 'succes', titre: 'Le dossier a été détaché de votre espace', message: MESSAGE_DETACHEMENT });
      ctx.redirect('/espace');
      ctx.status = 303;
    },
  };
}
