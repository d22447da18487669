import { createLogger, runService } from '@platform/common';
import { loadAnalyticsConfig } from './analytics-config';
import { createAnalyticsApp } from './app';
import { createDependencies } from './dependencies';
import { createAnalyticsEventHandler } from './event-handler';

runService('analytics', async () => {
  const config = loadAnalyticsConfig();
  const logger = createLogger(config);
  const dependencies = await createDependencies(config, logger);
  const service = createAnalyticsApp({
    config,
    logger,
    store: dependencies.store,
    cache: dependencies.cache,
    summaryCacheSeconds: config.SUMMARY_CACHE_SECONDS,
    jwt: { secret: config.JWT_SECRET, issuer: config.JWT_ISSUER },
    readinessChecks: dependencies.readinessChecks,
  });
  const closeHooks = dependencies.startConsumer(
    createAnalyticsEventHandler({ store: dependencies.store, logger, registry: service.metrics.registry }),
  );
  return { service, closeHooks };
});
