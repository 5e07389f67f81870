import { tsImport } from 'tsx/esm/api';

export default async function globalTeardown() {
  const m = await tsImport('./arret-tests.ts', import.meta.url);
  await m.default();
}
