// The operator command `npm run admin -- agent ajouter|retirer …` (DESIGN.md, issue 8 item 1):
// validated with French messages naming the option, journaled as "systeme", roles withdrawn and
// never deleted; the created head of registry can then log in.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { sql } from 'slonik';
import { z } from 'zod';
import { demarrerApplication, JURIDICTION_VALIDE, type Application } from '../aides/application.js';
import { connecterAgent, lignesJournal } from '../aides/agent.js';
import { executer, ErreurUsage } from '../../admin.js';

const racine = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
let app: Application;
let env: Record<string, string>;

beforeAll(async () => {
  app = await demarrerApplication();
  expect((await app.api('PUT', '/juridiction', JURIDICTION_VALIDE)).status).toBeLessThan(300);
  env = { DATABASE_URL: app.config.DATABASE_URL };
});
afterAll(async () => {
  await app?.arreter();
});

const refus = async (argv: string[]) => {
  try {
    await executer(argv, env);
  } catch (e) {
    expect(e).toBeInstanceOf(ErreurUsage);
    return (e as Error).message;
  }
  throw new Error('la commande aurait dû être refusée');
};

describe('npm run admin -- agent …', () => {
  test('ajouter creates the first head of registry (e-mail lower-cased), journaled as systeme; the agent can log in', async () => {
    const sortie = await executer(['agent', 'ajouter', '--courriel', 'Directeur.Greffe.Paris@justice.fr', '--role', 'directeur_greffe', '--juridiction', 'tj-paris'], env);
    expect(sortie).toBe('Rôle attribué à directeur.greffe.paris@justice.fr : Directeur de greffe (TJ-PARIS).');
    expect(await executer(['agent', 'ajouter', '--courriel', 'directeur.greffe.paris@justice.fr', '--role', 'directeur_greffe', '--juridiction', 'TJ-PARIS'], env)).toContain('Rien n’a changé');
    const j = await lignesJournal(app, { action: 'agent.role.attribuer' });
    expect(j).toHaveLength(1);
    expect(j[0]).toMatchObject({ acteur_type: 'systeme', juridiction: 'TJ-PARIS', resultat: 'succes' });
    const { retour } = await connecterAgent(app, 'directeur.greffe.paris@justice.fr');
    expect(retour.status).toBe(302);
  });

  test('refusals are French and name the option: unknown juridiction, bad role, magistrate without dates, bad dates, unknown option', async () => {
    expect(await refus(['agent', 'ajouter', '--courriel', 'a@justice.fr', '--role', 'agent_greffe', '--juridiction', 'TJ-NULLEPART'])).toContain('juridiction inconnue : TJ-NULLEPART');
    expect(await refus(['agent', 'ajouter', '--courriel', 'a@justice.fr', '--role', 'greffier', '--juridiction', 'TJ-PARIS'])).toContain('--role : rôle inconnu « greffier »');
    const m = await refus(['agent', 'ajouter', '--courriel', 'a@justice.fr', '--role', 'magistrat', '--juridiction', 'TJ-PARIS']);
    expect(m).toContain('--debut : un magistrat est habilité avec une date de début');
    expect(m).toContain('--fin : un magistrat est habilité avec une date de fin');
    expect(await refus(['agent', 'ajouter', '--courriel', 'a@justice.fr', '--role', 'magistrat', '--juridiction', 'TJ-PARIS', '--debut', '2026-12-01', '--fin', '2026-11-01'])).toContain('la date de fin précède la date de début');
    expect(await refus(['agent', 'ajouter', '--courriel', 'pas-une-adresse', '--role', 'agent_greffe', '--juridiction', 'TJ-PARIS'])).toContain('--courriel : adresse électronique invalide');
    expect(await refus(['agent', 'ajouter', '--courriel', 'a@justice.fr', '--role', 'agent_greffe'])).toContain('--juridiction : le rôle agent_greffe exige une juridiction');
    expect(await refus(['agent', 'ajouter', '--courriel', 'a@justice.fr', '--role', 'agent_greffe', '--juridiction', 'TJ-PARIS', '--droits', 'tous'])).toContain('Usage');
    expect(await refus(['agent', 'supprimer'])).toContain('Usage');
    expect(await app.pool.exists(sql.unsafe`SELECT 1 FROM agent WHERE courriel = 'a@justice.fr'`)).toBe(false);
  });

  test('retirer withdraws (revoked_at) without deleting; withdrawing twice is refused', async () => {
    await executer(['agent', 'ajouter', '--courriel', 'magistrat.paris@justice.fr', '--role', 'magistrat', '--juridiction', 'TJ-PARIS', '--debut', '2026-01-01', '--fin', '2030-12-31'], env);
    expect(await executer(['agent', 'retirer', '--courriel', 'magistrat.paris@justice.fr', '--role', 'magistrat', '--juridiction', 'TJ-PARIS'], env)).toContain('retiré');
    const roles = await app.pool.any(sql.type(z.object({ revoked_at: z.date().nullable() }))`
      SELECT r.revoked_at FROM agent_role r JOIN agent a ON a.id = r.agent_id WHERE a.courriel = 'magistrat.paris@justice.fr'`);
    expect(roles).toHaveLength(1);
    expect(roles[0]!.revoked_at).not.toBeNull();
    expect(await refus(['agent', 'retirer', '--courriel', 'magistrat.paris@justice.fr', '--role', 'magistrat', '--juridiction', 'TJ-PARIS'])).toContain('n’a pas de rôle magistrat');
    expect((await lignesJournal(app, { action: 'agent.role.retirer' })).at(-1)).toMatchObject({ acteur_type: 'systeme', resultat: 'succes' });
  });

  test('the real command: exit code 0 with a message, 2 with the French refusal', async () => {
    const run = promisify(execFile);
    const ok = await run('node', ['--import', 'tsx', 'admin.ts', 'agent', 'ajouter', '--courriel', 'greffe.paris@justice.fr', '--role', 'agent_greffe', '--juridiction', 'TJ-PARIS'], { cwd: racine, env: { ...process.env, ...env } });
    expect(ok.stdout).toContain('Rôle attribué à greffe.paris@justice.fr');
    const ko = await run('node', ['--import', 'tsx', 'admin.ts', 'agent', 'ajouter', '--courriel', 'x@justice.fr', '--role', 'roi', '--juridiction', 'TJ-PARIS'], { cwd: racine, env: { ...process.env, ...env } }).catch((e: { code: number; stderr: string }) => e);
    expect((ko as { code: number }).code).toBe(2);
    expect((ko as { stderr: string }).stderr).toContain('rôle inconnu « roi »');
  }, 60_000);
});
