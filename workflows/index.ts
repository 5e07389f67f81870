// The bundle entry of the worker.
export { dossier } from './dossier.js';
export { envoiCode } from './envoi-code.js';
export { envoiNotifications } from './envoi-notifications.js';
export { requete } from './requete.js';
export { purgeRetention } from './retention.js';
