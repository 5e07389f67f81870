// /espace/dossiers/{id}: one of the citizen's links (the id is the link's, one per represented
// party): the case's summary, its life ("Vie du dossier"), its parties, the documents addressed
// to the party the citizen follows it as, the court's update banner, and detaching it (seed 000,
// "Contenu des dossiers", "Détacher un dossier").
// An id that is not one of this account's visible links (unknown, someone else's, detached,
// hidden by the visibility rules) answers exactly like a page that does not exist (ANCHORS C2
// item 7): same status, same bytes. The same goes for a document that is not addressed to the
// link's party. Visibility is services/rattachement.ts `obtenir`, never re-implemented here.
import type { RouterContext } from '@koa/router';
import type { Compte } from '../../db/comptes.js';
import type { RattachementVisible } from '../../db/rattachements.js';
import * as consultation from '../../db/consultation.js';
import { obtenirJuridiction, type Juridiction } from '../../db/juridictions.js';
import { journaliser } from '../../db/journal.js';
import { consultationsDuDossier, type ConsultationParTribunal } from '../../db/agents.js';
import { LIBELLES_ROLES } from '../../domain/agents.js';
import { formaterDate, formaterDateHeure } from '../../domain/dates.js';
import { ajouterDuree } from '../../domain/durees.js';
import { ErreurPortail } from '../../domain/erreurs.js';
import { nomPartie, qualite } from '../../domain/rattachement.js';
import {
  debutDeJournee,
  decrireChangements,
  dispositionContenu,
  lotEnCours,
  ordonner,
  texteEvenement,
  type GenreElement,
} from '../../domain/vie-du-dossier.js';
import * as service from '../../services/rattachement.js';
import type { ContexteRattachement } from '../../services/rattachement.js';
import { html, type SafeHtml } from '../vues/html.js';
import { flash, rendre } from '../vues/rendu.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The very error an unknown path gets from web/middleware/erreurs.ts. */
const pageInexistante = () => new ErreurPortail('introuvable', "La page demandée n'existe pas.", 404);

export const MESSAGE_DETACHEMENT =
  'Le fait de détacher votre dossier n’annule ni votre consentement, ni vos alertes, ni l’envoi d’avis, de convocations et de récépissés par voie dématérialisée. Votre dossier ne sera simplement plus visible sur votre compte.';

/** "Dossier terminé le … ; visible jusqu’au …" (closure + CASE_RETENTION, in Europe/Paris). */
export function visibleJusquau(dateCloture: Date, retention: string): Date {
  return ajouterDuree(dateCloture, retention);
}

function resume(r: RattachementVisible, retention: string, j?: Juridiction) {
  return html`<dl class="fr-mb-3w">
  <dt class="fr-text--bold fr-mb-0">Nature</dt><dd class="fr-ml-0 fr-mb-2w">${r.nature}</dd>
  <dt class="fr-text--bold fr-mb-0">État</dt><dd class="fr-ml-0 fr-mb-2w">${r.etat}</dd>
  <dt class="fr-text--bold fr-mb-0">Numéro de dossier</dt><dd class="fr-ml-0 fr-mb-2w">${r.numero_dossier}</dd>
  <dt class="fr-text--bold fr-mb-0">Juridiction</dt><dd class="fr-ml-0 fr-mb-2w">${j ? coordonnees(j) : html`<a class="fr-link" href="/juridictions">${r.juridiction_nom}</a>`}</dd>
  <dt class="fr-text--bold fr-mb-0">Date de saisine</dt><dd class="fr-ml-0 fr-mb-2w">${formaterDate(debutDeJournee(r.date_saisine))}</dd>
  <dt class="fr-text--bold fr-mb-0">Vous suivez ce dossier</dt><dd class="fr-ml-0 fr-mb-2w">${qualite(r.partie, r.representant)}</dd>
  ${r.date_cloture
    ? html`<dt class="fr-text--bold fr-mb-0">Dossier terminé</dt><dd class="fr-ml-0 fr-mb-2w" id="visible-jusqua">le ${formaterDate(r.date_cloture)} ; il reste consultable jusqu’au ${formaterDate(visibleJusquau(r.date_cloture, retention))}.</dd>`
    : null}
</dl>`;
}

