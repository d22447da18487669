import { createLogger, runService } from '@platform/common';
import { createNotificationApp } from './app';
import { createDependencies } from './dependencies';
import { loadNotificationConfig } from './notification-config';

runService('notification', async () => {
  const config = loadNotificationConfig();
  const logger = createLogger(config);
  const dependencies = await createDependencies(config, logger);
  const { service, handleEvent } = createNotificationApp({
    config,
    logger,
    jwt: { secret: config.JWT_SECRET, issuer: config.JWT_ISSUER },
    repository: dependencies.repository,
    processedEvents: dependencies.processedEvents,
    channels: dependencies.channels,
    delivery: {
      maxAttempts: config.NOTIFICATION_MAX_ATTEMPTS,
      retryBaseMs: config.NOTIFICATION_RETRY_BASE_MS,
      sendTimeoutMs: config.NOTIFICATION_SEND_TIMEOUT_MS,
    },
    readinessChecks: dependencies.readinessChecks,
  });
  const closeHooks = dependencies.startWorkers(handleEvent);
  logger.info(
    { storage: config.STORAGE, events: config.EVENTS, channels: config.NOTIFICATION_CHANNELS },
    'wired',
  );
  return { service, closeHooks };
});
