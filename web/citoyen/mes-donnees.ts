// /espace/mes-donnees (issue 9 items 1 and 4): everything the portal holds about the citizen,
// on the page, as a JSON file and as a PDF, with the rights that apply and those that do not
// (decree art. 4 and 5), the retention dates of each of their cases and requêtes, and the
// coordinates each court holds for them (masked, read-only: the seed's "Gestion de mes
// coordonnées" — only the court can change them).
//
// The three answers are drawn from one object (services/mes-donnees.ts construireExport), so
// the file the citizen downloads lists exactly what the page shows. Both downloads are
// journaled ('compte.exporter_donnees'); reading the page is not, it is the space itself.
import type { RouterContext } from '@koa/router';
import PDFDocument from 'pdfkit';
import type { Compte } from '../../db/comptes.js';
import { formaterDate, formaterDateHeure } from '../../domain/dates.js';
import { dureeEnFrancais } from '../../domain/mes-donnees.js';
import * as service from '../../services/mes-donnees.js';
import type { ContexteMesDonnees, ExportDonnees } from '../../services/mes-donnees.js';
import { html, type SafeHtml } from '../vues/html.js';
import { nomAffiche, rendre } from '../vues/rendu.js';

export const CHEMIN_MES_DONNEES = '/espace/mes-donnees';

const date = (s: string | null) => (s ? formaterDate(new Date(s)) : '—');
const dateHeure = (s: string | null) => (s ? formaterDateHeure(new Date(s)) : '—');
const temps = (s: string | null, f = dateHeure) => (s ? html`<time datetime="${s}">${f(s)}</time>` : '—');

const SEXES: Record<string, string> = { female: 'Féminin', male: 'Masculin' };

