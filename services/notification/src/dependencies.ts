import type {
  AdapterPart,
  CloseHook,
  EventHandler,
  EventPublisherPart,
  InMemoryEventBus,
  Logger,
  OutboxStore,
  ReadinessCheck,
} from '@platform/common';
import {
  InMemoryOutboxStore,
  MongoOutboxStore,
  Registry,
  datastoreFailureCounter,
  deadLetterCounter,
  openOrClose,
  outboxGauges,
  runKafkaConsumer,
  selectEventPublisher,
  selectMongo,
  startOutboxRelay,
} from '@platform/common';
import { createChannels } from './channels/channel-selection';
import type { ChannelSet } from './channels/notification-channel';
import { InMemoryNotificationRepository } from './in-memory-notification-repository';
import { InMemoryProcessedEventStore } from './in-memory-processed-event-store';
import { MongoNotificationRepository } from './mongo-notification-repository';
import { MongoProcessedEventStore } from './mongo-processed-event-store';
import type { NotificationConfig } from './notification-config';
import type { NotificationRepository } from './notification-repository';
import type { ProcessedEventStore } from './processed-event-store';
import { CONSUMED_TOPICS, CONSUMER_GROUP, DEAD_LETTER_TOPIC } from './topics';

/** Everything the service runs on, chosen by STORAGE, EVENTS and NOTIFICATION_CHANNELS. */
export interface Dependencies {
  readonly repository: NotificationRepository;
  readonly processedEvents: ProcessedEventStore;
  readonly channels: ChannelSet;
  /**
   * The registry /metrics serves: the store clients count `datastore_connection_failures_total` in it, the
   * consumer `events_dead_lettered_total`, the relay the outbox gauges.
   */
  readonly registry: Registry;
  readonly readinessChecks: Readonly<Record<string, ReadinessCheck>>;
  /** The in-process bus when EVENTS=memory (for local experiments), undefined with Kafka. */
  readonly bus?: InMemoryEventBus;
  /**
   * Starts the consumer of order-events and user-events and the outbox relay; returns the close hooks that
   * stop them and then the connections, in that order (for `start`).
   */
  startWorkers(handleEvent: EventHandler): readonly CloseHook[];
}

interface Storage {
  readonly outbox: OutboxStore;
  readonly repository: NotificationRepository;
  readonly processedEvents: ProcessedEventStore;
}

function createStorage(
  config: NotificationConfig,
  logger: Logger,
  registry: Registry,
): Promise<AdapterPart<Storage>> {
  return selectMongo<Storage>(config, logger, {
    registry,
    memoryWarning: 'STORAGE=memory: notifications and their outbox live in this process only',
    memory: () => {
      const outbox = new InMemoryOutboxStore();
      return {
        outbox,
        repository: new InMemoryNotificationRepository(outbox),
        processedEvents: new InMemoryProcessedEventStore(),
      };
    },
    open: async (mongo) => {
      const outbox = new MongoOutboxStore(mongo.db);
      const repository = new MongoNotificationRepository(mongo.db, outbox);
      const processedEvents = new MongoProcessedEventStore(mongo.db);
      await outbox.ensureIndexes();
      await repository.ensureIndexes();
      await processedEvents.ensureIndexes();
      return { outbox, repository, processedEvents };
    },
    // Every endpoint reads or writes notifications: without MongoDB a pod can serve nothing.
    readiness: true,
  });
}

/** The publisher, with a consumer on the same bus or Kafka client. */
type Transport = EventPublisherPart & {
  /** Starts consuming; returns the hook that stops it. */
  consume(handler: EventHandler): CloseHook;
};

// Not a readiness check: /ready decides whether a pod gets API requests, and the API works without Kafka
// (outcome events wait in the outbox); the consumer is not behind the Service and reconnects by itself.
function createTransport(config: NotificationConfig, logger: Logger, registry: Registry): Transport {
  const publisher = selectEventPublisher(config, logger, {
    memoryWarning: 'EVENTS=memory: events are consumed from and published to an in-process bus only',
    registry,
  });
  const { bus } = publisher;
  if (bus !== undefined) {
    return {
      ...publisher,
      consume: (handler) => {
        bus.subscribe(CONSUMED_TOPICS, handler, { deadLetterTopic: DEAD_LETTER_TOPIC, registry });
        return { name: 'event-consumer', close: () => bus.settle() };
      },
    };
  }
  const { kafka } = publisher;
  return {
    ...publisher,
    consume: (handler) => {
      const consumer = runKafkaConsumer({
        kafka,
        groupId: config.KAFKA_CONSUMER_GROUP ?? CONSUMER_GROUP,
        topics: CONSUMED_TOPICS,
        handler,
        deadLetterTopic: DEAD_LETTER_TOPIC,
        logger,
        registry,
      });
      return { name: 'kafka-consumer', close: () => consumer.stop() };
    },
  };
}

/**
 * The one place that picks adapters, by the switches (each `memory` by default: in this process, for local
 * runs and tests only):
 * - STORAGE=mongo: notifications, processed event ids and the outbox in MongoDB (MONGODB_URI,
 *   MONGODB_DATABASE; a replica set, since a notification and its outcome event share a transaction);
 * - EVENTS=kafka: runKafkaConsumer in group `notification` on order-events and user-events (dead letters
 *   to notification-dlq) and the outbox relay publishing notification-events (KAFKA_BROKERS and, in the
 *   cluster, SASL and TLS settings).
 * Channels come from NOTIFICATION_CHANNELS. Only MongoDB is a readiness check.
 */
export async function createDependencies(config: NotificationConfig, logger: Logger): Promise<Dependencies> {
  const registry = new Registry();
  // Declared up front, so /metrics lists them from the first scrape, before the workers start and
  // whichever stores are configured.
  datastoreFailureCounter(registry);
  outboxGauges(registry);
  deadLetterCounter(registry);
  // The transport only configures (Kafka connects lazily), so a configuration error surfaces first.
  const transport = createTransport(config, logger, registry);
  const storage = await openOrClose(transport.closeHooks, () => createStorage(config, logger, registry));
  return {
    repository: storage.value.repository,
    processedEvents: storage.value.processedEvents,
    channels: createChannels(config.NOTIFICATION_CHANNELS, logger),
    registry,
    readinessChecks: { ...storage.readinessChecks, ...transport.readinessChecks },
    ...(transport.bus && { bus: transport.bus }),
    startWorkers: (handleEvent) => {
      const consumer = transport.consume(handleEvent);
      const relay = startOutboxRelay({
        store: storage.value.outbox,
        publisher: transport.value,
        logger,
        intervalMs: config.OUTBOX_RELAY_INTERVAL_MS,
        registry,
      });
      // The consumer stops first (it sends and stores), then the relay publishes its last round; then the
      // producer and MongoDB close.
      return [
        consumer,
        { name: 'outbox-relay', close: () => relay.stop() },
        ...transport.closeHooks,
        ...storage.closeHooks,
      ];
    },
  };
}
