import type { CloseHook, Logger, ServiceApp } from '@platform/common';
import { createNotificationApp } from './app';
import { createDependencies } from './dependencies';
import type { NotificationConfig } from './notification-config';

/**
 * The notification service as main.ts runs it: adapters from the config, then the app (one place, also for
 * tests). The event workers start only when `startWorkers` is called; it returns what closes them.
 */
export async function buildNotificationService(
  config: NotificationConfig,
  logger: Logger,
): Promise<{ service: ServiceApp; startWorkers: () => readonly CloseHook[] }> {
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
    registry: dependencies.registry,
  });
  return { service, startWorkers: () => dependencies.startWorkers(handleEvent) };
}
