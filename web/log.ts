// JSON logs (pino). Secrets never reach them: cookies, authorization headers, codes and
// identification numbers are redacted wherever they appear in a logged object.
import pino, { type Logger } from 'pino';
import { idRequeteCourant } from '../services/correlation.js';

export type { Logger };

export function creerJournal(service: string, niveau = 'info', destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level: niveau,
      base: { service },
      redact: {
        paths: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]', '*.code', '*.numeroIdentification', '*.jeton', '*.token', '*.password', '*.secret'],
        censor: '[masqué]',
      },
      timestamp: pino.stdTimeFunctions.isoTime,
      // Whatever logger writes during an HTTP request, its line carries that request's id.
      mixin: () => {
        const requestId = idRequeteCourant();
        return requestId === undefined ? {} : { requestId };
      },
    },
    destination,
  );
}
