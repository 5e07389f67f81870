// /espace/requetes: the citizen's online petitions (issue 7, decree art. 2, 4 and 5). The list,
// "Nouvelle requête" (juridiction and kind), the draft's page (its kind's fields, third parties,
// attachments; saved by a plain "Enregistrer le brouillon" and, with JavaScript, as the citizen
// types), the summary before sending, and the proof of deposit (PDF).
//
// Every write goes through services/requetes.ts, which checks ownership (someone else's requête
// is a 404, same as a missing one) and the read-only rule (after transmission: 409). These pages
// only translate forms into those calls and answers into French pages.
import type { RouterContext } from '@koa/router';
import type Koa from 'koa';
import PDFDocument from 'pdfkit';
import type { Compte } from '../../db/comptes.js';
import { listerJuridictions } from '../../db/juridictions.js';
import * as db from '../../db/requetes.js';
import type { Config } from '../../domain/config.js';
import { formaterDate, formaterDateHeure, formaterHeure } from '../../domain/dates.js';
import { ErreurPortail, conflit, type DetailErreur } from '../../domain/erreurs.js';
import { dispositionFichier } from '../../domain/vie-du-dossier.js';
import { erreursEnvoi, nettoyerNom, nomTiers, TYPES_REQUETE, typeRequete, type TypeRequete } from '../../domain/requetes.js';
import * as service from '../../services/requetes.js';
import type { ContexteRequetes } from '../../services/requetes.js';
import { fichierRecu, lectureMultipart } from '../middleware/multipart.js';
import { resumeErreurs } from '../vues/formulaire.js';
import { html } from '../vues/html.js';
import { flash, lireFlash, rendre } from '../vues/rendu.js';
import {
  badgeStatut,
  BASE,
  blocStatut,
  champFormulaire,
  cheminRequete,
  datesRequete,
  donneesLisibles,
  enregistreA,
  enTransmission,
  expiration,
  formulairePiece,
  formulaireTiers,
  libelleMime,
  libelleStatut,
  libelleType,
  listePieces,
  listeTiers,
  modifiable,
  PHRASE_LECTURE_SEULE,
  taille,
} from './requetes-vues.js';

export { BASE as CHEMIN_REQUETES };

/** The same words as the service's refusal (services/requetes.ts), for checks made here first. */
const lectureSeule = () => conflit('Cette requête a été transmise à la juridiction : elle ne peut plus être modifiée ni supprimée.');

// ---------------------------------------------------------------------------------------------
// Attachments: the upload form is multipart, read before the CSRF check by the shared reader
// (web/middleware/multipart.ts), for exactly this path and a citizen's session.

export const CHEMIN_TELEVERSEMENT = /^\/espace\/requetes\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\/pieces$/i;

export function televersementPieces(config: Pick<Config, 'MAX_DOCUMENT_BYTES'>): Koa.Middleware {
  return lectureMultipart({
    chemin: (c) => CHEMIN_TELEVERSEMENT.test(c),
    autorise: (s) => Boolean(s?.compteId),
    champFichier: 'fichier',
    maxOctets: config.MAX_DOCUMENT_BYTES,
  });
}

// ---------------------------------------------------------------------------------------------

type Contexte = Required<Pick<ContexteRequetes, 'maintenant'>> & ContexteRequetes;

const texte = (v: unknown) => (typeof v === 'string' ? v : Array.isArray(v) ? String(v[0] ?? '') : '');
const corps = (ctx: RouterContext) => (ctx.request.body ?? {}) as Record<string, unknown>;
const csrf = (ctx: RouterContext) => String(ctx.state._csrf ?? '');
const compteDe = (ctx: RouterContext) => ctx.state.compte as Compte;
const retour = html`<p><a class="fr-link fr-icon-arrow-left-line fr-link--icon-left" href="${BASE}">Retour à mes requêtes</a></p>`;

function rediriger(ctx: RouterContext, url: string): void {
  ctx.redirect(url);
  ctx.status = 303;
}

/** The requester as the decree names them: first names, birth name, usage name. */
export function nomRequerant(c: Pick<Compte, 'given_name' | 'family_name' | 'preferred_name'>): string {
  const nom = [c.given_name, c.family_name].filter(Boolean).join(' ');
  return c.preferred_name && c.preferred_name !== c.family_name ? `${nom} (nom d’usage ${c.preferred_name})` : nom;
}

