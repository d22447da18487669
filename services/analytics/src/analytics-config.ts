import type { Env, EnvShape } from '@platform/common';
import {
  cacheEnv,
  eventsEnv,
  intString,
  jwtEnv,
  loadConfig,
  requireAdapterSettings,
  storageEnv,
} from '@platform/common';

/** The analytics service's own variables, on top of the common ones. */
export const analyticsEnv = {
  // The same access tokens as every service: signed with JWT_SECRET by JWT_ISSUER.
  ...jwtEnv,
  SUMMARY_CACHE_SECONDS: intString(0, 3600).default(30),
  // Facts (STORAGE), the event consumer (EVENTS) and the summary cache (CACHE); see dependencies.ts.
  ...storageEnv,
  ...eventsEnv,
  ...cacheEnv,
} satisfies EnvShape;

/**
 * Reads the configuration once at start; SERVICE_NAME defaults to `analytics`. Throws ConfigError naming
 * every bad variable, and the connection settings the selected adapters lack.
 */
export function loadAnalyticsConfig(env: Env = process.env) {
  return requireAdapterSettings(
    loadConfig({ env: { SERVICE_NAME: 'analytics', ...env }, extend: analyticsEnv }),
  );
}

export type AnalyticsConfig = ReturnType<typeof loadAnalyticsConfig>;
