// One error type for the whole portal: a stable code, a French message a citizen or an agent
// can read, the HTTP status, and field details for forms and the court API. The error
// middleware (web/middleware/erreurs.ts) renders it as a DSFR page, an htmx fragment or JSON.
export interface DetailErreur {
  champ: string;
  message: string;
}

export class ErreurPortail extends Error {
  constructor(
    readonly code: string,
    readonly messageUsager: string,
    readonly httpStatus: number,
    readonly details: DetailErreur[] = [],
    /** For activities: a retry cannot succeed (bad data, not a passing fault). */
    readonly nonRetryable = httpStatus < 500,
  ) {
    super(`${code}: ${messageUsager}`);
    this.name = 'ErreurPortail';
  }
}

export const introuvable = (quoi = 'La page demandée') =>
  new ErreurPortail('introuvable', `${quoi} n'existe pas ou n'est pas accessible.`, 404);

export const requeteInvalide = (details: DetailErreur[], message = 'Les données envoyées ne sont pas valides.') =>
  new ErreurPortail('donnees_invalides', message, 400, details);

export const conflit = (message: string) => new ErreurPortail('conflit', message, 409);

export const nonAutorise = () =>
  new ErreurPortail('non_authentifie', 'Vous devez vous identifier pour accéder à cette page.', 401);

export const interdit = () =>
  new ErreurPortail('interdit', "Vous n'avez pas les droits nécessaires pour cette action.", 403);
