// Shared by the entry points: run `main` only when the file is the one node was started with,
// and turn a configuration error into a message naming the variable and exit code 1.
import { pathToFileURL } from 'node:url';
import { ConfigError } from './domain/config.js';

export function estPrincipal(metaUrl: string): boolean {
  const lance = process.argv[1];
  return !!lance && (metaUrl === pathToFileURL(lance).href || metaUrl === pathToFileURL(`${lance}.ts`).href);
}

export function lancer(main: () => Promise<unknown>): void {
  main().catch((e: unknown) => {
    if (e instanceof ConfigError) {
      console.error(e.message);
    } else {
      console.error(e);
    }
    process.exit(1);
  });
}
