// Polling for what happens asynchronously (a workflow's e-mail, a status the worker sets): the
// two shapes the tests use, in one place.

/** `quoi()` until `ok` holds; fails after `delaiMs` with the last value seen. */
export async function attendre<T>(quoi: () => Promise<T>, ok: (v: T) => boolean, delaiMs = 30000): Promise<T> {
  const fin = Date.now() + delaiMs;
  for (;;) {
    const v = await quoi();
    if (ok(v)) return v;
    if (Date.now() > fin) throw new Error(`condition non atteinte en ${delaiMs} ms : ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** `f()` until it gives something (not undefined, null or false); fails naming `libelle`. */
export async function attendreValeur<T>(libelle: string, f: () => Promise<T | undefined | null | false>, delaiMs = 30000): Promise<T> {
  const fin = Date.now() + delaiMs;
  for (;;) {
    const v = await f();
    if (v !== undefined && v !== null && v !== false) return v;
    if (Date.now() > fin) throw new Error(`délai dépassé (${delaiMs} ms) : ${libelle}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
