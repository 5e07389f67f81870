// Exporting future hearings to a personal calendar (seed 000, "Possibilité d'exporter une
// audience future dans son calendrier personnel"; issue 5 item 5):
//  - /espace/audiences, the "bandeau export": the account's future hearings across its visible
//    cases, with checkboxes and a format choice, and "Exporter" (a plain GET form: works
//    without JavaScript) → /espace/audiences/export, a file download;
//  - /espace/dossiers/{lien}/audiences/{audience}/export: one hearing from the case timeline;
//    without `format` it is a small page with the same format choice (the seed's "pop-in"),
//    with it the file;
//  - /calendrier/{jeton}.ics: the personal subscription feed (no session: the secret token of
//    /espace/parametres/calendrier), hearings from 30 days ago on, cancelled ones included.
// Which cases an account sees comes from services/rattachement.ts, never from here. Anything
// that is not one of the account's exportable hearings answers the site's ordinary 404.
import { createHash } from 'node:crypto';
import type { RouterContext } from '@koa/router';
import type { Compte } from '../../db/comptes.js';
import * as calendrier from '../../db/calendrier.js';
import type { AudienceAExporter } from '../../db/calendrier.js';
import {
  DUREE_AUDIENCE,
  FORMATS,
  FORME_JETON,
  LIBELLES_FORMATS,
  empreinteJetonCalendrier,
  estFormat,
  fichierExport,
  lieuAudience,
  type AudienceCalendrier,
  type FormatExport,
} from '../../domain/calendrier.js';
import { formaterDateHeure } from '../../domain/dates.js';
import { ErreurPortail } from '../../domain/erreurs.js';
import * as service from '../../services/rattachement.js';
import type { ContexteRattachement } from '../../services/rattachement.js';
import { html, type SafeHtml } from '../vues/html.js';
import { rendre } from '../vues/rendu.js';

/** The very error an unknown path gets from web/middleware/erreurs.ts. */
const pageInexistante = () => new ErreurPortail('introuvable', "La page demandée n'existe pas.", 404);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const JOUR_MS = 24 * 3600_000;
/** How far back the subscription feed goes: recent hearings stay in the calendar. */
export const HISTORIQUE_FLUX_JOURS = 30;

export interface AudienceVisible {
  audience: AudienceAExporter;
  /** One of the account's links to the hearing's case (for the case page's URL). */
  lienId: string;
}

/**
 * The account's hearings in its visible cases. The visible cases are the account's links as
 * services/rattachement.ts lists them; a case seen through two links (two represented parties)
 * gives each hearing once.
 */
export async function audiencesVisibles(
  deps: ContexteRattachement,
  compteId: string,
  o: { depuis: Date; avecAnnulees: boolean; ids?: readonly string[] },
): Promise<AudienceVisible[]> {
  const liens = await service.lister(deps, compteId);
  const lienParDossier = new Map<string, string>();
  for (const l of liens) if (!lienParDossier.has(l.dossier_id)) lienParDossier.set(l.dossier_id, l.id);
  const audiences = await calendrier.audiencesDesDossiers(deps.pool, [...lienParDossier.keys()], o);
  return audiences.map((audience) => ({ audience, lienId: lienParDossier.get(audience.dossier_id)! }));
}

export function versCalendrier(publicUrl: string, v: AudienceVisible): AudienceCalendrier {
  const a = v.audience;
  return {
    id: a.id, debut: a.debut, salle: a.salle, adresse: a.adresse, libelle: a.libelle, annulee: a.annulee_at !== null,
    sequence: a.sequence, modifieLe: a.updated_at, numeroDossier: a.numero_dossier,
    juridictionNom: a.juridiction_nom, juridictionTelephone: a.juridiction_telephone,
    lien: `${publicUrl}/espace/dossiers/${v.lienId}`,
  };
}

export const hotePublic = (publicUrl: string) => new URL(publicUrl).hostname;

function telecharger(ctx: RouterContext, deps: ContexteRattachement, format: FormatExport, liste: AudienceVisible[], nom: string): void {
  const f = fichierExport(format, liste.map((v) => versCalendrier(deps.config.PUBLIC_URL, v)), { hote: hotePublic(deps.config.PUBLIC_URL) });
  const suffixe = format === 'csv-google' ? '-google' : format === 'csv-outlook' ? '-outlook' : '';
  ctx.status = 200;
  ctx.type = f.type;
  ctx.set('Content-Disposition', `attachment; filename="${nom}${suffixe}.${f.extension}"`);
  // Personal data: neither shared caches nor the browser's history keep it.
  ctx.set('Cache-Control', 'no-store');
  ctx.body = f.corps;
}

