export default async function globalTeardown(): Promise<void> {
  const etat = globalThis.__portailTest;
  await etat?.temporal?.teardown();
  await etat?.pg?.arreter();
}
