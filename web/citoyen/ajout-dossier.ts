// /espace/dossiers/ajouter: adding a case, one at a time (seed 000, "Comment pouvez-vous ajouter
// un dossier ?"). Step 1, the identification number → "Obtenir le code par SMS"; step 2, the
// code. Plain forms with post/redirect/get, so it works without JavaScript; a refused step is
// shown again with a DSFR error summary and the field's error (422, 429 for the SMS limits).
// The rules are in services/rattachement.ts; the words are here.
import type { RouterContext } from '@koa/router';
import type { Compte } from '../../db/comptes.js';
import { formaterDateHeure, formaterHeure } from '../../domain/dates.js';
import { REGLES_CODE } from '../../domain/rattachement.js';
import { lienAide } from '../../domain/aide.js';
import * as service from '../../services/rattachement.js';
import type { ContexteRattachement, RefusRattachement } from '../../services/rattachement.js';
import { champTexte, etapes, resumeErreurs, type ErreurFormulaire } from '../vues/formulaire.js';
import { html } from '../vues/html.js';
import { flash, rendre } from '../vues/rendu.js';

const CHEMIN = '/espace/dossiers/ajouter';
const TITRES_ETAPES = ['Numéro d’identification', 'Code reçu par SMS'] as const;
const MINUTES_VALIDITE = REGLES_CODE.validiteMs / 60_000;

const contacter = (juridiction: string, telephone: string | null) => (telephone ? `le ${juridiction} (${telephone})` : `le ${juridiction}`);

/** The French message of each refusal, and the field it belongs to (none: the whole form). */
export function messageRefus(r: RefusRattachement, maintenant: Date): ErreurFormulaire {
  switch (r.code) {
    case 'numero_vide':
      return { champ: 'numero', message: 'Saisissez le numéro d’identification reçu par courriel.' };
    case 'numero_mal_forme':
      return { champ: 'numero', message: 'Ce numéro d’identification est mal saisi : il compte 12 lettres et chiffres, par exemple K7QF-3XWM-9RTD. Vérifiez votre saisie.' };
    case 'numero_inconnu':
      return { champ: 'numero', message: 'Ce numéro d’identification ne correspond à aucun dossier consultable en ligne. Vérifiez votre saisie ; si le numéro est exact, rapprochez-vous du tribunal qui gère votre dossier.' };
    case 'deja_rattache':
      return { champ: 'numero', message: 'Ce dossier est déjà dans votre espace : vous l’avez déjà ajouté avec ce numéro d’identification.' };
    case 'sans_telephone':
      return { message: `Le tribunal n’a enregistré aucun numéro de téléphone portable pour ce dossier : le code ne peut pas vous être envoyé par SMS. Contactez ${contacter(r.juridiction, r.telephoneJuridiction)} pour lui communiquer votre numéro, puis recommencez.` };
    case 'verrouille':
      return { message: `Pour protéger ce dossier, son ajout avec ce numéro d’identification est bloqué jusqu’au ${formaterDateHeure(r.jusqua)}, après 10 codes erronés. Si vous n’êtes pas à l’origine de ces essais ou avez besoin d’aide, contactez ${contacter(r.juridiction, r.telephoneJuridiction)}.` };
    case 'limite_sms':
      return { message: `Le maximum de ${REGLES_CODE.envoisParFenetre} codes par heure est atteint. Vous pourrez demander un nouveau code à partir de ${formaterHeure(r.reessayerA)}.` };
    case 'intervalle_sms': {
      const secondes = Math.max(1, Math.ceil((r.reessayerA.getTime() - maintenant.getTime()) / 1000));
      return { message: `Un code vient d’être envoyé à ce numéro de téléphone. Attendez ${secondes} seconde${secondes > 1 ? 's' : ''} avant d’en demander un nouveau.` };
    }
    case 'envoi_impossible':
      return { message: 'Le code n’a pas pu être envoyé pour le moment. Réessayez dans quelques minutes.' };
    case 'tentative_inconnue':
      return { message: 'Votre demande de code n’est plus valable. Saisissez de nouveau votre numéro d’identification.' };
    case 'code_vide':
      return { champ: 'code', message: `Saisissez le code à ${REGLES_CODE.chiffres} chiffres reçu par SMS.` };
    case 'code_mal_forme':
      return { champ: 'code', message: `Le code compte ${REGLES_CODE.chiffres} chiffres, sans lettres. Vérifiez votre saisie.` };
    case 'code_incorrect':
      return { champ: 'code', message: `Le code saisi est incorrect. Il vous reste ${r.essaisRestants} essai${r.essaisRestants > 1 ? 's' : ''}.` };
    case 'code_desactive':
      return r.maintenant
        ? { message: `Le code saisi est incorrect. Après ${REGLES_CODE.essaisParCode} essais erronés, ce code est désactivé : demandez un nouveau code.` }
        : { message: `Ce code est désactivé après ${REGLES_CODE.essaisParCode} essais erronés : demandez un nouveau code.` };
    case 'code_remplace':
      return { message: 'Ce code a été remplacé par un code plus récent : saisissez le dernier code reçu par SMS, ou demandez-en un nouveau.' };
    case 'code_expire':
      return { message: `Ce code a expiré : il n’est valable que ${MINUTES_VALIDITE} minutes. Demandez un nouveau code.` };
    case 'code_utilise':
      return { message: 'Ce code a déjà été utilisé : demandez un nouveau code.' };
  }
}