/** A calendar day YYYY-MM-DD in words; FranceConnect's presumed birth dates (day or month 00) are shown as received. */
function jourCivil(d: string | null | undefined): string {
  if (!d) return '—';
  const [a, m, j] = d.split('-').map(Number);
  if (!a || !m || !j) return d;
  return new Intl.DateTimeFormat('fr-FR', { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' }).format(Date.UTC(a, m - 1, j));
}

/** How a requête is named where it has no reference yet (never sent). */
const nomRequete = (r: ExportDonnees['requetes'][number]) => (r.reference ? `Requête ${r.reference}` : `${r.libelleType}, commencée le ${date(r.commenceeLe)}`);

/** The file name of a download, dated in Paris (ASCII only: no RFC 8187 needed). */
function nomFichier(e: ExportDonnees, extension: string): string {
  const jour = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date(e.genereLe));
  return `mes-donnees-portail-du-justiciable-${jour}.${extension}`;
}

// ------------------------------------------------------------------------------------------------
// Page

/** A DSFR table with a visible caption and column headers; `vide` replaces an empty table. */
function tableau(legende: string, entetes: readonly string[], lignes: readonly (readonly unknown[])[], vide: string): SafeHtml {
  if (lignes.length === 0) return html`<p>${vide}</p>`;
  return html`<div class="fr-table"><table>
  <caption>${legende}</caption>
  <thead><tr>${entetes.map((e) => html`<th scope="col">${e}</th>`)}</tr></thead>
  <tbody>${lignes.map((l) => html`<tr>${l.map((c, k) => (k === 0 ? html`<th scope="row">${c}</th>` : html`<td>${c}</td>`))}</tr>`)}</tbody>
</table></div>`;
}

function section(id: string, titre: string, contenu: SafeHtml): SafeHtml {
  return html`<section class="fr-mb-6w" id="${id}" aria-labelledby="titre-${id}">
<h2 id="titre-${id}">${titre}</h2>
${contenu}
</section>`;
}

function droits(e: ExportDonnees): SafeHtml {
  return html`<p>Le Portail du justiciable est un traitement de données créé par arrêté du ministère de la Justice. Vos droits y sont fixés par cet arrêté (article 5), en application du règlement général sur la protection des données (RGPD).</p>
<div>
<h3>Droit d’accès : ici, directement</h3>
<p>Vous exercez votre droit d’accès directement dans votre espace personnel : cette page présente toutes les données que le portail conserve sur vous, et vous pouvez les télécharger (fichier JSON ou PDF). Vous n’avez pas besoin d’écrire au ministère pour les obtenir.</p>
<h3>Données de vos dossiers : seule la juridiction peut les rectifier</h3>
<p>Le portail reprend les informations des applications des juridictions ; il ne peut pas les modifier. Pour protéger les procédures judiciaires, le droit de rectification ne s’applique pas à ces données dans le portail (article 23 du RGPD, point f). Si une information de votre dossier (nom, adresse, courriel, téléphone, rôle…) est inexacte, écrivez au greffe de la juridiction qui gère le dossier, avec un justificatif d’identité, ou signalez-le lors de votre prochaine audience : la correction apparaîtra ensuite dans votre espace. Les adresses des juridictions sont sur la page <a href="/juridictions">Juridictions</a>.</p>
<h3>Vos requêtes : modifiables jusqu’à leur transmission</h3>
<p>Tant qu’une requête n’est pas transmise à la juridiction (brouillon ou échec de l’envoi), vous la consultez, la modifiez et la supprimez vous-même dans <a href="/espace/requetes">Mes requêtes</a>. Une fois transmise, elle ne peut plus être modifiée ni supprimée : pour protéger la procédure, l’arrêté écarte alors les droits d’accès et de rectification (article 23 du RGPD, points f et j). Le portail continue de vous la montrer, en lecture seule ; pour toute correction, adressez-vous à la juridiction.</p>
<h3>Pas de droit à l’effacement, à la limitation ni d’opposition</h3>
<p>Le traitement est imposé par l’arrêté qui le crée, pour le suivi des procédures judiciaires et l’exécution des demandes de droit civil : le droit à l’effacement ne s’applique pas (article 17.3 du RGPD, points b et e), ni les droits à la limitation et d’opposition (articles 18 et 21, écartés en application de l’article 23 du RGPD et des articles 53 et 56 de la loi Informatique et Libertés). Vos données sont en revanche supprimées automatiquement à la fin des durées de conservation ci-dessous. Détacher un dossier le retire de votre espace, mais n’efface pas les données que la juridiction a transmises.</p>
<h3>Durées de conservation</h3>
<p>Les données d’un dossier sont conservées pendant toute la procédure, puis ${dureeEnFrancais(e.durees.dossier)} après la clôture du dossier. Un brouillon de requête est supprimé ${dureeEnFrancais(e.durees.brouillon)} après le premier jour de sa rédaction s’il n’est pas envoyé ; une requête envoyée est conservée pendant toute la procédure, puis ${dureeEnFrancais(e.durees.requeteEnvoyee)} après la clôture du dossier. Les dates qui s’appliquent à vos dossiers et à vos requêtes sont dans la section « <a href="#conservation">Durées de conservation de vos données</a> ».</p>
</div>
<p>Pour toute autre question sur vos données : ministère de la Justice, 13 place Vendôme, 75001 Paris. Vous pouvez aussi adresser une réclamation à la CNIL (<a href="https://www.cnil.fr/fr/plaintes" target="_blank" rel="noopener" title="Adresser une réclamation à la CNIL — nouvelle fenêtre">cnil.fr</a>).</p>`;
}

function identite(e: ExportDonnees): SafeHtml {
  const i = e.identite;
  const lignes: [string, string | SafeHtml][] = [
    ['Prénoms', i.prenoms ?? '—'],
    ['Nom de naissance', i.nomDeNaissance ?? '—'],
    ['Nom d’usage', i.nomDUsage ?? '—'],
    ['Date de naissance', jourCivil(i.dateDeNaissance)],
    ['Sexe', i.sexe ? SEXES[i.sexe] ?? i.sexe : '—'],
    ['Lieu de naissance (code INSEE)', i.lieuDeNaissance || '—'],
    ['Pays de naissance (code INSEE)', i.paysDeNaissance ?? '—'],
    ['Adresse électronique', i.courriel ?? '—'],
    ['Identifiant FranceConnect', i.identifiantFranceConnect],
    ['Compte créé le', temps(i.compteCreeLe)],
    ['Dernière connexion', temps(i.derniereConnexionLe)],
  ];
  return html`<p>Ces informations viennent de FranceConnect, à chaque connexion ; elles ne peuvent être modifiées qu’auprès du fournisseur d’identité que vous utilisez (impots.gouv.fr, ameli.fr…).</p>
${tableau('Données d’identité transmises par FranceConnect', ['Donnée', 'Valeur'], lignes, '')}`;
}

function dossiers(e: ExportDonnees): SafeHtml {
  return tableau(
    'Dossiers ajoutés à votre espace',
    ['Dossier', 'Juridiction', 'Vous suivez ce dossier', 'Ajouté le', 'Détaché le', 'Situation'],
    e.dossiers.map((d) => [
      d.nature ? html`${d.numeroDossier}<br><span class="fr-text--regular">${d.nature}</span>` : d.numeroDossier,
      d.juridiction.nom,
      d.qualite ? `${d.qualite.enTantQueRepresentant ? `En tant que représentant de ${d.qualite.partie}` : d.qualite.partie} (${d.qualite.role})` : '—',
      temps(d.rattacheLe),
      temps(d.detacheLe),
      d.motifNonConsultable ?? (d.dateCloture ? `Terminé le ${date(d.dateCloture)}` : d.etat ?? 'En cours'),
    ]),
    'Vous n’avez encore ajouté aucun dossier.',
  );
}

function conservation(e: ExportDonnees): SafeHtml {
  const lignes: unknown[][] = [];
  for (const d of e.dossiers) {
    if (!d.conservation) continue;
    lignes.push([`Dossier n° ${d.numeroDossier} (${d.juridiction.nom})`, d.conservation.regle, d.conservation.jusquAu ? temps(d.conservation.jusquAu, date) : `${dureeEnFrancais(e.durees.dossier)} après la clôture, date encore inconnue`]);
  }
  for (const r of e.requetes) {
    lignes.push([nomRequete(r), r.conservation.regle, r.conservation.jusquAu ? temps(r.conservation.jusquAu, date) : r.statut === 'supprimee' ? 'Déjà supprimée' : 'Après la clôture du dossier, date encore inconnue']);
  }
  return html`<p>La date indiquée est celle à laquelle les données seront supprimées du portail. Tant qu’un dossier n’est pas clôturé, la date ne peut pas encore être calculée.</p>
${tableau('Dates de suppression de vos données', ['Données', 'Règle', 'Suppression prévue le'], lignes, 'Le portail ne conserve encore aucun dossier ni aucune requête pour vous.')}`;
}

function coordonnees(e: ExportDonnees): SafeHtml {
  return html`<p>Pour chacun de vos dossiers, voici l’adresse électronique et le téléphone que la juridiction a enregistrés pour vous joindre : c’est là que sont envoyés les numéros d’identification, les alertes et les rappels d’audience. Ils sont partiellement masqués pour votre sécurité.</p>
<div class="fr-callout fr-mb-3w">
  <h3 class="fr-callout__title">Vos coordonnées sont inexactes ou ont changé ?</h3>
  <p class="fr-callout__text">Vous ne pouvez pas les modifier depuis votre espace : seule la juridiction qui gère le dossier peut le faire. Contactez son greffe (adresse et téléphone sur la page <a href="/juridictions">Juridictions</a>) ou signalez-le lors de votre prochaine audience. À défaut, vous risquez de ne recevoir ni votre numéro d’identification, ni les alertes de mise à jour, ni les rappels d’audience.</p>
</div>
${tableau(
  'Coordonnées enregistrées par les juridictions (lecture seule)',
  ['Dossier', 'Titulaire', 'Adresse électronique', 'Téléphone', 'Pour les faire corriger'],
  e.coordonneesConnuesDesJuridictions.map((c) => [
    c.numeroDossier,
    c.titulaire === 'representant' ? 'Votre représentant (désigné lors du consentement)' : 'Vous',
    c.courriel ?? 'Aucune',
    c.telephone ?? 'Aucun',
    html`Greffe : <a href="/juridictions">${c.juridiction.nom}</a>${c.juridiction.telephone ? html`<br>Téléphone : <a href="tel:${c.juridiction.telephone.replace(/\s/g, '')}">${c.juridiction.telephone}</a>` : null}${c.juridiction.courriel ? html`<br>Courriel : <a href="mailto:${c.juridiction.courriel}">${c.juridiction.courriel}</a>` : null}`,
  ]),
  'Aucun dossier suivi : aucune juridiction ne vous a encore transmis de coordonnées.',
)}`;
}

function alertes(e: ExportDonnees): SafeHtml {
  return html`<p>Alertes de mise à jour par courriel : <strong>${e.alertes.courrielsActives ? 'activées' : 'désactivées pour tous vos dossiers'}</strong>. Les rappels d’audience par SMS ne peuvent pas être désactivés. <a href="/espace/parametres">Modifier mes alertes</a></p>
${tableau('Alertes par dossier', ['Dossier', 'Juridiction', 'Alertes'], e.alertes.parDossier.map((a) => [a.numeroDossier, a.juridiction, a.actives ? 'Activées' : 'Désactivées']), 'Aucun dossier suivi.')}`;
}

function envois(e: ExportDonnees): SafeHtml {
  return html`<p>Pour chaque message : sa date, son type, son destinataire (masqué) et son état. Son contenu est celui que vous avez reçu ; le portail n’en garde ni les numéros d’identification ni les codes, effacés après l’envoi.</p>
${tableau(
  'Courriels et SMS envoyés par le portail',
  ['Date', 'Message', 'Canal', 'Destinataire', 'Concerne', 'État'],
  e.notifications.map((n) => [temps(n.creeLe), n.libelle, n.libelleCanal, n.destinataire, n.numeroDossier ? `Dossier n° ${n.numeroDossier}` : n.referenceRequete ? `Requête ${n.referenceRequete}` : '—', n.envoyeLe ? `${n.libelleStatut} le ${dateHeure(n.envoyeLe)}` : n.libelleStatut]),
  'Le portail ne vous a encore envoyé aucun message.',
)}`;
}

function requetes(e: ExportDonnees): SafeHtml {
  if (!e.requetes.length) return html`<p>Vous n’avez commencé aucune requête.</p>`;
  return html`${tableau(
    'Vos requêtes en ligne',
    ['Requête', 'Juridiction', 'Statut', 'Dates', 'Personnes mentionnées', 'Pièces jointes'],
    e.requetes.map((r) => [
      html`${r.libelleType}${r.reference ? html`<br>${r.reference}` : null}`,
      r.juridiction.nom ?? r.juridiction.code,
      r.libelleStatut,
      html`Commencée le ${date(r.commenceeLe)}${r.envoyeeLe ? html`<br>Envoyée le ${dateHeure(r.envoyeeLe)}` : null}${r.enregistreeLe ? html`<br>Enregistrée le ${date(r.enregistreeLe)}${r.numeroDossier ? ` (dossier n° ${r.numeroDossier})` : ''}` : null}${r.supprimeeLe ? html`<br>Supprimée le ${date(r.supprimeeLe)}${r.motifSuppression ? ` (${r.motifSuppression})` : ''}` : null}`,
      r.tiers.length ? html`${r.tiers.map((t, k) => html`${k ? html`<br>` : null}${t.nom}`)}` : 'Aucune',
      r.pieces.length ? html`${r.pieces.map((p, k) => html`${k ? html`<br>` : null}${p.nom} (${p.typeMime}, ${p.taille.toLocaleString('fr-FR')} octets)`)}` : 'Aucune',
    ]),
    '',
  )}
<p>Le contenu de chaque requête (les champs remplis) figure dans le fichier téléchargeable et sur la page de la requête, dans <a href="/espace/requetes">Mes requêtes</a>.</p>`;
}

function consultations(e: ExportDonnees): SafeHtml {
  return html`<p>Les agents de greffe, d’accueil (SAUJ) et les magistrats désignés peuvent consulter vos dossiers et vos requêtes pour vous informer ou les traiter. Chaque consultation est enregistrée ; le nom de l’agent n’est pas communiqué.</p>
${tableau(
  'Consultations de vos dossiers et requêtes par les agents de la justice',
  ['Date', 'Consultation', 'Fonction', 'Juridiction', 'Concerne'],
  e.consultationsParLesAgents.map((c) => [temps(c.le), c.libelle, c.fonction, c.juridiction ?? '—', c.numeroDossier ? `Dossier n° ${c.numeroDossier}` : c.referenceRequete ? `Requête ${c.referenceRequete}` : c.objet === 'requete' ? 'Une de vos requêtes' : 'Un de vos dossiers']),
  'Aucun agent de la justice n’a consulté vos dossiers ou vos requêtes par le portail.',
)}`;
}

function autres(e: ExportDonnees): SafeHtml {
  return html`${tableau(
    'Conditions générales d’utilisation acceptées',
    ['Version', 'Acceptée le'],
    e.cgu.map((c) => [c.version, temps(c.accepteesLe)]),
    'Aucune acceptation enregistrée.',
  )}
${tableau(
  'Codes de vérification demandés pour ajouter un dossier',
  ['Demandé le', 'Téléphone', 'État'],
  e.codesSms.map((c) => [temps(c.demandeLe), c.telephone, c.etat]),
  'Aucun code demandé.',
)}
<p>Abonnement à votre calendrier d’audiences : ${e.calendrier.abonnementActif ? html`<strong>actif</strong> depuis le ${date(e.calendrier.actifDepuis)}` : html`<strong>aucun abonnement actif</strong>`}${e.calendrier.abonnementsRevoques ? ` (${e.calendrier.abonnementsRevoques} ancien${e.calendrier.abonnementsRevoques > 1 ? 's' : ''} lien${e.calendrier.abonnementsRevoques > 1 ? 's' : ''} révoqué${e.calendrier.abonnementsRevoques > 1 ? 's' : ''})` : ''}. L’adresse secrète de l’abonnement n’est pas conservée en clair et ne peut donc pas être affichée. <a href="/espace/parametres/calendrier">Gérer l’abonnement</a></p>
<p>Sessions ouvertes sur le portail : <strong>${e.sessionsActives}</strong>.</p>
${e.demandesDeContact.length
  ? tableau('Demandes adressées au support', ['Référence', 'Objet', 'Envoyée le', 'Close le'], e.demandesDeContact.map((c) => [c.reference, c.objet, temps(c.envoyeeLe), temps(c.closeLe)]), '')
  : null}`;
}

function page(e: ExportDonnees): SafeHtml {
  return html`
<p><a class="fr-link fr-icon-arrow-left-line fr-link--icon-left" href="/espace">Retour à mon espace</a></p>
<h1>Mes données</h1>
<p class="fr-text--lead">Toutes les données que le Portail du justiciable conserve sur vous, au ${formaterDateHeure(new Date(e.genereLe))}.</p>
<ul class="fr-btns-group fr-btns-group--inline-md fr-btns-group--icon-left">
  <li><a class="fr-btn fr-icon-download-line fr-btn--icon-left" href="${CHEMIN_MES_DONNEES}.pdf" download>Télécharger mes données (PDF)</a></li>
  <li><a class="fr-btn fr-btn--secondary fr-icon-download-line fr-btn--icon-left" href="${CHEMIN_MES_DONNEES}.json" download>Télécharger mes données (JSON)</a></li>
</ul>
<nav class="fr-summary fr-mb-6w" role="navigation" aria-labelledby="sommaire-titre">
  <p class="fr-summary__title" id="sommaire-titre">Sommaire</p>
  <ol class="fr-summary__list">
    <li><a class="fr-summary__link" href="#droits">Vos droits sur ces données</a></li>
    <li><a class="fr-summary__link" href="#identite">Identité reçue de FranceConnect</a></li>
    <li><a class="fr-summary__link" href="#dossiers">Vos dossiers</a></li>
    <li><a class="fr-summary__link" href="#coordonnees">Coordonnées connues des juridictions</a></li>
    <li><a class="fr-summary__link" href="#conservation">Durées de conservation de vos données</a></li>
    <li><a class="fr-summary__link" href="#alertes">Vos alertes</a></li>
    <li><a class="fr-summary__link" href="#envois">Courriels et SMS envoyés</a></li>
    <li><a class="fr-summary__link" href="#requetes">Vos requêtes</a></li>
    <li><a class="fr-summary__link" href="#consultations">Consultations par les agents de la justice</a></li>
    <li><a class="fr-summary__link" href="#autres">Autres données de votre compte</a></li>
  </ol>
</nav>
${section('droits', 'Vos droits sur ces données', droits(e))}
${section('identite', 'Identité reçue de FranceConnect', identite(e))}
${section('dossiers', 'Vos dossiers', dossiers(e))}
${section('coordonnees', 'Coordonnées connues des juridictions', coordonnees(e))}
${section('conservation', 'Durées de conservation de vos données', conservation(e))}
${section('alertes', 'Vos alertes', alertes(e))}
${section('envois', 'Courriels et SMS envoyés', envois(e))}
${section('requetes', 'Vos requêtes', requetes(e))}
${section('consultations', 'Consultations par les agents de la justice', consultations(e))}
${section('autres', 'Autres données de votre compte', autres(e))}`;
}

// ------------------------------------------------------------------------------------------------
// PDF: the same items, as lines. Standard PDF fonts know WinAnsi only (as for the proof of
// deposit in web/citoyen/requetes.ts): typographic spaces become plain ones.

const pourPdf = (s: string) => s.replace(/[\u202F\u00A0\u2009]/g, ' ');

/** The PDF's text, section by section: exported so the tests can compare it with the JSON. */
export function lignesPdf(e: ExportDonnees, titulaire: string): { titre: string; lignes: string[] }[] {
  const i = e.identite;
  const dossierDe = (n: { numeroDossier: string | null; referenceRequete: string | null }) =>
    n.numeroDossier ? ` — dossier n° ${n.numeroDossier}` : n.referenceRequete ? ` — requête ${n.referenceRequete}` : '';
  const vide = (l: string[], texte: string) => (l.length ? l : [texte]);
  return [
    {
      titre: 'Vos droits',
      lignes: [
        'Accès : directement dans votre espace personnel (page « Mes données »), sans démarche (arrêté, art. 5).',
        'Rectification des données d’un dossier : uniquement auprès de la juridiction qui le gère (écrire au greffe avec un justificatif d’identité, ou le signaler à l’audience).',
        'Requêtes : modifiables et supprimables par vous jusqu’à leur transmission, puis plus aucune modification.',
        'Effacement, limitation, opposition : ne s’appliquent pas, le traitement étant imposé par l’arrêté pour les procédures judiciaires ; les données sont supprimées à la fin des durées de conservation.',
      ],
    },
    {
      titre: 'Identité reçue de FranceConnect',
      lignes: [
        `Prénoms : ${i.prenoms ?? '—'}`,
        `Nom de naissance : ${i.nomDeNaissance ?? '—'}`,
        `Nom d’usage : ${i.nomDUsage ?? '—'}`,
        `Date de naissance : ${jourCivil(i.dateDeNaissance)}`,
        `Sexe : ${i.sexe ? SEXES[i.sexe] ?? i.sexe : '—'}`,
        `Lieu de naissance (code INSEE) : ${i.lieuDeNaissance || '—'}`,
        `Pays de naissance (code INSEE) : ${i.paysDeNaissance ?? '—'}`,
        `Adresse électronique : ${i.courriel ?? '—'}`,
        `Identifiant FranceConnect : ${i.identifiantFranceConnect}`,
        `Compte créé le ${dateHeure(i.compteCreeLe)} ; dernière connexion : ${dateHeure(i.derniereConnexionLe)}`,
      ],
    },
    { titre: 'Conditions générales d’utilisation', lignes: vide(e.cgu.map((c) => `Version ${c.version} acceptée le ${dateHeure(c.accepteesLe)}`), 'Aucune acceptation enregistrée.') },
    {
      titre: 'Vos dossiers',
      lignes: vide(e.dossiers.map((d) => [
        `Dossier n° ${d.numeroDossier} — ${d.juridiction.nom}`,
        d.nature ? ` — ${d.nature}, saisine le ${jourCivil(d.dateSaisine)}, ${d.dateCloture ? `terminé le ${date(d.dateCloture)}` : `état : ${d.etat}`}` : '',
        d.qualite ? ` — ${d.qualite.enTantQueRepresentant ? `en tant que représentant de ${d.qualite.partie}` : d.qualite.partie} (${d.qualite.role})` : '',
        ` — ajouté le ${dateHeure(d.rattacheLe)}`,
        d.detacheLe ? ` — détaché le ${dateHeure(d.detacheLe)}` : '',
        d.motifNonConsultable ? ` — ${d.motifNonConsultable}` : '',
        d.documentsConsultes?.length ? ` — documents consultés : ${d.documentsConsultes.map((c) => `${c.titre} (${dateHeure(c.premiereConsultationLe)})`).join(', ')}` : '',
      ].join('')), 'Aucun dossier.'),
    },
    {
      titre: 'Coordonnées connues des juridictions (modifiables seulement par la juridiction)',
      lignes: vide(e.coordonneesConnuesDesJuridictions.map((c) => `Dossier n° ${c.numeroDossier} — ${c.juridiction.nom} — ${c.titulaire === 'representant' ? 'votre représentant' : 'vous'} : courriel ${c.courriel ?? 'aucun'}, téléphone ${c.telephone ?? 'aucun'}${c.juridiction.telephone ? ` — greffe : ${c.juridiction.telephone}` : ''}`), 'Aucune.'),
    },
    {
      titre: 'Durées de conservation',
      lignes: [
        ...e.dossiers.filter((d) => d.conservation).map((d) => `Dossier n° ${d.numeroDossier} : ${d.conservation!.regle}${d.conservation!.jusquAu ? ` — suppression le ${date(d.conservation!.jusquAu)}` : ''}`),
        ...e.requetes.map((r) => `${nomRequete(r)} : ${r.conservation.regle}${r.conservation.jusquAu ? ` — suppression le ${date(r.conservation.jusquAu)}` : ''}`),
      ],
    },
    {
      titre: 'Vos alertes',
      lignes: [
        `Alertes de mise à jour par courriel : ${e.alertes.courrielsActives ? 'activées' : 'désactivées'} ; rappels d’audience par SMS : toujours actifs.`,
        ...e.alertes.parDossier.map((a) => `Dossier n° ${a.numeroDossier} (${a.juridiction}) : alertes ${a.actives ? 'activées' : 'désactivées'}`),
      ],
    },
    {
      titre: 'Courriels et SMS envoyés',
      lignes: vide(e.notifications.map((n) => `${dateHeure(n.creeLe)} — ${n.libelleCanal} — ${n.libelle} — à ${n.destinataire}${dossierDe(n)} — ${n.libelleStatut}`), 'Aucun message.'),
    },
    {
      titre: 'Vos requêtes',
      lignes: vide(e.requetes.flatMap((r) => [
        `${r.libelleType}${r.reference ? ` ${r.reference}` : ''} — ${r.juridiction.nom ?? r.juridiction.code} — ${r.libelleStatut} — commencée le ${date(r.commenceeLe)}${r.envoyeeLe ? `, envoyée le ${dateHeure(r.envoyeeLe)}` : ''}${r.supprimeeLe ? `, supprimée le ${date(r.supprimeeLe)}` : ''}`,
        ...r.tiers.map((t) => `    Personne mentionnée : ${t.nom}`),
        ...r.pieces.map((p) => `    Pièce jointe : ${p.nom} (${p.typeMime}, ${p.taille} octets, SHA-256 ${p.sha256})`),
      ]), 'Aucune requête.'),
    },
    {
      titre: 'Consultations par les agents de la justice',
      lignes: vide(e.consultationsParLesAgents.map((c) => `${dateHeure(c.le)} — ${c.libelle} — ${c.fonction} — ${c.juridiction ?? '—'}${dossierDe(c)}`), 'Aucune consultation.'),
    },
    {
      titre: 'Autres données',
      lignes: [
        ...e.codesSms.map((c) => `Code de vérification demandé le ${dateHeure(c.demandeLe)} pour le ${c.telephone} : ${c.etat}`),
        `Abonnement au calendrier : ${e.calendrier.abonnementActif ? `actif depuis le ${date(e.calendrier.actifDepuis)}` : 'aucun'}`,
        `Sessions ouvertes : ${e.sessionsActives}`,
        ...e.demandesDeContact.map((c) => `Demande au support ${c.reference} (${c.objet}) envoyée le ${dateHeure(c.envoyeeLe)}${c.closeLe ? `, close le ${dateHeure(c.closeLe)}` : ''}`),
      ],
    },
  ].map((s) => ({ ...s, lignes: s.lignes.map(pourPdf) })).concat([{ titre: '', lignes: [pourPdf(`Document établi pour ${titulaire} le ${dateHeure(e.genereLe)} (format ${e.version}).`)] }]);
}

export function pdfMesDonnees(e: ExportDonnees, titulaire: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const titre = 'Mes données — Portail du justiciable';
    const doc = new PDFDocument({ size: 'A4', margin: 56, lang: 'fr-FR', info: { Title: titre, Author: 'Portail du justiciable' } });
    const morceaux: Buffer[] = [];
    doc.on('data', (c: Buffer) => morceaux.push(c));
    doc.on('end', () => resolve(Buffer.concat(morceaux)));
    doc.on('error', reject);
    doc.fontSize(9).font('Helvetica').text('RÉPUBLIQUE FRANÇAISE — Ministère de la Justice').moveDown(0.5);
    doc.fontSize(16).font('Helvetica-Bold').text(titre).moveDown(0.3);
    doc.fontSize(10).font('Helvetica').text(pourPdf(`Données conservées sur ${titulaire} au ${dateHeure(e.genereLe)} (heure de Paris).`)).moveDown();
    for (const s of lignesPdf(e, titulaire)) {
      if (s.titre) doc.fontSize(12).font('Helvetica-Bold').text(pourPdf(s.titre)).moveDown(0.3);
      doc.fontSize(9).font('Helvetica');
      for (const l of s.lignes) doc.text(l).moveDown(0.15);
      doc.moveDown(0.6);
    }
    doc.end();
  });
}

