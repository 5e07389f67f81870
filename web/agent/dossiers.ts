// The registry's pages for its own juridiction (agent_greffe, directeur_greffe): finding a case
// by its numéro de dossier or Portalis number, its view, and — for courts without a business
// application — entering what the court API would push: consents, events with their document,
// hearings, closure and reopening. Every write goes through services/tribunal.ts, the very
// commands of the court API, with the agent as the journal's actor in the command's transaction.
// Every consultation is journaled in the transaction of its reads.
import type { RouterContext } from '@koa/router';
import { randomBytes } from 'node:crypto';
import { DateTime } from 'luxon';
import type { Client } from '@temporalio/client';
import type { DatabasePool } from 'slonik';
import type { Config } from '../../domain/config.js';
import { juridictionsAutorisees, jourParis, LIBELLES_ROLES, type AgentConnecte } from '../../domain/agents.js';
import { ErreurPortail } from '../../domain/erreurs.js';
import { audienceSchema, clotureSchema, consentementSchema, evenementSchema, TYPES_DOCUMENT } from '../../domain/schemas/tribunal.js';
import { dispositionContenu } from '../../domain/vie-du-dossier.js';
import { nomPartie } from '../../domain/rattachement.js';
import { formaterDateHeure } from '../../domain/dates.js';
import * as dossiers from '../../db/dossiers.js';
import * as agents from '../../db/agents.js';
import { journaliser } from '../../db/journal.js';
import * as tribunal from '../../services/tribunal.js';
import { autoriser, introuvableAgent, limiterRecherches, type Autorisation } from '../middleware/agent.js';
import { html, type SafeHtml } from '../vues/html.js';
import { resumeErreurs, type ErreurFormulaire } from '../vues/formulaire.js';
import { flash } from '../vues/rendu.js';
import { casesACocher, champ, erreurDe, erreursDeZod, listeDe, selecteur, texteDe } from './champs.js';
import { fichierRecu } from '../middleware/multipart.js';
import { filAriane, jetonCsrf, rendreAgent } from './vues.js';
import { CHAMPS_VUE_GREFFE, lireDossierAgent, vueDossierAgent, type DonneesDossierAgent } from './vue-dossier.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Why a clerk consults a case: the registry's own handling of it. */
export const FINALITE_GREFFE = 'gestion du dossier par le greffe';

type Formulaire = 'consentement' | 'evenement' | 'audience' | 'cloture';
interface EtatFormulaire {
  formulaire: Formulaire;
  erreurs: ErreurFormulaire[];
  valeurs: Record<string, unknown>;
}

/** A local date-time typed in a form (Europe/Paris) as an ISO instant with its offset, or the input as is. */
export function instantParis(saisie: string): string {
  if (!saisie) return saisie;
  const d = DateTime.fromISO(saisie, { zone: 'Europe/Paris' });
  return d.isValid ? d.toISO({ suppressMilliseconds: true })! : saisie;
}

const nouvelId = (prefixe: string) => `${prefixe}-${randomBytes(6).toString('hex')}`;

const TYPES_EVENEMENT = [
  { valeur: 'information', libelle: 'Information' },
  { valeur: 'convocation', libelle: 'Convocation' },
  { valeur: 'avis', libelle: 'Avis' },
  { valeur: 'recepisse', libelle: 'Récépissé' },
  { valeur: 'renvoi', libelle: 'Renvoi' },
  { valeur: 'decision', libelle: 'Décision (seule la date est montrée au justiciable)' },
];
const LIBELLES_DOCUMENT: Record<(typeof TYPES_DOCUMENT)[number], string> = { recepisse: 'Récépissé', avis: 'Avis', convocation: 'Convocation' };

