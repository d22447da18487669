// @platform/common first: loading it starts tracing from OTEL_EXPORTER_OTLP_ENDPOINT (see its tracing/preload.ts)
// before the service's modules load express, http or the drivers; runService reports a bad tracing setting.
import { createLogger, runService } from '@platform/common';
import { loadNotificationConfig } from './notification-config';
import { buildNotificationService } from './service';

runService('notification', async () => {
  const config = loadNotificationConfig();
  const logger = createLogger(config);
  const { service, startWorkers } = await buildNotificationService(config, logger);
  const closeHooks = startWorkers();
  logger.info(
    { storage: config.STORAGE, events: config.EVENTS, channels: config.NOTIFICATION_CHANNELS },
    'wired',
  );
  return { service, closeHooks };
});
