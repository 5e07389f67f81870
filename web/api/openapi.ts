// The OpenAPI 3.1 document of Court API v1, generated from the same zod schemas that validate
// the requests, so the document cannot drift from the code. `npm run openapi` writes
// web/api/openapi.json (committed, served at /api/v1/openapi.json); a test checks the committed
// file equals what this module generates and that every route answers as documented.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { zodToJsonSchema } from 'zod-to-json-schema';
import type { ZodTypeAny } from 'zod';
import {
  affaireSchema,
  audienceSchema,
  clotureSchema,
  consentementSchema,
  evenementSchema,
  juridictionSchema,
} from '../../domain/schemas/tribunal.js';
import { estPrincipal } from '../../cli.js';
import { enregistrementSchema } from '../../services/requetes.js';

function schema(s: ZodTypeAny): Record<string, unknown> {
  // The request side of each schema (effectStrategy 'input'): what a court sends.
  const { $schema: _, ...reste } = zodToJsonSchema(s, { target: 'jsonSchema2019-09', effectStrategy: 'input', $refStrategy: 'none' }) as Record<string, unknown>;
  return reste;
}

const erreur = {
  type: 'object',
  required: ['erreur', 'details'],
  properties: {
    erreur: { type: 'string', description: 'Message en français' },
    code: { type: 'string', description: 'Code stable de l’erreur' },
    details: {
      type: 'array',
      items: { type: 'object', required: ['champ', 'message'], properties: { champ: { type: 'string' }, message: { type: 'string' } } },
    },
  },
};

const reponseErreur = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Erreur' } } } });
const reponseJson = (description: string, schemaReponse: Record<string, unknown>) => ({ description, content: { 'application/json': { schema: schemaReponse } } });
const corps = (nom: string) => ({ required: true, content: { 'application/json': { schema: { $ref: `#/components/schemas/${nom}` } } } });

const erreursCommunes = {
  '400': reponseErreur('Données invalides : chaque problème nomme son champ'),
  '401': reponseErreur('Jeton absent ou invalide'),
  '415': reponseErreur('Le corps n’est pas déclaré en JSON'),
  '413': reponseErreur('Corps JSON trop volumineux (1 Mo au plus hors document)'),
};
const erreursAffaire = { ...erreursCommunes, '404': reponseErreur('Dossier inconnu dans la juridiction du jeton'), '409': reponseErreur('Dossier supprimé à la fin de sa conservation') };

const reponseLot = { type: 'object', required: ['lot', 'expireLe'], properties: { lot: { type: 'string', enum: ['ouvert'] }, expireLe: { type: 'string', format: 'date-time' } } };

const pathPortalis = { name: 'numeroPortalis', in: 'path', required: true, schema: { type: 'string', pattern: '^[A-Za-z0-9._-]{1,64}$' } };
const pathAudience = { name: 'id', in: 'path', required: true, schema: { type: 'string', pattern: '^[A-Za-z0-9._:-]{1,64}$' } };

