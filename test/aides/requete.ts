// Requêtes as a citizen leaves them, for the agent-side tests: begun, filled, a third party and a
// PDF attached, sent through the services and the real requete workflow, then awaited until the
// transmission has made them `envoyee` (or left as a draft).
import { randomBytes } from 'node:crypto';
import { sql } from 'slonik';
import { z } from 'zod';
import * as comptes from '../../db/comptes.js';
import * as services from '../../services/requetes.js';
import { PDF_MINIMAL, type Application } from './application.js';

import { attendre } from './attente.js';
export { attendre };

export interface RequeteDeTest {
  id: string;
  courriel: string;
  nom: string;
  reference: string | null;
}

/** A complete "constitution de partie civile" of a new citizen `nom`, sent unless `brouillon`. */
export async function requeteEnvoyee(app: Application, o: { juridiction: string; nom: string; lieu: string; brouillon?: boolean }): Promise<RequeteDeTest> {
  const ctx = { pool: app.pool, temporal: app.temporal, config: app.config };
  const courriel = `${o.nom.toLowerCase()}@example.fr`;
  const { compte } = await comptes.connecter(app.pool, { iss: 'https://fc.test', sub: `requerant-${randomBytes(6).toString('hex')}`, given_name: 'Angela', family_name: o.nom, email: courriel });
  const id = await services.commencer(ctx, compte.id, { juridiction: o.juridiction, type: 'partie_civile' });
  const champs = await services.enregistrerChamps(ctx, compte.id, id, { infraction: 'Vol de scooter', dateFaits: '2026-03-02', lieuFaits: o.lieu, prejudice: 'Scooter volé,\nfrais de transport', montant: '1500' });
  if (!champs.ok) throw new Error(JSON.stringify(champs.erreurs));
  const tiers = await services.ajouterTiers(ctx, compte.id, id, { type: 'physique', civilite: 'M.', nom: 'MARTIN', prenoms: 'Paul' });
  if (!tiers.ok) throw new Error(JSON.stringify(tiers.erreurs));
  const piece = await services.ajouterPiece(ctx, compte.id, id, { nom: 'plainte.pdf', octets: PDF_MINIMAL });
  if (!piece.ok) throw new Error(piece.message);
  if (o.brouillon) return { id, courriel, nom: o.nom, reference: null };
  const envoi = await services.envoyer(ctx, compte.id, id);
  if (!envoi.acceptee) throw new Error(JSON.stringify(envoi.erreurs));
  const l = await attendre(
    () => app.pool.one(sql.type(z.object({ statut: z.string(), reference: z.string().nullable() }))`SELECT statut, reference FROM requete WHERE id = ${id}`),
    (x) => x.statut === 'envoyee',
    40000,
  );
  return { id, courriel, nom: o.nom, reference: l.reference };
}
