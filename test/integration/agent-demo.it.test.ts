// The demo data gives every agent account of the local provider its suggested role (issue 8:
// `npm start` lets each demo agent log in), except the one kept without a role.
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { demarrerApplication, type Application } from '../aides/application.js';
import { connecterAgent } from '../aides/agent.js';
import { chargerDemo } from '../../dev/demo.js';
import { COMPTES_AGENTS } from '../../dev/franceconnect.js';

let app: Application;

beforeAll(async () => {
  app = await demarrerApplication();
  await chargerDemo(app.config);
}, 120_000);
afterAll(async () => {
  await app?.arreter();
});

test('each demo agent logs in under its role; the account without a role is refused', async () => {
  for (const a of COMPTES_AGENTS) {
    const { nav, retour } = await connecterAgent(app, a.courriel);
    expect(`${a.courriel} ${retour.status}`).toBe(`${a.courriel} ${a.roleSuggere ? 302 : 403}`);
    if (a.roleSuggere) expect(await (await nav.requete(`${app.url}/agent`)).text()).toContain(`${a.prenom} ${a.nom}`);
  }
}, 120_000);