function coordonnees(j: Juridiction): SafeHtml {
  const carte = j.latitude !== null && j.longitude !== null
    ? `https://www.openstreetmap.org/?mlat=${j.latitude}&mlon=${j.longitude}#map=17/${j.latitude}/${j.longitude}`
    : `https://www.openstreetmap.org/search?query=${encodeURIComponent(j.adresse)}`;
  return html`<p class="fr-mb-1v fr-text--bold">${j.nom}</p>
<address class="fr-mb-1v">${j.adresse}</address>
<p class="fr-mb-1v"><a class="fr-link fr-icon-map-pin-2-line fr-link--icon-left" href="${carte}" target="_blank" rel="noopener" title="Localiser ${j.nom} sur une carte — nouvelle fenêtre">Localiser le tribunal</a></p>
${j.telephone ? html`<p class="fr-mb-1v">Téléphone : <a href="tel:${j.telephone.replace(/\s/g, '')}">${j.telephone}</a></p>` : null}
${j.courriel ? html`<p class="fr-mb-1v">Courriel : <a href="mailto:${j.courriel}">${j.courriel}</a></p>` : null}
${j.horaires ? html`<p class="fr-mb-1v">Horaires : ${j.horaires}</p>` : null}`;
}

// ------------------------------------------------------------------------------------------------
// "Vie du dossier"

/** Badge colour, icon and text alternative (visible label) of each kind of item. */
const PICTOS = {
  saisine: { classe: 'fr-badge--purple-glycine fr-icon-folder-2-line', libelle: 'Saisine' },
  evenement: { classe: 'fr-badge--blue-ecume fr-icon-flag-line', libelle: 'Événement' },
  decision: { classe: 'fr-badge--brown-caramel fr-icon-scales-3-line', libelle: 'Décision' },
  renvoi: { classe: 'fr-badge--orange-terre-battue fr-icon-scales-3-line', libelle: 'Renvoi' },
  audience: { classe: 'fr-badge--green-emeraude fr-icon-calendar-event-line', libelle: 'Audience' },
  document: { classe: 'fr-badge--pink-tuile fr-icon-file-pdf-line', libelle: 'Document' },
} as const;

const picto = (p: keyof typeof PICTOS) =>
  html`<span class="fr-badge fr-badge--sm fr-badge--icon-left ${PICTOS[p].classe}">${PICTOS[p].libelle}</span>`;

const TYPES_DOCUMENT: Record<string, string> = { recepisse: 'Récépissé', avis: 'Avis', convocation: 'Convocation' };

interface Element {
  date: Date;
  genre: GenreElement;
  cle: string;
  /** Whether the date shown on the left has an hour (events, hearings) or is a day (saisine). */
  avecHeure: boolean;
  contenu: SafeHtml;
  id?: string;
}

