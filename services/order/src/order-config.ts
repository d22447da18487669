import type { Env } from '@platform/common';
import { envEnum, envString, loadConfig, z } from '@platform/common';

/** Where orders, idempotency records and the outbox live; see dependencies.ts. */
export const STORAGE_KINDS = ['memory'] as const;

const serviceUrl = (example: string) =>
  envString(/^https?:\/\/[^\s/?#@]+(:\d+)?\/?$/, `an http(s) base URL without path such as ${example}`);

const orderEnv = {
  JWT_SECRET: z
    .string()
    .refine((secret) => Buffer.byteLength(secret) >= 32, { error: 'must be at least 32 bytes' }),
  JWT_ISSUER: envString(/^\S{1,200}$/, '1-200 characters without spaces').default('platform'),
  USER_SERVICE_URL: serviceUrl('http://user:8080'),
  PRODUCT_SERVICE_URL: serviceUrl('http://product:8080'),
  STORAGE: envEnum(STORAGE_KINDS).default('memory'),
};

export type OrderConfig = ReturnType<typeof loadOrderConfig>;

/** The common settings plus the order service's own; SERVICE_NAME defaults to `order`. */
export function loadOrderConfig(env: Env = process.env) {
  return loadConfig({ env: { SERVICE_NAME: 'order', ...env }, extend: orderEnv });
}
