// /agent/statistiques and its CSV export (issue 8 item 5, decree 004 art. 1 "la réalisation de
// statistiques"). A head of registry sees their juridiction(s); the national statistics role sees
// the whole country, a breakdown per juridiction, and may narrow to one juridiction. Nothing but
// counts and delays is shown: the figures come from db/statistiques.ts, which selects no personal
// data. Charts are inline SVG (the CSP allows no inline style or script, hence presentation
// attributes) described by <title>/<desc>, and every number is also in a table, which is what
// screen-reader users and the CSV rely on.
import type { RouterContext } from '@koa/router';
import { DateTime } from 'luxon';
import type { DatabasePool } from 'slonik';
import { z } from 'zod';
import * as statistiques from '../../db/statistiques.js';
import type { LigneStatistiques, Periode } from '../../db/statistiques.js';
import { journaliser } from '../../db/journal.js';
import { juridictionsAutorisees, roleAutorise, type AgentConnecte } from '../../domain/agents.js';
import { introuvable, interdit, nonAutorise, requeteInvalide } from '../../domain/erreurs.js';
import { messagesFrancais } from '../../domain/schemas/francais.js';
import type { RouteAgent } from './routes.js';
import { html, type SafeHtml } from '../vues/html.js';
import { filAriane, rendreAgent } from './vues.js';

export const CHEMIN_STATISTIQUES = '/agent/statistiques';
export const CHEMIN_STATISTIQUES_CSV = '/agent/statistiques.csv';

/** Bounds the work of one request: three years of months is already 36 table rows per scope. */
export const MOIS_MAX = 36;
const FUSEAU = statistiques.FUSEAU_STATISTIQUES;

export interface DependancesStatistiques {
  pool: DatabasePool;
  /** Tests move the clock (default period, habilitation dates); production uses the real one. */
  maintenant?: () => Date;
}

const LIBELLES: Record<statistiques.Indicateur, string> = {
  comptes_crees: 'Comptes créés',
  connexions: 'Connexions',
  rattaches: 'Dossiers rattachés',
  detaches: 'Dossiers détachés',
  alertes_envoyees: 'Alertes envoyées (courriel)',
  alertes_echec: 'Alertes en échec',
  rappels_envoyes: 'Rappels envoyés (SMS)',
  rappels_echec: 'Rappels en échec',
  requetes_commencees: 'Requêtes commencées',
  requetes_envoyees: 'Requêtes envoyées',
  requetes_echec: 'Requêtes en échec',
  requetes_enregistrees: 'Requêtes enregistrées',
  requetes_expirees: 'Brouillons expirés',
};
const LIBELLE_MEDIANE = 'Délai médian envoi → enregistrement';
const LIBELLE_P90 = 'Délai 90ᵉ centile envoi → enregistrement';

// ------------------------------------------------------------------------------------------------
// Query parameters
// ------------------------------------------------------------------------------------------------

const vide = (v: unknown) => (v === '' ? undefined : v);
const mois = z.preprocess(vide, z.string().regex(statistiques.MOIS, 'mois au format AAAA-MM attendu (par exemple 2026-01)').optional());

export const parametresStatistiques = z
  .object({
    juridiction: z.preprocess(
      vide,
      z.string().trim().toUpperCase().regex(/^[A-Z0-9_-]{2,32}$/, 'code de juridiction : 2 à 32 caractères parmi A-Z 0-9 _ -').optional(),
    ),
    du: mois,
    au: mois,
  })
  .superRefine((p, ctx) => {
    if (p.du && p.au && p.du > p.au) ctx.addIssue({ code: 'custom', path: ['au'], message: 'le dernier mois précède le premier' });
    if (p.du && p.au && ecartMois(p.du, p.au) >= MOIS_MAX) ctx.addIssue({ code: 'custom', path: ['au'], message: `${MOIS_MAX} mois au plus` });
  });

const NOMS_CHAMPS: Record<string, string> = { juridiction: 'Juridiction', du: 'Premier mois', au: 'Dernier mois' };