/** The kind's values of a form body, as strings (what the page shows back). */
function saisieChamps(t: TypeRequete, b: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(t.champs.map((c) => [c.nom, texte(b[c.nom])]));
}

interface OptionsEdition {
  erreurs?: DetailErreur[];
  /** The fields as typed (a refused save shows them back). */
  saisie?: Record<string, string>;
  tiers?: Record<string, string>;
  erreurFichier?: string;
  statut?: number;
}

export function pagesRequetes(deps: Contexte) {
  const pool = deps.pool;

  async function lire(ctx: RouterContext): Promise<db.Requete> {
    return service.requeteDuCitoyen(pool, compteDe(ctx).id, String(ctx.params.id ?? ''));
  }

  function vueEdition(ctx: RouterContext, r: db.Requete, t: TypeRequete, tiers: readonly db.LigneTiers[], pieces: readonly db.Piece[], o: OptionsEdition = {}): void {
    const jeton = csrf(ctx);
    const erreurs = [...(o.erreurs ?? []), ...(o.erreurFichier ? [{ champ: 'fichier', message: o.erreurFichier }] : [])];
    const erreurChamp = (nom: string) => o.erreurs?.find((e) => e.champ === nom)?.message;
    const valeurs = o.saisie ?? saisieChamps(t, r.donnees);
    const chemin = cheminRequete(r.id);
    rendre(ctx, {
      titre: `${erreurs.length ? 'Erreur — ' : ''}${t.libelle}`,
      statut: o.statut,
      contenu: html`
${retour}
${resumeErreurs(erreurs)}
${lireFlash(ctx)}
${ctx.query.enregistre === '1' && !erreurs.length
  ? html`<div class="fr-alert fr-alert--success fr-alert--sm fr-mb-3w" role="status"><p>Brouillon enregistré à ${formaterHeure(r.updated_at)}.</p></div>`
  : null}
<h1>${t.libelle}</h1>
<p>${badgeStatut(r)} Juridiction : <strong>${r.juridiction_nom ?? r.juridiction}</strong></p>
${r.statut === 'echec'
  ? html`<div class="fr-alert fr-alert--error fr-mb-3w">
  <h2 class="fr-alert__title">L’envoi de votre requête a échoué</h2>
  <p>${r.echec_raison ?? 'La juridiction n’a pas pu la recevoir.'}</p>
  <p>Vous pouvez la corriger si besoin, puis la renvoyer : elle ne sera pas reçue deux fois.</p>
  <form method="post" action="${chemin}/envoyer" class="fr-mt-2w">
    <input type="hidden" name="_csrf" value="${jeton}">
    <button type="submit" class="fr-btn fr-icon-send-plane-line fr-btn--icon-left">Renvoyer la requête</button>
  </form>
</div>`
  : null}
${r.expire_le
  ? html`<p class="fr-text--sm">Brouillon commencé le ${formaterDate(r.created_at)}. Tant qu’il n’est pas envoyé, il ${expiration(r.expire_le, deps.maintenant())} : un brouillon est conservé 30 jours à compter du jour où il a été commencé, même s’il est modifié ensuite.</p>`
  : null}
<p>${t.description}</p>

<h2>Votre demande</h2>
<p class="fr-text--sm">Les champs marqués d’un astérisque (*) sont obligatoires pour envoyer la requête. Vous pouvez enregistrer un brouillon incomplet et le reprendre plus tard ; avec JavaScript, il est enregistré au fil de la saisie.</p>
<form method="post" action="${chemin}" novalidate id="formulaire-requete"
  hx-post="${chemin}" hx-trigger="change, input delay:2s" hx-target="#etat-enregistrement" hx-swap="innerHTML">
  <input type="hidden" name="_csrf" value="${jeton}">
  ${t.champs.map((c) => champFormulaire(c, valeurs[c.nom] ?? '', erreurChamp(c.nom)))}
  <div id="etat-enregistrement" role="status" aria-live="polite" class="fr-mb-2w"></div>
  <button type="submit" class="fr-btn fr-btn--secondary fr-icon-save-line fr-btn--icon-left">Enregistrer le brouillon</button>
</form>

<h2 id="tiers" tabindex="-1" class="fr-mt-6w">Personnes concernées</h2>
<p>${t.tiersAide}${t.tiersMin > 0 ? ` Pour envoyer la requête, indiquez au moins ${t.tiersMin === 1 ? 'une personne' : `${t.tiersMin} personnes`}.` : ''}</p>
${listeTiers(r, tiers, jeton)}
<h3 class="fr-h6">Ajouter une personne</h3>
<p class="fr-text--sm">Sans JavaScript, enregistrez d’abord le brouillon : les champs de la demande non enregistrés seraient perdus.</p>
${formulaireTiers(r, jeton, o.tiers ?? {}, o.erreurs ?? [])}

<h2 id="pieces" tabindex="-1" class="fr-mt-6w">Pièces jointes</h2>
<p>${t.piecesAide}${t.piecesMin > 1 ? ` Pour envoyer la requête, joignez au moins ${t.piecesMin} pièces.` : ''}</p>
${listePieces(r, pieces, jeton)}
${formulairePiece(r, jeton, deps.config.MAX_DOCUMENT_BYTES, deps.config.MAX_REQUETE_BYTES, o.erreurFichier)}

<h2 class="fr-mt-6w">Vérifier et envoyer</h2>
<p>Relisez votre requête avant de l’envoyer. Une fois transmise à la juridiction, vous ne pourrez plus la modifier ni la supprimer.</p>
<ul class="fr-btns-group fr-btns-group--inline-md fr-btns-group--icon-left">
  <li><a class="fr-btn fr-icon-eye-line fr-btn--icon-left" href="${chemin}/recapitulatif">Vérifier et envoyer</a></li>
  <li><a class="fr-btn fr-btn--tertiary fr-icon-delete-line fr-btn--icon-left" href="${chemin}/supprimer">Supprimer ce brouillon</a></li>
</ul>`,
    });
  }

  function vueLecture(ctx: RouterContext, r: db.Requete, t: TypeRequete, tiers: readonly db.LigneTiers[], pieces: readonly db.Piece[]): void {
    const chemin = cheminRequete(r.id);
    rendre(ctx, {
      titre: t.libelle,
      contenu: html`
${retour}
${lireFlash(ctx)}
<h1>${t.libelle}</h1>
<p>${badgeStatut(r)} Juridiction : <strong>${r.juridiction_nom ?? r.juridiction}</strong>${r.reference ? html` — référence <strong>${r.reference}</strong>` : null}</p>
${blocStatut(r)}
<div class="fr-callout fr-mb-4w"><p class="fr-callout__text" id="lecture-seule">${enTransmission(r) ? 'Pendant sa transmission à la juridiction, la requête ne peut pas être modifiée.' : PHRASE_LECTURE_SEULE}</p></div>
${r.statut === 'envoyee' || r.statut === 'enregistree'
  ? html`<p><a class="fr-btn fr-btn--secondary fr-icon-file-pdf-line fr-btn--icon-left" href="${chemin}/recepisse.pdf" download>Télécharger le récépissé de dépôt (PDF)</a></p>`
  : null}
<h2>Votre demande</h2>
${donneesLisibles(t, r.donnees)}
<h2>Personnes concernées</h2>
${listeTiers(r, tiers, null)}
<h2>Pièces jointes</h2>
${listePieces(r, pieces, null)}`,
    });
  }

  async function afficher(ctx: RouterContext, r: db.Requete, o: OptionsEdition = {}): Promise<void> {
    const t = typeRequete(r.type)!;
    const [tiers, pieces] = await Promise.all([db.tiersDeLaRequete(pool, r.id), db.piecesDeLaRequete(pool, r.id)]);
    ctx.set('Cache-Control', 'no-store');
    if (modifiable(r)) vueEdition(ctx, r, t, tiers, pieces, o);
    else vueLecture(ctx, r, t, tiers, pieces);
  }

  /** Refusals shown on the page concern a requête the citizen may still change; others are 409. */
  async function pourEcriture(ctx: RouterContext): Promise<db.Requete> {
    const r = await lire(ctx);
    if (!modifiable(r)) throw lectureSeule();
    return r;
  }

  function vueRecapitulatif(ctx: RouterContext, r: db.Requete, t: TypeRequete, tiers: readonly db.LigneTiers[], pieces: readonly db.Piece[], refus: DetailErreur[] | null, statut?: number): void {
    const chemin = cheminRequete(r.id);
    const peutEnvoyer = modifiable(r);
    // Shown before sending too, as a warning: the workflow's check (the same rules) decides.
    const manques = peutEnvoyer && !refus ? erreursEnvoi({ type: r.type, donnees: r.donnees, nbTiers: tiers.length, nbPieces: pieces.length, aujourdHui: service.aujourdHui(deps.maintenant()) }) : [];
    const lien = (e: DetailErreur) => (e.champ === 'requete' ? null : `${chemin}#${e.champ}`);
    const liste = (es: DetailErreur[]) => html`<ul>${es.map((e) => html`<li>${lien(e) ? html`<a href="${lien(e)}">${e.message}</a>` : e.message}</li>`)}</ul>`;
    rendre(ctx, {
      titre: `${refus?.length ? 'Erreur — ' : ''}Récapitulatif — ${t.libelle}`,
      statut,
      contenu: html`
<p><a class="fr-link fr-icon-arrow-left-line fr-link--icon-left" href="${chemin}">Retour à la requête</a></p>
${refus?.length
  ? html`<div class="fr-alert fr-alert--error fr-mb-4w" role="alert" id="resume-erreurs" tabindex="-1">
  <h2 class="fr-alert__title">Votre requête ne peut pas encore être envoyée</h2>
  <p>Complétez ou corrigez :</p>
  ${liste(refus)}
</div>`
  : null}
<h1>Récapitulatif de votre requête</h1>
<p>${badgeStatut(r)}</p>
<dl class="fr-mb-3w">
  <dt class="fr-text--bold fr-mb-0">Type de requête</dt><dd class="fr-ml-0 fr-mb-2w">${t.libelle}</dd>
  <dt class="fr-text--bold fr-mb-0">Juridiction</dt><dd class="fr-ml-0 fr-mb-2w">${r.juridiction_nom ?? r.juridiction}</dd>
  <dt class="fr-text--bold fr-mb-0">Requérant</dt><dd class="fr-ml-0 fr-mb-2w">${nomRequerant(compteDe(ctx))}</dd>
</dl>
<h2>Votre demande</h2>
${donneesLisibles(t, r.donnees, peutEnvoyer ? { lienModifier: chemin } : {})}
<h2>Personnes concernées</h2>
${listeTiers(r, tiers, null)}
<h2>Pièces jointes</h2>
${listePieces(r, pieces, null)}
${peutEnvoyer
  ? html`${manques.length
    ? html`<div class="fr-alert fr-alert--warning fr-mb-3w"><h2 class="fr-alert__title">Il manque encore des informations</h2>${liste(manques)}</div>`
    : null}
<div class="fr-callout fr-mb-3w"><p class="fr-callout__text">En envoyant cette requête, vous la transmettez à la juridiction. Vous ne pourrez plus la modifier ni la supprimer ; vous recevrez un accusé de réception par courriel et pourrez télécharger un récépissé de dépôt.</p></div>
<form method="post" action="${chemin}/envoyer">
  <input type="hidden" name="_csrf" value="${csrf(ctx)}">
  <ul class="fr-btns-group fr-btns-group--inline-md fr-btns-group--icon-left">
    <li><button type="submit" class="fr-btn fr-icon-send-plane-line fr-btn--icon-left">Envoyer</button></li>
    <li><a class="fr-btn fr-btn--secondary" href="${chemin}">Modifier la requête</a></li>
  </ul>
</form>`
  : html`<p id="lecture-seule">${enTransmission(r) ? 'Cette requête est en cours de transmission.' : PHRASE_LECTURE_SEULE}</p>`}`,
    });
  }

  return {
    async liste(ctx: RouterContext): Promise<void> {
      const liste = await db.requetesDuCompte(pool, compteDe(ctx).id);
      const maintenant = deps.maintenant();
      ctx.set('Cache-Control', 'no-store');
      rendre(ctx, {
        titre: 'Mes requêtes',
        contenu: html`
<p><a class="fr-link fr-icon-arrow-left-line fr-link--icon-left" href="/espace">Retour à mon espace</a></p>
${lireFlash(ctx)}
<h1>Mes requêtes</h1>
<p>Adressez une requête en ligne à une juridiction, avec ses pièces jointes. Un brouillon non envoyé est supprimé 30 jours après le jour où il a été commencé.</p>
<ul class="fr-btns-group fr-btns-group--inline-md fr-btns-group--icon-left"><li><a class="fr-btn fr-icon-add-line fr-btn--icon-left" href="${BASE}/nouvelle">Nouvelle requête</a></li></ul>
${liste.length === 0
  ? html`<p>Vous n’avez encore adressé aucune requête en ligne.</p>`
  : html`<div class="fr-table fr-table--no-caption" id="liste-requetes"><div class="fr-table__wrapper"><div class="fr-table__container"><div class="fr-table__content">
<table>
  <caption>Mes requêtes</caption>
  <thead><tr><th scope="col">Requête</th><th scope="col">Juridiction</th><th scope="col">Statut</th><th scope="col">Dates</th></tr></thead>
  <tbody>${liste.map((r) => html`<tr>
    <td>${r.statut === 'supprimee' ? libelleType(r.type) : html`<a href="${cheminRequete(r.id)}">${libelleType(r.type)}<span class="fr-sr-only">, commencée le ${formaterDate(r.created_at)}</span></a>`}${r.reference ? html`<br><span class="fr-text--sm">Référence ${r.reference}</span>` : null}</td>
    <td>${r.juridiction_nom ?? r.juridiction}</td>
    <td>${badgeStatut(r)}</td>
    <td class="fr-text--sm">${datesRequete(r, maintenant)}</td>
  </tr>`)}</tbody>
</table></div></div></div></div>`}`,
      });
    },

    async nouvelle(ctx: RouterContext): Promise<void> {
      await vueNouvelle(ctx, {}, []);
    },

    async commencer(ctx: RouterContext): Promise<void> {
      const b = corps(ctx);
      const saisie = { juridiction: texte(b.juridiction), type: texte(b.type) };
      try {
        const id = await service.commencer(deps, compteDe(ctx).id, saisie);
        flash(ctx, { type: 'succes', message: 'Votre brouillon est créé. Il est enregistré au fil de la saisie ; vous pouvez le quitter et le reprendre depuis « Mes requêtes ».' });
        rediriger(ctx, cheminRequete(id));
      } catch (e) {
        if (e instanceof ErreurPortail && e.httpStatus === 400) return vueNouvelle(ctx, saisie, e.details.length ? e.details : [{ champ: 'juridiction', message: e.messageUsager }], 422);
        throw e;
      }
    },

    async page(ctx: RouterContext): Promise<void> {
      await afficher(ctx, await lire(ctx));
    },

    /** "Enregistrer le brouillon", and the htmx autosave (a small fragment in the live region). */
    async enregistrer(ctx: RouterContext): Promise<void> {
      const r = await lire(ctx);
      const t = typeRequete(r.type)!;
      const b = corps(ctx);
      const res = await service.enregistrerChamps(deps, compteDe(ctx).id, r.id, b);
      const htmx = ctx.get('HX-Request') === 'true';
      if (htmx) {
        ctx.type = 'html';
        ctx.set('Cache-Control', 'no-store');
        ctx.status = res.ok ? 200 : 422;
        ctx.body = (res.ok
          ? enregistreA(deps.maintenant())
          : html`<div class="fr-alert fr-alert--error fr-alert--sm"><p>Brouillon non enregistré :</p><ul>${res.erreurs.map((e) => html`<li><a href="#${e.champ}">${e.message}</a></li>`)}</ul></div>`).toString();
        return;
      }
      if (!res.ok) return afficher(ctx, r, { erreurs: res.erreurs, saisie: saisieChamps(t, b), statut: 422 });
      // Said by the URL, not by a session flash: an autosave still in flight when the button is
      // pressed rewrites the (rolling) session and would drop the flash.
      rediriger(ctx, `${cheminRequete(r.id)}?enregistre=1`);
    },

    /** Polled while the requête is being transmitted: 204 until its status moves. */
    async etat(ctx: RouterContext): Promise<void> {
      // A poll is not activity: it must not keep an idle session alive (as /espace/etat).
      (ctx as unknown as { sessionOptions?: { rolling?: boolean } }).sessionOptions!.rolling = false;
      const r = await lire(ctx);
      ctx.set('Cache-Control', 'no-store');
      if (enTransmission(r)) {
        ctx.status = 204;
        return;
      }
      // The whole page changes (read-only view, or the form again after a failure): reload it.
      ctx.set('HX-Refresh', 'true');
      ctx.type = 'html';
      ctx.body = html`<div id="etat-requete"><div class="fr-alert fr-alert--info fr-mb-3w" role="status"><p>${libelleStatut(r)}. <a href="${cheminRequete(r.id)}">Actualiser la page</a></p></div></div>`.toString();
    },

    async ajouterTiers(ctx: RouterContext): Promise<void> {
      const r = await lire(ctx);
      const b = corps(ctx);
      const saisie = Object.fromEntries(['type', 'civilite', 'nom', 'nomUsage', 'prenoms', 'raisonSociale', 'formeJuridique', 'titre'].map((k) => [k, texte(b[k])]));
      const res = await service.ajouterTiers(deps, compteDe(ctx).id, r.id, saisie);
      if (!res.ok) return afficher(ctx, r, { erreurs: res.erreurs, tiers: saisie, statut: 422 });
      flash(ctx, { type: 'succes', message: 'La personne a été ajoutée à la requête.' });
      rediriger(ctx, `${cheminRequete(r.id)}#tiers`);
    },

    async retirerTiers(ctx: RouterContext): Promise<void> {
      const r = await lire(ctx);
      await service.retirerTiers(deps, compteDe(ctx).id, r.id, String(ctx.params.tiersId ?? ''));
      flash(ctx, { type: 'succes', message: 'La personne a été retirée de la requête.' });
      rediriger(ctx, `${cheminRequete(r.id)}#tiers`);
    },

    async ajouterPiece(ctx: RouterContext): Promise<void> {
      const r = await pourEcriture(ctx);
      const { fichier: f, refus } = fichierRecu(ctx);
      if (refus) return afficher(ctx, r, { erreurFichier: refus, statut: 413 });
      if (!f) return afficher(ctx, r, { erreurFichier: 'Choisissez le fichier à joindre.', statut: 422 });
      const res = await service.ajouterPiece(deps, compteDe(ctx).id, r.id, { nom: f.nom, octets: f.contenu });
      if (!res.ok) return afficher(ctx, r, { erreurFichier: res.message, statut: 422 });
      flash(ctx, { type: 'succes', message: `« ${res.nom} » a été joint à la requête.` });
      rediriger(ctx, `${cheminRequete(r.id)}#pieces`);
    },

    async retirerPiece(ctx: RouterContext): Promise<void> {
      const r = await lire(ctx);
      await service.retirerPiece(deps, compteDe(ctx).id, r.id, String(ctx.params.pieceId ?? ''));
      flash(ctx, { type: 'succes', message: 'La pièce jointe a été retirée.' });
      rediriger(ctx, `${cheminRequete(r.id)}#pieces`);
    },

    /** An attachment, always as a download: its bytes were checked, its name came from the citizen. */
    async piece(ctx: RouterContext): Promise<void> {
      const r = await lire(ctx);
      const p = await db.contenuPiece(pool, r.id, String(ctx.params.pieceId ?? ''));
      if (!p) throw new ErreurPortail('introuvable', "La page demandée n'existe pas.", 404);
      ctx.status = 200;
      ctx.set('Content-Type', p.type_mime);
      ctx.set('Content-Disposition', dispositionFichier('attachment', p.nom));
      ctx.set('X-Content-Type-Options', 'nosniff');
      ctx.set('Cache-Control', 'private, no-store');
      ctx.set('Content-Length', String(p.contenu.length));
      ctx.body = p.contenu;
    },

    async confirmationSuppression(ctx: RouterContext): Promise<void> {
      const r = await pourEcriture(ctx);
      rendre(ctx, {
        titre: 'Supprimer ce brouillon',
        contenu: html`
<div class="fr-grid-row"><div class="fr-col-12 fr-col-md-8">
<p><a class="fr-link fr-icon-arrow-left-line fr-link--icon-left" href="${cheminRequete(r.id)}">Retour à la requête</a></p>
<h1>Supprimer ce brouillon ?</h1>
<p>${libelleType(r.type)} — ${r.juridiction_nom ?? r.juridiction}, commencée le ${formaterDate(r.created_at)}.</p>
<div class="fr-callout fr-mb-4w"><p class="fr-callout__text">Le brouillon, les personnes indiquées et les pièces jointes seront définitivement effacés. La liste de vos requêtes gardera seulement la trace de sa suppression.</p></div>
<form method="post" action="${cheminRequete(r.id)}/supprimer">
  <input type="hidden" name="_csrf" value="${csrf(ctx)}">
  <ul class="fr-btns-group fr-btns-group--inline-md">
    <li><button type="submit" class="fr-btn">Supprimer définitivement</button></li>
    <li><a class="fr-btn fr-btn--secondary" href="${cheminRequete(r.id)}">Annuler</a></li>
  </ul>
</form>
</div></div>`,
      });
    },

    async supprimer(ctx: RouterContext): Promise<void> {
      const r = await lire(ctx);
      await service.supprimer(deps, compteDe(ctx).id, r.id);
      flash(ctx, { type: 'succes', titre: 'Brouillon supprimé', message: `${libelleType(r.type)} : le brouillon et ses pièces jointes ont été effacés.` });
      rediriger(ctx, BASE);
    },

    async recapitulatif(ctx: RouterContext): Promise<void> {
      const r = await lire(ctx);
      const [tiers, pieces] = await Promise.all([db.tiersDeLaRequete(pool, r.id), db.piecesDeLaRequete(pool, r.id)]);
      ctx.set('Cache-Control', 'no-store');
      vueRecapitulatif(ctx, r, typeRequete(r.type)!, tiers, pieces, null);
    },

    async envoyer(ctx: RouterContext): Promise<void> {
      const r = await lire(ctx);
      const res = await service.envoyer(deps, compteDe(ctx).id, r.id);
      if (res.acceptee) {
        flash(ctx, { type: 'info', titre: 'Requête en cours de transmission', message: 'Vous recevrez un accusé de réception par courriel dès qu’elle aura été transmise à la juridiction.' });
        return rediriger(ctx, cheminRequete(r.id));
      }
      // Already transmitted (or being transmitted): the read-only refusal, as for every write.
      if (res.erreurs.some((e) => e.champ === 'requete')) throw conflit(res.erreurs.map((e) => e.message).join(' '));
      const apres = await lire(ctx);
      const [tiers, pieces] = await Promise.all([db.tiersDeLaRequete(pool, r.id), db.piecesDeLaRequete(pool, r.id)]);
      vueRecapitulatif(ctx, apres, typeRequete(r.type)!, tiers, pieces, [...res.erreurs], 422);
    },

    /** The proof of deposit, once the court received the requête. */
    async recepisse(ctx: RouterContext): Promise<void> {
      const r = await lire(ctx);
      if ((r.statut !== 'envoyee' && r.statut !== 'enregistree') || !r.sent_at || !r.reference) {
        throw new ErreurPortail('introuvable', "La page demandée n'existe pas.", 404);
      }
      const [tiers, pieces] = await Promise.all([db.tiersDeLaRequete(pool, r.id), db.piecesDeLaRequete(pool, r.id)]);
      const pdf = await recepissePdf(r, nomRequerant(compteDe(ctx)), tiers, pieces);
      ctx.status = 200;
      ctx.set('Content-Type', 'application/pdf');
      ctx.set('Content-Disposition', dispositionFichier('attachment', `recepisse-${r.reference}.pdf`));
      ctx.set('X-Content-Type-Options', 'nosniff');
      ctx.set('Cache-Control', 'private, no-store');
      ctx.body = pdf;
    },
  };

  async function vueNouvelle(ctx: RouterContext, saisie: { juridiction?: string; type?: string }, erreurs: DetailErreur[], statut?: number): Promise<void> {
    const juridictions = await listerJuridictions(pool);
    const eJur = erreurs.find((e) => e.champ === 'juridiction')?.message;
    const eType = erreurs.find((e) => e.champ === 'type')?.message;
    rendre(ctx, {
      titre: `${erreurs.length ? 'Erreur — ' : ''}Nouvelle requête`,
      statut,
      contenu: html`
<div class="fr-grid-row"><div class="fr-col-12 fr-col-md-8">
${retour}
${resumeErreurs(erreurs)}
<h1>Nouvelle requête</h1>
<p>Choisissez la juridiction à laquelle vous adressez votre requête et le type de demande. Vous remplirez ensuite la requête, à votre rythme : le brouillon est conservé 30 jours.</p>
<form method="post" action="${BASE}/nouvelle" novalidate>
  <input type="hidden" name="_csrf" value="${csrf(ctx)}">
  <div class="fr-select-group${eJur ? ' fr-select-group--error' : ''}">
    <label class="fr-label" for="juridiction">Juridiction<span class="fr-hint-text" id="juridiction-indice">Le tribunal compétent est en général celui du lieu où vous habitez ou, pour un enfant, du lieu où il réside.</span></label>
    <select class="fr-select" id="juridiction" name="juridiction" aria-describedby="juridiction-indice${eJur ? ' juridiction-erreur' : ''}"${eJur ? html` aria-invalid="true"` : null}>
      <option value=""${!saisie.juridiction ? html` selected` : null} disabled hidden>Sélectionnez une juridiction</option>
      ${juridictions.map((j) => html`<option value="${j.code}"${saisie.juridiction === j.code ? html` selected` : null}>${j.nom}</option>`)}
    </select>
    ${eJur ? html`<p class="fr-error-text" id="juridiction-erreur">${eJur}</p>` : null}
  </div>
  <p class="fr-text--sm"><a class="fr-link fr-link--sm" href="/juridictions">Voir les adresses et horaires des juridictions</a></p>
  <fieldset class="fr-fieldset${eType ? ' fr-fieldset--error' : ''}" aria-labelledby="type-legende${eType ? ' type-erreur' : ''}">
    <legend class="fr-fieldset__legend" id="type-legende">Type de requête</legend>
    ${TYPES_REQUETE.map((t, i) => html`<div class="fr-fieldset__element"><div class="fr-radio-group">
      <input type="radio" id="${i === 0 ? 'type' : `type-${t.code}`}" name="type" value="${t.code}"${saisie.type === t.code ? html` checked` : null}>
      <label class="fr-label" for="${i === 0 ? 'type' : `type-${t.code}`}">${t.libelle}<span class="fr-hint-text">${t.description}</span></label>
    </div></div>`)}
    ${eType ? html`<div class="fr-messages-group"><p class="fr-error-text" id="type-erreur">${eType}</p></div>` : null}
  </fieldset>
  <ul class="fr-btns-group fr-btns-group--inline-md fr-mt-3w">
    <li><button type="submit" class="fr-btn">Commencer la requête</button></li>
    <li><a class="fr-btn fr-btn--secondary" href="${BASE}">Annuler</a></li>
  </ul>
</form>
</div></div>`,
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Proof of deposit

/** The standard PDF fonts know WinAnsi only: typographic spaces become plain ones. */
const pourPdf = (s: string) => s.replace(/[\u202F\u00A0\u2009]/g, ' ');

export function recepissePdf(r: db.Requete, requerant: string, tiers: readonly db.LigneTiers[], pieces: readonly db.Piece[]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const titre = 'Récépissé de dépôt d’une requête en ligne';
    const doc = new PDFDocument({ size: 'A4', margin: 56, lang: 'fr-FR', info: { Title: `${titre} ${r.reference ?? ''}`, Author: 'Portail du justiciable' } });
    const morceaux: Buffer[] = [];
    doc.on('data', (c: Buffer) => morceaux.push(c));
    doc.on('end', () => resolve(Buffer.concat(morceaux)));
    doc.on('error', reject);
    const ligne = (libelle: string, valeur: string) => {
      doc.font('Helvetica-Bold').text(`${libelle} : `, { continued: true }).font('Helvetica').text(pourPdf(valeur));
      doc.moveDown(0.3);
    };
    doc.fontSize(9).font('Helvetica').text('RÉPUBLIQUE FRANÇAISE — Ministère de la Justice').moveDown(0.5);
    doc.fontSize(16).font('Helvetica-Bold').text(titre).moveDown();
    doc.fontSize(11);
    ligne('Référence', r.reference ?? '');
    ligne('Déposée le', `${formaterDateHeure(r.sent_at!)} (heure de Paris)`);
    ligne('Juridiction', r.juridiction_nom ?? r.juridiction);
    ligne('Type de requête', libelleType(r.type));
    ligne('Requérant', requerant);
    if (r.statut === 'enregistree' && r.numero_dossier) ligne('Enregistrée sous le numéro de dossier', r.numero_dossier);
    doc.moveDown(0.5).font('Helvetica-Bold').text('Personnes concernées').font('Helvetica').moveDown(0.3);
    if (tiers.length === 0) doc.text('Aucune.');
    for (const t of tiers) doc.text(`• ${pourPdf(nomTiers(db.versTiers(t)))}`);
    doc.moveDown(0.8).font('Helvetica-Bold').text('Pièces jointes').font('Helvetica').moveDown(0.3);
    if (pieces.length === 0) doc.text('Aucune.');
    for (const p of pieces) {
      doc.text(`• ${pourPdf(p.nom)} — ${libelleMime(p.type_mime)}, ${p.taille} octets (${taille(p.taille)})`);
      doc.fontSize(8).text(`  SHA-256 : ${p.sha256}`).fontSize(11).moveDown(0.2);
    }
    doc.moveDown().fontSize(9).text('Ce récépissé atteste la transmission de la requête à la juridiction par le Portail du justiciable. Il ne préjuge pas de sa recevabilité. L’empreinte SHA-256 de chaque pièce permet de vérifier qu’elle a été reçue sans modification.');
    doc.end();
  });
}
