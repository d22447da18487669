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
