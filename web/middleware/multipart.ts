// multipart/form-data for the few forms that carry a file (a citizen's requête attachment, a
// clerk's manual event with its PDF), read with @koa/multer BEFORE the CSRF check.
//
// koa-csrf reads `_csrf` from the parsed body; @koa/bodyparser leaves multipart alone, so an
// upload form's token would be invisible and the upload refused. Rather than an htmx header
// (which needs JavaScript) or a token in the URL (which leaks into logs), the body of exactly the
// configured paths is parsed first, and only when the session holds the expected identity: an
// anonymous client cannot make the server buffer a file. The CSRF middleware then checks the
// token like any form's, before the handler touches anything.
//
// A file refused by the parser's limits (too big, several files) is not an error here: the
// reason is left in `ctx.state.refusFichier` and the page shows it next to the field, after the
// token was checked (it comes first in the forms, so it is read even when the file is refused).
import { createRequire } from 'node:module';
import type Koa from 'koa';
import { ErreurPortail } from '../../domain/erreurs.js';
import { formaterTaille as enMo, nettoyerNom } from '../../domain/requetes.js';
import type { DonneesSession } from './session.js';

export interface FichierRecu {
  nom: string;
  type: string;
  contenu: Buffer;
}

interface FichierMulter {
  originalname: string;
  mimetype: string;
  buffer: Buffer;
}
type KoaMulter = ((o: Record<string, unknown>) => { single(champ: string): Koa.Middleware }) & { memoryStorage(): unknown };
// @koa/multer is CommonJS with a callable default export.
const multer = createRequire(import.meta.url)('@koa/multer') as KoaMulter;

/** The form's text fields next to the file (the token, a clerk's event fields). */
const MARGE_FORMULAIRE = 100 * 1024;


export interface OptionsMultipart {
  /** The POST paths whose body is a multipart form. */
  chemin: (chemin: string) => boolean;
  /** Who may make the server read it (the session's identity). */
  autorise: (session: DonneesSession | null) => boolean;
  /** The file field's name. */
  champFichier: string;
  /** The largest file accepted (MAX_DOCUMENT_BYTES). */
  maxOctets: number;
}

/** The file read by `lectureMultipart`, or the reason it was refused. */
export function fichierRecu(ctx: Koa.Context): { fichier?: FichierRecu; refus?: string } {
  return { fichier: ctx.state.fichier as FichierRecu | undefined, refus: ctx.state.refusFichier as string | undefined };
}

export function lectureMultipart(o: OptionsMultipart): Koa.Middleware {
  const analyseur = multer({
    storage: multer.memoryStorage(),
    // One byte over the limit still reaches the domain's own check (which says how much the file
    // weighs); anything bigger is cut short here.
    limits: { fileSize: o.maxOctets + 1, files: 1, fields: 50, fieldSize: MARGE_FORMULAIRE, parts: 52 },
    // Browsers send the file name as raw UTF-8 ("Relevé.pdf").
    defParamCharset: 'utf8',
  }).single(o.champFichier);
  return async (ctx, next) => {
    if (ctx.method !== 'POST' || !ctx.is('multipart') || !o.chemin(ctx.path)) return next();
    if (!o.autorise(ctx.session as DonneesSession | null)) return next();
    // A body far past any acceptable file is refused before it is read.
    if (Number(ctx.get('Content-Length') || 0) > o.maxOctets + MARGE_FORMULAIRE + 1) {
      throw new ErreurPortail('fichier_trop_gros', `Le fichier envoyé dépasse la limite de ${enMo(o.maxOctets)} par fichier.`, 413);
    }
    try {
      await analyseur(ctx, async () => undefined);
      const f = (ctx.request as unknown as { file?: FichierMulter }).file;
      if (f) ctx.state.fichier = { nom: f.originalname, type: f.mimetype, contenu: f.buffer } satisfies FichierRecu;
    } catch (e) {
      const err = e as { code?: string; filename?: string };
      const nom = err.filename ? nettoyerNom(err.filename) : null;
      ctx.state.refusFichier =
        err.code === 'LIMIT_FILE_SIZE'
          ? `Le fichier${nom ? ` « ${nom} »` : ''} dépasse la limite de ${enMo(o.maxOctets)} par fichier : réduisez sa taille (par exemple en le numérisant en noir et blanc) ou découpez-le.`
          : err.code === 'LIMIT_FILE_COUNT' || err.code === 'LIMIT_UNEXPECTED_FILE'
            ? 'Joignez un seul fichier à la fois.'
            : 'Le fichier n’a pas pu être reçu. Recommencez.';
      // The fields read before the refusal (the token comes first in the form) stay available.
      const partiel = (ctx.req as unknown as { body?: Record<string, unknown> }).body;
      ctx.request.body = { ...(partiel ?? {}) };
    }
    return next();
  };
}
