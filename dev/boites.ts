// Local mail and SMS sinks, used when SMTP_URL / TWILIO_* are not configured: a real SMTP server
// (what nodemailer talks to in production too) and an endpoint speaking the part of Twilio's REST
// API the official client uses to send an SMS. What they receive is listed on one French page and
// as JSON, so that people and end-to-end tests can read the identification numbers and alerts.
import { randomBytes, randomUUID } from 'node:crypto';
import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import Koa from 'koa';
import { Router } from '@koa/router';
import { bodyParser } from '@koa/bodyparser';
import { SMTPServer } from 'smtp-server';
import { simpleParser, type AddressObject } from 'mailparser';

export interface PieceJointe {
  name: string;
  type: string;
  size: number;
}

export interface Courriel {
  id: string;
  /** ISO 8601, time of reception. */
  date: string;
  from: string;
  /** Envelope recipients (To, Cc and Bcc alike), as the SMTP client gave them. */
  to: string[];
  subject: string;
  text: string;
  html?: string;
  attachments: PieceJointe[];
  messageId?: string;
  /** The message's X-… headers (an idempotency key, for instance), names in lower case. */
  headers: Record<string, string>;
}

export interface Sms {
  /** Twilio's message SID, `SM` + 32 hex digits. */
  id: string;
  date: string;
  accountSid: string;
  from: string;
  to: string;
  body: string;
}

export interface Boites {
  /** `smtp://host:port`, the value for SMTP_URL. */
  smtpUrl: string;
  /** The page listing what was received. */
  urlPage: string;
  /** `http://host:port`, the value for TWILIO_API_URL. */
  twilioApiUrl: string;
  arreter(): Promise<void>;
}

// Enough for any demo; the oldest messages go first.
const MAXIMUM_PAR_DEFAUT = 1000;
const TAILLE_MAX_COURRIEL = 25 * 1024 * 1024;

type Ligne = { type: 'courriel'; donnees: Courriel } | { type: 'sms'; donnees: Sms };

