// Court API v1 (DESIGN.md, stable): JSON over HTTPS for the courts' business applications.
// Each bearer token is bound to one juridiction, which is taken from the token and never from
// the request, so a token cannot read or write another juridiction's data. Bodies are checked
// by the zod schemas of domain/schemas/tribunal.ts; the commands are services/tribunal.ts.
import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Router } from '@koa/router';
import { bodyParser } from '@koa/bodyparser';
import type Koa from 'koa';
import type { ZodTypeAny, z } from 'zod';
import type { Config } from '../../../domain/config.js';
import { ErreurPortail, introuvable, requeteInvalide } from '../../../domain/erreurs.js';
import {
  affaireSchema,
  audienceSchema,
  clotureSchema,
  consentementSchema,
  evenementSchema,
  idTribunal,
  juridictionSchema,
  numeroPortalis,
} from '../../../domain/schemas/tribunal.js';
import { obtenirJuridiction } from '../../../db/juridictions.js';
import { messagesFrancais } from '../../../domain/schemas/francais.js';
import * as tribunal from '../../../services/tribunal.js';
import * as servicesRequetes from '../../../services/requetes.js';
import * as requetes from '../../../db/requetes.js';
import { listeRequetesSchema, requeteTribunal } from './requetes.js';

export const CHEMIN_OPENAPI = new URL('../openapi.json', import.meta.url);

/** JSON bodies without a document stay small (ANCHORS C2 item 18). */
const LIMITE_JSON = '1mb';

interface Etat {
  juridiction: string;
}

const empreinte = (jeton: string) => createHash('sha256').update(jeton).digest();

/** Bearer authentication: compares digests in constant time against every configured token. */
function authentification(config: Config): Koa.Middleware<Etat> {
  const jetons = config.COURT_API_TOKENS.map((j) => ({ juridiction: j.juridiction, empreinte: empreinte(j.jeton) }));
  return async (ctx, next) => {
    const m = /^Bearer ([^\s]+)$/.exec(ctx.get('Authorization'));
    const recu = m ? empreinte(m[1]!) : null;
    let trouve: string | null = null;
    for (const j of jetons) if (recu && timingSafeEqual(recu, j.empreinte)) trouve = j.juridiction;
    if (!trouve) {
      ctx.set('WWW-Authenticate', 'Bearer realm="api-juridictions"');
      throw new ErreurPortail('jeton_invalide', 'Jeton d’accès absent ou invalide (en-tête Authorization: Bearer …).', 401);
    }
    ctx.state.juridiction = trouve;
    await next();
  };
}

/** A body must be declared as JSON: anything else is refused before it is read. */
const exigerJson: Koa.Middleware = async (ctx, next) => {
  if (['POST', 'PUT', 'PATCH'].includes(ctx.method) && !ctx.is('application/json')) {
    throw new ErreurPortail('type_non_pris_en_charge', 'Le corps de la requête doit être du JSON (Content-Type: application/json).', 415);
  }
  await next();
};

function lecteurJson(limite: string | number): Koa.Middleware {
  return bodyParser({
    enableTypes: ['json'],
    jsonLimit: limite,
    jsonStrict: true,
    onError: (err) => {
      const statut = (err as { status?: number }).status;
      if (statut === 413) throw new ErreurPortail('corps_trop_volumineux', 'Le corps de la requête est trop volumineux.', 413);
      throw new ErreurPortail('json_invalide', 'Le corps de la requête n’est pas du JSON valide.', 400);
    },
  });
}

/** Parses with a schema; each problem names its field (`parties.0.nom`). */
export function valider<S extends ZodTypeAny>(schema: S, donnees: unknown): z.output<S> {
  const r = schema.safeParse(donnees ?? {}, { errorMap: messagesFrancais });
  if (r.success) return r.data;
  throw requeteInvalide(
    r.error.issues.map((i) => ({
      champ: i.path.length ? i.path.join('.') : i.code === 'unrecognized_keys' ? (i as { keys: string[] }).keys.join(', ') : '(corps)',
      message: i.code === 'unrecognized_keys' ? `champ inconnu : ${(i as { keys: string[] }).keys.join(', ')}` : i.code === 'invalid_type' && !i.path.length ? 'objet JSON attendu' : i.message,
    })),
  );
}

function parametre(schema: ZodTypeAny, nom: string, valeur: string | undefined): string {
  const r = schema.safeParse(valeur, { errorMap: messagesFrancais });
  if (!r.success) throw requeteInvalide([{ champ: nom, message: r.error.issues[0]?.message ?? 'valeur invalide' }]);
  return r.data as string;
}

function cible(ctx: { state: Etat; params: Record<string, string | undefined> }): tribunal.CibleAffaire {
  return { juridiction: ctx.state.juridiction, numeroPortalis: parametre(numeroPortalis, 'numeroPortalis', ctx.params.numeroPortalis) };
}