// ------------------------------------------------------------------------------------------------
// Handlers

export function pagesMesDonnees(deps: ContexteMesDonnees) {
  return {
    async page(ctx: RouterContext): Promise<void> {
      const compte = ctx.state.compte as Compte;
      const e = await service.exporter(deps, compte.id);
      ctx.set('Cache-Control', 'no-store');
      rendre(ctx, { titre: 'Mes données', contenu: page(e) });
    },

    async json(ctx: RouterContext): Promise<void> {
      const compte = ctx.state.compte as Compte;
      const e = await service.exporter(deps, compte.id);
      await service.journaliserExport(deps, compte.id, 'json');
      ctx.set('Content-Disposition', `attachment; filename="${nomFichier(e, 'json')}"`);
      ctx.set('Cache-Control', 'private, no-store');
      ctx.set('X-Content-Type-Options', 'nosniff');
      ctx.type = 'application/json; charset=utf-8';
      ctx.body = `${JSON.stringify(e, null, 2)}\n`;
    },

    async pdf(ctx: RouterContext): Promise<void> {
      const compte = ctx.state.compte as Compte;
      const e = await service.exporter(deps, compte.id);
      const pdf = await pdfMesDonnees(e, nomAffiche(compte));
      await service.journaliserExport(deps, compte.id, 'pdf');
      ctx.set('Content-Type', 'application/pdf');
      ctx.set('Content-Disposition', `attachment; filename="${nomFichier(e, 'pdf')}"`);
      ctx.set('Cache-Control', 'private, no-store');
      ctx.set('X-Content-Type-Options', 'nosniff');
      ctx.body = pdf;
    },
  };
}
