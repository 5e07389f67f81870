import net from 'node:net';

/**
 * Resolves `port` if it is free on 127.0.0.1, or a free port chosen by the system when `port`
 * is 0; resolves 0 when the requested port is taken (so callers can test for it).
 */
export function portLibre(port: number): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(0));
    s.listen(port, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
}

/** The preferred port when free, otherwise any free one. */
export async function portPrefere(prefere: number): Promise<number> {
  return (await portLibre(prefere)) || portLibre(0);
}

/** Waits until something accepts TCP connections on host:port. */
export async function attendrePort(host: string, port: number, delaiMs = 30000): Promise<void> {
  const fin = Date.now() + delaiMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect({ host, port }, () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > fin) throw new Error(`rien n'écoute sur ${host}:${port} après ${delaiMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
