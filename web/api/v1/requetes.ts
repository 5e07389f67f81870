// What a court's business application receives about a sent requête: the petition as the
// citizen filed it, the requérant's identity from FranceConnect, the third parties and the list
// of attachments (each downloadable). The same shape is documented in the OpenAPI document.
import { z } from 'zod';
import { sql, type DatabasePool } from 'slonik';
import * as requetes from '../../../db/requetes.js';

export const listeRequetesSchema = z
  .object({
    statut: z.enum(['envoyee', 'enregistree'], { errorMap: () => ({ message: '« envoyee » ou « enregistree » attendu' }) }).default('envoyee'),
    limite: z.coerce.number({ invalid_type_error: 'nombre attendu' }).int('entier attendu').min(1, '1 au moins').max(500, '500 au plus').default(100),
  })
  .strict();

const Requerant = z.object({ nom: z.string().nullable(), prenoms: z.string().nullable(), dateNaissance: z.string().nullable(), courriel: z.string().nullable() });

export async function requeteTribunal(pool: DatabasePool, r: requetes.Requete) {
  const requerant = await pool.one(sql.type(Requerant)`
    SELECT family_name AS nom, given_name AS prenoms, birthdate AS "dateNaissance", email AS courriel FROM compte WHERE id = ${r.compte_id}`);
  const tiers = (await requetes.tiersDeLaRequete(pool, r.id)).map(requetes.versTiers);
  const pieces = (await requetes.piecesDeLaRequete(pool, r.id)).map((p) => ({ id: p.id, nom: p.nom, type: p.type_mime, taille: p.taille, sha256: p.sha256, url: `/api/v1/requetes/${r.id}/pieces/${p.id}` }));
  return {
    id: r.id,
    reference: r.reference,
    type: r.type,
    statut: r.statut,
    envoyeeLe: r.sent_at?.toISOString() ?? null,
    enregistreeLe: r.registered_at?.toISOString() ?? null,
    numeroDossier: r.numero_dossier,
    numeroPortalis: r.numero_portalis,
    requerant,
    donnees: r.donnees,
    tiers,
    pieces,
  };
}
