// /contact: the support form of the seed ("Un membre de l'équipe support va vous répondre"),
// open to everyone — the people who cannot log in are the first to need it. The page says what
// the support team answers and what it does not, before the form. A plain form with
// post/redirect/get: errors come back tied to their field and summarised at the top (422), the
// rate limit (domain/contact.ts LIMITES_CONTACT, counted in the database) is its own message
// (429); success shows the reference (/contact/envoye). CSRF like every form (web/app.ts).
import { randomUUID } from 'node:crypto';
import type Koa from 'koa';
import type { RouterContext } from '@koa/router';
import * as comptes from '../../db/comptes.js';
import type { Compte } from '../../db/comptes.js';
import { HORAIRES_SUPPORT, lienAide, TELEPHONE_SUPPORT } from '../../domain/aide.js';
import { CATEGORIES_CONTACT, formulaireContact, messageRefusContact } from '../../domain/contact.js';
import { envoyerContact, type ContexteContact } from '../../services/contact.js';
import type { DonneesSession } from '../middleware/session.js';
import { champ, erreurDe, erreursDeZod, selecteur, texteDe } from '../agent/champs.js';
import { resumeErreurs, type ErreurFormulaire } from '../vues/formulaire.js';
import { html } from '../vues/html.js';
import { flash, lireFlash, nomAffiche, rendre } from '../vues/rendu.js';

export const CHEMIN_CONTACT = '/contact';

const CHAMPS = { categorie: 'contact-categorie', objet: 'contact-objet', message: 'contact-message', courriel: 'contact-courriel', nom: 'contact-nom' } as const;

/** The session's citizen on a public page (no redirect when there is none): header and prefill. */
export async function compteFacultatif(ctx: Koa.Context, pool: ContexteContact['pool']): Promise<Compte | null> {
  const s = ctx.session as DonneesSession | null;
  if (!s?.compteId) return null;
  const compte = await comptes.obtenirCompte(pool, s.compteId);
  if (compte) ctx.state.compte = compte;
  return compte;
}

const perimetre = html`<div class="fr-grid-row fr-grid-row--gutters fr-mb-4w">
  <div class="fr-col-12 fr-col-md-6"><div class="fr-callout">
    <h2 class="fr-callout__title fr-h5">L’équipe support répond</h2>
    <ul class="fr-callout__text fr-text--md">
      <li>aux questions sur le contenu affiché dans votre espace personnel et le fonctionnement du portail ;</li>
      <li>si vous rencontrez un problème de navigation ou une erreur technique sur le portail.</li>
    </ul>
  </div></div>
  <div class="fr-col-12 fr-col-md-6"><div class="fr-callout fr-callout--pink-tuile">
    <h2 class="fr-callout__title fr-h5">L’équipe support ne répond pas</h2>
    <ul class="fr-callout__text fr-text--md">
      <li>aux demandes de conseil juridique ou personnalisé ;</li>
      <li>aux questions sur la gestion ou le contenu de votre dossier : adressez-vous au greffe du tribunal qui le gère (<a href="/juridictions">coordonnées des juridictions</a>) ;</li>
      <li>aux demandes de recherche documentaire ou jurisprudentielle, d’analyse ou d’interprétation de textes juridiques ;</li>
      <li>aux courriers adressés au ministère de la Justice.</li>
    </ul>
  </div></div>
</div>`;