function idsDemandes(v: unknown): string[] {
  const liste = Array.isArray(v) ? v : v === undefined ? [] : [v];
  return [...new Set(liste.filter((x): x is string => typeof x === 'string' && UUID.test(x)).map((x) => x.toLowerCase()))];
}

/** The format radios (DSFR), `ics` preselected. */
export function choixFormat(choisi: FormatExport = 'ics'): SafeHtml {
  return html`<fieldset class="fr-fieldset" id="format-export" aria-labelledby="format-export-legende">
  <legend class="fr-fieldset__legend fr-fieldset__legend--regular" id="format-export-legende">Format du fichier</legend>
  ${FORMATS.map((f) => html`<div class="fr-fieldset__element">
    <div class="fr-radio-group">
      <input type="radio" id="format-${f}" name="format" value="${f}"${f === choisi ? html` checked` : null}>
      <label class="fr-label" for="format-${f}">${LIBELLES_FORMATS[f].titre}<span class="fr-hint-text">${LIBELLES_FORMATS[f].aide}</span></label>
    </div>
  </div>`)}
</fieldset>`;
}

const noteDuree = html`<p class="fr-text--sm">L’heure de fin n’est pas connue : chaque audience est inscrite pour une durée indicative de ${DUREE_AUDIENCE.hours} heure, à l’heure de Paris.</p>`;

function pageAudiences(ctx: RouterContext, liste: AudienceVisible[], o: { erreur?: string; coches?: string[]; format?: FormatExport } = {}): void {
  const coches = new Set(o.coches ?? []);
  rendre(ctx, {
    statut: o.erreur ? 422 : 200,
    titre: 'Exporter mes audiences',
    contenu: html`
<p><a class="fr-link fr-icon-arrow-left-line fr-link--icon-left" href="/espace">Retour à mon espace</a></p>
<h1>Exporter mes audiences à venir</h1>
${o.erreur ? html`<div class="fr-alert fr-alert--error fr-mb-3w" role="alert" id="resume-erreurs"><p>${o.erreur}</p></div>` : null}
${liste.length === 0
  ? html`<div class="fr-callout"><p class="fr-callout__text">Aucune audience à venir n’est prévue dans vos dossiers.</p></div>`
  : html`<p>Sélectionnez les audiences à ajouter à votre agenda personnel, choisissez le format, puis exportez.</p>
<form method="get" action="/espace/audiences/export">
  <fieldset class="fr-fieldset" id="audiences-export" aria-labelledby="audiences-export-legende">
    <legend class="fr-fieldset__legend fr-fieldset__legend--regular" id="audiences-export-legende">Audiences à venir (${liste.length})</legend>
    ${liste.map(({ audience: a }) => html`<div class="fr-fieldset__element">
      <div class="fr-checkbox-group">
        <input type="checkbox" id="choix-audience-${a.id}" name="audience" value="${a.id}"${coches.has(a.id) ? html` checked` : null}>
        <label class="fr-label" for="choix-audience-${a.id}">${a.libelle} — le ${formaterDateHeure(a.debut)}
          <span class="fr-hint-text">Dossier n° ${a.numero_dossier}, ${a.juridiction_nom} — ${lieuAudience(a)}</span></label>
      </div>
    </div>`)}
  </fieldset>
  ${choixFormat(o.format)}
  ${noteDuree}
  <button type="submit" class="fr-btn fr-icon-calendar-line fr-btn--icon-left">Exporter</button>
</form>`}
<p class="fr-mt-4w">Pour que votre agenda suive les audiences déplacées ou annulées, <a class="fr-link" href="/espace/parametres/calendrier">abonnez-vous à votre calendrier personnel</a>.</p>`,
  });
}

