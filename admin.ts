// `npm run admin -- agent ajouter --courriel X --role R --juridiction CODE [--debut AAAA-MM-JJ --fin AAAA-MM-JJ]`
// `npm run admin -- agent retirer --courriel X --role R [--juridiction CODE]`
// `npm run admin -- notification renvoyer <id>`
// The operator's commands (DESIGN.md): create a juridiction's first head of registry, or any role;
// journaled with the actor "systeme"; and resend a failed e-mail or SMS of the outbox. Needs
// DATABASE_URL (and TEMPORAL_ADDRESS to resend), or a running `npm start`'s .data/lancement.env.
import { Client, Connection } from '@temporalio/client';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { estPrincipal, lancer } from './cli.js';
import { ErreurPortail } from './domain/erreurs.js';
import { LIBELLES_ROLES, ROLES_AGENT, type RoleAgent } from './domain/agents.js';
import { creerPool } from './db/pool.js';
import * as service from './services/agents.js';
import { renvoyerNotification } from './services/notifications.js';

export const USAGE = `Usage :
  npm run admin -- agent ajouter --courriel X --role R --juridiction CODE [--debut AAAA-MM-JJ --fin AAAA-MM-JJ]
  npm run admin -- agent retirer --courriel X --role R [--juridiction CODE]
  npm run admin -- notification renvoyer <id>   (une notification en échec : id de la table notification)
Rôles : ${ROLES_AGENT.join(', ')} (magistrat : --debut et --fin obligatoires ; statistiques_national : sans juridiction).`;

/** A refusal for the operator: printed as is, exit code 2. */
export class ErreurUsage extends Error {}

function variable(env: Record<string, string | undefined>, nom: string): string {
  if (env[nom]) return env[nom];
  const fichier = path.resolve(path.dirname(fileURLToPath(import.meta.url)), env.DATA_DIR ?? '.data', 'lancement.env');
  if (existsSync(fichier)) {
    const ligne = readFileSync(fichier, 'utf8').split('\n').find((l) => l.startsWith(`${nom}=`));
    if (ligne) return ligne.slice(nom.length + 1);
  }
  throw new ErreurUsage(`${nom} manquant : définissez-le, ou lancez d’abord \`npm start\`.`);
}
const urlBase = (env: Record<string, string | undefined>) => variable(env, 'DATABASE_URL');

/** `notification renvoyer <id>`: back to en_attente and sent again by a workflow (services/notifications.ts). */
async function renvoyer(id: string | undefined, env: Record<string, string | undefined>): Promise<string> {
  if (!id) throw new ErreurUsage(`L’identifiant de la notification est obligatoire.\n${USAGE}`);
  const pool = await creerPool(urlBase(env), { taille: 2 });
  const connection = await Connection.connect({ address: variable(env, 'TEMPORAL_ADDRESS') });
  try {
    const temporal = new Client({ connection, namespace: env.TEMPORAL_NAMESPACE || 'default' });
    const r = await renvoyerNotification(pool, temporal, { TEMPORAL_TASK_QUEUE: env.TEMPORAL_TASK_QUEUE || 'portail' }, id);
    return `Notification ${id} (${r.canal}, ${r.type}) remise en attente ; envoi confié au workflow ${r.workflowId}.`;
  } catch (e) {
    if (e instanceof ErreurPortail && e.httpStatus < 500) throw new ErreurUsage(`Refusé : ${e.messageUsager}`);
    throw e;
  } finally {
    await connection.close();
    await pool.end();
  }
}

/** Runs one command; returns the line to print. Throws ErreurUsage with a French message. */
export async function executer(argv: string[], env: Record<string, string | undefined> = process.env): Promise<string> {
  let a: ReturnType<typeof parseArgs<{ options: { courriel: { type: 'string' }; role: { type: 'string' }; juridiction: { type: 'string' }; debut: { type: 'string' }; fin: { type: 'string' } }; allowPositionals: true; strict: true }>>;
  try {
    a = parseArgs({ args: argv, allowPositionals: true, strict: true, options: { courriel: { type: 'string' }, role: { type: 'string' }, juridiction: { type: 'string' }, debut: { type: 'string' }, fin: { type: 'string' } } });
  } catch (e) {
    throw new ErreurUsage(`${(e as Error).message.replace(/^Unknown option/, 'Option inconnue')}\n${USAGE}`);
  }
  const [objet, verbe] = a.positionals;
  if (objet === 'notification' && verbe === 'renvoyer') return renvoyer(a.positionals[2], env);
  if (objet !== 'agent' || (verbe !== 'ajouter' && verbe !== 'retirer')) throw new ErreurUsage(USAGE);
  const o = a.values;
  if (!o.courriel) throw new ErreurUsage(`--courriel est obligatoire.\n${USAGE}`);
  if (!o.role) throw new ErreurUsage(`--role est obligatoire.\n${USAGE}`);
  const pool = await creerPool(urlBase(env), { taille: 2 });
  try {
    if (verbe === 'ajouter') {
      try {
        const r = await service.attribuer(pool, { courriel: o.courriel, role: o.role, juridiction: o.juridiction ?? null, debut: o.debut ?? null, fin: o.fin ?? null }, { type: 'systeme' });
        const x = r.attribution;
        const quoi = `${LIBELLES_ROLES[x.role]}${x.juridiction ? ` (${x.juridiction})` : ''}${x.debut ? ` du ${x.debut} au ${x.fin}` : ''}`;
        return r.cree ? `Rôle attribué à ${x.courriel} : ${quoi}.` : r.modifie ? `Rôle mis à jour pour ${x.courriel} : ${quoi}.` : `${x.courriel} a déjà ce rôle : ${quoi}. Rien n’a changé.`;
      } catch (e) {
        if (e instanceof ErreurPortail && e.httpStatus < 500) {
          throw new ErreurUsage(`Refusé : ${e.details.length ? e.details.map((d) => `--${d.champ} : ${d.message}`).join(' ; ') : e.messageUsager}`);
        }
        throw e;
      }
    }
    if (!(ROLES_AGENT as readonly string[]).includes(o.role)) throw new ErreurUsage(`Refusé : --role : rôle inconnu « ${o.role} » : ${ROLES_AGENT.join(', ')}`);
    const juridiction = o.juridiction?.trim().toUpperCase() || null;
    const fait = await service.retirer(pool, { courriel: o.courriel.trim().toLowerCase(), role: o.role, juridiction }, { type: 'systeme' });
    if (!fait) throw new ErreurUsage(`Refusé : ${o.courriel} n’a pas de rôle ${o.role}${juridiction ? ` dans ${juridiction}` : ''} en cours.`);
    return `Rôle ${LIBELLES_ROLES[o.role as RoleAgent]}${juridiction ? ` (${juridiction})` : ''} retiré à ${o.courriel.trim().toLowerCase()} (l’historique est conservé).`;
  } finally {
    await pool.end();
  }
}

if (estPrincipal(import.meta.url)) {
  lancer(async () => {
    try {
      console.log(await executer(process.argv.slice(2)));
    } catch (e) {
      if (e instanceof ErreurUsage) {
        console.error(e.message);
        process.exit(2);
      }
      throw e;
    }
  });
}
