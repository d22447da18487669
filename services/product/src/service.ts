import type { CloseHook, Logger, ServiceApp } from '@platform/common';
import { createProductApp } from './app';
import { buildDependencies } from './dependencies';
import type { ProductConfig } from './product-config';

/** The product service as main.ts runs it: adapters from the config, then the app (one place, also for tests). */
export async function buildProductService(
  config: ProductConfig,
  logger: Logger,
): Promise<{ service: ServiceApp; closeHooks: readonly CloseHook[] }> {
  const { closeHooks, ...dependencies } = await buildDependencies(config, logger);
  const service = createProductApp({
    config,
    logger,
    ...dependencies,
    jwt: { secret: config.JWT_SECRET, issuer: config.JWT_ISSUER },
    cacheTtlSeconds: config.PRODUCT_CACHE_TTL_SECONDS,
    serviceKeys: config.serviceKeys,
  });
  return { service, closeHooks };
}
