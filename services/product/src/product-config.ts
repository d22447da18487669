import type { Env } from '@platform/common';
import { envEnum, intString, loadConfig } from '@platform/common';
import { DEFAULT_PRODUCT_CACHE_TTL_SECONDS } from './product-cache';

/** Where the catalog, the cache and the events live: in this process, or on the platform's stores. */
export const STORAGE_KINDS = ['memory', 'platform'] as const;

const productEnv = {
  STORAGE: envEnum(STORAGE_KINDS).default('memory'),
  // Short: it bounds how long a product read can lag behind a write whose invalidation was lost.
  PRODUCT_CACHE_TTL_SECONDS: intString(1, 3600).default(DEFAULT_PRODUCT_CACHE_TTL_SECONDS),
};

export type ProductConfig = ReturnType<typeof loadProductConfig>;

/** The common settings plus the product service's own; SERVICE_NAME defaults to `product`. */
export function loadProductConfig(env: Env = process.env) {
  return loadConfig({ env: { SERVICE_NAME: 'product', ...env }, extend: productEnv });
}