function ecartMois(du: string, au: string): number {
  const [a1, m1] = du.split('-').map(Number) as [number, number];
  const [a2, m2] = au.split('-').map(Number) as [number, number];
  return (a2 - a1) * 12 + (m2 - m1);
}

function decalerMois(m: string, n: number): string {
  return DateTime.fromFormat(m, 'yyyy-MM', { zone: 'utc' }).plus({ months: n }).toFormat('yyyy-MM');
}

/** Missing months default to the last twelve, the current one (Europe/Paris) included. */
function lireParametres(query: unknown, maintenant: Date): { juridiction: string | undefined; periode: Periode } {
  const r = parametresStatistiques.safeParse(query ?? {}, { errorMap: messagesFrancais });
  if (!r.success) {
    throw requeteInvalide(
      r.error.issues.map((i) => {
        const champ = String(i.path[0] ?? 'parametres');
        return { champ, message: `${NOMS_CHAMPS[champ] ?? champ} : ${i.message}` };
      }),
      'Les critères demandés ne sont pas valides.',
    );
  }
  const courant = DateTime.fromJSDate(maintenant, { zone: FUSEAU }).toFormat('yyyy-MM');
  const au = r.data.au ?? (r.data.du ? decalerMois(r.data.du, 11) : courant);
  const du = r.data.du ?? decalerMois(au, -11);
  return { juridiction: r.data.juridiction, periode: { du, au } };
}

// ------------------------------------------------------------------------------------------------
// Who sees what
// ------------------------------------------------------------------------------------------------

interface Portee {
  agent: AgentConnecte;
  /** The national view (with its per-juridiction breakdown). */
  national: boolean;
  /** The juridictions shown one by one (national: the breakdown, null = all). */
  juridictions: readonly string[] | null;
  /** For the filter: the choices this agent has. */
  choix: readonly { code: string; nom: string }[];
  filtre: string | undefined;
  periode: Periode;
  role: string;
}

async function determinerPortee(deps: DependancesStatistiques, ctx: RouterContext): Promise<Portee> {
  const agent = ctx.state.agent as AgentConnecte | undefined;
  if (!agent) throw nonAutorise();
  const maintenant = deps.maintenant?.() ?? new Date();
  const aujourdHui = DateTime.fromJSDate(maintenant, { zone: FUSEAU }).toISODate()!;
  // Rights before parameters: an agent without the statistics right learns nothing, not even
  // which parameters are valid.
  // A refusal is journaled like any other agent page's (web/middleware/agent.ts autoriser).
  const refuser = async (juridiction: string | null) => {
    await journaliser(deps.pool, {
      acteurType: 'agent', acteurId: agent.id, juridiction, action: 'statistiques', objetType: 'statistiques', objetId: juridiction, resultat: 'refus',
      details: { chemin: ctx.path },
    });
    return interdit();
  };
  const autorisees = juridictionsAutorisees(agent, 'statistiques', aujourdHui);
  if (autorisees.length === 0) throw await refuser(null);
  const { juridiction, periode } = lireParametres(ctx.query, maintenant);
  const national = autorisees.includes(null);
  const toutes = await statistiques.listerCodesJuridictions(deps.pool);
  const choix = national ? toutes : toutes.filter((j) => autorisees.includes(j.code));

  if (juridiction) {
    // Another juridiction's code answers 403 whether it exists or not: no existence oracle.
    const role = roleAutorise(agent, 'statistiques', juridiction, aujourdHui);
    if (!role) throw await refuser(juridiction);
    if (!toutes.some((j) => j.code === juridiction)) throw introuvable('Cette juridiction');
    return { agent, national: false, juridictions: [juridiction], choix, filtre: juridiction, periode, role: role.role };
  }
  if (national) {
    return { agent, national: true, juridictions: null, choix, filtre: undefined, periode, role: roleAutorise(agent, 'statistiques', null, aujourdHui)!.role };
  }
  const codes = autorisees.filter((j): j is string => j !== null).sort();
  return { agent, national: false, juridictions: codes, choix, filtre: undefined, periode, role: roleAutorise(agent, 'statistiques', codes[0]!, aujourdHui)!.role };
}

