// @platform/common first: loading it starts tracing from OTEL_EXPORTER_OTLP_ENDPOINT (see its tracing/preload.ts)
// before the service's modules load express, http or the drivers; runService reports a bad tracing setting.
import { createLogger, runService } from '@platform/common';
import { buildUserService } from './service';
import { loadUserConfig } from './user-config';

runService('user', async () => {
  const config = loadUserConfig();
  const logger = createLogger(config);
  logger.info({ storage: config.STORAGE, events: config.EVENTS, cache: config.CACHE }, 'adapters selected');
  return buildUserService(config, logger);
});