export function pagesCalendrier(deps: ContexteRattachement) {
  const futures = (compteId: string, ids?: readonly string[]) => audiencesVisibles(deps, compteId, { depuis: deps.maintenant(), avecAnnulees: false, ids });

  return {
    /** GET /espace/audiences */
    async page(ctx: RouterContext): Promise<void> {
      const compte = ctx.state.compte as Compte;
      pageAudiences(ctx, await futures(compte.id));
    },

    /** GET /espace/audiences/export?audience=…&audience=…&format=… */
    async exporter(ctx: RouterContext): Promise<void> {
      const compte = ctx.state.compte as Compte;
      const ids = idsDemandes(ctx.query.audience);
      const format = estFormat(ctx.query.format) ? ctx.query.format : null;
      // Ids that are not the account's future hearings are simply not there: the intersection.
      const choisies = ids.length ? await futures(compte.id, ids) : [];
      if (!choisies.length || !format) {
        const toutes = await futures(compte.id);
        pageAudiences(ctx, toutes, {
          erreur: !choisies.length ? 'Sélectionnez au moins une audience à exporter.' : 'Choisissez le format du fichier.',
          coches: choisies.map((v) => v.audience.id),
          format: format ?? undefined,
        });
        return;
      }
      telecharger(ctx, deps, format, choisies, 'audiences');
    },

    /** GET /espace/dossiers/:id/audiences/:audience/export[?format=…] */
    async exporterUne(ctx: RouterContext): Promise<void> {
      const compte = ctx.state.compte as Compte;
      const lien = await service.obtenir(deps, compte.id, String(ctx.params.id ?? ''));
      const audienceId = String(ctx.params.audience ?? '').toLowerCase();
      if (!lien || !UUID.test(audienceId)) throw pageInexistante();
      const [a] = await calendrier.audiencesDesDossiers(deps.pool, [lien.dossier_id], { depuis: deps.maintenant(), avecAnnulees: false, ids: [audienceId] });
      if (!a) throw pageInexistante();
      const v = { audience: a, lienId: lien.id };
      if (estFormat(ctx.query.format)) {
        telecharger(ctx, deps, ctx.query.format, [v], `audience-${a.debut.toISOString().slice(0, 10)}`);
        return;
      }
      rendre(ctx, {
        titre: 'Exporter l’audience',
        contenu: html`
<p><a class="fr-link fr-icon-arrow-left-line fr-link--icon-left" href="/espace/dossiers/${lien.id}">Retour au dossier</a></p>
<h1>Exporter l’audience dans mon agenda</h1>
<p><strong>${a.libelle}</strong> — le ${formaterDateHeure(a.debut)}<br>Dossier n° ${a.numero_dossier}, ${a.juridiction_nom}</p>
<form method="get" action="/espace/dossiers/${lien.id}/audiences/${a.id}/export">
  ${choixFormat()}
  ${noteDuree}
  <button type="submit" class="fr-btn fr-icon-calendar-line fr-btn--icon-left">Exporter</button>
</form>`,
      });
    },

    /**
     * GET /calendrier/{jeton}.ics: the subscription feed. No session; an unknown, malformed or
     * revoked token is the ordinary 404. Calendar apps poll: five minutes of private caching and
     * an ETag (the body is deterministic: DTSTAMP is each hearing's last change), so an
     * unchanged feed costs a 304.
     */
    async flux(ctx: RouterContext): Promise<void> {
      const m = /^(.+)\.ics$/.exec(String(ctx.params.fichier ?? ''));
      const jeton = m?.[1];
      if (!jeton || !FORME_JETON.test(jeton)) throw pageInexistante();
      const abonnement = await calendrier.abonnementParEmpreinte(deps.pool, empreinteJetonCalendrier(deps.config.HASH_KEY, jeton));
      if (!abonnement) throw pageInexistante();
      const depuis = new Date(deps.maintenant().getTime() - HISTORIQUE_FLUX_JOURS * JOUR_MS);
      const liste = await audiencesVisibles(deps, abonnement.compte_id, { depuis, avecAnnulees: true });
      const f = fichierExport('ics', liste.map((v) => versCalendrier(deps.config.PUBLIC_URL, v)), {
        hote: hotePublic(deps.config.PUBLIC_URL),
        ttl: 3600,
      });
      ctx.status = 200;
      ctx.type = f.type;
      ctx.set('Cache-Control', 'private, max-age=300');
      ctx.set('X-Robots-Tag', 'noindex');
      ctx.etag = createHash('sha256').update(f.corps).digest('base64url');
      ctx.body = f.corps;
      if (ctx.fresh) {
        ctx.status = 304;
        ctx.body = null;
      }
    },
  };
}
