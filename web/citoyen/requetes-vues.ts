// The markup of the requête pages (web/citoyen/requetes.ts): the form is drawn from the kind's
// declarative table (domain/requetes.ts TYPES_REQUETE), so the page shows exactly the fields the
// server checks. Plain forms that work without JavaScript; htmx only adds the autosave and the
// "transmission en cours" polling. Every error is tied to its field (aria-describedby) and
// listed at the top of the page.
import { formaterTaille } from '../../domain/requetes.js';
import { formaterDate, formaterDateHeure, formaterHeure } from '../../domain/dates.js';
import type { DetailErreur } from '../../domain/erreurs.js';
import { estModifiable, joursRestants, LIBELLES_STATUTS, nomTiers, typeRequete, type Champ, type TypeRequete } from '../../domain/requetes.js';
import type { LigneTiers, Piece, Requete } from '../../db/requetes.js';
import { versTiers } from '../../db/requetes.js';
import { html, type SafeHtml } from '../vues/html.js';

export const BASE = '/espace/requetes';
export const cheminRequete = (id: string) => `${BASE}/${id}`;

/** How often an open page asks whether the transmission ended. */
export const INTERVALLE_TRANSMISSION = '2s';

/** A transmission was asked and has not ended yet: nothing may change meanwhile. */
export const enTransmission = (r: Requete) => estModifiable(r.statut) && r.envoi_demande_at !== null;
/** What the citizen may still change (decree art. 5: until transmission). */
export const modifiable = (r: Requete) => estModifiable(r.statut) && r.envoi_demande_at === null;

export const libelleType = (code: string) => typeRequete(code)?.libelle ?? code;

const TYPES_TIERS = {
  physique: 'Personne physique',
  morale: 'Personne morale (société, association…)',
  autorite: 'Autorité administrative',
} as const;

const LIBELLES_MIME: Record<string, string> = { 'application/pdf': 'PDF', 'image/jpeg': 'image JPEG', 'image/png': 'image PNG' };

/** "1,2 Mo", "350 ko": no narrow no-break space (PDF fonts lack it). */
export const taille = formaterTaille;
export const libelleMime = (t: string) => LIBELLES_MIME[t] ?? t;

/** The statut a citizen reads, transmission included. */
export function libelleStatut(r: Requete): string {
  if (enTransmission(r)) return 'Transmission en cours';
  return LIBELLES_STATUTS[r.statut];
}

const COULEURS: Record<string, string> = {
  brouillon: 'fr-badge--new',
  echec: 'fr-badge--error',
  envoyee: 'fr-badge--info',
  enregistree: 'fr-badge--success',
  supprimee: '',
};
export const badgeStatut = (r: Requete) =>
  html`<span class="fr-badge fr-badge--sm ${enTransmission(r) ? 'fr-badge--info' : COULEURS[r.statut] ?? ''}">${libelleStatut(r)}</span>`;

/** "sera supprimé le 23 décembre 2026 (dans 12 jours)" */
export function expiration(expireLe: Date, maintenant: Date): string {
  const n = joursRestants(expireLe, maintenant);
  const dans = n === 0 ? 'aujourd’hui' : n === 1 ? 'dans 1 jour' : `dans ${n} jours`;
  return `sera supprimé le ${formaterDate(expireLe)} (${dans})`;
}

const MOTIFS_PURGE: Record<string, string> = {
  brouillon_expire: 'délai de 30 jours sans envoi dépassé',
  supprimee_par_le_demandeur: 'supprimé à votre demande',
  conservation_expiree: 'durée de conservation écoulée',
};

/** The list's date column, one line per event of the requête's life. */
export function datesRequete(r: Requete, maintenant: Date): SafeHtml {
  if (r.statut === 'supprimee') {
    const quand = r.purged_at ? formaterDate(r.purged_at) : '';
    const motif = r.purge_motif ? MOTIFS_PURGE[r.purge_motif] : null;
    const quoi = r.purge_motif === 'conservation_expiree' ? 'Requête supprimée' : 'Brouillon supprimé';
    return html`${quoi} le ${quand}${motif ? ` (${motif})` : ''}`;
  }
  const lignes: SafeHtml[] = [html`Commencée le ${formaterDate(r.created_at)}`];
  if (r.sent_at) lignes.push(html`Envoyée le ${formaterDateHeure(r.sent_at)}`);
  if (r.registered_at) lignes.push(html`Enregistrée le ${formaterDate(r.registered_at)}${r.numero_dossier ? ` (dossier n° ${r.numero_dossier})` : ''}`);
  if (estModifiable(r.statut) && r.expire_le && !enTransmission(r)) lignes.push(html`Brouillon : ${expiration(r.expire_le, maintenant)}`);
  return html`${lignes.map((l, i) => html`${i ? html`<br>` : null}${l}`)}`;
}

