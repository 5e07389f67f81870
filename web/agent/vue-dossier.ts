// The agents' view of one case: summary, parties, timeline, hearings, documents. Read-only; the
// clerk's page adds its forms around it (web/agent/dossiers.ts), the reception desk shows it as is
// (web/agent/accueil-sauj.ts), without contact details nor documents (decree 004 art. 3: "aux
// fins d'information du justiciable … uniquement pour les données qui y sont relatives").
import type { Connexion } from '../../db/pool.js';
import * as dossiers from '../../db/dossiers.js';
import * as agents from '../../db/agents.js';
import { obtenirJuridiction } from '../../db/juridictions.js';
import { formaterDate, formaterDateHeure } from '../../domain/dates.js';
import { nomPartie } from '../../domain/rattachement.js';
import { debutDeJournee } from '../../domain/vie-du-dossier.js';
import { html, type SafeHtml } from '../vues/html.js';

export interface DonneesDossierAgent {
  dossier: dossiers.Dossier;
  juridictionNom: string;
  juridictionAdresse: string;
  parties: readonly dossiers.Partie[];
  evenements: readonly dossiers.Evenement[];
  audiences: readonly dossiers.Audience[];
  documents: readonly agents.DocumentDossier[];
  consentements: readonly { partie_id: string; date: Date; representant_nom: string | null }[];
}

/** Everything the view shows, read on the caller's connection (inside the journaling transaction). */
export async function lireDossierAgent(c: Connexion, dossier: dossiers.Dossier): Promise<DonneesDossierAgent> {
  const j = await obtenirJuridiction(c, dossier.juridiction);
  return {
    dossier,
    juridictionNom: j?.nom ?? dossier.juridiction,
    juridictionAdresse: j?.adresse ?? '',
    parties: await dossiers.listerParties(c, dossier.id),
    evenements: await dossiers.listerEvenements(c, dossier.id),
    audiences: await dossiers.listerAudiences(c, dossier.id),
    documents: await agents.documentsDuDossier(c, dossier.id),
    consentements: await agents.consentementsDuDossier(c, dossier.id),
  };
}

/** The fields a view shows, for the journal ("fields shown", ANCHORS C2 item 15). */
export const CHAMPS_VUE_GREFFE = ['resume', 'parties', 'coordonnees', 'consentements', 'evenements', 'audiences', 'documents'];
export const CHAMPS_VUE_ACCUEIL = ['resume', 'parties', 'evenements', 'audiences'];

const TYPES_DOCUMENT: Record<string, string> = { recepisse: 'Récépissé', avis: 'Avis', convocation: 'Convocation' };

