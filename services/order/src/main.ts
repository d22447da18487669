import { createLogger, runService } from '@platform/common';
import { createOrderApp } from './app';
import { buildDependencies } from './dependencies';
import { loadOrderConfig } from './order-config';

runService('order', async () => {
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
  return { service, closeHooks };
});
