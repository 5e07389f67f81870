// The juridiction's requête inbox (issue 8 item 4, decree 004 art. 3: clerks and "les magistrats,
// individuellement désignés et dûment habilités par le directeur de greffe" consult and register
// online requêtes): the list filtered by status and kind, the detail with the attachments viewed
// inline, and "Enregistrer" with the case numbers through services/requetes.ts — the very command
// of the court API, which e-mails the citizen and signals the requete workflow. Only sent
// requêtes exist here: a draft is the citizen's until transmitted, a purged one has nothing left.
// Every consultation is journaled in the transaction of its reads; a refusal is journaled too.
import type { RouterContext } from '@koa/router';
import type { Client } from '@temporalio/client';
import type { DatabasePool } from 'slonik';
import { z } from 'zod';
import type { Config } from '../../domain/config.js';
import { juridictionsAutorisees, jourParis, LIBELLES_ROLES, roleAutorise, type AgentConnecte } from '../../domain/agents.js';
import { formaterDate, formaterDateHeure } from '../../domain/dates.js';
import { ErreurPortail, requeteInvalide } from '../../domain/erreurs.js';
import { LIBELLES_STATUTS, nomTiers, TYPES_REQUETE, typeRequete, type Champ } from '../../domain/requetes.js';
import { dispositionFichier } from '../../domain/vie-du-dossier.js';
import * as requetes from '../../db/requetes.js';
import * as boite from '../../db/requetes-juridiction.js';
import { obtenirJuridiction } from '../../db/juridictions.js';
import { journaliser } from '../../db/journal.js';
import * as service from '../../services/requetes.js';
import { autoriser, introuvableAgent, type Autorisation } from '../middleware/agent.js';
import { html, type SafeHtml } from '../vues/html.js';
import { resumeErreurs, type ErreurFormulaire } from '../vues/formulaire.js';
import { flash } from '../vues/rendu.js';
import { champ, erreurDe, selecteur, texteDe } from './champs.js';
import { filAriane, jetonCsrf, rendreAgent } from './vues.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Why an agent reads a requête: the juridiction's handling of it (journal's "finalité"). */
export const FINALITE_REQUETES = 'traitement des requêtes adressées à la juridiction';

/** Requêtes per page of the inbox: a day's intake of a large court fits on a few pages. */
export const PAR_PAGE = 50;

/** The fields a detail page shows, for the journal ("fields shown"). */
export const CHAMPS_VUE_REQUETE = ['requerant', 'donnees', 'tiers', 'pieces'];

const TYPES_TIERS: Record<string, string> = { physique: 'Personne physique', morale: 'Personne morale', autorite: 'Autorité administrative' };

const LIBELLES_BOITE: Record<boite.StatutBoite, string> = { envoyee: 'À enregistrer (envoyées)', enregistree: 'Enregistrées' };

const CHAMPS_ENREGISTREMENT: Record<string, { id: string; libelle: string }> = {
  numeroDossier: { id: 'enregistrement-numero-dossier', libelle: 'Numéro de dossier' },
  numeroPortalis: { id: 'enregistrement-numero-portalis', libelle: 'Numéro Portalis' },
};

const vide = (v: unknown) => (v === '' ? undefined : Array.isArray(v) ? v[v.length - 1] : v);
const filtresSchema = z.object({
  juridiction: z.preprocess(vide, z.string().trim().toUpperCase().regex(/^[A-Z0-9_-]{2,32}$/, 'Juridiction : code de juridiction invalide.').optional()),
  statut: z.preprocess(vide, z.enum(boite.STATUTS_BOITE, { errorMap: () => ({ message: 'Statut : « envoyee » ou « enregistree » attendu.' }) }).default('envoyee')),
  type: z.preprocess(vide, z.string().refine((v) => typeRequete(v) !== undefined, 'Type de requête inconnu.').optional()),
  page: z.preprocess(vide, z.coerce.number({ invalid_type_error: 'Page : nombre attendu.' }).int('Page : nombre entier attendu.').min(1, 'Page : 1 au moins.').max(10000, 'Page : 10 000 au plus.').default(1)),
});
type Filtres = z.infer<typeof filtresSchema>;

/** A field's value as the clerk reads it (choices by their label, dates in French, amounts in euros). */
function valeurLisible(c: Champ, v: unknown): string {
  const s = typeof v === 'string' ? v : '';
  if (!s) return '';
  if (c.type === 'choix') return c.options?.find((o) => o.valeur === s)?.libelle ?? s;
  if (c.type === 'date' && /^\d{4}-\d{2}-\d{2}$/.test(s)) return `${s.slice(8, 10)}/${s.slice(5, 7)}/${s.slice(0, 4)}`;
  if (c.type === 'montant') return `${s} €`;
  return s;
}

const libelleType = (code: string) => typeRequete(code)?.libelle ?? code;
const nomRequerant = (p: string | null, n: string | null) => [p, n].filter(Boolean).join(' ') || '—';
const taille = (o: number) => (o < 1024 * 1024 ? `${Math.max(1, Math.round(o / 1024))} ko` : `${(Math.round((o / 1024 / 1024) * 10) / 10).toString().replace('.', ',')} Mo`);
const FORMATS: Record<string, string> = { 'application/pdf': 'PDF', 'image/jpeg': 'JPEG', 'image/png': 'PNG' };

function urlBoite(f: Filtres & { juridiction: string }, page: number, plusieurs: boolean): string {
  const q = new URLSearchParams();
  if (plusieurs) q.set('juridiction', f.juridiction);
  q.set('statut', f.statut);
  if (f.type) q.set('type', f.type);
  if (page > 1) q.set('page', String(page));
  return `/agent/requetes?${q.toString()}`;
}

interface EtatEnregistrement {
  erreurs: ErreurFormulaire[];
  valeurs: Record<string, unknown>;
  statut: number;
}

export function pagesRequetesAgent(deps: { pool: DatabasePool; temporal: Client; config: Config; maintenant: () => Date }) {
  const { pool } = deps;
  const contexteService: service.ContexteRequetes = { pool: deps.pool, temporal: deps.temporal, config: deps.config, maintenant: deps.maintenant };

  /**
   * The sent requête behind :id and the role under which the agent acts on it. An agent whose
   * roles never allow `action` is refused (403) before any lookup, so the answer says nothing of
   * whether the requête exists; another juridiction's, a draft or a purged one is a 404.
   */
  async function charger(ctx: RouterContext, action: 'consulter_requete' | 'enregistrer_requete'): Promise<{ r: requetes.Requete; auto: Autorisation }> {
    const agent = ctx.state.agent as AgentConnecte;
    if (juridictionsAutorisees(agent, action, jourParis(deps.maintenant())).length === 0) {
      await autoriser(pool, ctx, action, null, { type: 'requete', id: null });
    }
    const id = String(ctx.params.id ?? '');
    const r = UUID.test(id) ? await requetes.obtenirRequete(pool, id) : null;
    if (!r || (r.statut !== 'envoyee' && r.statut !== 'enregistree')) throw introuvableAgent();
    const auto = await autoriser(pool, ctx, action, r.juridiction, { type: 'requete', id: r.id });
    return { r, auto };
  }

  function formulaireEnregistrement(ctx: RouterContext, r: requetes.Requete, etat?: EtatEnregistrement): SafeHtml {
    const e = etat?.erreurs ?? [];
    const v = (nom: string) => texteDe(etat?.valeurs ?? {}, nom);
    return html`<section class="fr-mb-6w" id="enregistrement" aria-labelledby="titre-enregistrement">
  <h2 id="titre-enregistrement">Enregistrer la requête</h2>
  <p>Indiquez les numéros de l’affaire ouverte pour cette requête. Le demandeur est prévenu par courriel ; il pourra ensuite suivre le dossier sur le portail.</p>
  ${resumeErreurs(e)}
  <form method="post" action="/agent/requetes/${r.id}/enregistrement" novalidate>
    ${jetonCsrf(ctx)}
    ${champ({ id: 'enregistrement-numero-dossier', nom: 'numero_dossier', label: 'Numéro de dossier', indice: 'Par exemple : 26/01234 (64 caractères au plus)', valeur: v('numero_dossier'), erreur: erreurDe(e, 'enregistrement-numero-dossier'), requis: true, attributs: html` autocomplete="off" maxlength="64"` })}
    ${champ({ id: 'enregistrement-numero-portalis', nom: 'numero_portalis', label: 'Numéro Portalis', indice: 'Lettres, chiffres, point, tiret ou tiret bas (64 caractères au plus)', valeur: v('numero_portalis'), erreur: erreurDe(e, 'enregistrement-numero-portalis'), requis: true, attributs: html` autocomplete="off" maxlength="64"` })}
    <button type="submit" class="fr-btn">Enregistrer la requête</button>
  </form>
</section>`;
  }

  /** Reads the requête, journals the consultation in the same transaction, renders. */
  async function afficher(ctx: RouterContext, r: requetes.Requete, auto: Autorisation, etat?: EtatEnregistrement): Promise<void> {
    const lu = await pool.transaction(async (t) => {
      const x = {
        requerant: await boite.requerant(t, r.compte_id),
        tiers: await requetes.tiersDeLaRequete(t, r.id),
        pieces: await requetes.piecesDeLaRequete(t, r.id),
      };
      await journaliser(t, {
        acteurType: 'agent', acteurId: auto.agent.id, role: auto.role.role, juridiction: r.juridiction, finalite: FINALITE_REQUETES,
        action: 'requete.consulter', objetType: 'requete', objetId: r.id, resultat: 'succes', details: { champs: CHAMPS_VUE_REQUETE },
      });
      return x;
    });
    const t = typeRequete(r.type);
    const titre = `Requête ${r.reference ? `n° ${r.reference}` : ''}`.trim();
    const peutEnregistrer = r.statut === 'envoyee' && roleAutorise(auto.agent, 'enregistrer_requete', r.juridiction, jourParis(deps.maintenant())) !== null;
    const base = `/agent/requetes/${r.id}`;
    rendreAgent(ctx, {
      titre: `${etat ? 'Erreur — ' : ''}${titre}`,
      statut: etat?.statut ?? 200,
      contenu: html`
${filAriane([{ titre: 'Espace agents', href: '/agent' }, { titre: 'Requêtes', href: '/agent/requetes' }, { titre }])}
<h1>${titre}</h1>
<p class="fr-text--sm">Consultée en tant que ${LIBELLES_ROLES[auto.role.role]} ; cette consultation est tracée.</p>
${etat && !peutEnregistrer ? resumeErreurs(etat.erreurs) : null}
${r.statut === 'enregistree'
    ? html`<div class="fr-alert fr-alert--success fr-mb-4w" id="statut-requete"><p>Enregistrée le ${r.registered_at ? formaterDateHeure(r.registered_at) : '—'} (dossier ${r.numero_dossier ?? '—'}, numéro Portalis ${r.numero_portalis ?? '—'}).</p></div>`
    : html`<div class="fr-alert fr-alert--info fr-mb-4w" id="statut-requete"><p>Envoyée le ${r.sent_at ? formaterDateHeure(r.sent_at) : '—'}, en attente d’enregistrement.</p></div>`}
<dl class="fr-mb-3w" id="resume-requete">
  <dt class="fr-text--bold fr-mb-0">Type de requête</dt><dd class="fr-ml-0 fr-mb-2w">${libelleType(r.type)}</dd>
  <dt class="fr-text--bold fr-mb-0">Référence</dt><dd class="fr-ml-0 fr-mb-2w">${r.reference ?? '—'}</dd>
  <dt class="fr-text--bold fr-mb-0">Juridiction</dt><dd class="fr-ml-0 fr-mb-2w">${r.juridiction_nom ?? r.juridiction} (${r.juridiction})</dd>
  <dt class="fr-text--bold fr-mb-0">Statut</dt><dd class="fr-ml-0 fr-mb-2w">${LIBELLES_STATUTS[r.statut]}</dd>
  <dt class="fr-text--bold fr-mb-0">Commencée le</dt><dd class="fr-ml-0 fr-mb-2w">${formaterDate(r.created_at)}</dd>
  <dt class="fr-text--bold fr-mb-0">Envoyée le</dt><dd class="fr-ml-0 fr-mb-2w">${r.sent_at ? formaterDateHeure(r.sent_at) : '—'}</dd>
  ${r.registered_at ? html`<dt class="fr-text--bold fr-mb-0">Enregistrée le</dt><dd class="fr-ml-0 fr-mb-2w">${formaterDateHeure(r.registered_at)}</dd>` : null}
</dl>
<h2 id="requerant">Demandeur</h2>
${lu.requerant
    ? html`<dl class="fr-mb-3w">
  <dt class="fr-text--bold fr-mb-0">Nom et prénoms</dt><dd class="fr-ml-0 fr-mb-2w">${nomRequerant(lu.requerant.prenoms, lu.requerant.nom)}${lu.requerant.nom_usage ? ` (nom d’usage ${lu.requerant.nom_usage})` : ''}</dd>
  ${lu.requerant.date_naissance ? html`<dt class="fr-text--bold fr-mb-0">Date de naissance</dt><dd class="fr-ml-0 fr-mb-2w">${lu.requerant.date_naissance.split('-').reverse().join('/')}</dd>` : null}
  <dt class="fr-text--bold fr-mb-0">Adresse électronique</dt><dd class="fr-ml-0 fr-mb-2w">${lu.requerant.courriel ?? '—'}</dd>
</dl>
<p class="fr-text--sm">Identité transmise par FranceConnect.</p>`
    : html`<p>Le compte du demandeur n’existe plus.</p>`}
<h2 id="demande">La demande</h2>
${t
    ? html`<dl class="fr-mb-3w">${t.champs.map((c) => {
      const v = valeurLisible(c, r.donnees[c.nom]);
      return html`<dt class="fr-text--bold fr-mb-0">${c.libelle}</dt>
<dd class="fr-ml-0 fr-mb-2w">${v ? v.split('\n').map((l, i) => html`${i ? html`<br>` : null}${l}`) : html`<span class="fr-text--sm">Non renseigné</span>`}</dd>`;
    })}</dl>`
    : html`<p>Type de requête inconnu du portail : ${r.type}.</p>`}
<h2 id="tiers">Personnes concernées</h2>
${lu.tiers.length === 0
    ? html`<p>Aucune personne indiquée.</p>`
    : html`<ul class="fr-mb-3w">${lu.tiers.map((l) => html`<li>${nomTiers(requetes.versTiers(l))} <span class="fr-text--sm">— ${TYPES_TIERS[l.type] ?? l.type}</span></li>`)}</ul>`}
<h2 id="pieces">Pièces jointes</h2>
${lu.pieces.length === 0
    ? html`<p>Aucune pièce jointe.</p>`
    : html`<ul class="fr-mb-3w">${lu.pieces.map((p) => html`<li><a href="${base}/pieces/${p.id}" target="_blank" rel="noopener" title="Consulter ${p.nom} (${FORMATS[p.type_mime] ?? p.type_mime}, ${taille(p.taille)}) — nouvelle fenêtre">${p.nom}</a> (${FORMATS[p.type_mime] ?? p.type_mime}, ${taille(p.taille)})</li>`)}</ul>`}
${peutEnregistrer ? formulaireEnregistrement(ctx, r, etat) : null}`,
    });
  }

  return {
    async liste(ctx: RouterContext): Promise<void> {
      const agent = ctx.state.agent as AgentConnecte;
      // Every role with this action is bound to one juridiction (domain/agents.ts DROITS).
      const juridictions = juridictionsAutorisees(agent, 'consulter_requete', jourParis(deps.maintenant())).filter((j): j is string => j !== null).sort();
      if (juridictions.length === 0) await autoriser(pool, ctx, 'consulter_requete', null, { type: 'requetes', id: null });
      const p = filtresSchema.safeParse(ctx.query);
      if (!p.success) throw requeteInvalide(p.error.issues.map((i) => ({ champ: String(i.path[0] ?? 'filtre'), message: i.message })), 'Les filtres demandés ne sont pas valides.');
      const juridiction = p.data.juridiction ?? juridictions[0]!;
      const auto = await autoriser(pool, ctx, 'consulter_requete', juridiction, { type: 'requetes', id: juridiction });
      const f = { ...p.data, juridiction };
      const { lignes, total, nom } = await pool.transaction(async (t) => {
        const res = await boite.boiteDeReception(t, { juridiction, statut: f.statut, type: f.type ?? null, limite: PAR_PAGE, decalage: (f.page - 1) * PAR_PAGE });
        await journaliser(t, {
          acteurType: 'agent', acteurId: auto.agent.id, role: auto.role.role, juridiction, finalite: FINALITE_REQUETES,
          action: 'requetes.lister', objetType: 'requetes', objetId: juridiction, resultat: 'succes',
          details: { statut: f.statut, type: f.type ?? null, page: f.page, resultats: res.lignes.length },
        });
        return { ...res, nom: (await obtenirJuridiction(t, juridiction))?.nom ?? juridiction };
      });
      const pages = Math.max(1, Math.ceil(total / PAR_PAGE));
      const plusieurs = juridictions.length > 1;
      const enregistrees = f.statut === 'enregistree';
      const resume = `${total.toLocaleString('fr-FR')} requête${total > 1 ? 's' : ''} ${enregistrees ? `enregistrée${total > 1 ? 's' : ''}` : `à enregistrer`}${f.type ? ` (${libelleType(f.type)})` : ''}${pages > 1 ? `, page ${f.page} sur ${pages}` : ''}`;
      rendreAgent(ctx, {
        titre: `Requêtes — ${nom}`,
        contenu: html`
${filAriane([{ titre: 'Espace agents', href: '/agent' }, { titre: 'Requêtes' }])}
<h1>Requêtes reçues — ${nom}</h1>
<form method="get" action="/agent/requetes" class="fr-mb-4w" id="filtres-requetes">
  <div class="fr-grid-row fr-grid-row--gutters fr-grid-row--bottom">
    ${plusieurs ? html`<div class="fr-col-12 fr-col-md-3">${selecteur({ id: 'filtre-juridiction', nom: 'juridiction', label: 'Juridiction', options: juridictions.map((j) => ({ valeur: j, libelle: j })), valeur: juridiction })}</div>` : null}
    <div class="fr-col-12 fr-col-md-4">${selecteur({ id: 'filtre-statut', nom: 'statut', label: 'Statut', options: boite.STATUTS_BOITE.map((s) => ({ valeur: s, libelle: LIBELLES_BOITE[s] })), valeur: f.statut })}</div>
    <div class="fr-col-12 fr-col-md-4">${selecteur({ id: 'filtre-type', nom: 'type', label: 'Type de requête', options: [{ valeur: '', libelle: 'Tous les types' }, ...TYPES_REQUETE.map((x) => ({ valeur: x.code, libelle: x.libelle }))], valeur: f.type ?? '' })}</div>
    <div class="fr-col-12 fr-col-md-auto"><button type="submit" class="fr-btn">Filtrer</button></div>
  </div>
</form>
<p role="status" id="resume-requetes">${resume}.</p>
${lignes.length === 0
    ? html`<p>${enregistrees ? 'Aucune requête enregistrée ne correspond à ces critères.' : 'Aucune requête en attente d’enregistrement.'}</p>`
    : html`<div class="fr-table"><table id="liste-requetes">
  <caption>${resume} — les plus anciennes d’abord</caption>
  <thead><tr><th scope="col">Référence</th><th scope="col">Type</th><th scope="col">Demandeur</th><th scope="col">Envoyée le</th>${enregistrees ? html`<th scope="col">Enregistrée le</th><th scope="col">Dossier</th>` : null}<th scope="col">Pièces</th></tr></thead>
  <tbody>${lignes.map((l) => html`<tr>
    <td><a href="/agent/requetes/${l.id}">${l.reference ?? 'Sans référence'}</a></td>
    <td>${libelleType(l.type)}</td>
    <td>${nomRequerant(l.requerant_prenoms, l.requerant_nom)}</td>
    <td>${l.sent_at ? formaterDateHeure(l.sent_at) : '—'}</td>
    ${enregistrees ? html`<td>${l.registered_at ? formaterDateHeure(l.registered_at) : '—'}</td><td>${l.numero_dossier ?? '—'}</td>` : null}
    <td>${l.nb_pieces}</td>
  </tr>`)}</tbody>
</table></div>`}
${pages > 1
    ? html`<nav role="navigation" class="fr-pagination fr-mt-4w" aria-label="Pagination des requêtes"><ul class="fr-pagination__list">
  ${f.page > 1 ? html`<li><a class="fr-pagination__link fr-pagination__link--prev fr-pagination__link--lg-label" href="${urlBoite(f, f.page - 1, plusieurs)}">Page précédente</a></li>` : html`<li><a class="fr-pagination__link fr-pagination__link--prev fr-pagination__link--lg-label" aria-disabled="true" role="link">Page précédente</a></li>`}
  <li><a class="fr-pagination__link" aria-current="page" title="Page ${f.page}">${f.page}</a></li>
  ${f.page < pages ? html`<li><a class="fr-pagination__link fr-pagination__link--next fr-pagination__link--lg-label" href="${urlBoite(f, f.page + 1, plusieurs)}">Page suivante</a></li>` : html`<li><a class="fr-pagination__link fr-pagination__link--next fr-pagination__link--lg-label" aria-disabled="true" role="link">Page suivante</a></li>`}
</ul></nav>`
    : null}`,
      });
    },

    async page(ctx: RouterContext): Promise<void> {
      const { r, auto } = await charger(ctx, 'consulter_requete');
      await afficher(ctx, r, auto);
    },

    async piece(ctx: RouterContext): Promise<void> {
      const { r, auto } = await charger(ctx, 'consulter_requete');
      const pieceId = String(ctx.params.pieceId ?? '');
      const p = UUID.test(pieceId)
        ? await pool.transaction(async (t) => {
          const x = await requetes.contenuPiece(t, r.id, pieceId);
          if (x) {
            await journaliser(t, {
              acteurType: 'agent', acteurId: auto.agent.id, role: auto.role.role, juridiction: r.juridiction, finalite: FINALITE_REQUETES,
              action: 'requete.piece.consulter', objetType: 'requete', objetId: r.id, resultat: 'succes', details: { piece: pieceId },
            });
          }
          return x;
        })
        : null;
      if (!p) throw introuvableAgent();
      // The type is the one detected from the content at upload (domain/requetes.ts detecterType),
      // and nosniff keeps the browser from guessing another: a file is shown only as what it is.
      ctx.set('Content-Disposition', dispositionFichier('inline', p.nom));
      ctx.set('X-Content-Type-Options', 'nosniff');
      ctx.set('Cache-Control', 'no-store');
      ctx.type = p.type_mime;
      ctx.body = p.contenu;
    },

    async enregistrement(ctx: RouterContext): Promise<void> {
      const { r, auto } = await charger(ctx, 'enregistrer_requete');
      const corps = (ctx.request.body ?? {}) as Record<string, unknown>;
      const valeurs = { numero_dossier: texteDe(corps, 'numero_dossier'), numero_portalis: texteDe(corps, 'numero_portalis') };
      const refuser = async (erreurs: ErreurFormulaire[], statut: number) => {
        await journaliser(pool, {
          acteurType: 'agent', acteurId: auto.agent.id, role: auto.role.role, juridiction: r.juridiction, finalite: FINALITE_REQUETES,
          action: 'requete.enregistrer', objetType: 'requete', objetId: r.id, resultat: 'erreur', details: { erreurs: erreurs.map((e) => e.champ ?? e.message) },
        });
        await afficher(ctx, r, auto, { erreurs, valeurs, statut });
      };
      const v = service.enregistrementSchema.safeParse({ numeroDossier: valeurs.numero_dossier, numeroPortalis: valeurs.numero_portalis });
      if (!v.success) {
        const erreurs: ErreurFormulaire[] = [];
        for (const i of v.error.issues) {
          const c = CHAMPS_ENREGISTREMENT[String(i.path[0] ?? '')] ?? CHAMPS_ENREGISTREMENT.numeroDossier!;
          // The shared schema's messages sometimes name the field already ("numéro Portalis : …").
          const message = i.message.toLowerCase().startsWith(c.libelle.toLowerCase()) ? `${i.message.charAt(0).toUpperCase()}${i.message.slice(1)}` : `${c.libelle} : ${i.message}`;
          if (!erreurs.some((e) => e.champ === c.id)) erreurs.push({ champ: c.id, message: `${message}.` });
        }
        return refuser(erreurs, 422);
      }
      if (r.statut === 'enregistree' && (r.numero_dossier !== v.data.numeroDossier || r.numero_portalis !== v.data.numeroPortalis)) {
        return refuser([{ message: 'Cette requête est déjà enregistrée avec d’autres numéros.' }], 409);
      }
      try {
        await service.enregistrer(contexteService, r.juridiction, r.id, v.data, { type: 'agent', id: auto.agent.id, role: auto.role.role, finalite: FINALITE_REQUETES });
      } catch (e) {
        // Registered meanwhile by someone else with other numbers (409): the form says so.
        if (e instanceof ErreurPortail && e.httpStatus === 409) return refuser([{ message: e.messageUsager }], 409);
        throw e;
      }
      flash(ctx, { type: 'succes', titre: 'Requête enregistrée', message: `Dossier ${v.data.numeroDossier} (numéro Portalis ${v.data.numeroPortalis}). Le demandeur en est informé par courriel.` });
      ctx.status = 303;
      ctx.redirect(`/agent/requetes/${r.id}`);
    },
  };
}
