import type { RunningService } from '@platform/common';
import { ConfigError, createLogger, handleSignals, start } from '@platform/common';
import { createProductApp } from './app';
import { buildDependencies } from './dependencies';
import { loadProductConfig } from './product-config';

async function main(): Promise<void> {
  const config = loadProductConfig();
  const logger = createLogger(config);
  const { closeHooks, ...dependencies } = await buildDependencies(config, logger);
  logger.info({ storage: config.STORAGE, events: config.EVENTS, cache: config.CACHE }, 'adapters selected');
  const service = createProductApp({
    config,
    logger,
    ...dependencies,
    cacheTtlSeconds: config.PRODUCT_CACHE_TTL_SECONDS,
  });
  let running: RunningService;
  try {
    running = await start(service, { closeHooks });
  } catch (err) {
    // Open connections would otherwise keep the failed process alive.
    for (const hook of closeHooks) await hook.close().catch(() => undefined);
    throw err;
  }
  handleSignals(running);
}

main().catch((err: unknown) => {
  // The configured logger may not exist yet (bad LOG_LEVEL), so report with a default one.
  const logger = createLogger({
    serviceName: 'product',
    serviceVersion: 'unknown',
    track: 'stable',
    logLevel: 'info',
  });
  if (err instanceof ConfigError) logger.fatal({ problems: err.problems }, err.message);
  else logger.fatal({ err }, 'product service failed to start');
  process.exitCode = 1;
});
