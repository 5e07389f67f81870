// The slonik pool every process uses. Two things slonik 47 does not do by default, and that the
// query modules rely on:
//  - `sql.type(schema)` only types the result; the interceptor below is what actually parses
//    each row with that zod schema (and throws SchemaValidationError on a mismatch);
//  - its default type parsers turn timestamps into epoch numbers and int8 into bigint; ours give
//    `Date` and `number`, which is what zod schemas and JSON expect.
import {
  BackendTerminatedError,
  BackendTerminatedUnexpectedlyError,
  ConnectionError,
  createPool,
  createIntervalTypeParser,
  SchemaValidationError,
  sql,
  type DatabasePool,
  type DatabaseTransactionConnection,
  type DriverTypeParser,
  type Interceptor,
  type QueryResultRow,
} from 'slonik';

export { sql };
export type { CommonQueryMethods, DatabasePool, DatabaseTransactionConnection } from 'slonik';

/** What the query modules accept: the pool itself or a connection inside `pool.transaction`. */
export type Connexion = DatabasePool | DatabaseTransactionConnection;

/** A Date as a parameter: ISO text cast in SQL keeps the exact millisecond (to_timestamp goes through a float). */
export const instant = (d: Date) => sql.fragment`${d.toISOString()}::timestamptz`;

const validationDesLignes: Interceptor = {
  name: 'validation-des-lignes',
  transformRow(ctx, query, row) {
    if (!ctx.resultParser) return row;
    const r = ctx.resultParser.safeParse(row);
    if (!r.success) throw new SchemaValidationError(query, row, r.error.issues);
    // Parsed values (Date, transformed fields) are not slonik's primitive row type.
    return r.data as QueryResultRow;
  },
};

function lireInstant(valeur: string): Date {
  // No column uses ±infinity; refusing it beats handing an Invalid Date to the pages.
  if (valeur === 'infinity' || valeur === '-infinity') throw new Error(`horodatage infini non pris en charge : ${valeur}`);
  return new Date(valeur);
}

export const typeParsers: DriverTypeParser[] = [
  { name: 'timestamptz', parse: lireInstant },
  // `timestamp` (without zone) is read as UTC, never as the process's local time.
  { name: 'timestamp', parse: (v) => lireInstant(v.includes('T') || v.includes('infinity') ? v : `${v.replace(' ', 'T')}Z`) },
  // A calendar day stays 'YYYY-MM-DD': a Date would pin it to a midnight in some time zone.
  { name: 'date', parse: (v) => v },
  {
    name: 'int8',
    parse: (v) => {
      const n = Number(v);
      if (!Number.isSafeInteger(n)) throw new Error(`entier hors de la plage sûre de JavaScript : ${v}`);
      return n;
    },
  },
  { name: 'numeric', parse: (v) => Number.parseFloat(v) },
  createIntervalTypeParser(),
];

/**
 * slonik's own reset (`DISCARD ALL` when a connection goes back to the pool), except when the
 * connection dies under it. slonik 47 then leaves that connection in its pool for ever (its
 * destroy waits for the failed release and fails with it): one slot lost per network cut or
 * database restart, until the pool is full of dead connections and every request waits, and
 * `pool.end()` throws. Swallowing only a dead connection's error lets the release finish, so the
 * driver's error handler completes the destroy and the pool opens a new one. (The caller still
 * gets the connection's death as an error, although its work was committed: the API's
 * idempotence covers that case, as for any answer lost with its connection.)
 * test/integration/pool-coupure.it.test.ts cuts a connection in the middle of `DISCARD ALL`.
 * The same leak when a connection dies in the middle of a query cannot be avoided from here: the
 * driver itself is patched (patches/@slonik+driver+47.3.2.patch, slonik 49's fix backported).
 */
async function remettreAZero({ query }: { query: (sql: string) => Promise<void> }): Promise<void> {
  try {
    await query('DISCARD ALL');
  } catch (e) {
    if (!(e instanceof BackendTerminatedUnexpectedlyError || e instanceof BackendTerminatedError || e instanceof ConnectionError)) throw e;
  }
}

/** A pool on `url` with row validation and the type parsers above. */
export async function creerPool(url: string, o: { taille?: number } = {}): Promise<DatabasePool> {
  const pool = await createPool(url, {
    interceptors: [validationDesLignes],
    typeParsers,
    maximumPoolSize: o.taille ?? 10,
    resetConnection: remettreAZero,
  });
  // slonik emits every query error on the pool before throwing it to the caller. Without a
  // listener, Node's EventEmitter turns that emit into `ERR_UNHANDLED_ERROR`, which is what the
  // caller would receive instead of the real error: no more `instanceof
  // UniqueIntegrityConstraintViolationError`. The caller gets the error anyway; nothing to do here.
  pool.on('error', () => {});
  return pool;
}
