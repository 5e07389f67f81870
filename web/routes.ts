// THE table of every page: the access-control, accessibility and security-header tests iterate
// over it, so a page that is not listed here is a page that is not tested.
import type { RouterContext } from '@koa/router';

export type Acces = 'public' | 'citoyen' | 'agent' | 'api' | 'exploitation';

export interface Route {
  methode: 'GET' | 'POST';
  chemin: string;
  titre: string;
  acces: Acces;
  /** An example path for tests when `chemin` has parameters. */
  exemple?: string;
  handler: (ctx: RouterContext) => Promise<void>;
}
