// A complete, valid configuration for tests: the run's Postgres database and Temporal server,
// with the components a test does not exercise pointed at closed loopback ports.
import { lireConfig, type Config } from '../../domain/config.js';

export function configDeTest(surcharges: Record<string, string> = {}): Config {
  return lireConfig({
    DATABASE_URL: 'postgres://absent@127.0.0.1:9/absent',
    TEMPORAL_ADDRESS: process.env.TEST_TEMPORAL_ADDRESS ?? '127.0.0.1:9',
    TEMPORAL_TASK_QUEUE: `test-${Math.random().toString(36).slice(2)}`,
    FC_ISSUER: 'http://127.0.0.1:9/api/v2',
    FC_CLIENT_ID: 'portail',
    FC_CLIENT_SECRET: 'secret',
    AGENT_OIDC_ISSUER: 'http://127.0.0.1:9/api/v2',
    AGENT_OIDC_CLIENT_ID: 'agents',
    AGENT_OIDC_CLIENT_SECRET: 'secret',
    SMTP_URL: 'smtp://127.0.0.1:9',
    TWILIO_ACCOUNT_SID: 'AC00000000000000000000000000000000',
    TWILIO_AUTH_TOKEN: 'jeton',
    TWILIO_FROM: 'JUSTICE',
    TWILIO_API_URL: 'http://127.0.0.1:9',
    PUBLIC_URL: 'http://127.0.0.1:3000',
    SESSION_SECRET: 's'.repeat(32),
    HASH_KEY: 'h'.repeat(32),
    LOG_LEVEL: 'silent',
    ...surcharges,
  });
}
