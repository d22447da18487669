import type {
  EventHandler,
  JwtOptions,
  Logger,
  ReadinessCheck,
  Registry,
  ServiceApp,
  ServiceConfig,
} from '@platform/common';
import { createApp } from '@platform/common';
import type { ChannelSet } from './channels/notification-channel';
import { createNotificationEventHandler } from './event-handler';
import { createSentCounter } from './notification-metrics';
import type { NotificationRepository } from './notification-repository';
import { notificationRoutes } from './notification-routes';
import type { DeliveryPolicy } from './notification-sender';
import { NotificationSender } from './notification-sender';
import type { ProcessedEventStore } from './processed-event-store';

// A valid request is at most about 14 kB even with every character JSON-escaped; anything far larger is abuse.
export const BODY_LIMIT = '32kb';

export interface NotificationAppOptions {
  readonly config: ServiceConfig;
  readonly logger: Logger;
  readonly jwt: JwtOptions;
  readonly repository: NotificationRepository;
  readonly processedEvents: ProcessedEventStore;
  readonly channels: ChannelSet;
  readonly delivery: DeliveryPolicy;
  readonly readinessChecks?: Readonly<Record<string, ReadinessCheck>>;
  /** The registry /metrics serves; pass the one the store clients record into (dependencies.ts). */
  readonly registry?: Registry;
  /** Injected so tests need not wait through real retry backoff. */
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface NotificationApp {
  readonly service: ServiceApp;
  /** The consumer of order-events and user-events; shares the sender (and metrics) with the API. */
  readonly handleEvent: EventHandler;
}

export function createNotificationApp(options: NotificationAppOptions): NotificationApp {
  const { config, logger, repository } = options;
  const sentTotal = createSentCounter();
  const sender = new NotificationSender({
    repository,
    channels: options.channels,
    policy: options.delivery,
    sentTotal,
    logger,
    ...(options.sleep && { sleep: options.sleep }),
  });
  const service = createApp({
    config,
    logger,
    bodyLimit: BODY_LIMIT,
    ...(options.readinessChecks && { readinessChecks: options.readinessChecks }),
    ...(options.registry !== undefined && { registry: options.registry }),
    routes: () => notificationRoutes(sender, repository, options.jwt),
  });
  service.metrics.registry.registerMetric(sentTotal);
  const handleEvent = createNotificationEventHandler({
    sender,
    processedEvents: options.processedEvents,
    logger,
  });
  return { service, handleEvent };
}
