// The request id's hops, each interceptor alone (the whole chain runs in
// test/integration/observabilite.it.test.ts): what the web accepts, what the client puts on every
// start/signal/update during a request (and only then), what a workflow forwards to its
// activities (the id of the last message received), and what an activity logs.
import { describe, expect, test } from '@jest/globals';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import type { Headers } from '@temporalio/client';
import { idRequeteAcceptable, ENTETE_ID_REQUETE } from '../../domain/correlation.js';
import { contexteRequete, intercepteurClientTemporal } from '../../services/correlation.js';
import { interceptors } from '../../workflows/interceptors.js';
import { intercepteursActivite } from '../../activities/correlation.js';

const entete = (id: string): Headers => ({ [ENTETE_ID_REQUETE]: defaultPayloadConverter.toPayload(id) });
const lire = (h: Headers) => (h[ENTETE_ID_REQUETE] ? defaultPayloadConverter.fromPayload(h[ENTETE_ID_REQUETE] as Payload) : undefined);

describe('incoming X-Request-Id', () => {
  test('short and made of safe characters only', () => {
    for (const ok of ['test-abc', '0f1e2d3c-aaaa-4bbb-8ccc-0123456789ab', 'lb:1.2_3']) expect(idRequeteAcceptable(ok)).toBe(true);
    for (const ko of [undefined, '', 'a b', 'x'.repeat(65), 'a"b', 'a\nb', 'é']) expect(idRequeteAcceptable(ko)).toBe(false);
  });
});

describe('client interceptor', () => {
  const i = intercepteurClientTemporal();
  const appeler = async (f: (next: (input: { headers: Headers }) => Promise<Headers>) => Promise<Headers>) => f(async (input) => input.headers);

  test('adds the current request id to starts, signals, signal-with-starts and updates', async () => {
    await contexteRequete.run({ requestId: 'req-1' }, async () => {
      for (const m of ['startWithDetails', 'signal', 'signalWithStart', 'startUpdate'] as const) {
        const h = await appeler((next) => (i[m] as unknown as (x: unknown, n: unknown) => Promise<Headers>)({ headers: { autre: defaultPayloadConverter.toPayload(1) } }, next));
        expect({ m, id: lire(h), autre: h.autre !== undefined }).toEqual({ m, id: 'req-1', autre: true });
      }
    });
  });

  test('adds nothing outside a request (admin, demo, timers)', async () => {
    const h = await appeler((next) => (i.signal as unknown as (x: unknown, n: unknown) => Promise<Headers>)({ headers: {} }, next));
    expect(h).toEqual({});
  });
});

describe('workflow interceptors', () => {
  const activite = async (w: ReturnType<typeof interceptors>) => {
    let vu: Headers = {};
    await w.outbound![0]!.scheduleActivity!({ headers: {} } as never, async (input) => {
      vu = input.headers;
      return undefined;
    });
    return lire(vu);
  };
  const recevoir = async (w: ReturnType<typeof interceptors>, quoi: 'execute' | 'handleSignal' | 'handleUpdate', headers: Headers) => {
    await (w.inbound![0]![quoi] as unknown as (x: unknown, n: () => Promise<void>) => Promise<void>)({ headers }, async () => undefined);
  };

  test('activities carry the id of the last message received, and log lines too', async () => {
    const w = interceptors();
    expect(await activite(w)).toBeUndefined();
    await recevoir(w, 'execute', entete('depart'));
    expect(await activite(w)).toBe('depart');
    await recevoir(w, 'handleSignal', entete('signal-1'));
    expect(await activite(w)).toBe('signal-1');
    // A message without id (a timer-driven path, an old client) keeps the last one.
    await recevoir(w, 'handleSignal', {});
    expect(await activite(w)).toBe('signal-1');
    await recevoir(w, 'handleUpdate', entete('maj-1'));
    expect(await activite(w)).toBe('maj-1');
    expect(w.outbound![0]!.getLogAttributes!({ a: 1 }, (x) => x)).toEqual({ a: 1, requestId: 'maj-1' });
  });

  test('each execution has its own id', async () => {
    const a = interceptors();
    const b = interceptors();
    await recevoir(a, 'execute', entete('a'));
    expect(await activite(b)).toBeUndefined();
  });

  test('a malformed header fails nothing', async () => {
    const w = interceptors();
    await recevoir(w, 'handleSignal', { [ENTETE_ID_REQUETE]: { metadata: { encoding: new TextEncoder().encode('json/plain') }, data: new TextEncoder().encode('{') } });
    expect(await activite(w)).toBeUndefined();
  });
});

describe('activity interceptor', () => {
  test('the header of the activity task goes into its log attributes', async () => {
    const i = intercepteursActivite({} as never);
    expect(i.outbound!.getLogAttributes!({ a: 1 }, (x) => x)).toEqual({ a: 1 });
    await i.inbound!.execute!({ args: [], headers: entete('req-9') }, async () => undefined);
    expect(i.outbound!.getLogAttributes!({ a: 1 }, (x) => x)).toEqual({ a: 1, requestId: 'req-9' });
  });
});
