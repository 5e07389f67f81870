// The request id that follows one HTTP request into the workflows and activities it causes
// (Temporal header `requestId`), so an operator can grep one id across web and worker logs.
// Pure and dependency-free: the workflow bundle imports it.

/** The Temporal header carrying the id (client → workflow → activity). */
export const ENTETE_ID_REQUETE = 'requestId';

/**
 * An incoming `X-Request-Id` is kept only when short and made of safe characters: it lands in
 * every log line and in Temporal headers, so it must not be a vehicle for log injection or bulk.
 */
export function idRequeteAcceptable(v: string | undefined): v is string {
  return typeof v === 'string' && /^[A-Za-z0-9._:-]{1,64}$/.test(v);
}
