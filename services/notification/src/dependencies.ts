import type {
  CloseHook,
  EventHandler,
  EventPublisher,
  Logger,
  OutboxStore,
  ReadinessCheck,
} from '@platform/common';
import {
  InMemoryEventBus,
  InMemoryOutboxStore,
  KafkaEventPublisher,
  MongoOutboxStore,
  connectMongo,
  createKafka,
  kafkaReadiness,
  mongoReadiness,
  runKafkaConsumer,
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
  readonly readinessChecks: Record<string, ReadinessCheck>;
  readonly closeHooks: CloseHook[];
}

async function createStorage(config: NotificationConfig, logger: Logger): Promise<Storage> {
  if (config.STORAGE === 'memory' || config.MONGODB_URI === undefined) {
    const outbox = new InMemoryOutboxStore();
    return {
      outbox,
      repository: new InMemoryNotificationRepository(outbox),
      processedEvents: new InMemoryProcessedEventStore(),
      readinessChecks: {},
      closeHooks: [],
    };
  }
  const mongo = await connectMongo({
    uri: config.MONGODB_URI,
    database: config.MONGODB_DATABASE,
    appName: config.serviceName,
    logger,
  });
  try {
    const outbox = new MongoOutboxStore(mongo.db);
    const repository = new MongoNotificationRepository(mongo.db, outbox);
    const processedEvents = new MongoProcessedEventStore(mongo.db);
    await outbox.ensureIndexes();
    await repository.ensureIndexes();
    await processedEvents.ensureIndexes();
    return {
      outbox,
      repository,
      processedEvents,
      readinessChecks: { mongodb: mongoReadiness(mongo) },
      closeHooks: [{ name: 'mongodb', close: () => mongo.close() }],
    };
  } catch (err) {
    await mongo.close().catch(() => undefined);
    throw err;
  }
}

interface Transport {
  readonly publisher: EventPublisher;
  readonly bus?: InMemoryEventBus;
  readonly readinessChecks: Record<string, ReadinessCheck>;
  /** Starts consuming; returns the hook that stops it. */
  consume(handler: EventHandler): CloseHook;
  readonly closeHooks: CloseHook[];
}

function createTransport(config: NotificationConfig, logger: Logger): Transport {
  if (config.EVENTS === 'memory' || config.KAFKA_BROKERS === undefined) {
    const bus = new InMemoryEventBus();
    return {
      publisher: bus,
      bus,
      readinessChecks: {},
      consume: (handler) => {
        bus.subscribe(CONSUMED_TOPICS, handler, { deadLetterTopic: DEAD_LETTER_TOPIC });
        return { name: 'event-consumer', close: () => bus.settle() };
      },
      closeHooks: [],
    };
  }
  const kafka = createKafka({ ...config, KAFKA_BROKERS: config.KAFKA_BROKERS }, logger);
  const publisher = new KafkaEventPublisher(kafka, logger);
  const readiness = kafkaReadiness(kafka);
  return {
    publisher,
    readinessChecks: { kafka: readiness },
    consume: (handler) => {
      const consumer = runKafkaConsumer({
        kafka,
        groupId: config.KAFKA_CONSUMER_GROUP ?? CONSUMER_GROUP,
        topics: CONSUMED_TOPICS,
        handler,
        deadLetterTopic: DEAD_LETTER_TOPIC,
        logger,
      });
      return { name: 'kafka-consumer', close: () => consumer.stop() };
    },
    closeHooks: [
      { name: 'kafka-publisher', close: () => publisher.close() },
      { name: 'kafka-readiness', close: () => readiness.close() },
    ],
  };
}

/** Connects what the configuration names; the in-memory implementations by default. */
export async function createDependencies(config: NotificationConfig, logger: Logger): Promise<Dependencies> {
  const storage = await createStorage(config, logger);
  const transport = createTransport(config, logger);
  return {
    repository: storage.repository,
    processedEvents: storage.processedEvents,
    channels: createChannels(config.NOTIFICATION_CHANNELS, logger),
    readinessChecks: { ...storage.readinessChecks, ...transport.readinessChecks },
    ...(transport.bus && { bus: transport.bus }),
    startWorkers: (handleEvent) => {
      const consumer = transport.consume(handleEvent);
      const relay = startOutboxRelay({
        store: storage.outbox,
        publisher: transport.publisher,
        logger,
        intervalMs: config.OUTBOX_RELAY_INTERVAL_MS,
      });
      // The consumer stops first (it sends and stores), then the relay publishes its last round.
      return [
        consumer,
        { name: 'outbox-relay', close: () => relay.stop() },
        ...transport.closeHooks,
        ...storage.closeHooks,
      ];
    },
  };
}
