import { ConfigError, createLogger, handleSignals, start } from '@platform/common';
import { createNotificationApp } from './app';
import { createDependencies } from './dependencies';
import { loadNotificationConfig } from './notification-config';

async function main(): Promise<void> {
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
  let running;
  try {
    running = await start(service, { closeHooks });
  } catch (err) {
    // The consumer and relay would otherwise keep the process alive after a failed listen.
    for (const hook of closeHooks) await hook.close().catch(() => undefined);
    throw err;
  }
  handleSignals(running);
}

main().catch((err: unknown) => {
  // The configured logger may not exist yet (bad LOG_LEVEL), so report with a default one.
  const logger = createLogger({
    serviceName: 'notification',
    serviceVersion: 'unknown',
    track: 'stable',
    logLevel: 'info',
  });
  if (err instanceof ConfigError) logger.fatal({ problems: err.problems }, err.message);
  else logger.fatal({ err }, 'notification service failed to start');
  process.exitCode = 1;
});