function vieDuDossier(
  r: RattachementVisible,
  evenements: readonly consultation.EvenementVie[],
  audiences: readonly consultation.AudienceVie[],
  documents: readonly consultation.DocumentVisible[],
  maintenant: Date,
): SafeHtml {
  const connues = audiences.map((a) => ({ debut: a.debut, annulee: a.annulee_at !== null }));
  const elements: Element[] = [
    { date: debutDeJournee(r.date_saisine), genre: 'saisine', cle: '', avecHeure: false, contenu: html`${picto('saisine')} <p class="fr-mb-0">Réception de votre dossier par le tribunal</p>` },
    ...evenements.map((e): Element => {
      const t = texteEvenement(e, connues);
      const p = t.nature === 'evenement' ? 'evenement' : t.nature;
      return {
        date: e.date, genre: 'evenement', cle: `${e.date.toISOString()}:${e.id_tribunal}`, avecHeure: true,
        contenu: html`${picto(p)} <p class="fr-mb-0">${t.texte}${t.nouvelleDate ? html` <strong class="nouvelle-date">${formaterDateHeure(t.nouvelleDate)}</strong>` : null}</p>`,
      };
    }),
    ...audiences.map((a): Element => ({
      date: a.debut, genre: 'audience', cle: a.id_tribunal, avecHeure: true, id: `audience-${a.id}`,
      contenu: html`${picto('audience')} <p class="fr-mb-0">${a.annulee_at ? html`<strong>Audience annulée</strong> — ` : null}${a.libelle}</p>
<p class="fr-text--sm fr-mb-0">${a.adresse}${a.salle ? html`, ${a.salle}` : null}</p>
<div class="export-audience" data-audience="${a.id}">${!a.annulee_at && a.debut.getTime() > maintenant.getTime() ? html`<a class="fr-btn fr-btn--sm fr-btn--tertiary fr-icon-calendar-line fr-btn--icon-left fr-mt-1w" href="/espace/dossiers/${r.id}/audiences/${a.id}/export">Exporter<span class="fr-sr-only"> l’audience du ${formaterDateHeure(a.debut)} dans mon agenda</span></a>` : null}</div>`,
    })),
    ...documents.map((d): Element => ({
      date: d.date, genre: 'document', cle: d.id, avecHeure: true, id: `document-${d.id}`,
      contenu: html`${picto('document')} <p class="fr-mb-0">${TYPES_DOCUMENT[d.type] ?? d.type} : ${d.titre}</p>
<ul class="fr-btns-group fr-btns-group--inline fr-btns-group--sm fr-mt-1w">
  <li><a class="fr-btn fr-btn--sm fr-btn--secondary" href="/espace/dossiers/${r.id}/documents/${d.id}" target="_blank" rel="noopener" title="Consulter ${d.titre} (PDF, ${Math.max(1, Math.round(d.taille / 1024))} ko) — nouvelle fenêtre">Consulter</a></li>
  <li><a class="fr-btn fr-btn--sm fr-btn--tertiary" href="/espace/dossiers/${r.id}/documents/${d.id}?telechargement=1" download>Télécharger <span class="fr-sr-only">${d.titre}</span> (PDF, ${Math.max(1, Math.round(d.taille / 1024))} ko)</a></li>
</ul>
<p class="fr-text--xs fr-mb-0 consultation">${d.consulte_le ? `Consulté le ${formaterDateHeure(d.consulte_le)}` : 'Pas encore consulté'}</p>`,
    })),
  ];
  return html`<ol class="fr-raw-list vie-du-dossier" id="vie-du-dossier">
${ordonner(elements).map((e) => html`<li class="fr-grid-row fr-grid-row--gutters fr-mb-2w"${e.id ? html` id="${e.id}"` : null}>
  <div class="fr-col-12 fr-col-md-3 fr-text--bold"><time datetime="${e.date.toISOString()}">${e.avecHeure ? formaterDateHeure(e.date) : formaterDate(e.date)}</time></div>
  <div class="fr-col-12 fr-col-md-9">${e.contenu}</div>
</li>`)}
</ol>`;
}

function detailParties(parties: readonly consultation.PartieVisible[]): SafeHtml {
  const roles = new Map<string, consultation.PartieVisible[]>();
  for (const p of parties) roles.set(p.role, [...(roles.get(p.role) ?? []), p]);
  return html`<section class="fr-accordion fr-mb-4w">
  <h2 class="fr-accordion__title"><button type="button" class="fr-accordion__btn" aria-expanded="false" aria-controls="detail-parties">Voir le détail des parties</button></h2>
  <div class="fr-collapse" id="detail-parties">
    ${[...roles].map(([role, ps]) => html`<h3 class="fr-h6 fr-mb-1w">${role}</h3>
    <ul class="fr-mb-2w">${ps.map((p) => html`<li>${nomPartie(p)}${p.avocat ? html` — avocat : ${p.avocat}` : null}</li>`)}</ul>`)}
  </div>
</section>`;
}

// ------------------------------------------------------------------------------------------------
// Update banner and live refresh