export function pagesContact(deps: ContexteContact & { signaler: NonNullable<ContexteContact['signaler']> }) {
  async function formulaire(ctx: RouterContext, o: { erreurs?: ErreurFormulaire[]; valeurs?: Record<string, unknown>; statut?: number; compte: Compte | null }): Promise<void> {
    const e = o.erreurs ?? [];
    const v = (n: string) => (o.valeurs ? texteDe(o.valeurs, n) : undefined);
    rendre(ctx, {
      titre: `${e.length ? 'Erreur — ' : ''}Contacter le support`,
      statut: o.statut,
      contenu: html`
<div class="fr-grid-row"><div class="fr-col-12 fr-col-lg-10">
${resumeErreurs(e)}
<h1>Contacter le support</h1>
<p class="fr-text--lead">Un membre de l’équipe support du Portail du justiciable vous répondra par courriel.</p>
<p>Avant d’écrire, consultez l’<a href="/aide">aide</a> : la réponse à votre question s’y trouve peut-être. Vous pouvez aussi appeler le support au <strong>${TELEPHONE_SUPPORT}</strong>, ${HORAIRES_SUPPORT}.</p>
${perimetre}
<form method="post" action="${CHEMIN_CONTACT}" novalidate>
  <input type="hidden" name="_csrf" value="${String(ctx.state._csrf ?? '')}">
  <p class="fr-hint-text">Sauf mention contraire, tous les champs sont obligatoires.</p>
  ${selecteur({ id: CHAMPS.categorie, nom: 'categorie', label: 'Objet de votre demande', requis: true, options: [{ valeur: '', libelle: 'Choisir dans la liste' }, ...CATEGORIES_CONTACT.map((c) => ({ valeur: c.valeur, libelle: c.libelle }))], valeur: v('categorie') ?? '', erreur: erreurDe(e, CHAMPS.categorie) })}
  ${champ({ id: CHAMPS.objet, nom: 'objet', label: 'Résumé de votre demande', indice: 'En quelques mots, par exemple « Code SMS jamais reçu ». 150 caractères au plus.', valeur: v('objet'), erreur: erreurDe(e, CHAMPS.objet), requis: true, attributs: html` maxlength="150"` })}
  <div class="fr-input-group${erreurDe(e, CHAMPS.message) ? ' fr-input-group--error' : ''}">
    <label class="fr-label" for="${CHAMPS.message}">Votre message<span class="fr-hint-text" id="${CHAMPS.message}-indice">La page concernée, ce que vous avez fait, le message affiché. N’indiquez ni votre numéro d’identification ni un code reçu par SMS : le support ne vous les demandera jamais. 5 000 caractères au plus.</span></label>
    <textarea class="fr-input${erreurDe(e, CHAMPS.message) ? ' fr-input--error' : ''}" id="${CHAMPS.message}" name="message" rows="8" maxlength="5000" required aria-describedby="${CHAMPS.message}-indice${erreurDe(e, CHAMPS.message) ? ` ${CHAMPS.message}-erreur` : ''}"${erreurDe(e, CHAMPS.message) ? html` aria-invalid="true"` : null}>${v('message') ?? ''}</textarea>
    ${erreurDe(e, CHAMPS.message) ? html`<p class="fr-error-text" id="${CHAMPS.message}-erreur">${erreurDe(e, CHAMPS.message)}</p>` : null}
  </div>
  ${champ({ id: CHAMPS.courriel, nom: 'courriel', type: 'email', label: 'Votre adresse électronique', indice: o.compte?.email ? 'Celle de votre compte, modifiable : la réponse y sera envoyée, avec un accusé de réception.' : 'La réponse y sera envoyée, avec un accusé de réception. Format attendu : nom@exemple.fr', valeur: v('courriel') ?? o.compte?.email ?? '', erreur: erreurDe(e, CHAMPS.courriel), requis: true, attributs: html` autocomplete="email" spellcheck="false"` })}
  ${champ({ id: CHAMPS.nom, nom: 'nom', label: 'Votre nom', valeur: v('nom') ?? (o.compte ? nomAffiche(o.compte) : ''), erreur: erreurDe(e, CHAMPS.nom), attributs: html` autocomplete="name" maxlength="100"` })}
  <p class="fr-text--sm">Votre message et votre adresse sont utilisés uniquement pour vous répondre. ${o.compte ? 'Comme vous êtes connecté, l’équipe support saura que votre identité a été vérifiée par FranceConnect ; elle n’a pas accès pour autant au contenu de vos dossiers.' : ''}</p>
  <ul class="fr-btns-group fr-btns-group--inline-md">
    <li><button type="submit" class="fr-btn">Envoyer mon message</button></li>
  </ul>
</form>
<p class="fr-text--sm">Pour éviter les abus, trois messages par heure et dix par jour au plus peuvent être envoyés depuis un même navigateur ou pour une même adresse électronique. <a href="${lienAide('contacter-support')}">En savoir plus sur le support</a>.</p>
</div></div>`,
    });
  }

  return {
    async page(ctx: RouterContext): Promise<void> {
      await formulaire(ctx, { compte: await compteFacultatif(ctx, deps.pool) });
    },

    async envoyer(ctx: RouterContext): Promise<void> {
      const compte = await compteFacultatif(ctx, deps.pool);
      const corps = (ctx.request.body ?? {}) as Record<string, unknown>;
      const valeurs = Object.fromEntries(['categorie', 'objet', 'message', 'courriel', 'nom'].map((n) => [n, texteDe(corps, n)]));
      const lu = formulaireContact.safeParse(valeurs);
      if (!lu.success) {
        return formulaire(ctx, { compte, valeurs, statut: 422, erreurs: erreursDeZod(lu.error.issues, CHAMPS) });
      }
      // A random id kept in the server-side session (never the session key itself): the
      // per-session counter of the rate limit.
      const s = ctx.session as (DonneesSession & { limiteContact?: string }) | null;
      const sessionId = s ? (s.limiteContact ??= randomUUID()) : randomUUID();
      const r = await envoyerContact(deps, { formulaire: lu.data, compte: compte ? { id: compte.id, nom: nomAffiche(compte) } : null, sessionId });
      if (!r.accepte) {
        ctx.set('Retry-After', String(Math.max(1, Math.ceil((r.refus.reessayerA.getTime() - deps.maintenant().getTime()) / 1000))));
        return formulaire(ctx, { compte, valeurs, statut: 429, erreurs: [{ message: messageRefusContact(r.refus, deps.maintenant()) }] });
      }
      flash(ctx, {
        type: 'succes',
        titre: 'Votre message a été envoyé',
        message: `Sa référence est ${r.reference}. Un accusé de réception part à l’adresse ${lu.data.courriel} ; un membre de l’équipe support vous répondra à cette adresse. Rappelez cette référence dans vos échanges avec le support.`,
      });
      ctx.redirect(`${CHEMIN_CONTACT}/envoye`);
    },

    /** After post/redirect/get: the confirmation with the reference, read once from the flash. */
    async envoye(ctx: RouterContext): Promise<void> {
      await compteFacultatif(ctx, deps.pool);
      const message = lireFlash(ctx);
      // Reloaded, or opened directly: the reference was shown once; say so rather than redirect.
      if (!message) {
        return rendre(ctx, {
          titre: 'Contacter le support',
          contenu: html`<h1>Contacter le support</h1>
<p>Aucun message n’a été envoyé depuis cette page. La référence d’un message envoyé figure aussi dans l’accusé de réception reçu par courriel.</p>
<p><a class="fr-btn" href="${CHEMIN_CONTACT}">Écrire au support</a></p>`,
        });
      }
      rendre(ctx, {
        titre: 'Message envoyé au support',
        contenu: html`
<div class="fr-grid-row"><div class="fr-col-12 fr-col-md-8">
<h1>Message envoyé au support</h1>
${message}
<p>Si votre question porte sur le contenu de votre dossier, seul le tribunal qui le gère peut y répondre : <a href="/juridictions">coordonnées des juridictions</a>.</p>
<ul class="fr-btns-group fr-btns-group--inline-md">
  <li><a class="fr-btn" href="/aide">Consulter l’aide</a></li>
  <li><a class="fr-btn fr-btn--secondary" href="/">Page d’accueil</a></li>
</ul>
</div></div>`,
      });
    },
  };
}
