// Carries the current HTTP request's id to Temporal without threading it through every service
// signature: the web middleware runs the request inside `contexteRequete`, and this client
// interceptor copies the id into the header of every start, signal, signal-with-start and update
// made while it runs. Outside a request (admin, demo, timers) nothing is added.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Headers, WorkflowClientInterceptor } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { ENTETE_ID_REQUETE } from '../domain/correlation.js';

export const contexteRequete = new AsyncLocalStorage<{ requestId: string }>();

export function idRequeteCourant(): string | undefined {
  return contexteRequete.getStore()?.requestId;
}

function avecId(headers: Headers): Headers {
  const id = idRequeteCourant();
  return id === undefined ? headers : { ...headers, [ENTETE_ID_REQUETE]: defaultPayloadConverter.toPayload(id) };
}

export function intercepteurClientTemporal(): WorkflowClientInterceptor {
  return {
    startWithDetails: (input, next) => next({ ...input, headers: avecId(input.headers) }),
    signal: (input, next) => next({ ...input, headers: avecId(input.headers) }),
    signalWithStart: (input, next) => next({ ...input, headers: avecId(input.headers) }),
    startUpdate: (input, next) => next({ ...input, headers: avecId(input.headers) }),
    startUpdateWithStart: (input, next) => next({ ...input, workflowStartHeaders: avecId(input.workflowStartHeaders), updateHeaders: avecId(input.updateHeaders) }),
  };
}

/** The interceptors option of every `new Client` of the portal's processes. */
export const intercepteursClient = () => ({ workflow: [intercepteurClientTemporal()] });