async function lireDonnees(pool: DatabasePool, p: Portee) {
  const [nationales, parJuridiction] = await Promise.all([
    p.national ? statistiques.statistiquesNationales(pool, p.periode) : Promise.resolve(null),
    statistiques.statistiquesParJuridiction(pool, p.periode, p.juridictions),
  ]);
  return { nationales, parJuridiction };
}

function tracer(pool: DatabasePool, p: Portee, action: string) {
  return journaliser(pool, {
    acteurType: 'agent', acteurId: p.agent.id, role: p.role,
    juridiction: p.juridictions?.length === 1 ? p.juridictions[0] : null,
    finalite: 'statistiques', action, objetType: 'statistiques', objetId: p.national ? 'national' : (p.juridictions ?? []).join(','),
    resultat: 'succes', details: { du: p.periode.du, au: p.periode.au, national: p.national },
  });
}

// ------------------------------------------------------------------------------------------------
// Formatting
// ------------------------------------------------------------------------------------------------

const formatMoisLong = new Intl.DateTimeFormat('fr-FR', { month: 'long', year: 'numeric', timeZone: 'UTC' });
const formatMoisCourt = new Intl.DateTimeFormat('fr-FR', { month: 'short', year: '2-digit', timeZone: 'UTC' });
const entier = new Intl.NumberFormat('fr-FR');
const decimal = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1, minimumFractionDigits: 1 });

const dateDuMois = (m: string) => new Date(`${m}-01T00:00:00Z`);
export const moisLong = (m: string) => formatMoisLong.format(dateDuMois(m));
const moisCourt = (m: string) => formatMoisCourt.format(dateDuMois(m));
/** "de janvier 2026 à mars 2026", "d’avril 2025 à mars 2026" (elision before avril, août, octobre). */
export function intervalleMois(du: string, au: string): string {
  const debut = moisLong(du);
  return `${/^[aeiouéèê]/i.test(debut) ? 'd’' : 'de '}${debut} à ${moisLong(au)}`;
}

/** A delay for people: minutes under an hour, hours under two days, days beyond. */
export function formaterDelai(secondes: number | null): string {
  if (secondes === null) return '—';
  if (secondes < 3600) return `${Math.max(1, Math.round(secondes / 60))} min`;
  if (secondes < 48 * 3600) return `${decimal.format(secondes / 3600)} h`;
  return `${decimal.format(secondes / 86400)} j`;
}

type Ligne = LigneStatistiques;

function somme(lignes: readonly Ligne[], i: statistiques.Indicateur): number {
  return lignes.reduce((s, l) => s + l[i], 0);
}

function grouperParJuridiction(lignes: readonly Ligne[]): { code: string; nom: string; lignes: Ligne[] }[] {
  const groupes = new Map<string, { code: string; nom: string; lignes: Ligne[] }>();
  for (const l of lignes) {
    const code = l.juridiction!;
    if (!groupes.has(code)) groupes.set(code, { code, nom: l.nom ?? code, lignes: [] });
    groupes.get(code)!.lignes.push(l);
  }
  return [...groupes.values()];
}

// ------------------------------------------------------------------------------------------------
// SVG charts
// ------------------------------------------------------------------------------------------------

// DSFR colours; the legend names each series in words, so colour is never the only cue.
const COULEURS = ['#000091', '#e1000f', '#18753c', '#b34000', '#6a6af4'];

interface Serie {
  indicateur: statistiques.Indicateur;
}

/** Integer ticks: 0 and four equal steps covering the maximum. */
function graduations(max: number): number[] {
  const pas = Math.max(1, Math.ceil(max / 4));
  return [0, pas, 2 * pas, 3 * pas, 4 * pas];
}

