import type { CloseHook, Logger, ServiceApp } from '@platform/common';
import type { AnalyticsConfig } from './analytics-config';
import { createAnalyticsApp } from './app';
import { createDependencies } from './dependencies';
import { createAnalyticsEventHandler } from './event-handler';

/**
 * The analytics service as main.ts runs it: adapters from the config, then the app (one place, also for
 * tests). The event consumer starts only when `startConsumer` is called; it returns what closes it.
 */
export async function buildAnalyticsService(
  config: AnalyticsConfig,
  logger: Logger,
): Promise<{ service: ServiceApp; startConsumer: () => readonly CloseHook[] }> {
  const dependencies = await createDependencies(config, logger);
  const service = createAnalyticsApp({
    config,
    logger,
    store: dependencies.store,
    cache: dependencies.cache,
    summaryCacheSeconds: config.SUMMARY_CACHE_SECONDS,
    jwt: { secret: config.JWT_SECRET, issuer: config.JWT_ISSUER },
    readinessChecks: dependencies.readinessChecks,
    registry: dependencies.registry,
  });
  const handler = createAnalyticsEventHandler({
    store: dependencies.store,
    logger,
    registry: service.metrics.registry,
  });
  return { service, startConsumer: () => dependencies.startConsumer(handler) };
}
