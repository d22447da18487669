import type { Env } from '@platform/common';
import {
  envString,
  eventsEnv,
  intString,
  loadConfig,
  requireAdapterSettings,
  serviceTokenKeyEnv,
  storageEnv,
  z,
} from '@platform/common';

const serviceUrl = (example: string) =>
  envString(/^https?:\/\/[^\s/?#@]+(:\d+)?\/?$/, `an http(s) base URL without path such as ${example}`);

const orderEnv = {
  JWT_SECRET: z
    .string()
    .refine((secret) => Buffer.byteLength(secret) >= 32, { error: 'must be at least 32 bytes' }),
  JWT_ISSUER: envString(/^\S{1,200}$/, '1-200 characters without spaces').default('platform'),
  USER_SERVICE_URL: serviceUrl('http://user:8080'),
  PRODUCT_SERVICE_URL: serviceUrl('http://product:8080'),
  // Signs X-Service-Token for the internal operations of user and product (Secret service-key-order); they
  // hold the same value as SERVICE_KEY_ORDER. Always required: order always calls both.
  ...serviceTokenKeyEnv,
  OUTBOX_RELAY_INTERVAL_MS: intString(10, 60_000).default(1000),
  // Orders, idempotency records and the outbox (STORAGE) and order-events (EVENTS); see dependencies.ts.
  // No CACHE: nothing in the order service is cached.
  ...storageEnv,
  ...eventsEnv,
};

export type OrderConfig = ReturnType<typeof loadOrderConfig>;

/**
 * The common settings plus the order service's own; SERVICE_NAME defaults to `order`. Throws ConfigError
 * naming every bad variable, and the connection settings the selected adapters lack.
 */
export function loadOrderConfig(env: Env = process.env) {
  return requireAdapterSettings(loadConfig({ env: { SERVICE_NAME: 'order', ...env }, extend: orderEnv }));
}