export function histogramme(id: string, titre: string, lignes: readonly Ligne[], series: readonly Serie[]): SafeHtml {
  const L = 720;
  const gauche = 44;
  const droite = 8;
  const haut = 12;
  const hauteurTrace = 200;
  const basAxe = haut + hauteurTrace;
  const lignesLegende = Math.ceil(series.length / 3);
  const H = basAxe + 28 + lignesLegende * 20 + 4;
  const largeurTrace = L - gauche - droite;
  const max = Math.max(0, ...lignes.flatMap((l) => series.map((s) => l[s.indicateur])));
  const ticks = graduations(max);
  const echelle = ticks[ticks.length - 1]!;
  const y = (v: number) => basAxe - (v / echelle) * hauteurTrace;
  const groupe = largeurTrace / Math.max(1, lignes.length);
  // Capped so a short period does not draw slabs; the group is centred in its month.
  const barre = Math.min((groupe * 0.8) / series.length, 28);
  // Beyond 18 months the labels would overlap: every other one is enough to read the axis.
  const pasEtiquette = lignes.length > 18 ? 2 : 1;
  const premier = lignes[0]?.mois;
  const dernier = lignes[lignes.length - 1]?.mois;
  const totaux = series.map((s) => `${LIBELLES[s.indicateur].toLowerCase()} : ${entier.format(somme(lignes, s.indicateur))}`).join(' ; ');
  const description = premier && dernier
    ? `Histogramme par mois, ${intervalleMois(premier, dernier)}. Totaux sur la période : ${totaux}. Les valeurs de chaque mois figurent dans le tableau qui suit.`
    : 'Aucune donnée sur la période.';
  return html`<figure class="fr-my-4w">
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${L} ${H}" width="100%" role="img" aria-labelledby="${id}-titre ${id}-desc" focusable="false">
<title id="${id}-titre">${titre}</title>
<desc id="${id}-desc">${description}</desc>
<g font-family="Marianne, arial, sans-serif" font-size="11" fill="#3a3a3a">
${ticks.map((t) => html`<line x1="${gauche}" x2="${L - droite}" y1="${y(t).toFixed(1)}" y2="${y(t).toFixed(1)}" stroke="#dddddd" stroke-width="1"/><text x="${gauche - 6}" y="${(y(t) + 4).toFixed(1)}" text-anchor="end">${entier.format(t)}</text>`)}
${lignes.map((l, i) => {
  const x0 = gauche + (i + 0.5) * groupe - (barre * series.length) / 2;
  return html`<g>${series.map((s, k) => {
    const v = l[s.indicateur];
    return html`<rect x="${(x0 + k * barre).toFixed(1)}" y="${y(v).toFixed(1)}" width="${Math.max(1, barre - 1).toFixed(1)}" height="${(basAxe - y(v)).toFixed(1)}" fill="${COULEURS[k % COULEURS.length]}"><title>${LIBELLES[s.indicateur]}, ${moisLong(l.mois)} : ${entier.format(v)}</title></rect>`;
  })}${i % pasEtiquette === 0 ? html`<text x="${(gauche + (i + 0.5) * groupe).toFixed(1)}" y="${basAxe + 16}" text-anchor="middle">${moisCourt(l.mois)}</text>` : null}</g>`;
})}
<line x1="${gauche}" x2="${L - droite}" y1="${basAxe}" y2="${basAxe}" stroke="#3a3a3a" stroke-width="1"/>
${series.map((s, k) => {
  const lx = gauche + (k % 3) * 220;
  const ly = basAxe + 30 + Math.floor(k / 3) * 20;
  return html`<rect x="${lx}" y="${ly}" width="12" height="12" fill="${COULEURS[k % COULEURS.length]}"/><text x="${lx + 18}" y="${ly + 10}">${LIBELLES[s.indicateur]}</text>`;
})}
</g>
</svg>
<figcaption class="fr-text--sm">${titre}</figcaption>
</figure>`;
}

