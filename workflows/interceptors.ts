// Registered in the bundle (worker.ts workflowInterceptorModules): the request id of the last
// message a workflow received (start, signal or update header `requestId`) goes on the header of
// every activity it schedules next, and on its continue-as-new, and into its log lines. Headers
// are recorded in the history, so a replay sees the same ids in the same order: deterministic.
import { defaultPayloadConverter, type Headers, type WorkflowInterceptors } from '@temporalio/workflow';
import { ENTETE_ID_REQUETE } from '../domain/correlation.js';

export const interceptors = (): WorkflowInterceptors => {
  // One closure per workflow execution: the factory is called for each.
  let courant: string | undefined;
  const lire = (headers: Headers) => {
    const p = headers[ENTETE_ID_REQUETE];
    if (!p) return;
    try {
      const v = defaultPayloadConverter.fromPayload(p);
      if (typeof v === 'string') courant = v;
    } catch {
      // A malformed header is not worth failing a workflow task over.
    }
  };
  const ajouter = (headers: Headers): Headers =>
    courant === undefined ? headers : { ...headers, [ENTETE_ID_REQUETE]: defaultPayloadConverter.toPayload(courant) };
  return {
    inbound: [
      {
        execute: (input, next) => {
          lire(input.headers);
          return next(input);
        },
        handleSignal: (input, next) => {
          lire(input.headers);
          return next(input);
        },
        handleUpdate: (input, next) => {
          lire(input.headers);
          return next(input);
        },
      },
    ],
    outbound: [
      {
        scheduleActivity: (input, next) => next({ ...input, headers: ajouter(input.headers) }),
        scheduleLocalActivity: (input, next) => next({ ...input, headers: ajouter(input.headers) }),
        startChildWorkflowExecution: (input, next) => next({ ...input, headers: ajouter(input.headers) }),
        continueAsNew: (input, next) => next({ ...input, headers: ajouter(input.headers) }),
        getLogAttributes: (input, next) => next(courant === undefined ? input : { ...input, requestId: courant }),
      },
    ],
  };
};
