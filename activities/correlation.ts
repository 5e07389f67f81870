// The activity side of the request id (domain/correlation.ts): read from the header the workflow
// put on the activity task, and added to every log line of that activity (the SDK's "Activity
// completed/failed" lines and ours through `log` from @temporalio/activity).
import { defaultPayloadConverter } from '@temporalio/common';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import { ENTETE_ID_REQUETE } from '../domain/correlation.js';

export const intercepteursActivite: ActivityInterceptorsFactory = () => {
  // The factory runs once per activity execution: this variable is that execution's.
  let requestId: string | undefined;
  return {
    inbound: {
      execute(input, next) {
        const p = input.headers[ENTETE_ID_REQUETE];
        if (p) {
          try {
            const v = defaultPayloadConverter.fromPayload(p);
            if (typeof v === 'string') requestId = v;
          } catch {
            // A malformed header must not fail the activity.
          }
        }
        return next(input);
      },
    },
    outbound: {
      getLogAttributes: (input, next) => next(requestId === undefined ? input : { ...input, requestId }),
    },
  };
};