function statut(r: RefusRattachement): number {
  if (r.code === 'limite_sms' || r.code === 'intervalle_sms') return 429;
  if (r.code === 'envoi_impossible') return 503;
  return 422;
}

/** Refusals after which the code step makes no sense: back to the number. */
const RETOUR_AU_NUMERO = new Set<RefusRattachement['code']>(['numero_inconnu', 'tentative_inconnue', 'verrouille', 'deja_rattache', 'sans_telephone']);

function vueNumero(ctx: RouterContext, o: { erreurs: ErreurFormulaire[]; numero?: string; statut?: number }): void {
  const erreur = o.erreurs.find((e) => e.champ === 'numero')?.message;
  rendre(ctx, {
    titre: o.erreurs.length ? 'Erreur — Ajouter un dossier' : 'Ajouter un dossier',
    statut: o.statut,
    contenu: html`
<div class="fr-grid-row"><div class="fr-col-12 fr-col-md-8">
${resumeErreurs(o.erreurs)}
<h1>Ajouter un dossier</h1>
${etapes(1, TITRES_ETAPES)}
<p>Saisissez le numéro d’identification que vous avez reçu par courriel lorsque le tribunal a enregistré votre consentement à la communication électronique. Un code vous sera ensuite envoyé par SMS, au numéro de téléphone portable que le tribunal a enregistré.</p>
<p class="fr-text--sm">Les dossiers s’ajoutent un par un. Si vous représentez plusieurs personnes dans une même affaire, vous avez reçu un numéro d’identification par personne : ajoutez l’affaire avec chacun d’eux.</p>
<form method="post" action="${CHEMIN}" novalidate>
  <input type="hidden" name="_csrf" value="${String(ctx.state._csrf)}">
  <input type="hidden" name="etape" value="numero">
  ${champTexte({
    id: 'numero',
    label: 'Numéro d’identification',
    indice: '12 lettres et chiffres, par exemple K7QF-3XWM-9RTD. Espaces, tirets, majuscules et minuscules sont sans importance.',
    valeur: o.numero,
    erreur,
    attributs: html` autocomplete="off" spellcheck="false" autocapitalize="characters" maxlength="40"`,
  })}
  <ul class="fr-btns-group fr-btns-group--inline-md fr-mt-3w">
    <li><button type="submit" class="fr-btn">Obtenir le code par SMS</button></li>
    <li><a class="fr-btn fr-btn--secondary" href="/espace">Annuler</a></li>
  </ul>
</form>
<p class="fr-mt-3w"><a class="fr-link" href="${lienAide('numero-non-recu')}">Aide : je n’ai pas reçu de numéro d’identification</a></p>
</div></div>`,
  });
}

