import { createLogger, runService } from '@platform/common';
import { createProductApp } from './app';
import { buildDependencies } from './dependencies';
import { loadProductConfig } from './product-config';

runService('product', async () => {
  const config = loadProductConfig();
  const logger = createLogger(config);
  const { closeHooks, ...dependencies } = await buildDependencies(config, logger);
  logger.info({ storage: config.STORAGE, events: config.EVENTS, cache: config.CACHE }, 'adapters selected');
  const service = createProductApp({
    config,
    logger,
    ...dependencies,
    jwt: { secret: config.JWT_SECRET, issuer: config.JWT_ISSUER },
    cacheTtlSeconds: config.PRODUCT_CACHE_TTL_SECONDS,
    serviceKeys: config.serviceKeys,
  });
  return { service, closeHooks };
});