// ---------------------------------------------------------------------------------------------
// Fields

const marqueObligatoire = html`<span aria-hidden="true"> *</span><span class="fr-sr-only"> (obligatoire pour l’envoi)</span>`;

/** ids of the hint and the error a field is described by. */
function decrit(id: string, aide: boolean, erreur: boolean): SafeHtml | null {
  const ids = [aide ? `${id}-indice` : null, erreur ? `${id}-erreur` : null].filter(Boolean).join(' ');
  return ids ? html` aria-describedby="${ids}"` : null;
}

export function champFormulaire(c: Champ, valeur: string, erreur: string | undefined): SafeHtml {
  const id = c.nom;
  const indice = c.type === 'date' ? [c.aide, 'Format attendu : jj/mm/aaaa.'].filter(Boolean).join(' ') : c.type === 'montant' ? [c.aide, 'En euros, par exemple 1500 ou 1500,50.'].filter(Boolean).join(' ') : c.aide;
  const messageErreur = erreur ? html`<p class="fr-error-text" id="${id}-erreur">${erreur}</p>` : null;
  if (c.type === 'choix') {
    // A group of radios: the summary links to the first one (its id is the field's name).
    return html`<fieldset class="fr-fieldset${erreur ? ' fr-fieldset--error' : ''}" id="${id}-groupe" aria-labelledby="${id}-legende${erreur ? ` ${id}-erreur` : ''}">
  <legend class="fr-fieldset__legend fr-text--regular" id="${id}-legende">${c.libelle}${c.obligatoire ? marqueObligatoire : null}${indice ? html`<span class="fr-hint-text">${indice}</span>` : null}</legend>
  ${(c.options ?? []).map((o, i) => html`<div class="fr-fieldset__element"><div class="fr-radio-group">
    <input type="radio" id="${i === 0 ? id : `${id}-${i}`}" name="${id}" value="${o.valeur}"${valeur === o.valeur ? html` checked` : null}>
    <label class="fr-label" for="${i === 0 ? id : `${id}-${i}`}">${o.libelle}</label>
  </div></div>`)}
  ${erreur ? html`<div class="fr-messages-group" aria-live="polite">${messageErreur}</div>` : null}
</fieldset>`;
  }
  const attributs = html`${decrit(id, Boolean(indice), Boolean(erreur))}${erreur ? html` aria-invalid="true"` : null}`;
  const controle = c.type === 'texte_long'
    ? html`<textarea class="fr-input${erreur ? ' fr-input--error' : ''}" id="${id}" name="${id}" rows="${(c.max ?? 0) > 2000 ? 8 : 4}"${c.max ? html` maxlength="${c.max}"` : null}${attributs}>${valeur}</textarea>`
    : c.type === 'date'
      ? html`<input class="fr-input${erreur ? ' fr-input--error' : ''}" type="date" id="${id}" name="${id}" value="${valeur}"${attributs}>`
      : c.type === 'montant'
        ? html`<input class="fr-input${erreur ? ' fr-input--error' : ''}" type="text" inputmode="decimal" id="${id}" name="${id}" value="${valeur}" maxlength="14"${attributs}>`
        : html`<input class="fr-input${erreur ? ' fr-input--error' : ''}" type="text" id="${id}" name="${id}" value="${valeur}"${c.max ? html` maxlength="${c.max}"` : null}${attributs}>`;
  return html`<div class="fr-input-group${erreur ? ' fr-input-group--error' : ''}">
  <label class="fr-label" for="${id}">${c.libelle}${c.obligatoire ? marqueObligatoire : null}${indice ? html`<span class="fr-hint-text" id="${id}-indice">${indice}</span>` : null}</label>
  ${controle}
  ${messageErreur}
</div>`;
}

