import { ConfigError, createLogger, handleSignals, start } from '@platform/common';
import { loadAnalyticsConfig } from './analytics-config';
import { createAnalyticsApp } from './app';
import { createDependencies } from './dependencies';
import { createAnalyticsEventHandler } from './event-handler';

async function main(): Promise<void> {
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
  let running;
  try {
    running = await start(service, { closeHooks });
  } catch (err) {
    // Open connections (and the consumer) would otherwise keep the failed process alive.
    for (const hook of closeHooks) await hook.close().catch(() => undefined);
    throw err;
  }
  handleSignals(running);
}

main().catch((err: unknown) => {
  // The configured logger may not exist yet (bad LOG_LEVEL), so report with a default one.
  const logger = createLogger({
    serviceName: 'analytics',
    serviceVersion: 'unknown',
    track: 'stable',
    logLevel: 'info',
  });
  if (err instanceof ConfigError) logger.fatal({ problems: err.problems }, err.message);
  else logger.fatal({ err }, 'analytics service failed to start');
  process.exitCode = 1;
});
