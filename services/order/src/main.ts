import { createLogger, runService } from '@platform/common';
import { loadOrderConfig } from './order-config';
import { buildOrderService } from './service';

runService('order', async () => {
  const config = loadOrderConfig();
  const logger = createLogger(config);
  logger.info({ storage: config.STORAGE, events: config.EVENTS }, 'adapters selected');
  return buildOrderService(config, logger);
});