const GRAPHIQUES: { titre: string; series: Serie[] }[] = [
  { titre: 'Comptes créés et connexions', series: [{ indicateur: 'comptes_crees' }, { indicateur: 'connexions' }] },
  { titre: 'Dossiers rattachés et détachés', series: [{ indicateur: 'rattaches' }, { indicateur: 'detaches' }] },
  {
    titre: 'Alertes par courriel et rappels d’audience par SMS',
    series: [{ indicateur: 'alertes_envoyees' }, { indicateur: 'alertes_echec' }, { indicateur: 'rappels_envoyes' }, { indicateur: 'rappels_echec' }],
  },
  {
    titre: 'Requêtes en ligne',
    series: [{ indicateur: 'requetes_commencees' }, { indicateur: 'requetes_envoyees' }, { indicateur: 'requetes_echec' }, { indicateur: 'requetes_enregistrees' }, { indicateur: 'requetes_expirees' }],
  },
];

// ------------------------------------------------------------------------------------------------
// Tables
// ------------------------------------------------------------------------------------------------

// The tables are wider than the page: their scrolling container must take the keyboard focus
// (WCAG 2.1.1, axe scrollable-region-focusable), hence a named, focusable region.
function tableau(legende: string, contenu: SafeHtml): SafeHtml {
  return html`<div class="fr-table fr-table--bordered fr-mb-4w"><div class="fr-table__wrapper"><div class="fr-table__container" tabindex="0" role="region" aria-label="${legende}"><div class="fr-table__content">
<table>
<caption>${legende}</caption>
${contenu}
</table>
</div></div></div></div>`;
}

function tableauMensuel(legende: string, lignes: readonly Ligne[]): SafeHtml {
  return tableau(legende, html`<thead><tr><th scope="col">Mois</th>${statistiques.INDICATEURS.map((i) => html`<th scope="col">${LIBELLES[i]}</th>`)}<th scope="col">${LIBELLE_MEDIANE}</th><th scope="col">${LIBELLE_P90}</th></tr></thead>
<tbody>
${lignes.map((l) => html`<tr data-mois="${l.mois}"><th scope="row">${moisLong(l.mois)}</th>${statistiques.INDICATEURS.map((i) => html`<td data-indicateur="${i}">${entier.format(l[i])}</td>`)}<td>${formaterDelai(l.delai_median_s)}</td><td>${formaterDelai(l.delai_p90_s)}</td></tr>`)}
</tbody>
<tfoot><tr data-mois="total"><th scope="row">Total sur la période</th>${statistiques.INDICATEURS.map((i) => html`<td data-indicateur="${i}">${entier.format(somme(lignes, i))}</td>`)}<td>—</td><td>—</td></tr></tfoot>`);
}

function tableauRepartition(legende: string, groupes: ReturnType<typeof grouperParJuridiction>, periode: Periode): SafeHtml {
  return tableau(legende, html`<thead><tr><th scope="col">Juridiction</th>${statistiques.INDICATEURS.map((i) => html`<th scope="col">${LIBELLES[i]}</th>`)}</tr></thead>
<tbody>
${groupes.map((g) => html`<tr data-juridiction="${g.code}"><th scope="row"><a href="${CHEMIN_STATISTIQUES}?${new URLSearchParams({ juridiction: g.code, du: periode.du, au: periode.au }).toString()}">${g.nom}</a> (${g.code})</th>${statistiques.INDICATEURS.map((i) => html`<td data-indicateur="${i}">${entier.format(somme(g.lignes, i))}</td>`)}</tr>`)}
</tbody>`);
}

function section(id: string, titre: string, lignes: readonly Ligne[], periode: Periode): SafeHtml {
  return html`<section class="fr-mt-6w" aria-labelledby="${id}">
<h2 id="${id}">${titre}</h2>
${GRAPHIQUES.map((g, k) => histogramme(`${id}-graphique-${k + 1}`, `${g.titre} — ${titre}`, lignes, g.series))}
${tableauMensuel(`${titre} : indicateurs par mois, ${intervalleMois(periode.du, periode.au)}`, lignes)}
</section>`;
}

// ------------------------------------------------------------------------------------------------
// Page
// ------------------------------------------------------------------------------------------------