/** A value as the summary and the read-only view show it. */
export function valeurLisible(c: Champ, v: unknown): string {
  const s = typeof v === 'string' ? v : '';
  if (!s) return '';
  if (c.type === 'choix') return c.options?.find((o) => o.valeur === s)?.libelle ?? s;
  if (c.type === 'date' && /^\d{4}-\d{2}-\d{2}$/.test(s)) return `${s.slice(8, 10)}/${s.slice(5, 7)}/${s.slice(0, 4)}`;
  if (c.type === 'montant') return `${s} €`;
  return s;
}

export function donneesLisibles(t: TypeRequete, donnees: Record<string, unknown>, o: { lienModifier?: string } = {}): SafeHtml {
  return html`<dl class="fr-mb-3w">${t.champs.map((c) => {
    const v = valeurLisible(c, donnees[c.nom]);
    return html`<dt class="fr-text--bold fr-mb-0">${c.libelle}</dt>
<dd class="fr-ml-0 fr-mb-2w texte-saisi">${v ? html`${v.split('\n').map((l, i) => html`${i ? html`<br>` : null}${l}`)}` : html`<span class="fr-text--sm">Non renseigné${c.obligatoire ? ' (obligatoire)' : ''}</span>`}${o.lienModifier && !v && c.obligatoire ? html` — <a class="fr-link fr-link--sm" href="${o.lienModifier}#${c.nom}">compléter<span class="fr-sr-only"> « ${c.libelle} »</span></a>` : null}</dd>`;
  })}</dl>`;
}

// ---------------------------------------------------------------------------------------------
// Third parties

export function listeTiers(r: Requete, tiers: readonly LigneTiers[], csrf: string | null): SafeHtml {
  if (tiers.length === 0) return html`<p>Aucune personne indiquée pour le moment.</p>`;
  return html`<ul class="fr-raw-list fr-mb-3w" id="liste-tiers">${tiers.map((l) => {
    const nom = nomTiers(versTiers(l));
    return html`<li class="fr-mb-1w"><span class="fr-text--bold">${nom}</span> <span class="fr-text--sm">— ${TYPES_TIERS[l.type]}</span>${csrf
      ? html`<form method="post" action="${cheminRequete(r.id)}/tiers/${l.id}/retirer" class="fr-mt-1v">
  <input type="hidden" name="_csrf" value="${csrf}">
  <button type="submit" class="fr-btn fr-btn--sm fr-btn--tertiary fr-icon-delete-line fr-btn--icon-left">Retirer<span class="fr-sr-only"> ${nom}</span></button>
</form>`
      : null}</li>`;
  })}</ul>`;
}

