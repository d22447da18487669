import type { Cache, CloseHook, EventHandler, Logger, ReadinessCheck } from '@platform/common';
import {
  InMemoryCache,
  InMemoryEventBus,
  RedisCache,
  connectMongo,
  createKafka,
  createRedisClient,
  mongoReadiness,
  runKafkaConsumer,
} from '@platform/common';
import type { AnalyticsConfig } from './analytics-config';
import type { AnalyticsStore } from './analytics-store';
import { ANALYTICS_DLQ, ANALYTICS_TOPICS } from './event-handler';
import { InMemoryAnalyticsStore } from './in-memory-analytics-store';
import { MongoAnalyticsStore } from './mongo-analytics-store';

/** The consumer group when KAFKA_CONSUMER_GROUP is unset: the service's name. */
export const CONSUMER_GROUP = 'analytics';

/** Everything the service runs on, chosen by STORAGE, EVENTS and CACHE. */
export interface AnalyticsDependencies {
  readonly store: AnalyticsStore;
  readonly cache: Cache;
  readonly readinessChecks: Readonly<Record<string, ReadinessCheck>>;
  /** The in-process bus when EVENTS=memory (nothing publishes to it unless a test does), else undefined. */
  readonly bus?: InMemoryEventBus;
  /**
   * Starts consuming the analytics topics into `handler`; returns the close hooks for `start`: the consumer
   * first (it writes to the store), then the connections.
   */
  startConsumer(handler: EventHandler): readonly CloseHook[];
}

interface Part<T> {
  readonly value: T;
  readonly readinessChecks: Record<string, ReadinessCheck>;
  readonly closeHooks: CloseHook[];
}

async function createStore(config: AnalyticsConfig, logger: Logger): Promise<Part<AnalyticsStore>> {
  if (config.STORAGE === 'memory' || config.MONGODB_URI === undefined) {
    logger.warn('STORAGE=memory: facts live in this process only and are lost on restart');
    return { value: new InMemoryAnalyticsStore(), readinessChecks: {}, closeHooks: [] };
  }
  const mongo = await connectMongo({
    uri: config.MONGODB_URI,
    database: config.MONGODB_DATABASE,
    appName: config.serviceName,
    logger,
  });
  try {
    return {
      value: await MongoAnalyticsStore.create(mongo.db),
      readinessChecks: { mongodb: mongoReadiness(mongo) },
      closeHooks: [{ name: 'mongodb', close: () => mongo.close() }],
    };
  } catch (err) {
    await mongo.close().catch(() => undefined);
    throw err;
  }
}

// No readiness check for Redis: it only caches summaries and a failing cache degrades to computing them,
// so a Redis outage must not take the API out of the load balancer.
function createCache(config: AnalyticsConfig, logger: Logger): Part<Cache> {
  if (config.CACHE === 'memory') return { value: new InMemoryCache(), readinessChecks: {}, closeHooks: [] };
  const redis = createRedisClient({ ...config, serviceName: config.serviceName }, logger);
  return {
    value: new RedisCache(redis, config.serviceName),
    readinessChecks: {},
    closeHooks: [{ name: 'redis', close: () => redis.quit() }],
  };
}

/**
 * Connects what the configuration names; the in-memory implementations by default. Kafka is not a
 * readiness check either: reports stay servable from the store while the consumer reconnects.
 */
export async function createDependencies(
  config: AnalyticsConfig,
  logger: Logger,
  options: { bus?: InMemoryEventBus } = {},
): Promise<AnalyticsDependencies> {
  const store = await createStore(config, logger);
  const cache = createCache(config, logger);
  const connections = [...cache.closeHooks, ...store.closeHooks];
  const readinessChecks = { ...store.readinessChecks, ...cache.readinessChecks };

  if (config.EVENTS === 'memory' || config.KAFKA_BROKERS === undefined) {
    const bus = options.bus ?? new InMemoryEventBus();
    return {
      store: store.value,
      cache: cache.value,
      readinessChecks,
      bus,
      startConsumer: (handler) => {
        bus.subscribe(ANALYTICS_TOPICS, handler, { deadLetterTopic: ANALYTICS_DLQ });
        return [{ name: 'event-consumer', close: () => bus.settle() }, ...connections];
      },
    };
  }

  const kafka = createKafka({ ...config, KAFKA_BROKERS: config.KAFKA_BROKERS }, logger);
  return {
    store: store.value,
    cache: cache.value,
    readinessChecks,
    startConsumer: (handler) => {
      const consumer = runKafkaConsumer({
        kafka,
        groupId: config.KAFKA_CONSUMER_GROUP ?? CONSUMER_GROUP,
        topics: ANALYTICS_TOPICS,
        handler,
        deadLetterTopic: ANALYTICS_DLQ,
        logger,
      });
      return [{ name: 'kafka-consumer', close: () => consumer.stop() }, ...connections];
    },
  };
}
