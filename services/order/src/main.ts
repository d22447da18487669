// @platform/common first: loading it starts tracing from OTEL_EXPORTER_OTLP_ENDPOINT (see its tracing/preload.ts)
// before the service's modules load express, http or the drivers; runService reports a bad tracing setting.
import { createLogger, runService } from '@platform/common';
import { loadOrderConfig } from './order-config';
import { buildOrderService } from './service';

runService('order', async () => {
  const config = loadOrderConfig();
  const logger = createLogger(config);
  logger.info({ storage: config.STORAGE, events: config.EVENTS }, 'adapters selected');
  return buildOrderService(config, logger);
});