export function formulaireTiers(r: Requete, csrf: string, saisie: Record<string, string>, erreurs: readonly DetailErreur[]): SafeHtml {
  const erreur = (champ: string) => erreurs.find((e) => e.champ === `tiers-${champ}`)?.message;
  const texte = (champ: string, libelle: string, max: number, aide?: string) => {
    const id = `tiers-${champ}`;
    const e = erreur(champ);
    return html`<div class="fr-input-group${e ? ' fr-input-group--error' : ''}">
  <label class="fr-label" for="${id}">${libelle}${aide ? html`<span class="fr-hint-text" id="${id}-indice">${aide}</span>` : null}</label>
  <input class="fr-input${e ? ' fr-input--error' : ''}" type="text" id="${id}" name="${champ}" value="${saisie[champ] ?? ''}" maxlength="${max}"${decrit(id, Boolean(aide), Boolean(e))}${e ? html` aria-invalid="true"` : null}>
  ${e ? html`<p class="fr-error-text" id="${id}-erreur">${e}</p>` : null}
</div>`;
  };
  const eType = erreur('type');
  const eCivilite = erreur('civilite');
  const types = Object.entries(TYPES_TIERS) as [keyof typeof TYPES_TIERS, string][];
  return html`<form method="post" action="${cheminRequete(r.id)}/tiers" novalidate class="fr-mb-4w" id="ajout-tiers">
  <input type="hidden" name="_csrf" value="${csrf}">
  <fieldset class="fr-fieldset${eType ? ' fr-fieldset--error' : ''}" aria-labelledby="tiers-type-legende${eType ? ' tiers-type-erreur' : ''}">
    <legend class="fr-fieldset__legend fr-text--regular" id="tiers-type-legende">Il s’agit</legend>
    ${types.map(([v, libelle], i) => html`<div class="fr-fieldset__element"><div class="fr-radio-group">
      <input type="radio" id="${i === 0 ? 'tiers-type' : `tiers-type-${v}`}" name="type" value="${v}"${(saisie.type ?? 'physique') === v ? html` checked` : null}>
      <label class="fr-label" for="${i === 0 ? 'tiers-type' : `tiers-type-${v}`}">d’une ${libelle.charAt(0).toLowerCase()}${libelle.slice(1)}</label>
    </div></div>`)}
    ${eType ? html`<div class="fr-messages-group"><p class="fr-error-text" id="tiers-type-erreur">${eType}</p></div>` : null}
  </fieldset>
  <p class="fr-text--sm">Remplissez seulement les champs qui correspondent au type choisi ; les autres sont ignorés.</p>
  <fieldset class="fr-fieldset" aria-labelledby="tiers-physique-legende">
    <legend class="fr-fieldset__legend fr-text--regular" id="tiers-physique-legende">Pour une personne physique : nom et prénoms obligatoires</legend>
    <div class="fr-fieldset__element"><div class="fr-select-group${eCivilite ? ' fr-select-group--error' : ''}">
      <label class="fr-label" for="tiers-civilite">Civilité (facultatif)</label>
      <select class="fr-select" id="tiers-civilite" name="civilite"${eCivilite ? html` aria-invalid="true" aria-describedby="tiers-civilite-erreur"` : null}>
        <option value=""${!saisie.civilite ? html` selected` : null}>Non précisée</option>
        <option value="M."${saisie.civilite === 'M.' ? html` selected` : null}>M.</option>
        <option value="Mme"${saisie.civilite === 'Mme' ? html` selected` : null}>Mme</option>
      </select>
      ${eCivilite ? html`<p class="fr-error-text" id="tiers-civilite-erreur">${eCivilite}</p>` : null}
    </div></div>
    <div class="fr-fieldset__element">${texte('nom', 'Nom de naissance', 200)}</div>
    <div class="fr-fieldset__element">${texte('nomUsage', 'Nom d’usage (facultatif)', 200, 'Par exemple le nom d’épouse ou d’époux.')}</div>
    <div class="fr-fieldset__element">${texte('prenoms', 'Prénoms', 200, 'Dans l’ordre de l’état civil, séparés par des espaces.')}</div>
  </fieldset>
  <fieldset class="fr-fieldset" aria-labelledby="tiers-morale-legende">
    <legend class="fr-fieldset__legend fr-text--regular" id="tiers-morale-legende">Pour une personne morale : raison sociale obligatoire</legend>
    <div class="fr-fieldset__element">${texte('raisonSociale', 'Raison sociale', 200)}</div>
    <div class="fr-fieldset__element">${texte('formeJuridique', 'Forme juridique (facultatif)', 100, 'Par exemple : SARL, SAS, association.')}</div>
  </fieldset>
  <fieldset class="fr-fieldset" aria-labelledby="tiers-autorite-legende">
    <legend class="fr-fieldset__legend fr-text--regular" id="tiers-autorite-legende">Pour une autorité administrative</legend>
    <div class="fr-fieldset__element">${texte('titre', 'Titre de l’autorité', 200, 'Par exemple : Préfet de police.')}</div>
  </fieldset>
  <button type="submit" class="fr-btn fr-btn--secondary fr-icon-user-add-line fr-btn--icon-left">Ajouter cette personne</button>
</form>`;
}

// ---------------------------------------------------------------------------------------------
// Attachments

export function listePieces(r: Requete, pieces: readonly Piece[], csrf: string | null): SafeHtml {
  if (pieces.length === 0) return html`<p>Aucune pièce jointe pour le moment.</p>`;
  return html`<ul class="fr-raw-list fr-mb-3w" id="liste-pieces">${pieces.map((p) => html`<li class="fr-mb-2w">
  <a class="fr-link fr-icon-download-line fr-link--icon-left" href="${cheminRequete(r.id)}/pieces/${p.id}" download>${p.nom}<span class="fr-sr-only"> — télécharger</span></a>
  <span class="fr-text--sm"> (${libelleMime(p.type_mime)}, ${taille(p.taille)})</span>
  ${csrf
    ? html`<form method="post" action="${cheminRequete(r.id)}/pieces/${p.id}/retirer" class="fr-mt-1v">
  <input type="hidden" name="_csrf" value="${csrf}">
  <button type="submit" class="fr-btn fr-btn--sm fr-btn--tertiary fr-icon-delete-line fr-btn--icon-left">Retirer<span class="fr-sr-only"> ${p.nom}</span></button>
</form>`
    : null}
</li>`)}</ul>`;
}

