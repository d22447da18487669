import type { Env, EnvShape } from '@platform/common';
import {
  envString,
  eventsEnv,
  intString,
  loadConfig,
  requireAdapterSettings,
  storageEnv,
  z,
} from '@platform/common';
import { channelSelectionEnv } from './channels/channel-selection';

/** The notification service's own variables, on top of the common ones. */
export const notificationEnv = {
  JWT_SECRET: z
    .string({ error: 'must be a secret of at least 32 bytes' })
    .refine((secret) => Buffer.byteLength(secret) >= 32, { error: 'must be a secret of at least 32 bytes' }),
  JWT_ISSUER: envString(/^\S{1,200}$/, 'an issuer name of 1-200 non-space characters').default('platform'),
  NOTIFICATION_CHANNELS: channelSelectionEnv,
  NOTIFICATION_MAX_ATTEMPTS: intString(1, 10).default(3),
  NOTIFICATION_RETRY_BASE_MS: intString(0, 60_000).default(200),
  NOTIFICATION_SEND_TIMEOUT_MS: intString(100, 60_000).default(5000),
  OUTBOX_RELAY_INTERVAL_MS: intString(10, 60_000).default(1000),
  // Notifications, processed event ids and the outbox (STORAGE), the consumer and the relay (EVENTS); see
  // dependencies.ts. No CACHE: nothing here is cached.
  ...storageEnv,
  ...eventsEnv,
} satisfies EnvShape;

/**
 * Reads the configuration once at start; SERVICE_NAME defaults to `notification`. Throws ConfigError
 * naming every bad variable, and the connection settings the selected adapters lack.
 */
export function loadNotificationConfig(env: Env = process.env) {
  return requireAdapterSettings(
    loadConfig({ env: { SERVICE_NAME: 'notification', ...env }, extend: notificationEnv }),
  );
}

export type NotificationConfig = ReturnType<typeof loadNotificationConfig>;