export function routeurApi(ctx0: tribunal.ContexteTribunal): Router<Etat> {
  const { config } = ctx0;
  // base64 makes a document a third larger; the envelope adds a little.
  const limiteEvenement = Math.ceil((config.MAX_DOCUMENT_BYTES * 4) / 3) + 64 * 1024;
  const routeur = new Router<Etat>({ prefix: '/api/v1' });

  const openapi = readFileSync(CHEMIN_OPENAPI, 'utf8');
  routeur.get('/openapi.json', (ctx) => {
    ctx.type = 'application/json';
    ctx.body = openapi;
  });

  routeur.use(authentification(config));

  // Update batches: no body, so registered before the JSON check (which refuses a bodyless POST).
  routeur.post('/affaires/:numeroPortalis/lot', async (ctx) => {
    const r = await tribunal.ouvrirLot(ctx0, cible(ctx));
    ctx.status = r.ouvert ? 201 : 200;
    ctx.body = { lot: 'ouvert', expireLe: r.expireLe.toISOString() };
  });

  // The court side of online requêtes: GETs first (no JSON body to check).
  routeur.get('/requetes', async (ctx) => {
    const q = valider(listeRequetesSchema, { ...ctx.query });
    const lignes = await requetes.requetesEnvoyees(ctx0.pool, ctx.state.juridiction, q.statut, q.limite);
    ctx.body = { requetes: await Promise.all(lignes.map((r) => requeteTribunal(ctx0.pool, r))) };
  });

  routeur.get('/requetes/:id/pieces/:pieceId', async (ctx) => {
    const r = await requetes.obtenirRequete(ctx0.pool, /^[0-9a-f-]{36}$/i.test(ctx.params.id ?? '') ? ctx.params.id! : '00000000-0000-0000-0000-000000000000');
    if (!r || r.juridiction !== ctx.state.juridiction || (r.statut !== 'envoyee' && r.statut !== 'enregistree')) throw introuvable('Cette requête');
    const p = await requetes.contenuPiece(ctx0.pool, r.id, ctx.params.pieceId ?? '');
    if (!p) throw introuvable('Cette pièce jointe');
    ctx.type = p.type_mime;
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.attachment(p.nom);
    ctx.body = p.contenu;
  });

  routeur.delete('/affaires/:numeroPortalis/lot', async (ctx) => {
    await tribunal.fermerLot(ctx0, cible(ctx));
    ctx.status = 204;
  });

  routeur.use(exigerJson);

  routeur.get('/juridiction', async (ctx) => {
    const j = await obtenirJuridiction(ctx0.pool, ctx.state.juridiction);
    if (!j) throw introuvable('La description de cette juridiction');
    ctx.body = { code: j.code, nom: j.nom, adresse: j.adresse, telephone: j.telephone, courriel: j.courriel, latitude: j.latitude, longitude: j.longitude, horaires: j.horaires };
  });

  routeur.put('/juridiction', lecteurJson(LIMITE_JSON), async (ctx) => {
    const j = valider(juridictionSchema, ctx.request.body);
    await tribunal.enregistrerJuridiction(ctx0, ctx.state.juridiction, j);
    ctx.body = { code: ctx.state.juridiction, ...j };
  });

  routeur.put('/affaires/:numeroPortalis', lecteurJson(LIMITE_JSON), async (ctx) => {
    const c = cible(ctx);
    const a = valider(affaireSchema, ctx.request.body);
    await tribunal.enregistrerAffaire(ctx0, c, a);
    ctx.body = { numeroPortalis: c.numeroPortalis, numeroDossier: a.numeroDossier, suiviEnLigne: a.suiviEnLigne };
  });

  routeur.post('/affaires/:numeroPortalis/evenements', lecteurJson(limiteEvenement), async (ctx) => {
    const c = cible(ctx);
    const e = valider(evenementSchema, ctx.request.body);
    const r = await tribunal.ajouterEvenement(ctx0, c, e);
    ctx.status = r.cree ? 201 : 200;
    ctx.body = { evenement: e.id };
  });

  routeur.put('/affaires/:numeroPortalis/audiences/:id', lecteurJson(LIMITE_JSON), async (ctx) => {
    const c = cible(ctx);
    const id = parametre(idTribunal, 'id', ctx.params.id);
    const a = valider(audienceSchema, ctx.request.body);
    await tribunal.planifierAudience(ctx0, c, id, a);
    ctx.body = { audience: id, debut: a.debut.toISOString() };
  });

  routeur.delete('/affaires/:numeroPortalis/audiences/:id', async (ctx) => {
    const c = cible(ctx);
    await tribunal.annulerAudience(ctx0, c, parametre(idTribunal, 'id', ctx.params.id));
    ctx.status = 204;
  });

  routeur.post('/affaires/:numeroPortalis/consentements', lecteurJson(LIMITE_JSON), async (ctx) => {
    const c = cible(ctx);
    const r = await tribunal.enregistrerConsentement(ctx0, c, valider(consentementSchema, ctx.request.body));
    ctx.status = r.cree ? 201 : 200;
    ctx.body = { consentement: r.consentementId };
  });

  routeur.post('/affaires/:numeroPortalis/cloture', lecteurJson(LIMITE_JSON), async (ctx) => {
    const c = cible(ctx);
    await tribunal.cloturer(ctx0, c, valider(clotureSchema, ctx.request.body));
    ctx.status = 204;
  });

  routeur.delete('/affaires/:numeroPortalis/cloture', async (ctx) => {
    await tribunal.rouvrir(ctx0, cible(ctx));
    ctx.status = 204;
  });

  routeur.post('/requetes/:id/enregistrement', lecteurJson(LIMITE_JSON), async (ctx) => {
    const e = valider(servicesRequetes.enregistrementSchema, ctx.request.body);
    const r = await servicesRequetes.enregistrer(ctx0, ctx.state.juridiction, ctx.params.id ?? '', e, { type: 'tribunal', id: ctx.state.juridiction });
    ctx.body = { requete: r.requete.id, statut: 'enregistree', numeroDossier: r.requete.numero_dossier, numeroPortalis: r.requete.numero_portalis };
  });

  return routeur;
}
