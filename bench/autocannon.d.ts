// The part of autocannon 9 the benchmarks use (the package ships no types; @types/autocannon is
// not installed to keep the dependency list to autocannon alone).
declare module 'autocannon' {
  import type { EventEmitter } from 'node:events';
  namespace autocannon {
    interface Options {
      url: string;
      headers?: Record<string, string>;
      connections?: number;
      duration?: number;
      /** Called once per connection: per-session headers (a cookie each). */
      setupClient?: (client: { setHeaders(h: Record<string, string>): void }) => void;
    }
    interface Result {
      requests: { average: number; total: number };
      latency: Record<string, number>;
      errors: number;
      timeouts: number;
      non2xx: number;
    }
    interface Instance extends EventEmitter, PromiseLike<Result> {}
  }
  function autocannon(o: autocannon.Options): autocannon.Instance;
  export default autocannon;
}
