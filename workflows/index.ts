// The bundle entry of the worker.
export { dossier } from './dossier.js';
export { envoiCode } from './envoi-code.js';
