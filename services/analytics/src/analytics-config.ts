import type { Env, EnvShape } from '@platform/common';
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

/** The analytics service's own variables, on top of the common ones. */
export const analyticsEnv = {
  JWT_SECRET: z
    .string()
    .refine((secret) => Buffer.byteLength(secret) >= 32, { error: 'must be at least 32 bytes' }),
  JWT_ISSUER: envString(/^\S{1,200}$/, 'an issuer name of 1-200 non-space characters').default('platform'),
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