export function pagesDossiersAgent(deps: { pool: DatabasePool; temporal: Client; config: Config; maintenant: () => Date }) {
  const { pool } = deps;
  const commande: tribunal.ContexteTribunal = { pool: deps.pool, temporal: deps.temporal, config: deps.config };

  async function charger(ctx: RouterContext, action: 'consulter_dossier' | 'modifier_dossier'): Promise<{ d: dossiers.Dossier; auto: Autorisation }> {
    const id = String(ctx.params.id ?? '');
    const d = UUID.test(id) ? await dossiers.obtenirDossier(pool, id) : null;
    if (!d) throw introuvableAgent();
    const auto = await autoriser(pool, ctx, action, d.juridiction, { type: 'dossier', id: d.id });
    return { d, auto };
  }

  const acteur = (auto: Autorisation): tribunal.ActeurAgent => ({ agentId: auto.agent.id, role: auto.role.role, finalite: FINALITE_GREFFE });
  const cible = (d: dossiers.Dossier): tribunal.CibleAffaire => ({ juridiction: d.juridiction, numeroPortalis: d.numero_portalis });

  function formulaires(ctx: RouterContext, donnees: DonneesDossierAgent, etat?: EtatFormulaire): SafeHtml {
    const d = donnees.dossier;
    const base = `/agent/dossiers/${d.id}`;
    const err = (f: Formulaire) => (etat?.formulaire === f ? etat.erreurs : []);
    const val = (f: Formulaire, nom: string, defaut = '') => (etat?.formulaire === f ? texteDe(etat.valeurs, nom) : defaut);
    const parties = donnees.parties.filter((p) => !p.retiree_at);
    const optionsParties = parties.map((p) => ({ valeur: p.id_tribunal, libelle: `${p.id_tribunal} — ${nomPartie(p)} (${p.role})` }));
    const e = { consentement: err('consentement'), evenement: err('evenement'), audience: err('audience'), cloture: err('cloture') };
    return html`
<h2 id="saisie">Saisie par le greffe</h2>
<p class="fr-text--sm">Pour les juridictions sans application métier connectée : ces saisies ont le même effet que les envois du tribunal par l’API (courriels, alertes, rappels SMS) et sont tracées à votre nom.</p>

<section class="fr-mb-6w" id="formulaire-consentement" aria-labelledby="titre-consentement">
  <h3 id="titre-consentement">Enregistrer un consentement à la communication électronique</h3>
  ${d.suivi_en_ligne
    ? html`${resumeErreurs(e.consentement)}
  <form method="post" action="${base}/consentements" novalidate>
    ${jetonCsrf(ctx)}
    ${selecteur({ id: 'consentement-partie', nom: 'partie', label: 'Partie qui consent', options: [{ valeur: '', libelle: 'Choisir une partie' }, ...optionsParties], valeur: val('consentement', 'partie'), erreur: erreurDe(e.consentement, 'consentement-partie'), requis: true })}
    <fieldset class="fr-fieldset" aria-labelledby="legende-representant">
      <legend class="fr-fieldset__legend fr-text--regular" id="legende-representant">Représentant (facultatif)<span class="fr-hint-text">À remplir quand le numéro d’identification doit être adressé à la personne qui représente la partie (obligatoire si la partie n’a pas d’adresse électronique).</span></legend>
      <div class="fr-fieldset__element">${selecteur({ id: 'consentement-civilite', nom: 'representant_civilite', label: 'Civilité', options: [{ valeur: '', libelle: 'Non précisée' }, { valeur: 'M.', libelle: 'M.' }, { valeur: 'Mme', libelle: 'Mme' }], valeur: val('consentement', 'representant_civilite') })}</div>
      <div class="fr-fieldset__element">${champ({ id: 'consentement-nom', nom: 'representant_nom', label: 'Nom du représentant', valeur: val('consentement', 'representant_nom'), erreur: erreurDe(e.consentement, 'consentement-nom') })}</div>
      <div class="fr-fieldset__element">${champ({ id: 'consentement-prenoms', nom: 'representant_prenoms', label: 'Prénoms du représentant', valeur: val('consentement', 'representant_prenoms'), erreur: erreurDe(e.consentement, 'consentement-prenoms') })}</div>
      <div class="fr-fieldset__element">${champ({ id: 'consentement-courriel', nom: 'representant_courriel', type: 'email', label: 'Adresse électronique du représentant', indice: 'Format attendu : nom@domaine.fr', valeur: val('consentement', 'representant_courriel'), erreur: erreurDe(e.consentement, 'consentement-courriel'), attributs: html` autocomplete="off"` })}</div>
      <div class="fr-fieldset__element">${champ({ id: 'consentement-telephone', nom: 'representant_telephone', type: 'tel', label: 'Téléphone portable du représentant', indice: 'Format attendu : 06 12 34 56 78 ou +33 6 12 34 56 78', valeur: val('consentement', 'representant_telephone'), erreur: erreurDe(e.consentement, 'consentement-telephone') })}</div>
    </fieldset>
    <button type="submit" class="fr-btn">Enregistrer le consentement</button>
  </form>`
    : html`<p>Ce dossier relève d’une procédure qui ne peut pas être suivie en ligne : aucun consentement n’est possible par le portail.</p>`}
</section>

<section class="fr-mb-6w" id="formulaire-evenement" aria-labelledby="titre-evenement">
  <h3 id="titre-evenement">Ajouter un événement</h3>
  ${resumeErreurs(e.evenement)}
  <form method="post" action="${base}/evenements" enctype="multipart/form-data" novalidate>
    ${jetonCsrf(ctx)}
    <input type="hidden" name="id" value="${val('evenement', 'id', nouvelId('greffe'))}">
    ${selecteur({ id: 'evenement-type', nom: 'type', label: 'Type d’événement', options: TYPES_EVENEMENT, valeur: val('evenement', 'type', 'information'), erreur: erreurDe(e.evenement, 'evenement-type') })}
    ${champ({ id: 'evenement-date', nom: 'date', type: 'datetime-local', label: 'Date et heure', indice: 'Heure de Paris', valeur: val('evenement', 'date'), erreur: erreurDe(e.evenement, 'evenement-date'), requis: true })}
    ${champ({ id: 'evenement-libelle', nom: 'libelle', label: 'Libellé', indice: 'Tel que le justiciable le lira dans « Vie du dossier »', valeur: val('evenement', 'libelle'), erreur: erreurDe(e.evenement, 'evenement-libelle'), requis: true })}
    <fieldset class="fr-fieldset" aria-labelledby="legende-document">
      <legend class="fr-fieldset__legend fr-text--regular" id="legende-document">Document joint (facultatif)<span class="fr-hint-text">Seuls les récépissés, avis et convocations sont publiés aux parties destinataires.</span></legend>
      <div class="fr-fieldset__element">${selecteur({ id: 'evenement-document-type', nom: 'document_type', label: 'Type de document', options: [{ valeur: '', libelle: 'Aucun document' }, ...TYPES_DOCUMENT.map((t) => ({ valeur: t, libelle: LIBELLES_DOCUMENT[t] }))], valeur: val('evenement', 'document_type'), erreur: erreurDe(e.evenement, 'evenement-document-type') })}</div>
      <div class="fr-fieldset__element">${champ({ id: 'evenement-document-titre', nom: 'document_titre', label: 'Titre du document', valeur: val('evenement', 'document_titre'), erreur: erreurDe(e.evenement, 'evenement-document-titre') })}</div>
      <div class="fr-fieldset__element">${casesACocher({ id: 'evenement-destinataires', nom: 'destinataires', legende: 'Parties destinataires', options: optionsParties, valeurs: etat?.formulaire === 'evenement' ? listeDe(etat.valeurs, 'destinataires') : [], erreur: erreurDe(e.evenement, 'evenement-destinataires') })}</div>
      <div class="fr-fieldset__element">${champ({ id: 'evenement-fichier', nom: 'fichier', type: 'file', label: 'Fichier PDF', indice: `Format PDF uniquement, ${Math.round(deps.config.MAX_DOCUMENT_BYTES / 1024 / 1024)} Mo au plus.`, erreur: erreurDe(e.evenement, 'evenement-fichier'), attributs: html` accept="application/pdf,.pdf"` })}</div>
    </fieldset>
    <button type="submit" class="fr-btn">Ajouter l’événement</button>
  </form>
</section>

<section class="fr-mb-6w" id="formulaire-audience" aria-labelledby="titre-audience">
  <h3 id="titre-audience">Planifier ou déplacer une audience</h3>
  ${resumeErreurs(e.audience)}
  <form method="post" action="${base}/audiences" novalidate>
    ${jetonCsrf(ctx)}
    <input type="hidden" name="nouvelle" value="${val('audience', 'nouvelle', nouvelId('audience'))}">
    ${selecteur({ id: 'audience-choix', nom: 'audience', label: 'Audience', options: [{ valeur: '', libelle: 'Nouvelle audience' }, ...donnees.audiences.map((a) => ({ valeur: a.id_tribunal, libelle: `Déplacer l’audience du ${formaterDateHeure(a.debut)} (${a.libelle})${a.annulee_at ? ' — annulée' : ''}` }))], valeur: val('audience', 'audience') })}
    ${champ({ id: 'audience-debut', nom: 'debut', type: 'datetime-local', label: 'Date et heure de l’audience', indice: 'Heure de Paris', valeur: val('audience', 'debut'), erreur: erreurDe(e.audience, 'audience-debut'), requis: true })}
    ${champ({ id: 'audience-libelle', nom: 'libelle', label: 'Libellé', indice: 'Par exemple : Audience du juge aux affaires familiales', valeur: val('audience', 'libelle'), erreur: erreurDe(e.audience, 'audience-libelle'), requis: true })}
    ${champ({ id: 'audience-adresse', nom: 'adresse', label: 'Adresse', valeur: val('audience', 'adresse', donnees.juridictionAdresse), erreur: erreurDe(e.audience, 'audience-adresse'), requis: true })}
    ${champ({ id: 'audience-salle', nom: 'salle', label: 'Salle', valeur: val('audience', 'salle'), erreur: erreurDe(e.audience, 'audience-salle') })}
    <button type="submit" class="fr-btn">Enregistrer l’audience</button>
  </form>
</section>

<section class="fr-mb-6w" id="formulaire-cloture" aria-labelledby="titre-cloture">
  <h3 id="titre-cloture">${d.date_cloture ? 'Réouverture du dossier' : 'Clôture du dossier'}</h3>
  ${resumeErreurs(e.cloture)}
  ${d.date_cloture
    ? html`<form method="post" action="${base}/reouverture">${jetonCsrf(ctx)}<p>Le dossier est clôturé : il sera supprimé du portail à la fin de sa durée de conservation, sauf réouverture.</p><button type="submit" class="fr-btn fr-btn--secondary">Rouvrir le dossier</button></form>`
    : html`<form method="post" action="${base}/cloture" novalidate>${jetonCsrf(ctx)}
    ${champ({ id: 'cloture-date', nom: 'date', type: 'datetime-local', label: 'Date et heure de clôture', indice: 'Heure de Paris. La durée de conservation d’un an court à partir de cette date.', valeur: val('cloture', 'date'), erreur: erreurDe(e.cloture, 'cloture-date'), requis: true })}
    <button type="submit" class="fr-btn fr-btn--secondary">Clôturer le dossier</button></form>`}
</section>`;
  }

  /** Reads the case, journals the consultation in the same transaction, renders. */
  async function afficher(ctx: RouterContext, d: dossiers.Dossier, auto: Autorisation, etat?: EtatFormulaire): Promise<void> {
    const donnees = await pool.transaction(async (t) => {
      const lu = await lireDossierAgent(t, d);
      await journaliser(t, {
        acteurType: 'agent', acteurId: auto.agent.id, role: auto.role.role, juridiction: d.juridiction, finalite: FINALITE_GREFFE,
        action: 'dossier.consulter', objetType: 'dossier', objetId: d.id, resultat: 'succes', details: { champs: CHAMPS_VUE_GREFFE },
      });
      return lu;
    });
    const base = `/agent/dossiers/${d.id}`;
    rendreAgent(ctx, {
      titre: `${etat ? 'Erreur — ' : ''}Dossier n° ${d.numero_dossier}`,
      statut: etat ? 422 : 200,
      contenu: html`
${filAriane([{ titre: 'Espace agents', href: '/agent' }, { titre: 'Dossiers', href: '/agent/dossiers' }, { titre: `Dossier n° ${d.numero_dossier}` }])}
<h1>Dossier n° ${d.numero_dossier}</h1>
<p class="fr-text--sm">Consulté en tant que ${LIBELLES_ROLES[auto.role.role]} ; cette consultation est tracée.</p>
<nav class="fr-summary fr-mb-4w" role="navigation" aria-labelledby="sommaire-titre">
  <p class="fr-summary__title" id="sommaire-titre">Sommaire</p>
  <ol class="fr-summary__list">
    <li><a class="fr-summary__link" href="#parties">Parties</a></li>
    <li><a class="fr-summary__link" href="#vie-du-dossier">Vie du dossier</a></li>
    <li><a class="fr-summary__link" href="#audiences">Audiences</a></li>
    <li><a class="fr-summary__link" href="#documents">Documents</a></li>
    <li><a class="fr-summary__link" href="#formulaire-consentement">Enregistrer un consentement</a></li>
    <li><a class="fr-summary__link" href="#formulaire-evenement">Ajouter un événement</a></li>
    <li><a class="fr-summary__link" href="#formulaire-audience">Planifier ou déplacer une audience</a></li>
    <li><a class="fr-summary__link" href="#formulaire-cloture">${d.date_cloture ? 'Rouvrir' : 'Clôturer'} le dossier</a></li>
  </ol>
</nav>
${vueDossierAgent(donnees, {
  complet: true,
  lienDocument: (id) => `${base}/documents/${id}`,
  actionsAudience: (a) => html`<form method="post" action="${base}/audiences/${a.id_tribunal}/annuler" class="fr-mt-1w">${jetonCsrf(ctx)}<button type="submit" class="fr-btn fr-btn--sm fr-btn--tertiary">Annuler l’audience<span class="fr-sr-only"> du ${formaterDateHeure(a.debut)}</span></button></form>`,
})}
${formulaires(ctx, donnees, etat)}`,
    });
  }

  /** A refused entry: journaled (outcome "erreur", nothing changed), the page again with the errors. */
  async function echec(ctx: RouterContext, d: dossiers.Dossier, auto: Autorisation, action: string, etat: EtatFormulaire): Promise<void> {
    await journaliser(pool, {
      acteurType: 'agent', acteurId: auto.agent.id, role: auto.role.role, juridiction: d.juridiction, finalite: FINALITE_GREFFE,
      action, objetType: 'dossier', objetId: d.id, resultat: 'erreur', details: { erreurs: etat.erreurs.map((e) => e.champ ?? e.message) },
    });
    await afficher(ctx, d, auto, etat);
  }

  /** The service's refusals (409 not followed online, 413, 415, unknown party…) as form errors. */
  function erreursService(e: unknown, champs: Record<string, string>, defaut: string): ErreurFormulaire[] | null {
    if (!(e instanceof ErreurPortail) || e.httpStatus >= 500 || e.httpStatus === 404) return null;
    if (e.details.length) return e.details.map((x) => ({ champ: champs[x.champ] ?? defaut, message: x.message.charAt(0).toUpperCase() + x.message.slice(1) }));
    return [{ champ: defaut, message: e.messageUsager }];
  }

  const succes = (ctx: RouterContext, d: dossiers.Dossier, titre: string, message: string, ancre: string) => {
    flash(ctx, { type: 'succes', titre, message });
    ctx.status = 303;
    ctx.redirect(`/agent/dossiers/${d.id}${ancre}`);
  };

  return {
    async recherche(ctx: RouterContext): Promise<void> {
      const agent = ctx.state.agent as AgentConnecte;
      const aujourdHui = jourParis(deps.maintenant());
      const juridictions = juridictionsAutorisees(agent, 'consulter_dossier', aujourdHui);
      if (juridictions.length === 0) await autoriser(pool, ctx, 'consulter_dossier', null, { type: 'recherche', id: null });
      const numero = String(ctx.query.numero ?? '').trim().slice(0, 64);
      let resultats: readonly agents.DossierTrouve[] | null = null;
      if (numero) {
        await limiterRecherches(pool, ctx, agent.id);
        const role = agent.roles.find((r) => juridictions.includes(r.juridiction))!;
        resultats = await pool.transaction(async (t) => {
          const r = await agents.chercherDossiers(t, numero, juridictions);
          await journaliser(t, {
            acteurType: 'agent', acteurId: agent.id, role: role.role, juridiction: role.juridiction, finalite: FINALITE_GREFFE,
            action: 'dossier.rechercher', objetType: 'recherche', objetId: null, resultat: 'succes', details: { numero, resultats: r.length },
          });
          return r;
        });
      }
      rendreAgent(ctx, {
        titre: 'Rechercher un dossier',
        contenu: html`
${filAriane([{ titre: 'Espace agents', href: '/agent' }, { titre: 'Dossiers' }])}
<h1>Rechercher un dossier</h1>
<p>Dans ${juridictions.filter(Boolean).join(', ')} : par numéro de dossier (ex. 26/01234) ou numéro Portalis.</p>
<form method="get" action="/agent/dossiers" class="fr-mb-4w">
  <div class="fr-search-bar" role="search">
    <label class="fr-label" for="numero">Numéro de dossier ou numéro Portalis</label>
    <input class="fr-input" type="search" id="numero" name="numero" value="${numero}" placeholder="Numéro de dossier ou Portalis">
    <button type="submit" class="fr-btn" title="Rechercher">Rechercher</button>
  </div>
</form>
${resultats === null
    ? null
    : resultats.length === 0
      ? html`<div class="fr-alert fr-alert--info" role="status"><p>Aucun dossier de votre juridiction ne porte le numéro « ${numero} ».</p></div>`
      : html`<div class="fr-table"><table>
  <caption>${resultats.length} dossier${resultats.length > 1 ? 's' : ''} trouvé${resultats.length > 1 ? 's' : ''}</caption>
  <thead><tr><th scope="col">Numéro de dossier</th><th scope="col">Portalis</th><th scope="col">Juridiction</th><th scope="col">Nature</th><th scope="col">État</th></tr></thead>
  <tbody>${resultats.map((r) => html`<tr><td><a href="/agent/dossiers/${r.id}">${r.numero_dossier}</a></td><td>${r.numero_portalis}</td><td>${r.juridiction_nom}</td><td>${r.nature}</td><td>${r.etat}${r.date_cloture ? ' (clôturé)' : ''}</td></tr>`)}</tbody>
</table></div>`}`,
      });
    },

    async page(ctx: RouterContext): Promise<void> {
      const { d, auto } = await charger(ctx, 'consulter_dossier');
      await afficher(ctx, d, auto);
    },

    async document(ctx: RouterContext): Promise<void> {
      const { d, auto } = await charger(ctx, 'consulter_dossier');
      const docId = String(ctx.params.docId ?? '');
      const doc = UUID.test(docId)
        ? await pool.transaction(async (t) => {
          const x = await agents.documentDuDossier(t, d.id, docId);
          if (x) {
            await journaliser(t, {
              acteurType: 'agent', acteurId: auto.agent.id, role: auto.role.role, juridiction: d.juridiction, finalite: FINALITE_GREFFE,
              action: 'document.consulter', objetType: 'dossier', objetId: d.id, resultat: 'succes', details: { document: x.id },
            });
          }
          return x;
        })
        : null;
      if (!doc) throw introuvableAgent();
      ctx.set('Content-Disposition', dispositionContenu('inline', doc.titre));
      ctx.set('Cache-Control', 'no-store');
      ctx.type = 'application/pdf';
      ctx.body = doc.contenu;
    },

    async consentement(ctx: RouterContext): Promise<void> {
      const { d, auto } = await charger(ctx, 'modifier_dossier');
      const corps = (ctx.request.body ?? {}) as Record<string, unknown>;
      const r = (n: string) => texteDe(corps, `representant_${n}`).trim();
      const avecRepresentant = ['nom', 'prenoms', 'courriel', 'telephone'].some((n) => r(n) !== '');
      const entree = {
        partie: texteDe(corps, 'partie'),
        ...(avecRepresentant ? { representant: { civilite: r('civilite') || null, nom: r('nom'), prenoms: r('prenoms') || null, courriel: r('courriel'), telephone: r('telephone') || null } } : {}),
      };
      const champs = { partie: 'consentement-partie', 'representant.nom': 'consentement-nom', 'representant.prenoms': 'consentement-prenoms', 'representant.courriel': 'consentement-courriel', 'representant.telephone': 'consentement-telephone', 'representant.civilite': 'consentement-civilite' };
      const v = consentementSchema.safeParse(entree);
      if (!v.success) return echec(ctx, d, auto, 'consentement.enregistrer', { formulaire: 'consentement', erreurs: erreursDeZod(v.error.issues, champs, 'consentement-partie'), valeurs: corps });
      try {
        const res = await tribunal.enregistrerConsentement(commande, cible(d), v.data, acteur(auto));
        succes(ctx, d, res.cree ? 'Consentement enregistré' : 'Consentement déjà enregistré',
          res.cree ? 'Le numéro d’identification est envoyé par courriel à la partie (ou à son représentant). Il ne vous est pas communiqué.' : 'Cette partie avait déjà un consentement en cours : aucun nouveau numéro n’est envoyé.', '#parties');
      } catch (e) {
        const erreurs = erreursService(e, champs, 'consentement-partie');
        if (!erreurs) throw e;
        await echec(ctx, d, auto, 'consentement.enregistrer', { formulaire: 'consentement', erreurs, valeurs: corps });
      }
    },

    async evenement(ctx: RouterContext): Promise<void> {
      const { d, auto } = await charger(ctx, 'modifier_dossier');
      const corps = (ctx.request.body ?? {}) as Record<string, unknown>;
      const { fichier, refus } = fichierRecu(ctx);
      const typeDocument = texteDe(corps, 'document_type');
      const entree: Record<string, unknown> = { id: texteDe(corps, 'id'), type: texteDe(corps, 'type'), date: instantParis(texteDe(corps, 'date')), libelle: texteDe(corps, 'libelle') };
      // A file the reader refused (too big) is said once, next to the field.
      const erreursFichier: ErreurFormulaire[] = refus ? [{ champ: 'evenement-fichier', message: refus }] : [];
      if (typeDocument && !refus) {
        if (!fichier) erreursFichier.push({ champ: 'evenement-fichier', message: 'Joignez le fichier PDF du document.' });
        entree.document = { type: typeDocument, titre: texteDe(corps, 'document_titre'), destinataires: listeDe(corps, 'destinataires'), pdf: fichier ? fichier.contenu.toString('base64') : 'AA==' };
      } else if (fichier) {
        erreursFichier.push({ champ: 'evenement-document-type', message: 'Choisissez le type du document joint.' });
      }
      const champs = { id: 'evenement-libelle', type: 'evenement-type', date: 'evenement-date', libelle: 'evenement-libelle', 'document.type': 'evenement-document-type', 'document.titre': 'evenement-document-titre', 'document.destinataires': 'evenement-destinataires', 'document.pdf': 'evenement-fichier', document: 'evenement-document-type' };
      const v = evenementSchema.safeParse(entree);
      const erreurs = [...(v.success ? [] : erreursDeZod(v.error.issues, champs, 'evenement-libelle')), ...erreursFichier];
      if (!v.success || erreurs.length) return echec(ctx, d, auto, 'evenement.ajouter', { formulaire: 'evenement', erreurs, valeurs: corps });
      try {
        await tribunal.ajouterEvenement(commande, cible(d), v.data, acteur(auto));
        succes(ctx, d, 'Événement ajouté', 'L’événement figure dans la vie du dossier ; les personnes qui suivent le dossier en sont averties.', '#vie-du-dossier');
      } catch (e) {
        const refus = erreursService(e, champs, 'evenement-fichier');
        if (!refus) throw e;
        await echec(ctx, d, auto, 'evenement.ajouter', { formulaire: 'evenement', erreurs: refus, valeurs: corps });
      }
    },

    async audience(ctx: RouterContext): Promise<void> {
      const { d, auto } = await charger(ctx, 'modifier_dossier');
      const corps = (ctx.request.body ?? {}) as Record<string, unknown>;
      const existante = texteDe(corps, 'audience');
      const id = existante || texteDe(corps, 'nouvelle');
      const champs = { debut: 'audience-debut', libelle: 'audience-libelle', adresse: 'audience-adresse', salle: 'audience-salle' };
      const v = audienceSchema.safeParse({ debut: instantParis(texteDe(corps, 'debut')), libelle: texteDe(corps, 'libelle'), adresse: texteDe(corps, 'adresse'), salle: texteDe(corps, 'salle') || null });
      const idValide = /^[A-Za-z0-9._:-]{1,64}$/.test(id);
      if (!v.success || !idValide) {
        return echec(ctx, d, auto, 'audience.planifier', { formulaire: 'audience', erreurs: v.success ? [{ champ: 'audience-debut', message: 'Rechargez la page et recommencez.' }] : erreursDeZod(v.error.issues, champs, 'audience-debut'), valeurs: corps });
      }
      if (existante && !(await dossiers.listerAudiences(pool, d.id)).some((a) => a.id_tribunal === existante)) throw introuvableAgent();
      try {
        await tribunal.planifierAudience(commande, cible(d), id, v.data, acteur(auto));
        succes(ctx, d, existante ? 'Audience déplacée' : 'Audience planifiée', 'Les personnes qui suivent le dossier en sont averties ; le rappel par SMS suit la nouvelle date.', '#audiences');
      } catch (e) {
        const refus = erreursService(e, champs, 'audience-debut');
        if (!refus) throw e;
        await echec(ctx, d, auto, 'audience.planifier', { formulaire: 'audience', erreurs: refus, valeurs: corps });
      }
    },

    async annulerAudience(ctx: RouterContext): Promise<void> {
      const { d, auto } = await charger(ctx, 'modifier_dossier');
      const id = String(ctx.params.audience ?? '');
      if (!/^[A-Za-z0-9._:-]{1,64}$/.test(id)) throw introuvableAgent();
      await tribunal.annulerAudience(commande, cible(d), id, acteur(auto));
      succes(ctx, d, 'Audience annulée', 'Les personnes qui suivent le dossier en sont averties ; aucun rappel ne sera envoyé.', '#audiences');
    },

    async cloture(ctx: RouterContext): Promise<void> {
      const { d, auto } = await charger(ctx, 'modifier_dossier');
      const corps = (ctx.request.body ?? {}) as Record<string, unknown>;
      const v = clotureSchema.safeParse({ date: instantParis(texteDe(corps, 'date')) });
      if (!v.success) return echec(ctx, d, auto, 'affaire.cloturer', { formulaire: 'cloture', erreurs: erreursDeZod(v.error.issues, { date: 'cloture-date' }, 'cloture-date'), valeurs: corps });
      await tribunal.cloturer(commande, cible(d), v.data, acteur(auto));
      succes(ctx, d, 'Dossier clôturé', 'Le dossier reste consultable en ligne pendant sa durée de conservation.', '#resume-dossier');
    },

    async reouverture(ctx: RouterContext): Promise<void> {
      const { d, auto } = await charger(ctx, 'modifier_dossier');
      await tribunal.rouvrir(commande, cible(d), acteur(auto));
      succes(ctx, d, 'Dossier rouvert', 'La suppression programmée du dossier est annulée.', '#resume-dossier');
    },
  };
}
