// The configuration table of DESIGN.md, validated once at start. Pure: the entry points pass
// `process.env`; the launcher fills the components it embeds before its children read it.
// A wrong value stops the process with a message that names the variable.
import { z } from 'zod';
import { lireDuree } from './durees.js';
import { auMoinsSixMois, PLANCHER_JOURNAL } from './retention.js';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

function estLoopback(host: string): boolean {
  return LOOPBACK.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

const url = (protocoles: string[]) =>
  z.string().trim().superRefine((v, ctx) => {
    let u: URL;
    try {
      u = new URL(v);
    } catch {
      ctx.addIssue({ code: 'custom', message: `URL attendue, reçu « ${v} »` });
      return;
    }
    if (!protocoles.includes(u.protocol)) {
      ctx.addIssue({ code: 'custom', message: `protocole ${protocoles.join(' ou ')} attendu, reçu « ${u.protocol} »` });
    }
  });

/** An OpenID issuer: https, or plain http on a loopback host only (DESIGN.md). */
const emetteurOidc = url(['https:', 'http:']).superRefine((v, ctx) => {
  try {
    const u = new URL(v);
    if (u.protocol === 'http:' && !estLoopback(u.hostname)) {
      ctx.addIssue({ code: 'custom', message: 'un émetteur OpenID en http:// n’est admis que sur une adresse de bouclage (127.0.0.1, localhost) ; utilisez https://' });
    }
  } catch {
    /* reported by url() */
  }
});

const duree = (defaut: string) =>
  z
    .string()
    .trim()
    .default(defaut)
    .refine((v) => lireDuree(v) !== null, (v) => ({ message: `durée ISO-8601 positive attendue (ex. ${defaut}), reçu « ${v} »` }));

const nonVide = (quoi: string) => z.string({ required_error: `${quoi} manquant` }).trim().min(1, `${quoi} vide`);

const HEURE = /^([01]\d|2[0-3]):[0-5]\d$/;

/** `20:00-08:00` (Europe/Paris), or empty for none. */
const plageSilence = z
  .string()
  .trim()
  .default('20:00-08:00')
  .transform((v, ctx) => {
    if (v === '') return null;
    const [debut, fin, ...reste] = v.split('-');
    if (reste.length || !debut || !fin || !HEURE.test(debut) || !HEURE.test(fin) || debut === fin) {
      ctx.addIssue({ code: 'custom', message: `plage « HH:MM-HH:MM » attendue (ex. 20:00-08:00), ou vide, reçu « ${v} »` });
      return z.NEVER;
    }
    return { debut, fin };
  });

/** `JURIDICTION:token,…` — each token bound to one juridiction code. */
const jetonsTribunaux = z
  .string()
  .trim()
  .default('')
  .transform((v, ctx) => {
    const jetons: { juridiction: string; jeton: string }[] = [];
    if (v === '') return jetons;
    for (const [i, morceau] of v.split(',').entries()) {
      const sep = morceau.indexOf(':');
      const juridiction = morceau.slice(0, sep).trim();
      const jeton = morceau.slice(sep + 1).trim();
      if (sep < 1 || !/^[A-Z0-9_-]{2,32}$/.test(juridiction)) {
        ctx.addIssue({ code: 'custom', message: `entrée ${i + 1} : « CODE:jeton » attendu, le code en majuscules, chiffres, _ ou -` });
        return z.NEVER;
      }
      if (jeton.length < 32) {
        ctx.addIssue({ code: 'custom', message: `entrée ${i + 1} (${juridiction}) : jeton trop court (32 caractères au moins)` });
        return z.NEVER;
      }
      if (jetons.some((j) => j.jeton === jeton)) {
        ctx.addIssue({ code: 'custom', message: `entrée ${i + 1} (${juridiction}) : jeton déjà attribué à une autre entrée` });
        return z.NEVER;
      }
      jetons.push({ juridiction, jeton });
    }
    return jetons;
  });

export const configSchema = z.object({
  DATABASE_URL: url(['postgres:', 'postgresql:']),
  TEMPORAL_ADDRESS: nonVide('adresse host:port').refine((v) => /^[^\s:/]+:\d{1,5}$/.test(v), (v) => ({ message: `« hôte:port » attendu, reçu « ${v} »` })),
  TEMPORAL_NAMESPACE: z.string().trim().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().trim().min(1).default('portail'),
  FC_ISSUER: emetteurOidc,
  FC_CLIENT_ID: nonVide('identifiant client'),
  FC_CLIENT_SECRET: nonVide('secret client'),
  AGENT_OIDC_ISSUER: emetteurOidc,
  AGENT_OIDC_CLIENT_ID: nonVide('identifiant client'),
  AGENT_OIDC_CLIENT_SECRET: nonVide('secret client'),
  SMTP_URL: url(['smtp:', 'smtps:']),
  MAIL_FROM: z.string().trim().default('Portail du justiciable <ne-pas-repondre@justice.fr>').refine((v) => /@/.test(v), { message: 'adresse d’expéditeur attendue' }),
  // The portal's support inbox: /contact messages are e-mailed there, and security.txt names it.
  SUPPORT_EMAIL: z.string().trim().default('support.portail-justiciable@justice.fr').pipe(z.string().email('adresse électronique attendue')),
  TWILIO_ACCOUNT_SID: nonVide('SID').refine((v) => /^AC[0-9a-zA-Z]{8,}$/.test(v), { message: 'un SID de compte Twilio commence par « AC »' }),
  TWILIO_AUTH_TOKEN: nonVide('jeton'),
  TWILIO_FROM: nonVide('émetteur des SMS'),
  TWILIO_API_URL: url(['https:', 'http:']).optional(),
  PORT: z.coerce.number({ invalid_type_error: 'nombre attendu' }).int('entier attendu').min(1).max(65535).default(3000),
  PUBLIC_URL: url(['https:', 'http:']).transform((v) => v.replace(/\/+$/, '')),
  SESSION_SECRET: z.string({ required_error: 'secret manquant' }).min(32, '32 caractères au moins'),
  HASH_KEY: z.string({ required_error: 'clé manquante' }).min(32, '32 caractères au moins'),
  COURT_API_TOKENS: jetonsTribunaux,
  DRAFT_TTL: duree('P30D'),
  // How long before a draft's expiry the citizen is warned by e-mail (7 days and 1 day before).
  DRAFT_WARNINGS: z
    .string()
    .trim()
    .default('P7D,P1D')
    .transform((v) => (v === '' ? [] : v.split(',').map((x) => x.trim())))
    .refine((l) => l.every((x) => lireDuree(x) !== null), (v) => ({ message: `liste de durées ISO-8601 séparées par des virgules attendue (ex. P7D,P1D), reçu « ${v.join(',')} »` })),
  REMINDER_LEAD: duree('P3D'),
  CASE_RETENTION: duree('P1Y'),
  REQUETE_RETENTION: duree('P5Y'),
  // The audit journal's age at the daily purge (domain/retention.ts); the CNIL keeps access logs
  // six months at least, and the journal's trigger refuses younger deletions anyway: a shorter
  // value is a mistake to report at start, not to discover at 03:30.
  JOURNAL_RETENTION: duree('P1Y').refine(
    (v) => lireDuree(v) === null || auMoinsSixMois(v),
    (v) => ({ message: `le journal doit être conservé au moins six mois (${PLANCHER_JOURNAL}), reçu « ${v} »` }),
  ),
  // How long a support request (/contact) is kept after it was closed; an open one is kept.
  CONTACT_RETENTION: duree('P1Y'),
  ALERT_DEBOUNCE: duree('PT5M'),
  QUIET_HOURS: plageSilence,
  MAX_DOCUMENT_BYTES: z.coerce.number().int().positive().default(10 * 1024 * 1024),
  // All the attachments of one requête together.
  MAX_REQUETE_BYTES: z.coerce.number().int().positive().default(30 * 1024 * 1024),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // Bearer token of GET /metrics on the web server; unset: no /metrics at all (404).
  METRICS_TOKEN: z.string().trim().min(32, '32 caractères au moins').optional(),
  // Where the worker's Prometheus exporter (Temporal SDK metrics and the portal's delivery
  // failure counter) listens, `host:port`; unset: no worker metrics.
  TEMPORAL_METRICS_BIND: z.string().trim().refine((v) => /^[^\s/]+:\d{1,5}$/.test(v), (v) => ({ message: `« hôte:port » attendu (ex. 127.0.0.1:9464), reçu « ${v} »` })).optional(),
});

export type Config = z.infer<typeof configSchema>;

/** A configuration error lists every offending variable by name. */
export class ConfigError extends Error {
  constructor(readonly variables: { nom: string; message: string }[]) {
    super(
      'Configuration invalide :\n' + variables.map((v) => `  - ${v.nom} : ${v.message}`).join('\n'),
    );
    this.name = 'ConfigError';
  }
}

export function lireConfig(env: Record<string, string | undefined>): Config {
  // An empty string in the environment means "unset" for every optional variable, except
  // QUIET_HOURS where empty explicitly means "no quiet hours".
  const brut: Record<string, string | undefined> = {};
  for (const cle of Object.keys(configSchema.shape)) {
    const v = env[cle];
    brut[cle] = v === '' && cle !== 'QUIET_HOURS' ? undefined : v;
  }
  const r = configSchema.safeParse(brut);
  if (!r.success) {
    const vus = new Map<string, string>();
    for (const issue of r.error.issues) {
      const nom = String(issue.path[0] ?? '?');
      if (!vus.has(nom)) vus.set(nom, issue.code === 'invalid_type' && issue.received === 'undefined' ? 'variable obligatoire non définie' : issue.message);
    }
    throw new ConfigError([...vus].map(([nom, message]) => ({ nom, message })));
  }
  return r.data;
}

/** What a process prints about its configuration: never a secret. */
export function resumeConfig(c: Config): Record<string, unknown> {
  const masque = (url: string) => url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
  return {
    DATABASE_URL: masque(c.DATABASE_URL),
    TEMPORAL_ADDRESS: c.TEMPORAL_ADDRESS,
    TEMPORAL_NAMESPACE: c.TEMPORAL_NAMESPACE,
    TEMPORAL_TASK_QUEUE: c.TEMPORAL_TASK_QUEUE,
    FC_ISSUER: c.FC_ISSUER,
    AGENT_OIDC_ISSUER: c.AGENT_OIDC_ISSUER,
    SMTP_URL: masque(c.SMTP_URL),
    PUBLIC_URL: c.PUBLIC_URL,
    juridictionsApi: c.COURT_API_TOKENS.map((j) => j.juridiction),
    durees: { DRAFT_TTL: c.DRAFT_TTL, REMINDER_LEAD: c.REMINDER_LEAD, CASE_RETENTION: c.CASE_RETENTION, REQUETE_RETENTION: c.REQUETE_RETENTION, JOURNAL_RETENTION: c.JOURNAL_RETENTION, CONTACT_RETENTION: c.CONTACT_RETENTION, ALERT_DEBOUNCE: c.ALERT_DEBOUNCE },
  };
}