function vueCode(ctx: RouterContext, o: { tentative: string; telephone: string; erreurs: ErreurFormulaire[]; statut?: number }): void {
  const erreur = o.erreurs.find((e) => e.champ === 'code')?.message;
  const csrf = String(ctx.state._csrf);
  rendre(ctx, {
    titre: o.erreurs.length ? 'Erreur — Code reçu par SMS' : 'Code reçu par SMS',
    statut: o.statut,
    contenu: html`
<div class="fr-grid-row"><div class="fr-col-12 fr-col-md-8">
${resumeErreurs(o.erreurs)}
<h1>Ajouter un dossier</h1>
${etapes(2, TITRES_ETAPES)}
<div class="fr-alert fr-alert--info fr-alert--sm fr-mb-3w" role="status">
  <p>Un code a été envoyé au numéro se terminant par ${o.telephone}. Il est valable ${MINUTES_VALIDITE} minutes.</p>
</div>
<form method="post" action="${CHEMIN}" novalidate>
  <input type="hidden" name="_csrf" value="${csrf}">
  <input type="hidden" name="etape" value="code">
  <input type="hidden" name="tentative" value="${o.tentative}">
  ${champTexte({
    id: 'code',
    label: 'Code reçu par SMS',
    indice: `${REGLES_CODE.chiffres} chiffres. Ne le communiquez à personne, pas même à votre avocat.`,
    erreur,
    attributs: html` inputmode="numeric" autocomplete="one-time-code" maxlength="12"`,
  })}
  <ul class="fr-btns-group fr-btns-group--inline-md fr-mt-3w">
    <li><button type="submit" class="fr-btn">Valider le code</button></li>
  </ul>
</form>
<form method="post" action="${CHEMIN}">
  <input type="hidden" name="_csrf" value="${csrf}">
  <input type="hidden" name="etape" value="renvoyer">
  <input type="hidden" name="tentative" value="${o.tentative}">
  <p class="fr-text--sm fr-mb-1w">Vous n’avez rien reçu, ou le code a expiré ?</p>
  <button type="submit" class="fr-btn fr-btn--secondary fr-btn--sm">Recevoir un nouveau code</button>
</form>
<p class="fr-mt-3w"><a class="fr-link" href="${CHEMIN}">Saisir un autre numéro d’identification</a></p>
<p><a class="fr-link" href="${lienAide('code-sms')}">Aide : le code est refusé ou n’arrive pas</a></p>
</div></div>`,
  });
}

export function pagesAjoutDossier(deps: ContexteRattachement) {
  const refuser = async (ctx: RouterContext, r: RefusRattachement, o: { numero?: string; tentative?: string }) => {
    const erreur = messageRefus(r, deps.maintenant());
    const s = statut(r);
    if (r.code === 'limite_sms' || r.code === 'intervalle_sms') {
      ctx.set('Retry-After', String(Math.max(1, Math.ceil((r.reessayerA.getTime() - deps.maintenant().getTime()) / 1000))));
    }
    const compte = ctx.state.compte as Compte;
    const enCours = o.tentative && !RETOUR_AU_NUMERO.has(r.code) ? await service.tentativeEnCours(deps, compte.id, o.tentative) : null;
    if (enCours && o.tentative) return vueCode(ctx, { tentative: o.tentative, telephone: enCours.telephone, erreurs: [erreur], statut: s });
    return vueNumero(ctx, { erreurs: [erreur], numero: o.numero, statut: s });
  };
  const versCode = (ctx: RouterContext, tentative: string) => {
    ctx.redirect(`${CHEMIN}?tentative=${encodeURIComponent(tentative)}`);
    ctx.status = 303;
  };

  return {
    async page(ctx: RouterContext): Promise<void> {
      const compte = ctx.state.compte as Compte;
      const tentative = typeof ctx.query.tentative === 'string' ? ctx.query.tentative : null;
      const enCours = tentative ? await service.tentativeEnCours(deps, compte.id, tentative) : null;
      if (tentative && enCours) return vueCode(ctx, { tentative, telephone: enCours.telephone, erreurs: [] });
      vueNumero(ctx, { erreurs: [] });
    },

    async envoyer(ctx: RouterContext): Promise<void> {
      const compte = ctx.state.compte as Compte;
      const corps = (ctx.request.body ?? {}) as Record<string, unknown>;
      const champ = (nom: string) => (typeof corps[nom] === 'string' ? (corps[nom] as string).slice(0, 200) : '');
      const etape = champ('etape');

      if (etape === 'code') {
        const tentative = champ('tentative');
        const r = await service.verifierCode(deps, compte.id, tentative, champ('code'));
        if (!r.ok) return refuser(ctx, r.refus, { tentative });
        flash(ctx, { type: 'succes', message: 'Ce dossier vient d’être ajouté à votre compte.' });
        ctx.redirect('/espace');
        ctx.status = 303;
        return;
      }

      if (etape === 'renvoyer') {
        const tentative = champ('tentative');
        const r = await service.renvoyerCode(deps, compte.id, tentative);
        if (!r.ok) return refuser(ctx, r.refus, { tentative });
        return versCode(ctx, r.tentative);
      }

      const numero = champ('numero');
      const r = await service.demanderCode(deps, compte.id, numero);
      if (!r.ok) return refuser(ctx, r.refus, { numero: numero.slice(0, 40) });
      versCode(ctx, r.tentative);
    },
  };
}
