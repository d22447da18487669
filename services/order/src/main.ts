import type { RunningService } from '@platform/common';
import { ConfigError, createLogger, handleSignals, start } from '@platform/common';
import { createOrderApp } from './app';
import { buildDependencies } from './dependencies';
import { loadOrderConfig } from './order-config';

async function main(): Promise<void> {
  const config = loadOrderConfig();
  const logger = createLogger(config);
  const { closeHooks, bus: _bus, ...dependencies } = await buildDependencies(config, logger);
  logger.info({ storage: config.STORAGE, events: config.EVENTS }, 'adapters selected');
  const service = createOrderApp({
    config,
    logger,
    ...dependencies,
    jwt: { secret: config.JWT_SECRET, issuer: config.JWT_ISSUER },
  });
  let running: RunningService;
  try {
    running = await start(service, { closeHooks });
  } catch (err) {
    // The relay and open connections would otherwise keep the failed process alive.
    for (const hook of closeHooks) await hook.close().catch(() => undefined);
    throw err;
  }
  handleSignals(running);
}

main().catch((err: unknown) => {
  // The configured logger may not exist yet (bad LOG_LEVEL), so report with a default one.
  const logger = createLogger({
    serviceName: 'order',
    serviceVersion: 'unknown',
    track: 'stable',
    logLevel: 'info',
  });
  if (err instanceof ConfigError) logger.fatal({ problems: err.problems }, err.message);
  else logger.fatal({ err }, 'order service failed to start');
  process.exitCode = 1;
});