function formulaire(p: Portee): SafeHtml {
  const plusieurs = p.national || p.choix.length > 1;
  return html`<form method="get" action="${CHEMIN_STATISTIQUES}" class="fr-mb-4w">
<fieldset class="fr-fieldset">
<legend class="fr-fieldset__legend">Critères</legend>
${plusieurs
  ? html`<div class="fr-fieldset__element"><div class="fr-select-group">
<label class="fr-label" for="stat-juridiction">Juridiction</label>
<select class="fr-select" id="stat-juridiction" name="juridiction">
<option value=""${p.filtre ? '' : html` selected`}>${p.national ? 'Toutes les juridictions (vue nationale)' : 'Toutes mes juridictions'}</option>
${p.choix.map((j) => html`<option value="${j.code}"${p.filtre === j.code ? html` selected` : ''}>${j.nom} (${j.code})</option>`)}
</select></div></div>`
  : null}
<div class="fr-fieldset__element fr-fieldset__element--inline"><div class="fr-input-group">
<label class="fr-label" for="stat-du">Premier mois <span class="fr-hint-text">Format : AAAA-MM</span></label>
<input class="fr-input" type="month" id="stat-du" name="du" value="${p.periode.du}" pattern="\\d{4}-\\d{2}">
</div></div>
<div class="fr-fieldset__element fr-fieldset__element--inline"><div class="fr-input-group">
<label class="fr-label" for="stat-au">Dernier mois <span class="fr-hint-text">Format : AAAA-MM</span></label>
<input class="fr-input" type="month" id="stat-au" name="au" value="${p.periode.au}" pattern="\\d{4}-\\d{2}">
</div></div>
<div class="fr-fieldset__element"><button type="submit" class="fr-btn">Afficher</button></div>
</fieldset>
</form>`;
}

const DEFINITIONS = html`<div class="fr-callout fr-mb-4w">
<h2 class="fr-callout__title">Comment ces chiffres sont calculés</h2>
<ul class="fr-callout__text fr-text--sm">
<li>Les mois sont ceux de l’heure de Paris. Seuls des effectifs et des délais sont présentés : aucune donnée personnelle.</li>
<li>Un compte est compté pour la juridiction de son premier dossier rattaché, le mois de sa création ; la vue nationale compte tous les comptes, rattachés ou non.</li>
<li>Une connexion est comptée pour chaque juridiction où le compte suivait un dossier à ce moment ; la vue nationale la compte une seule fois.</li>
<li>Alertes et rappels : envoyés le mois de l’envoi ; en échec, les envois définitivement abandonnés, le mois de leur mise en file.</li>
<li>Brouillons expirés : brouillons jamais envoyés et effacés au terme de leur durée de conservation, le mois de leur effacement (ceux que le demandeur a supprimés lui-même ne sont pas comptés).</li>
<li>Délais : entre l’envoi d’une requête et son enregistrement par le greffe, pour les requêtes enregistrées dans le mois.</li>
<li>Les chiffres suivent les données conservées : les dossiers purgés un an après leur clôture n’y figurent plus.</li>
</ul>
</div>`;

function lienCsv(p: Portee): string {
  const q = new URLSearchParams({ ...(p.filtre ? { juridiction: p.filtre } : {}), du: p.periode.du, au: p.periode.au });
  return `${CHEMIN_STATISTIQUES_CSV}?${q.toString()}`;
}

// ------------------------------------------------------------------------------------------------
// CSV
// ------------------------------------------------------------------------------------------------