export function formulairePiece(r: Requete, csrf: string, maxOctets: number, maxTotal: number, erreur: string | undefined): SafeHtml {
  const aide = `Formats acceptés : PDF, JPEG, PNG (le contenu du fichier est vérifié, pas seulement son nom). Taille maximale : ${taille(maxOctets)} par fichier, ${taille(maxTotal)} pour l’ensemble des pièces.`;
  // The token comes before the file: parsed first, it is read even when the file is refused.
  return html`<form method="post" action="${cheminRequete(r.id)}/pieces" enctype="multipart/form-data" class="fr-mb-4w" id="ajout-piece">
  <input type="hidden" name="_csrf" value="${csrf}">
  <div class="fr-upload-group${erreur ? ' fr-upload-group--error' : ''}">
    <label class="fr-label" for="fichier">Ajouter une pièce jointe<span class="fr-hint-text" id="fichier-indice">${aide}</span></label>
    <input class="fr-upload" type="file" id="fichier" name="fichier" accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png" aria-describedby="fichier-indice${erreur ? ' fichier-erreur' : ''}"${erreur ? html` aria-invalid="true"` : null}>
    ${erreur ? html`<p class="fr-error-text" id="fichier-erreur">${erreur}</p>` : null}
  </div>
  <button type="submit" class="fr-btn fr-btn--secondary fr-icon-attachment-line fr-btn--icon-left fr-mt-2w">Joindre ce fichier</button>
</form>`;
}

// ---------------------------------------------------------------------------------------------
// Status

export const PHRASE_LECTURE_SEULE =
  'Votre requête a été transmise à la juridiction : vous pouvez la consulter, mais plus la modifier ni la supprimer. Depuis sa transmission, seule la juridiction peut la faire évoluer (article 5 de l’arrêté relatif au Portail du justiciable).';

/**
 * The status block of a requête that cannot be changed now. While it is being transmitted it
 * polls (htmx) until the status moves; without JavaScript, the refresh link does the same.
 */
export function blocStatut(r: Requete): SafeHtml {
  const chemin = cheminRequete(r.id);
  if (enTransmission(r)) {
    return html`<div id="etat-requete" hx-get="${chemin}/etat" hx-trigger="every ${INTERVALLE_TRANSMISSION}" hx-swap="outerHTML">
<div class="fr-alert fr-alert--info fr-mb-3w" role="status">
  <h2 class="fr-alert__title">Transmission en cours</h2>
  <p>Votre requête est en cours de transmission à la juridiction. Pendant ce temps, elle ne peut pas être modifiée. Cette page se met à jour d’elle-même.</p>
  <p class="fr-mt-1w"><a class="fr-link fr-icon-refresh-line fr-link--icon-left" href="${chemin}">Actualiser la page</a></p>
</div></div>`;
  }
  if (r.statut === 'enregistree') {
    return html`<div id="etat-requete"><div class="fr-alert fr-alert--success fr-mb-3w">
  <h2 class="fr-alert__title">Requête enregistrée par la juridiction</h2>
  <p>Enregistrée le ${r.registered_at ? formaterDateHeure(r.registered_at) : ''}${r.numero_dossier ? html` sous le numéro de dossier <strong>${r.numero_dossier}</strong>` : null}${r.numero_portalis ? html` (numéro Portalis ${r.numero_portalis})` : null}.</p>
  <p>Quand le tribunal vous enverra un numéro d’identification par courriel, vous pourrez <a href="/espace/dossiers/ajouter">ajouter ce dossier à votre espace</a> pour le suivre.</p>
</div></div>`;
  }
  if (r.statut === 'envoyee') {
    return html`<div id="etat-requete"><div class="fr-alert fr-alert--success fr-mb-3w">
  <h2 class="fr-alert__title">Requête transmise à la juridiction</h2>
  <p>Transmise le ${r.sent_at ? formaterDateHeure(r.sent_at) : ''}, sous la référence <strong>${r.reference ?? ''}</strong>. Un accusé de réception vous a été envoyé par courriel. La juridiction l’enregistrera et vous en serez informé.</p>
</div></div>`;
  }
  return html`<div id="etat-requete"></div>`;
}

export const enregistreA = (d: Date) => html`<p class="fr-text--sm fr-mb-0">Brouillon enregistré à ${formaterHeure(d)}</p>`;
