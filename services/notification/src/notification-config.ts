import type { Env, EnvShape } from '@platform/common';
import {
  ConfigError,
  envEnum,
  envString,
  intString,
  kafkaEnv,
  loadConfig,
  mongoEnv,
  z,
} from '@platform/common';
import { channelSelectionEnv } from './channels/channel-selection';

/** Where notifications live: process memory (local runs, the default) or MongoDB. */
export const STORAGE_KINDS = ['memory', 'mongo'] as const;
/** How events travel: an in-process bus (local runs, the default) or Kafka. */
export const EVENT_TRANSPORTS = ['memory', 'kafka'] as const;

/** The notification service's own variables, on top of the common ones. */
export const notificationEnv = {
  JWT_SECRET: z
    .string({ error: 'must be a secret of at least 32 bytes' })
    .refine((secret) => Buffer.byteLength(secret) >= 32, { error: 'must be a secret of at least 32 bytes' }),
  JWT_ISSUER: envString(/^\S{1,200}$/, 'an issuer name of 1-200 non-space characters').default('platform'),
  STORAGE: envEnum(STORAGE_KINDS).default('memory'),
  EVENTS: envEnum(EVENT_TRANSPORTS).default('memory'),
  NOTIFICATION_CHANNELS: channelSelectionEnv,
  NOTIFICATION_MAX_ATTEMPTS: intString(1, 10).default(3),
  NOTIFICATION_RETRY_BASE_MS: intString(0, 60_000).default(200),
  NOTIFICATION_SEND_TIMEOUT_MS: intString(100, 60_000).default(5000),
  OUTBOX_RELAY_INTERVAL_MS: intString(10, 60_000).default(1000),
  // Required only with STORAGE=mongo / EVENTS=kafka; checked after loading.
  ...mongoEnv,
  MONGODB_URI: mongoEnv.MONGODB_URI.optional(),
  ...kafkaEnv,
  KAFKA_BROKERS: kafkaEnv.KAFKA_BROKERS.optional(),
} satisfies EnvShape;

/**
 * Reads the configuration once at start; SERVICE_NAME defaults to `notification`. Throws ConfigError
 * naming every bad variable, and the connection settings that STORAGE or EVENTS need but lack.
 */
export function loadNotificationConfig(env: Env = process.env) {
  const config = loadConfig({ env: { SERVICE_NAME: 'notification', ...env }, extend: notificationEnv });
  const missing: string[] = [];
  if (config.STORAGE === 'mongo' && config.MONGODB_URI === undefined) {
    missing.push('MONGODB_URI is required when STORAGE=mongo (a connection string starting with mongodb://)');
  }
  if (config.EVENTS === 'kafka' && config.KAFKA_BROKERS === undefined) {
    missing.push('KAFKA_BROKERS is required when EVENTS=kafka (a comma-separated list of host:port)');
  }
  if (missing.length > 0) throw new ConfigError(missing);
  return config;
}

export type NotificationConfig = ReturnType<typeof loadNotificationConfig>;