const pathRequete = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };
const texteOuNull = { type: ['string', 'null'] };
const requeteDocumentee = {
  type: 'object',
  required: ['id', 'reference', 'type', 'statut', 'envoyeeLe', 'requerant', 'donnees', 'tiers', 'pieces'],
  properties: {
    id: { type: 'string', format: 'uuid' },
    reference: { type: 'string', description: 'Référence donnée au justiciable (RQ-AAAA-XXXX-XXXX)' },
    type: { type: 'string', enum: ['jaf', 'protection', 'partie_civile'] },
    statut: { type: 'string', enum: ['envoyee', 'enregistree'] },
    envoyeeLe: { type: 'string', format: 'date-time' },
    enregistreeLe: { type: ['string', 'null'], format: 'date-time' },
    numeroDossier: texteOuNull,
    numeroPortalis: texteOuNull,
    requerant: { type: 'object', description: 'Identité reçue de FranceConnect', properties: { nom: texteOuNull, prenoms: texteOuNull, dateNaissance: texteOuNull, courriel: texteOuNull } },
    donnees: { type: 'object', description: 'Les champs propres au type de requête', additionalProperties: { type: 'string' } },
    tiers: {
      type: 'array',
      items: {
        type: 'object', required: ['type'],
        properties: {
          type: { type: 'string', enum: ['physique', 'morale', 'autorite'] }, civilite: texteOuNull, nom: texteOuNull, nomUsage: texteOuNull, prenoms: texteOuNull,
          raisonSociale: texteOuNull, formeJuridique: texteOuNull, titre: texteOuNull,
        },
      },
    },
    pieces: {
      type: 'array',
      items: {
        type: 'object', required: ['id', 'nom', 'type', 'taille', 'sha256', 'url'],
        properties: { id: { type: 'string' }, nom: { type: 'string' }, type: { type: 'string', enum: ['application/pdf', 'image/jpeg', 'image/png'] }, taille: { type: 'integer' }, sha256: { type: 'string' }, url: { type: 'string' } },
      },
    },
  },
};

