// Seeding for the benchmarks: cases, parties, hearings, documents, consents, identification
// numbers and links, inserted with SQL (`generate_series`) in a few seconds — thousands of
// court-API calls plus the add flow would take far longer and measure the wrong thing. The
// identification-number hashes are random except one (NUMERO_BENCH), computed like the portal.
import { sql, type DatabasePool } from 'slonik';
import { empreinte, normaliserNumero } from '../domain/identifiants.js';

export const NUMERO_BENCH = 'K7QF-3XWM-9RTD';

/**
 * `n.compte` cases attached to `compte`, `n.autres` spread over 150 other accounts; a third in
 * TJ-LYON, the rest in TJ-PARIS (both juridictions must exist). BENCH-42 carries NUMERO_BENCH.
 */
export async function semerDossiers(pool: DatabasePool, hashKey: string, compte: string, n: { compte: number; autres: number }): Promise<void> {
  const NUMERO = NUMERO_BENCH;
  await pool.transaction(async (t) => {
    // 150 other accounts share the other cases.
    await t.query(sql.unsafe`INSERT INTO compte (fc_iss, fc_sub, given_name, family_name)
      SELECT 'bench', 'autre-' || g, 'Autre', 'COMPTE' || g FROM generate_series(1, 150) g`);
    await t.query(sql.unsafe`INSERT INTO dossier (juridiction, numero_portalis, numero_dossier, nature, etat, date_saisine, suivi_en_ligne, date_cloture, updated_at)
      SELECT CASE WHEN g % 3 = 0 THEN 'TJ-LYON' ELSE 'TJ-PARIS' END, 'BENCH-' || g, '26/' || lpad(g::text, 5, '0'),
             (ARRAY['Divorce', 'Expulsion', 'Tutelle', 'Prud’hommes'])[1 + g % 4], 'En cours', date '2026-01-01' + (g % 300),
             true, CASE WHEN g % 4 = 3 THEN now() - interval '10 days' END, now() - g * interval '1 minute'
      FROM generate_series(1, ${n.compte + n.autres}) g`);
    await t.query(sql.unsafe`INSERT INTO partie (dossier_id, id_tribunal, role, type, civilite, nom, prenoms, raison_sociale)
      SELECT d.id, 'P1', 'Demandeur', 'physique', 'Mme',
             (ARRAY['DUBOIS', 'LEFÈVRE', 'MARTIN', 'BERNARD', 'PETIT', 'DURAND', 'LEROY', 'MOREAU', 'SIMON', 'LAURENT'])[1 + g % 10],
             (ARRAY['Angela', 'Hélène', 'Paul', 'Chloé', 'Jérôme', 'Zoé', 'Noël'])[1 + g % 7], NULL
      FROM dossier d, LATERAL (SELECT substring(d.numero_portalis from 7)::int AS g) x
      UNION ALL
      SELECT d.id, 'P2', 'Défendeur', 'morale', NULL, NULL, NULL, 'Société ' || (g % 500) || ' SARL'
      FROM dossier d, LATERAL (SELECT substring(d.numero_portalis from 7)::int AS g) x`);
    await t.query(sql.unsafe`INSERT INTO audience (dossier_id, id_tribunal, debut, adresse, libelle, annulee_at)
      SELECT d.id, 'A1', now() + ((g % 90) - 20) * interval '1 day', '1 rue du Palais', 'Audience', CASE WHEN g % 11 = 0 THEN now() END
      FROM dossier d, LATERAL (SELECT substring(d.numero_portalis from 7)::int AS g) x WHERE g % 2 = 0`);
    await t.query(sql.unsafe`WITH doc AS (
        INSERT INTO document (dossier_id, type, titre, contenu, taille, sha256, created_at)
        SELECT d.id, 'avis', 'Avis', '\\x255044462d'::bytea, 5, encode(sha256('\\x255044462d'::bytea), 'hex'), now() - (substring(d.numero_portalis from 7)::int % 60) * interval '1 day'
        FROM dossier d WHERE substring(d.numero_portalis from 7)::int % 3 = 0 RETURNING id, dossier_id)
      INSERT INTO document_destinataire (document_id, partie_id) SELECT doc.id, p.id FROM doc JOIN partie p ON p.dossier_id = doc.dossier_id AND p.id_tribunal = 'P1'`);
    await t.query(sql.unsafe`INSERT INTO consentement (dossier_id, partie_id) SELECT p.dossier_id, p.id FROM partie p WHERE p.id_tribunal = 'P1'`);
    await t.query(sql.unsafe`INSERT INTO identifiant (consentement_id, hash, destinataire) SELECT c.id, sha256(c.id::text::bytea), 'bench@example.fr' FROM consentement c`);
    await t.query(sql.unsafe`INSERT INTO rattachement (compte_id, dossier_id, partie_id, identifiant_id)
      SELECT CASE WHEN g <= ${n.compte} THEN ${compte}::uuid ELSE (SELECT id FROM compte WHERE fc_sub = 'autre-' || (1 + g % 150)) END,
             c.dossier_id, c.partie_id, i.id
      FROM identifiant i JOIN consentement c ON c.id = i.consentement_id JOIN dossier d ON d.id = c.dossier_id,
           LATERAL (SELECT substring(d.numero_portalis from 7)::int AS g) x`);
    // One real number, for the search by identification number.
    const hash = empreinte(hashKey, 'identifiant', normaliserNumero(NUMERO)!);
    await t.query(sql.unsafe`UPDATE identifiant SET hash = ${sql.binary(hash)} WHERE id = (
      SELECT r.identifiant_id FROM rattachement r JOIN dossier d ON d.id = r.dossier_id WHERE d.numero_portalis = 'BENCH-42')`);
  });
  await pool.query(sql.unsafe`ANALYZE`);
}
