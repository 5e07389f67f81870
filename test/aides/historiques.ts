import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Committed workflow histories that every version of the workflow code must replay. */
export const DOSSIER_HISTORIQUES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../replay');