export function documentOpenApi(): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Portail du justiciable — API des juridictions',
      version: '1.0.0',
      description:
        'Les applicatifs métier des juridictions alimentent le portail : affaires, parties, événements et documents, audiences, consentements, clôture ; ils reçoivent les requêtes en ligne et les enregistrent. ' +
        'Chaque jeton est lié à une juridiction. Toute écriture est idempotente : la même requête deux fois produit un seul effet et la même réponse. ' +
        'Les erreurs sont en français : {"erreur": "…", "details": [{"champ": "…", "message": "…"}]} et ne modifient rien.',
    },
    servers: [{ url: '/api/v1' }],
    security: [{ jeton: [] }],
    components: {
      securitySchemes: { jeton: { type: 'http', scheme: 'bearer', description: 'Jeton lié à une juridiction (COURT_API_TOKENS)' } },
      schemas: {
        Erreur: erreur,
        Juridiction: schema(juridictionSchema),
        // What the API answers: the description plus the token's juridiction code.
        JuridictionDecrite: (() => {
          const j = schema(juridictionSchema) as { properties: Record<string, unknown>; required?: string[] };
          return { ...j, properties: { code: { type: 'string' }, ...j.properties }, required: ['code', ...(j.required ?? [])] };
        })(),
        Affaire: schema(affaireSchema),
        Evenement: schema(evenementSchema),
        Audience: schema(audienceSchema),
        Consentement: schema(consentementSchema),
        Cloture: schema(clotureSchema),
        Enregistrement: schema(enregistrementSchema),
        Requete: requeteDocumentee,
      },
    },
    paths: {
      '/openapi.json': { get: { operationId: 'lireDocumentOpenApi', summary: 'Ce document (sans jeton)', security: [], responses: { '200': reponseJson('Le document OpenAPI 3.1', { type: 'object', required: ['openapi', 'info', 'paths'] }) } } },
      '/juridiction': {
        get: {
          operationId: 'lireJuridiction',
          summary: 'La description de la juridiction du jeton',
          responses: {
            '200': reponseJson('Description', { $ref: '#/components/schemas/JuridictionDecrite' }),
            '401': erreursCommunes['401'],
            '404': reponseErreur('La juridiction ne s’est pas encore décrite'),
          },
        },
        put: {
          operationId: 'decrireJuridiction',
          summary: 'La juridiction du jeton se décrit (la crée si son code est nouveau)',
          requestBody: corps('Juridiction'),
          responses: { '200': reponseJson('Enregistrée', { $ref: '#/components/schemas/JuridictionDecrite' }), ...erreursCommunes },
        },
      },
      '/affaires/{numeroPortalis}': {
        put: {
          operationId: 'enregistrerAffaire',
          summary: 'Crée ou remplace une affaire et ses parties',
          parameters: [pathPortalis],
          requestBody: corps('Affaire'),
          responses: {
            '200': reponseJson('Enregistrée', { type: 'object', properties: { numeroPortalis: { type: 'string' }, numeroDossier: { type: 'string' }, suiviEnLigne: { type: 'boolean' } } }),
            ...erreursCommunes,
            '409': reponseErreur('Juridiction non décrite, ou dossier supprimé à la fin de sa conservation'),
          },
        },
      },
      '/affaires/{numeroPortalis}/evenements': {
        post: {
          operationId: 'ajouterEvenement',
          summary: 'Ajoute un événement, avec éventuellement un document PDF (récépissé, avis, convocation)',
          description:
            'Décisions : un événement de type `decision` (ou `jugement`, `ordonnance`, `arret`) n’affiche aux justiciables que sa date, jamais son libellé. ' +
            'Renvoi : un événement de type `renvoi` affiche « Affaire renvoyée à l’audience du … », la date étant celle de la première audience non annulée fixée (PUT …/audiences/{id}) après la date du renvoi.',
          parameters: [pathPortalis],
          requestBody: corps('Evenement'),
          responses: {
            '201': reponseJson('Ajouté', { type: 'object', properties: { evenement: { type: 'string' } } }),
            '200': reponseJson('Déjà reçu avec le même contenu (rejeu)', { type: 'object', properties: { evenement: { type: 'string' } } }),
            ...erreursAffaire,
            '409': reponseErreur('Identifiant déjà reçu avec un autre contenu'),
            '413': reponseErreur('Document trop volumineux (MAX_DOCUMENT_BYTES)'),
            '415': reponseErreur('Corps non JSON, ou document qui n’est pas un PDF'),
          },
        },
      },
      '/affaires/{numeroPortalis}/audiences/{id}': {
        put: {
          operationId: 'planifierAudience',
          summary: 'Fixe ou déplace une audience',
          parameters: [pathPortalis, pathAudience],
          requestBody: corps('Audience'),
          responses: { '200': reponseJson('Enregistrée', { type: 'object', properties: { audience: { type: 'string' }, debut: { type: 'string', format: 'date-time' } } }), ...erreursAffaire },
        },
        delete: {
          operationId: 'annulerAudience',
          summary: 'Annule une audience',
          parameters: [pathPortalis, pathAudience],
          responses: { '204': { description: 'Annulée (ou déjà annulée)' }, '400': erreursCommunes['400'], '401': erreursCommunes['401'], '404': reponseErreur('Dossier ou audience inconnus') },
        },
      },
      '/affaires/{numeroPortalis}/consentements': {
        post: {
          operationId: 'enregistrerConsentement',
          summary: 'Enregistre le consentement d’une partie ; le numéro d’identification part par courriel, jamais par l’API',
          parameters: [pathPortalis],
          requestBody: corps('Consentement'),
          responses: {
            '201': reponseJson('Enregistré', { type: 'object', properties: { consentement: { type: 'string' } } }),
            '200': reponseJson('Déjà enregistré (rejeu) : même identifiant', { type: 'object', properties: { consentement: { type: 'string' } } }),
            ...erreursAffaire,
            '409': reponseErreur('Dossier non suivi en ligne, ou supprimé'),
          },
        },
      },
      '/affaires/{numeroPortalis}/lot': {
        post: {
          operationId: 'ouvrirLot',
          summary: 'Ouvre un lot de mises à jour : la page du dossier affiche « Votre dossier est en cours de mise à jour » jusqu’à la fermeture du lot, ou 30 minutes après la dernière ouverture (un lot oublié expire). Sans corps.',
          parameters: [pathPortalis],
          responses: {
            '201': reponseJson('Lot ouvert', reponseLot),
            '200': reponseJson('Lot déjà ouvert : son expiration est repoussée de 30 minutes', reponseLot),
            '400': erreursCommunes['400'],
            '401': erreursCommunes['401'],
            '404': erreursAffaire['404'],
            '409': erreursAffaire['409'],
          },
        },
        delete: {
          operationId: 'fermerLot',
          summary: 'Ferme le lot de mises à jour : le bandeau disparaît',
          parameters: [pathPortalis],
          responses: { '204': { description: 'Fermé (ou déjà fermé, ou expiré)' }, '400': erreursCommunes['400'], '401': erreursCommunes['401'], '404': erreursAffaire['404'], '409': erreursAffaire['409'] },
        },
      },
      '/requetes': {
        get: {
          operationId: 'listerRequetes',
          summary: 'Les requêtes en ligne envoyées à la juridiction du jeton (à enregistrer), les plus anciennes d’abord',
          parameters: [
            { name: 'statut', in: 'query', required: false, schema: { type: 'string', enum: ['envoyee', 'enregistree'], default: 'envoyee' } },
            { name: 'limite', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 500, default: 100 } },
          ],
          responses: {
            '200': reponseJson('Requêtes', { type: 'object', required: ['requetes'], properties: { requetes: { type: 'array', items: { $ref: '#/components/schemas/Requete' } } } }),
            '400': erreursCommunes['400'],
            '401': erreursCommunes['401'],
          },
        },
      },
      '/requetes/{id}/pieces/{pieceId}': {
        get: {
          operationId: 'telechargerPiece',
          summary: 'Une pièce jointe d’une requête envoyée (PDF, JPEG ou PNG)',
          parameters: [pathRequete, { name: 'pieceId', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
          responses: {
            '200': { description: 'Le fichier', content: { 'application/pdf': {}, 'image/jpeg': {}, 'image/png': {} } },
            '401': erreursCommunes['401'],
            '404': reponseErreur('Requête ou pièce inconnue dans la juridiction du jeton'),
          },
        },
      },
      '/requetes/{id}/enregistrement': {
        post: {
          operationId: 'enregistrerRequete',
          summary: 'Enregistre une requête envoyée avec les numéros du dossier ouvert ; le justiciable en est informé par courriel. Idempotent avec les mêmes numéros.',
          parameters: [pathRequete],
          requestBody: corps('Enregistrement'),
          responses: {
            '200': reponseJson('Enregistrée', {
              type: 'object', required: ['requete', 'statut', 'numeroDossier', 'numeroPortalis'],
              properties: { requete: { type: 'string' }, statut: { type: 'string', enum: ['enregistree'] }, numeroDossier: { type: 'string' }, numeroPortalis: { type: 'string' } },
            }),
            ...erreursCommunes,
            '404': reponseErreur('Requête inconnue dans la juridiction du jeton'),
            '409': reponseErreur('Requête non transmise, ou déjà enregistrée avec d’autres numéros'),
          },
        },
      },
      '/affaires/{numeroPortalis}/cloture': {
        post: {
          operationId: 'cloturerAffaire',
          summary: 'Clôt l’affaire à la date donnée (la conservation d’un an court à partir de là)',
          parameters: [pathPortalis],
          requestBody: corps('Cloture'),
          responses: { '204': { description: 'Clôturée' }, ...erreursAffaire },
        },
        delete: {
          operationId: 'rouvrirAffaire',
          summary: 'Rouvre l’affaire',
          parameters: [pathPortalis],
          responses: { '204': { description: 'Rouverte (ou déjà ouverte)' }, '400': erreursCommunes['400'], '401': erreursCommunes['401'], '404': erreursAffaire['404'], '409': erreursAffaire['409'] },
        },
      },
    },
  };
}

export const CHEMIN_DOCUMENT = fileURLToPath(new URL('./openapi.json', import.meta.url));

if (estPrincipal(import.meta.url)) {
  writeFileSync(CHEMIN_DOCUMENT, JSON.stringify(documentOpenApi(), null, 2) + '\n');
  console.log(`écrit : ${CHEMIN_DOCUMENT}`);
}
