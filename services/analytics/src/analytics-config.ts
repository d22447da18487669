import type { Env, EnvShape } from '@platform/common';
import {
  ConfigError,
  envEnum,
  envString,
  intString,
  kafkaEnv,
  loadConfig,
  mongoEnv,
  redisEnv,
  z,
} from '@platform/common';

/** Where facts live: process memory (local runs, the default) or MongoDB. */
export const STORAGE_KINDS = ['memory', 'mongo'] as const;
/** Where events come from: an in-process bus (local runs, the default) or Kafka. */
export const EVENT_TRANSPORTS = ['memory', 'kafka'] as const;
/** Where summaries are cached: process memory (the default) or the shared Redis. */
export const CACHE_KINDS = ['memory', 'redis'] as const;

/** The analytics service's own variables, on top of the common ones. */
export const analyticsEnv = {
  JWT_SECRET: z
    .string()
    .refine((secret) => Buffer.byteLength(secret) >= 32, { error: 'must be at least 32 bytes' }),
  JWT_ISSUER: envString(/^\S{1,200}$/, 'an issuer name of 1-200 non-space characters').default('platform'),
  STORAGE: envEnum(STORAGE_KINDS).default('memory'),
  EVENTS: envEnum(EVENT_TRANSPORTS).default('memory'),
  CACHE: envEnum(CACHE_KINDS).default('memory'),
  SUMMARY_CACHE_SECONDS: intString(0, 3600).default(30),
  // Required only with STORAGE=mongo / EVENTS=kafka / CACHE=redis; checked after loading.
  ...mongoEnv,
  MONGODB_URI: mongoEnv.MONGODB_URI.optional(),
  ...kafkaEnv,
  KAFKA_BROKERS: kafkaEnv.KAFKA_BROKERS.optional(),
  ...redisEnv,
} satisfies EnvShape;

/**
 * Reads the configuration once at start; SERVICE_NAME defaults to `analytics`. Throws ConfigError naming
 * every bad variable, and the connection settings that STORAGE, EVENTS or CACHE need but lack.
 */
export function loadAnalyticsConfig(env: Env = process.env) {
  const config = loadConfig({ env: { SERVICE_NAME: 'analytics', ...env }, extend: analyticsEnv });
  const missing: string[] = [];
  if (config.STORAGE === 'mongo' && config.MONGODB_URI === undefined) {
    missing.push('MONGODB_URI is required when STORAGE=mongo (a connection string starting with mongodb://)');
  }
  if (config.EVENTS === 'kafka' && config.KAFKA_BROKERS === undefined) {
    missing.push('KAFKA_BROKERS is required when EVENTS=kafka (a comma-separated list of host:port)');
  }
  if (config.CACHE === 'redis' && config.REDIS_SENTINELS === undefined && config.REDIS_URL === undefined) {
    missing.push('REDIS_SENTINELS or REDIS_URL is required when CACHE=redis');
  }
  if (missing.length > 0) throw new ConfigError(missing);
  return config;
}

export type AnalyticsConfig = ReturnType<typeof loadAnalyticsConfig>;