function echapper(v: string): string {
  return v.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const dateFr = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', dateStyle: 'short', timeStyle: 'medium' });

function horodatage(iso: string): string {
  return `<time datetime="${echapper(iso)}">${echapper(dateFr.format(new Date(iso)))}</time>`;
}

function taille(octets: number): string {
  return octets < 1024 ? `${octets} o` : octets < 1024 * 1024 ? `${(octets / 1024).toFixed(1)} ko` : `${(octets / 1024 / 1024).toFixed(1)} Mo`;
}

function adresses(a: AddressObject | AddressObject[] | undefined): string {
  if (!a) return '';
  return (Array.isArray(a) ? a : [a]).map((x) => x.text).join(', ');
}

/** Twilio's dates are RFC 2822 with a numeric zone. */
function dateTwilio(d: Date): string {
  return d.toUTCString().replace(/GMT$/, '+0000');
}

function pageHtml(courriels: Courriel[], sms: Sms[]): string {
  const listeCourriels = courriels.length
    ? courriels
        .map((c) => {
          const pj = c.attachments.length
            ? `<dt>Pièces jointes</dt><dd><ul>${c.attachments.map((p) => `<li>${echapper(p.name)} (${echapper(p.type)}, ${taille(p.size)})</li>`).join('')}</ul></dd>`
            : '';
          return `<article>
<h3>${echapper(c.subject || '(sans objet)')}</h3>
<dl>
<dt>Reçu le</dt><dd>${horodatage(c.date)}</dd>
<dt>De</dt><dd>${echapper(c.from)}</dd>
<dt>À</dt><dd>${echapper(c.to.join(', '))}</dd>
${pj}
</dl>
<details><summary>Texte du courriel</summary><pre>${echapper(c.text)}</pre></details>
<p><a href="/api/courriels/${encodeURIComponent(c.id)}">Version JSON complète</a></p>
</article>`;
        })
        .join('\n')
    : '<p>Aucun courriel reçu.</p>';
  const listeSms = sms.length
    ? `<table>
<caption>SMS envoyés, du plus récent au plus ancien</caption>
<thead><tr><th scope="col">Envoyé le</th><th scope="col">De</th><th scope="col">À</th><th scope="col">Message</th></tr></thead>
<tbody>
${sms.map((s) => `<tr><td>${horodatage(s.date)}</td><td>${echapper(s.from)}</td><td>${echapper(s.to)}</td><td>${echapper(s.body)}</td></tr>`).join('\n')}
</tbody>
</table>`
    : '<p>Aucun SMS envoyé.</p>';
  return `<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Courriels et SMS reçus — boîtes locales</title>
<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#161616;line-height:1.5}
article{border:1px solid #929292;padding:0 1rem;margin:1rem 0}dt{font-weight:700}dd{margin:0 0 .5rem 1rem}
pre{white-space:pre-wrap;background:#f6f6f6;padding:.5rem}table{border-collapse:collapse;width:100%}
th,td{border:1px solid #929292;padding:.25rem .5rem;text-align:left;vertical-align:top}caption{text-align:left;font-weight:700}</style>
</head>
<body>
<main>
<h1>Courriels et SMS reçus</h1>
<p>Boîtes de développement : rien n'est réellement envoyé. <a href="/">Rafraîchir</a> ·
JSON : <a href="/api/courriels">/api/courriels</a>, <a href="/api/sms">/api/sms</a>.</p>
<section aria-labelledby="titre-courriels">
<h2 id="titre-courriels">Courriels (${courriels.length})</h2>
${listeCourriels}
</section>
<section aria-labelledby="titre-sms">
<h2 id="titre-sms">SMS (${sms.length})</h2>
${listeSms}
</section>
</main>
</body>
</html>`;
}

export async function demarrerBoites(o: {
  portSmtp: number;
  portHttp: number;
  host?: string;
  /** JSON lines file keeping the messages across restarts. */
  fichier?: string;
  /** How many e-mails and SMS are kept (the oldest go first); a benchmark counting 10,000 raises it. */
  maximum?: number;
}): Promise<Boites> {
  const MAXIMUM = o.maximum ?? MAXIMUM_PAR_DEFAUT;
  const host = o.host ?? '127.0.0.1';
  const hoteUrl = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  // newest last in memory, reversed when read
  let courriels: Courriel[] = [];
  let sms: Sms[] = [];

  if (o.fichier) {
    await mkdir(path.dirname(o.fichier), { recursive: true });
    let contenu = '';
    try {
      contenu = await readFile(o.fichier, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    for (const l of contenu.split('\n')) {
      if (!l.trim()) continue;
      try {
        const ligne = JSON.parse(l) as Ligne;
        if (ligne.type === 'courriel') courriels.push(ligne.donnees);
        else if (ligne.type === 'sms') sms.push(ligne.donnees);
      } catch {
        // a line cut short by a crash: the others are still good
      }
    }
    courriels = courriels.slice(-MAXIMUM);
    sms = sms.slice(-MAXIMUM);
    // rewritten compacted, so that the file does not grow beyond what is kept
    await writeFile(o.fichier, [...courriels.map((d) => ({ type: 'courriel', donnees: d })), ...sms.map((d) => ({ type: 'sms', donnees: d }))].map((x) => `${JSON.stringify(x)}\n`).join(''));
  }

  // writes go one after the other, so that a DELETE cannot be overtaken by an earlier append
  let ecritures: Promise<void> = Promise.resolve();
  const persister = (f: (fichier: string) => Promise<void>) => {
    if (!o.fichier) return;
    const fichier = o.fichier;
    ecritures = ecritures.then(() => f(fichier)).catch((e: unknown) => console.error('[boîtes locales] écriture impossible :', e));
  };

  function garder(ligne: Ligne) {
    if (ligne.type === 'courriel') {
      courriels.push(ligne.donnees);
      if (courriels.length > MAXIMUM) courriels.shift();
    } else {
      sms.push(ligne.donnees);
      if (sms.length > MAXIMUM) sms.shift();
    }
    persister((f) => appendFile(f, `${JSON.stringify(ligne)}\n`));
  }

  // --- SMTP -----------------------------------------------------------------------------------
  const smtp = new SMTPServer({
    authOptional: true,
    // a configured SMTP_URL may carry credentials: accept any, over plain text (local only)
    allowInsecureAuth: true,
    onAuth(auth, _session, cb) {
      cb(null, { user: auth.username ?? 'anonyme' });
    },
    disabledCommands: ['STARTTLS'],
    size: TAILLE_MAX_COURRIEL,
    logger: false,
    banner: 'boîte aux lettres locale du Portail du justiciable',
    onData(stream, session, cb) {
      const morceaux: Buffer[] = [];
      stream.on('data', (m: Buffer) => morceaux.push(m));
      stream.on('error', (e) => cb(e));
      stream.on('end', () => {
        if (stream.sizeExceeded) {
          cb(Object.assign(new Error('message trop volumineux'), { responseCode: 552 }));
          return;
        }
        simpleParser(Buffer.concat(morceaux)).then(
          (m) => {
            const entetes: Record<string, string> = {};
            for (const [nom, valeur] of m.headers) {
              if (nom.startsWith('x-') && typeof valeur === 'string') entetes[nom] = valeur;
            }
            const envelopeFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
            garder({
              type: 'courriel',
              donnees: {
                id: randomUUID(),
                date: new Date().toISOString(),
                from: adresses(m.from) || envelopeFrom,
                to: session.envelope.rcptTo.map((r) => r.address),
                subject: m.subject ?? '',
                text: m.text ?? '',
                ...(m.html ? { html: m.html } : {}),
                attachments: m.attachments.map((a) => ({ name: a.filename ?? '(sans nom)', type: a.contentType, size: a.size })),
                ...(m.messageId ? { messageId: m.messageId } : {}),
                headers: entetes,
              },
            });
            cb();
          },
          (e: Error) => cb(e),
        );
      });
    },
  });
  smtp.on('error', (e) => console.error('[boîtes locales] SMTP :', e));
  await new Promise<void>((resolve, reject) => {
    smtp.server.once('error', reject);
    smtp.listen(o.portSmtp, host, () => {
      smtp.server.off('error', reject);
      resolve();
    });
  });
  const portSmtp = (smtp.server.address() as AddressInfo).port;

  // --- HTTP: page, JSON, Twilio -----------------------------------------------------------------
  const app = new Koa();
  app.silent = true;
  app.on('error', (e: Error & { status?: number }) => {
    if (!e.status || e.status >= 500) console.error('[boîtes locales]', e);
  });
  app.use(async (ctx, next) => {
    ctx.set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
    ctx.set('X-Content-Type-Options', 'nosniff');
    try {
      await next();
    } catch (e) {
      const err = e as Error & { status?: number; expose?: boolean };
      ctx.status = err.status ?? 500;
      ctx.body = { erreur: err.expose ? err.message : 'erreur interne' };
      if (ctx.status >= 500) ctx.app.emit('error', err, ctx);
    }
  });

  const router = new Router();
  const recents = <T>(l: T[]) => [...l].reverse();
  const filtre = (v: unknown) => (typeof v === 'string' && v ? v.toLowerCase() : undefined);

  router.get('/', (ctx) => {
    ctx.type = 'html';
    ctx.set('Cache-Control', 'no-store');
    ctx.body = pageHtml(recents(courriels), recents(sms));
  });

  // ?destinataire=… keeps the messages sent to one address or number (parallel tests)
  router.get('/api/courriels', (ctx) => {
    const d = filtre(ctx.query.destinataire);
    ctx.body = recents(courriels)
      .filter((c) => !d || c.to.some((t) => t.toLowerCase() === d))
      .map(({ html: _html, ...c }) => c);
  });

  router.get('/api/courriels/:id', (ctx) => {
    const c = courriels.find((x) => x.id === ctx.params.id);
    if (!c) {
      ctx.status = 404;
      ctx.body = { erreur: 'courriel introuvable' };
      return;
    }
    ctx.body = c;
  });

  router.get('/api/sms', (ctx) => {
    const d = filtre(ctx.query.destinataire);
    ctx.body = recents(sms).filter((s) => !d || s.to.toLowerCase() === d);
  });

  router.delete('/api/messages', (ctx) => {
    courriels = [];
    sms = [];
    persister((f) => writeFile(f, ''));
    ctx.status = 204;
  });

  // Twilio authenticates with HTTP Basic, the account SID as user name. The token is not
  // checked (the sink does not know it), the SID must match the URL's, as Twilio requires.
  function authentifie(ctx: Koa.Context, sid: string): boolean {
    const m = /^Basic\s+(.+)$/i.exec(ctx.get('authorization'));
    const [utilisateur, ...mdp] = m ? Buffer.from(m[1]!, 'base64').toString('utf8').split(':') : [];
    if (utilisateur === sid && mdp.join(':') !== '') return true;
    ctx.status = 401;
    ctx.set('WWW-Authenticate', 'Basic realm="Twilio API"');
    ctx.body = { code: 20003, message: 'Authenticate', more_info: 'https://www.twilio.com/docs/errors/20003', status: 401 };
    return false;
  }

  function erreurTwilio(ctx: Koa.Context, code: number, message: string) {
    ctx.status = 400;
    ctx.body = { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status: 400 };
  }

  function reponseTwilio(s: Sms) {
    const date = dateTwilio(new Date(s.date));
    const uri = `/2010-04-01/Accounts/${s.accountSid}/Messages/${s.id}.json`;
    return {
      account_sid: s.accountSid,
      api_version: '2010-04-01',
      body: s.body,
      date_created: date,
      date_sent: null,
      date_updated: date,
      direction: 'outbound-api',
      error_code: null,
      error_message: null,
      from: s.from,
      messaging_service_sid: null,
      num_media: '0',
      num_segments: String(Math.max(1, Math.ceil(s.body.length / 153))),
      price: null,
      price_unit: 'EUR',
      sid: s.id,
      status: 'queued',
      subresource_uris: { media: uri.replace(/\.json$/, '/Media.json') },
      to: s.to,
      uri,
    };
  }

  router.post('/2010-04-01/Accounts/:sid/Messages.json', bodyParser({ enableTypes: ['form'], formLimit: '64kb' }), (ctx) => {
    const sid = ctx.params.sid!;
    if (!authentifie(ctx, sid)) return;
    const corps = (ctx.request.body ?? {}) as Record<string, unknown>;
    const champ = (n: string) => (typeof corps[n] === 'string' ? (corps[n] as string) : '');
    if (!champ('To')) return erreurTwilio(ctx, 21604, "A 'To' phone number is required.");
    if (!champ('From') && !champ('MessagingServiceSid')) return erreurTwilio(ctx, 21603, "A 'From' phone number is required.");
    if (!champ('Body')) return erreurTwilio(ctx, 21602, 'Message body is required.');
    const s: Sms = {
      id: `SM${randomBytes(16).toString('hex')}`,
      date: new Date().toISOString(),
      accountSid: sid,
      from: champ('From') || champ('MessagingServiceSid'),
      to: champ('To'),
      body: champ('Body'),
    };
    garder({ type: 'sms', donnees: s });
    ctx.status = 201;
    ctx.body = reponseTwilio(s);
  });

  router.get('/2010-04-01/Accounts/:sid/Messages/:id.json', (ctx) => {
    const sid = ctx.params.sid!;
    if (!authentifie(ctx, sid)) return;
    const s = sms.find((x) => x.id === ctx.params.id && x.accountSid === sid);
    if (!s) {
      ctx.status = 404;
      ctx.body = { code: 20404, message: 'The requested resource was not found', more_info: 'https://www.twilio.com/docs/errors/20404', status: 404 };
      return;
    }
    ctx.body = reponseTwilio(s);
  });

  app.use(router.routes());
  app.use(router.allowedMethods());

  const serveur = http.createServer(app.callback());
  try {
    await new Promise<void>((resolve, reject) => {
      serveur.once('error', reject);
      serveur.listen(o.portHttp, host, () => {
        serveur.off('error', reject);
        resolve();
      });
    });
  } catch (e) {
    await new Promise<void>((r) => smtp.close(() => r()));
    throw e;
  }
  const portHttp = (serveur.address() as AddressInfo).port;
  const base = `http://${hoteUrl}:${portHttp}`;

  return {
    smtpUrl: `smtp://${hoteUrl}:${portSmtp}`,
    urlPage: `${base}/`,
    twilioApiUrl: base,
    async arreter() {
      await Promise.all([
        new Promise<void>((r) => smtp.close(() => r())),
        new Promise<void>((r) => {
          serveur.close(() => r());
          serveur.closeAllConnections();
        }),
      ]);
      await ecritures;
    },
  };
}
