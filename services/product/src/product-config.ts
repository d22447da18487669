import type { Env } from '@platform/common';
import {
  cacheEnv,
  eventsEnv,
  intString,
  jwtEnv,
  loadConfig,
  requireAdapterSettings,
  serviceKeysFromEnv,
  storageEnv,
} from '@platform/common';
import { DEFAULT_PRODUCT_CACHE_TTL_SECONDS } from './product-cache';

const productEnv = {
  // Catalog writes need an access token with the role catalog-manager, verified with these.
  ...jwtEnv,
  // Short: it bounds how long a product read can lag behind a write whose invalidation was lost.
  PRODUCT_CACHE_TTL_SECONDS: intString(1, 3600).default(DEFAULT_PRODUCT_CACHE_TTL_SECONDS),
  // The catalog (STORAGE), the analytics events (EVENTS) and the product cache (CACHE); see dependencies.ts.
  ...storageEnv,
  ...eventsEnv,
  ...cacheEnv,
};

export type ProductConfig = ReturnType<typeof loadProductConfig>;

/**
 * The common settings plus the product service's own; SERVICE_NAME defaults to `product`. Throws
 * ConfigError naming every bad variable, and the connection settings the selected adapters lack.
 */
export function loadProductConfig(env: Env = process.env) {
  const config = requireAdapterSettings(
    loadConfig({ env: { SERVICE_NAME: 'product', ...env }, extend: productEnv }),
  );
  // SERVICE_KEY_<CALLER>: the services that may call /internal/ (order); see common's service-auth.ts.
  return { ...config, serviceKeys: serviceKeysFromEnv(env) };
}
