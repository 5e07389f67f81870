// The bundle entry of the worker.
export { dossier } from './dossier.js';