/** How often an open case page asks whether the case changed. */
export const INTERVALLE_ACTUALISATION = '30s';

function bandeauMiseAJour(): SafeHtml {
  return html`<div class="fr-notice fr-notice--info fr-mb-3w" id="bandeau-mise-a-jour"><div class="fr-container"><div class="fr-notice__body"><p>
  <span class="fr-notice__title">Votre dossier est en cours de mise à jour</span>
  <span class="fr-notice__desc">Le tribunal transmet des modifications ; certaines informations peuvent être incomplètes quelques instants.</span>
</p></div></div></div>`;
}

/**
 * The polled fragment: the banner while a batch is open, and, once the case's version moved
 * past the one the page shows, what changed and a button to reload. `version` and `depuis` are
 * those of the page as rendered, so the message stays until the citizen reloads.
 */
function actualisation(id: string, version: number, depuis: Date, o: { lot: boolean; changements: string | null }): SafeHtml {
  const url = `/espace/dossiers/${id}/actualisation?version=${version}&depuis=${encodeURIComponent(depuis.toISOString())}`;
  return html`<div id="actualisation" aria-live="polite" hx-get="${url}" hx-trigger="every ${INTERVALLE_ACTUALISATION}" hx-swap="outerHTML" hx-status:4xx="swap:none" hx-status:5xx="swap:none">
${o.lot ? bandeauMiseAJour() : null}
${o.changements
    ? html`<div class="fr-alert fr-alert--info fr-mb-3w" id="dossier-modifie"><h2 class="fr-alert__title">Votre dossier a été mis à jour</h2><p>${o.changements}</p>
<p class="fr-mt-1w"><a class="fr-btn fr-btn--sm fr-icon-refresh-line fr-btn--icon-left" href="/espace/dossiers/${id}">Recharger la page</a></p></div>`
    : null}
</div>`;
}

