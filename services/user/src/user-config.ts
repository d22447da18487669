import type { Env } from '@platform/common';
import {
  cacheEnv,
  envString,
  eventsEnv,
  intString,
  loadConfig,
  requireAdapterSettings,
  storageEnv,
  z,
} from '@platform/common';

const jwtSecret = z
  .string({ error: 'must be at least 32 bytes' })
  .refine((secret) => Buffer.byteLength(secret) >= 32, { error: 'must be at least 32 bytes' });

const userEnv = {
  JWT_SECRET: jwtSecret,
  JWT_ISSUER: envString(/^[\x21-\x7e]{1,128}$/, '1-128 printable ASCII characters without spaces').default(
    'platform',
  ),
  JWT_TTL_SECONDS: intString(60, 86_400).default(900),
  // Failed logins per normalised email within the window; a success resets the count.
  LOGIN_MAX_FAILURES_PER_EMAIL: intString(1, 1000).default(5),
  // Login attempts per client IP within the window; successes count too (see README).
  LOGIN_MAX_ATTEMPTS_PER_IP: intString(1, 100_000).default(20),
  LOGIN_WINDOW_SECONDS: intString(1, 86_400).default(900),
  // Proxies (ingress, load balancer) in front of the pods, so req.ip is the client and not the proxy.
  TRUST_PROXY_HOPS: intString(0, 10).default(0),
  OUTBOX_RELAY_INTERVAL_MS: intString(10, 60_000).default(1000),
  // Users and their outbox (STORAGE), user-events (EVENTS), login counters (CACHE); see dependencies.ts.
  ...storageEnv,
  ...eventsEnv,
  ...cacheEnv,
};

export type UserConfig = ReturnType<typeof loadUserConfig>;

/**
 * The common settings plus the user service's own; SERVICE_NAME defaults to `user`. Throws ConfigError
 * naming every bad variable, and the connection settings the selected adapters lack.
 */
export function loadUserConfig(env: Env = process.env) {
  return requireAdapterSettings(loadConfig({ env: { SERVICE_NAME: 'user', ...env }, extend: userEnv }));
}