/** One CSV cell: quoted when needed, and a leading formula character neutralised (CSV injection). */
function cellule(v: string): string {
  const s = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[;"\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const heures = (s: number | null) => (s === null ? '' : (Math.round(s / 36) / 100).toFixed(2).replace('.', ','));

export function versCsv(nationales: readonly Ligne[] | null, parJuridiction: readonly Ligne[]): string {
  const entete = [
    'Code juridiction', 'Juridiction', 'Mois', ...statistiques.INDICATEURS.map((i) => LIBELLES[i]),
    `${LIBELLE_MEDIANE} (heures)`, `${LIBELLE_P90} (heures)`,
  ];
  const ligne = (l: Ligne) => [
    l.juridiction ?? '', l.juridiction ? (l.nom ?? '') : 'Ensemble des juridictions', l.mois,
    ...statistiques.INDICATEURS.map((i) => String(l[i])), heures(l.delai_median_s), heures(l.delai_p90_s),
  ];
  const lignes = [entete, ...(nationales ?? []).map(ligne), ...parJuridiction.map(ligne)];
  // The BOM makes spreadsheet software read UTF-8 (accents) instead of the local code page.
  return `\uFEFF${lignes.map((l) => l.map(cellule).join(';')).join('\r\n')}\r\n`;
}

// ------------------------------------------------------------------------------------------------
// Handlers and routes
// ------------------------------------------------------------------------------------------------

export function pagesStatistiques(deps: DependancesStatistiques) {
  return {
    async page(ctx: RouterContext): Promise<void> {
      const p = await determinerPortee(deps, ctx);
      const { nationales, parJuridiction } = await lireDonnees(deps.pool, p);
      await tracer(deps.pool, p, 'statistiques.consulter');
      const groupes = grouperParJuridiction(parJuridiction);
      const intervalle = intervalleMois(p.periode.du, p.periode.au);
      const contenu = html`${filAriane([{ titre: 'Espace agents', href: '/agent' }, { titre: 'Statistiques' }])}
<h1>Statistiques du portail</h1>
<p class="fr-text--lead">${p.national && !p.filtre ? 'Vue nationale' : groupes.map((g) => `${g.nom} (${g.code})`).join(', ')}, ${intervalle}.</p>
${formulaire(p)}
<p><a class="fr-link fr-icon-download-line fr-link--icon-left" href="${lienCsv(p)}" download>Télécharger ces chiffres (CSV)</a></p>
${DEFINITIONS}
${nationales
  ? html`${section('national', 'Ensemble des juridictions', nationales, p.periode)}
<section class="fr-mt-6w" aria-labelledby="repartition">
<h2 id="repartition">Répartition par juridiction</h2>
${groupes.length
  ? tableauRepartition(`Totaux par juridiction, ${intervalle}`, groupes, p.periode)
  : html`<p>Aucune juridiction n’est raccordée au portail.</p>`}
</section>`
  : groupes.map((g, k) => section(`juridiction-${k + 1}`, `${g.nom} (${g.code})`, g.lignes, p.periode))}`;
      rendreAgent(ctx, { titre: 'Statistiques', contenu });
    },

    async csv(ctx: RouterContext): Promise<void> {
      const p = await determinerPortee(deps, ctx);
      const { nationales, parJuridiction } = await lireDonnees(deps.pool, p);
      await tracer(deps.pool, p, 'statistiques.exporter');
      const nom = `statistiques-${p.filtre ? `${p.filtre.toLowerCase()}-` : p.national ? 'national-' : ''}${p.periode.du}-${p.periode.au}.csv`;
      ctx.status = 200;
      ctx.type = 'text/csv; charset=utf-8';
      ctx.set('Content-Disposition', `attachment; filename="${nom}"`);
      ctx.set('Cache-Control', 'no-store');
      ctx.body = versCsv(nationales, parJuridiction);
    },
  };
}

/**
 * The entries for the agent route table (web/agent/routes.ts): the agent middleware guards them,
 * and the authorization-matrix test reads their action.
 */
export function routesStatistiques(deps: DependancesStatistiques): RouteAgent[] {
  const h = pagesStatistiques(deps);
  return [
    { methode: 'GET', chemin: CHEMIN_STATISTIQUES, titre: 'Statistiques', acces: 'agent', action: 'statistiques', handler: h.page },
    { methode: 'GET', chemin: CHEMIN_STATISTIQUES_CSV, titre: 'Statistiques (export CSV)', acces: 'agent', action: 'statistiques', handler: h.csv },
  ];
}
