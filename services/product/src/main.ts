// @platform/common first: loading it starts tracing from OTEL_EXPORTER_OTLP_ENDPOINT (see its tracing/preload.ts)
// before the service's modules load express, http or the drivers; runService reports a bad tracing setting.
import { createLogger, runService } from '@platform/common';
import { loadProductConfig } from './product-config';
import { buildProductService } from './service';

runService('product', async () => {
  const config = loadProductConfig();
  const logger = createLogger(config);
  logger.info({ storage: config.STORAGE, events: config.EVENTS, cache: config.CACHE }, 'adapters selected');
  return buildProductService(config, logger);
});