export function vueDossierAgent(d: DonneesDossierAgent, o: { complet: boolean; lienDocument?: (id: string) => string; actionsAudience?: (a: dossiers.Audience) => SafeHtml | null }): SafeHtml {
  const x = d.dossier;
  const visibles = d.parties.filter((p) => !p.retiree_at);
  const consentement = (partieId: string) => d.consentements.find((c) => c.partie_id === partieId);
  return html`<dl class="fr-mb-3w" id="resume-dossier">
  <dt class="fr-text--bold fr-mb-0">Juridiction</dt><dd class="fr-ml-0 fr-mb-2w">${d.juridictionNom} (${x.juridiction})</dd>
  <dt class="fr-text--bold fr-mb-0">Numéro de dossier</dt><dd class="fr-ml-0 fr-mb-2w">${x.numero_dossier}</dd>
  <dt class="fr-text--bold fr-mb-0">Numéro Portalis</dt><dd class="fr-ml-0 fr-mb-2w">${x.numero_portalis}</dd>
  <dt class="fr-text--bold fr-mb-0">Nature</dt><dd class="fr-ml-0 fr-mb-2w">${x.nature}</dd>
  <dt class="fr-text--bold fr-mb-0">État</dt><dd class="fr-ml-0 fr-mb-2w">${x.etat}${x.date_cloture ? html` — clôturé le ${formaterDate(x.date_cloture)}` : null}</dd>
  <dt class="fr-text--bold fr-mb-0">Date de saisine</dt><dd class="fr-ml-0 fr-mb-2w">${formaterDate(debutDeJournee(x.date_saisine))}</dd>
  <dt class="fr-text--bold fr-mb-0">Suivi en ligne</dt><dd class="fr-ml-0 fr-mb-2w">${x.suivi_en_ligne ? 'Oui' : 'Non (procédure non consultable en ligne)'}</dd>
</dl>
<h2 id="parties">Parties</h2>
<div class="fr-table"><table>
  <caption class="fr-sr-only">Parties du dossier</caption>
  <thead><tr><th scope="col">Identifiant</th><th scope="col">Qualité</th><th scope="col">Nom</th>${o.complet ? html`<th scope="col">Coordonnées</th><th scope="col">Communication électronique</th>` : null}</tr></thead>
  <tbody>${visibles.map((p) => {
    const c = consentement(p.id);
    return html`<tr><td>${p.id_tribunal}</td><td>${p.role}${p.majeur_protege ? ' (majeur protégé)' : ''}</td><td>${nomPartie(p)}${p.avocat ? html`<br><span class="fr-text--sm">Avocat : ${p.avocat}</span>` : null}</td>${o.complet
      ? html`<td>${p.courriel ?? '—'}${p.telephone ? html`<br>${p.telephone}` : null}</td><td>${c ? `Consentement du ${formaterDate(c.date)}${c.representant_nom ? ` (représentant : ${c.representant_nom})` : ''}` : 'Pas de consentement'}</td>`
      : null}</tr>`;
  })}</tbody>
</table></div>
<h2 id="vie-du-dossier">Vie du dossier</h2>
${d.evenements.length === 0 ? html`<p>Aucun événement.</p>` : html`<ol class="fr-raw-list">
  ${d.evenements.map((e) => html`<li class="fr-mb-1w"><time datetime="${e.date.toISOString()}" class="fr-text--bold">${formaterDateHeure(e.date)}</time> — ${e.libelle} <span class="fr-badge fr-badge--sm">${e.type}</span></li>`)}
</ol>`}
<h2 id="audiences">Audiences</h2>
${d.audiences.length === 0 ? html`<p>Aucune audience.</p>` : html`<ul class="fr-raw-list">
  ${d.audiences.map((a) => html`<li class="fr-mb-2w"><p class="fr-mb-0"><span class="fr-text--bold">${formaterDateHeure(a.debut)}</span> — ${a.libelle}${a.annulee_at ? html` <span class="fr-badge fr-badge--sm fr-badge--error">Annulée</span>` : null}</p>
    <p class="fr-text--sm fr-mb-0">${a.adresse}${a.salle ? `, ${a.salle}` : ''} (identifiant ${a.id_tribunal})</p>
    ${o.actionsAudience && !a.annulee_at ? o.actionsAudience(a) : null}</li>`)}
</ul>`}
${o.complet
    ? html`<h2 id="documents">Documents</h2>
${d.documents.length === 0 ? html`<p>Aucun document.</p>` : html`<ul>
  ${d.documents.map((doc) => html`<li>${TYPES_DOCUMENT[doc.type] ?? doc.type} : ${o.lienDocument ? html`<a href="${o.lienDocument(doc.id)}" target="_blank" rel="noopener" title="Consulter ${doc.titre} (PDF, ${Math.max(1, Math.round(doc.taille / 1024))} ko) — nouvelle fenêtre">${doc.titre}</a>` : doc.titre} (PDF, ${Math.max(1, Math.round(doc.taille / 1024))} ko) — ${formaterDate(doc.date)} — destinataires : ${doc.destinataires.join(', ') || '—'}</li>`)}
</ul>`}`
    : null}`;
}