/** Issue 8: who at the court looked at the case — date, role, juridiction, never the agent's name. */
function consultationsParLeTribunal(liste: readonly ConsultationParTribunal[]): SafeHtml {
  return html`<section class="fr-mb-4w" id="consultations-tribunal" aria-labelledby="titre-consultations-tribunal">
<h2 id="titre-consultations-tribunal">Consultations de votre dossier par le tribunal</h2>
${liste.length === 0
    ? html`<p>Aucun agent de la justice n’a consulté ce dossier par le portail.</p>`
    : html`<div class="fr-table"><table>
  <caption class="fr-sr-only">Consultations de votre dossier par les agents de la justice</caption>
  <thead><tr><th scope="col">Date</th><th scope="col">Fonction</th><th scope="col">Juridiction</th></tr></thead>
  <tbody>${liste.map((c) => html`<tr><td><time datetime="${c.at.toISOString()}">${formaterDateHeure(c.at)}</time></td><td>${(LIBELLES_ROLES as Record<string, string>)[c.role ?? ''] ?? 'Agent de la justice'}</td><td>${c.juridiction_nom ?? c.juridiction ?? '—'}</td></tr>`)}</tbody>
</table></div>`}
</section>`;
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
      // One connection for the page's small indexed reads, rather than six from the pool at once.
      const { juridiction, evenements, audiences, parties, documents, etat, consultations } = await deps.pool.connect(async (c) => ({
        juridiction: (await obtenirJuridiction(c, r.juridiction))!,
        evenements: await consultation.evenements(c, r.dossier_id),
        audiences: await consultation.audiences(c, r.dossier_id),
        parties: await consultation.parties(c, r.dossier_id),
        documents: await consultation.documents(c, r.id),
        etat: await consultation.etatDuDossier(c, r.dossier_id),
        consultations: await consultationsDuDossier(c, r.dossier_id),
      }));
      if (!etat) throw pageInexistante();
      const lot = lotEnCours(etat.lot_expire_le ? { expire_le: etat.lot_expire_le } : null, deps.maintenant());
      rendre(ctx, {
        titre: `Dossier n° ${r.numero_dossier}`,
        contenu: html`
<p><a class="fr-link fr-icon-arrow-left-line fr-link--icon-left" href="/espace">Retour à mon espace</a></p>
${actualisation(r.id, etat.version, etat.lu_le, { lot, changements: null })}
<h1>Dossier n° ${r.numero_dossier}</h1>
${resume(r, deps.config.CASE_RETENTION, juridiction)}
${detailParties(parties)}
<h2>Vie du dossier</h2>
<p class="fr-text--sm">De la saisine du tribunal à la décision du juge. Seule la date d’une décision est affichée, sauf pour un renvoi, qui indique la date de la nouvelle audience : le jugement vous est envoyé par courrier, à vous ou à votre avocat. Seuls les récépissés, avis et convocations qui vous sont adressés sont consultables ici.</p>
${vieDuDossier(r, evenements, audiences, documents, deps.maintenant())}
${consultationsParLeTribunal(consultations)}
<ul class="fr-btns-group fr-btns-group--inline-md fr-btns-group--icon-left">
  <li><a class="fr-btn fr-btn--secondary fr-icon-close-circle-line fr-btn--icon-left" href="/espace/dossiers/${r.id}/detacher">Détacher ce dossier</a></li>
</ul>`,
      });
    },

    /** The live-refresh fragment (htmx polling): one indexed row read unless something changed. */
    async actualisation(ctx: RouterContext): Promise<void> {
      const r = await lien(ctx);
      const version = Number(ctx.query.version);
      const depuis = new Date(String(ctx.query.depuis ?? ''));
      const etat = await consultation.etatDuDossier(deps.pool, r.dossier_id);
      if (!etat || !Number.isInteger(version) || Number.isNaN(depuis.getTime())) throw pageInexistante();
      let changements: string | null = null;
      if (etat.version !== version) {
        const c = await consultation.changementsDepuis(deps.pool, r.id, r.dossier_id, depuis);
        changements = decrireChangements({ ...c, dossier: c.evenements + c.audiences + c.documents === 0 });
      }
      const lot = lotEnCours(etat.lot_expire_le ? { expire_le: etat.lot_expire_le } : null, deps.maintenant());
      ctx.set('Cache-Control', 'no-store');
      ctx.type = 'html';
      ctx.body = actualisation(r.id, version, depuis, { lot, changements }).toString();
    },

    /** A document addressed to the link's party: inline, or as a download with ?telechargement=1. */
    async document(ctx: RouterContext): Promise<void> {
      const compte = ctx.state.compte as Compte;
      const documentId = String(ctx.params.docId ?? '');
      const r = UUID.test(documentId) ? await service.obtenir(deps, compte.id, String(ctx.params.id ?? '')) : null;
      const doc = r ? await consultation.documentDuLien(deps.pool, r.id, documentId) : null;
      if (!r || !doc) {
        await journaliser(deps.pool, { acteurType: 'citoyen', acteurId: compte.id, action: 'document.consulter', objetType: 'document', objetId: documentId.slice(0, 64), resultat: 'refus', details: { motif: 'introuvable', rattachement: String(ctx.params.id ?? '').slice(0, 64) } });
        throw pageInexistante();
      }
      const telechargement = ctx.query.telechargement === '1';
      await deps.pool.transaction(async (t) => {
        const n = await consultation.noterConsultation(t, r.id, doc.id, deps.maintenant());
        await journaliser(t, { acteurType: 'citoyen', acteurId: compte.id, action: 'document.consulter', objetType: 'document', objetId: doc.id, resultat: 'succes', details: { rattachement: r.id, dossier: r.dossier_id, premiere: n.premiere, telechargement } });
      });
      ctx.status = 200;
      ctx.set('Content-Type', 'application/pdf');
      ctx.set('Content-Disposition', dispositionContenu(telechargement ? 'attachment' : 'inline', doc.titre));
      ctx.set('X-Content-Type-Options', 'nosniff');
      ctx.set('Cache-Control', 'private, no-store');
      ctx.set('Content-Length', String(doc.contenu.length));
      ctx.body = doc.contenu;
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
