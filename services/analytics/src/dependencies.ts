import type { Cache, CloseHook, EventHandler, Logger, ReadinessCheck } from '@platform/common';
import {
  InMemoryCache,
  InMemoryEventBus,
  RedisCache,
  Registry,
  createKafka,
  datastoreFailureCounter,
  deadLetterCounter,
  openOrClose,
  requireKafkaBrokers,
  runKafkaConsumer,
  selectMongo,
  selectRedis,
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
  /**
   * The registry /metrics serves: the store clients count `datastore_connection_failures_total` in it, the
   * consumer `events_dead_lettered_total`.
   */
  readonly registry: Registry;
  readonly readinessChecks: Readonly<Record<string, ReadinessCheck>>;
  /** The in-process bus when EVENTS=memory (nothing publishes to it unless a test does), else undefined. */
  readonly bus?: InMemoryEventBus;
  /**
   * Starts consuming the analytics topics into `handler`; returns the close hooks for `start`: the consumer
   * first (it writes to the store), then the connections.
   */
  startConsumer(handler: EventHandler): readonly CloseHook[];
}

/**
 * The one place that picks adapters, by the three switches (each `memory` by default: in this process, for
 * local runs and tests only):
 * - STORAGE=mongo: facts in MongoDB (MONGODB_URI, MONGODB_DATABASE), indexes ensured at start;
 * - EVENTS=kafka: runKafkaConsumer in group `analytics` on the four event topics, dead letters to
 *   analytics-dlq (KAFKA_BROKERS and, in the cluster, SASL and TLS settings);
 * - CACHE=redis: summaries cached in Redis through Sentinel or REDIS_URL, keys under `analytics:`.
 * Only MongoDB is a readiness check: Redis only caches (see below), and while Kafka is away the
 * reports stay servable from the store and the consumer (not behind the Service) reconnects by itself.
 */
export async function createDependencies(
  config: AnalyticsConfig,
  logger: Logger,
  options: { bus?: InMemoryEventBus } = {},
): Promise<AnalyticsDependencies> {
  const registry = new Registry();
  // Declared up front, so /metrics lists them from the first scrape, before the consumer starts and
  // whichever stores are configured.
  datastoreFailureCounter(registry);
  deadLetterCounter(registry);
  // The Redis client connects in the background and may refuse its settings: made before MongoDB.
  // No readiness check for Redis: it only caches summaries and a failing cache degrades to computing them,
  // so a Redis outage must not take the API out of the load balancer.
  const cache = selectRedis<Cache>(config, logger, {
    registry,
    memory: () => new InMemoryCache(),
    open: (redis) => new RedisCache(redis, config.serviceName),
  });
  const store = await openOrClose(cache.closeHooks, () =>
    selectMongo<AnalyticsStore>(config, logger, {
      registry,
      memoryWarning: 'STORAGE=memory: facts live in this process only and are lost on restart',
      memory: () => new InMemoryAnalyticsStore(),
      open: (mongo) => MongoAnalyticsStore.create(mongo.db),
      // Every report is computed from the store: without MongoDB a pod can serve nothing.
      readiness: true,
    }),
  );
  const connections = [...cache.closeHooks, ...store.closeHooks];
  const readinessChecks = { ...store.readinessChecks, ...cache.readinessChecks };

  if (config.EVENTS === 'memory') {
    logger.warn('EVENTS=memory: events are consumed from an in-process bus only');
    const bus = options.bus ?? new InMemoryEventBus();
    return {
      store: store.value,
      cache: cache.value,
      registry,
      readinessChecks,
      bus,
      startConsumer: (handler) => {
        bus.subscribe(ANALYTICS_TOPICS, handler, { deadLetterTopic: ANALYTICS_DLQ, registry });
        return [{ name: 'event-consumer', close: () => bus.settle() }, ...connections];
      },
    };
  }

  const kafka = createKafka({ ...config, KAFKA_BROKERS: requireKafkaBrokers(config) }, logger);
  return {
    store: store.value,
    cache: cache.value,
    registry,
    readinessChecks,
    startConsumer: (handler) => {
      const consumer = runKafkaConsumer({
        kafka,
        groupId: config.KAFKA_CONSUMER_GROUP ?? CONSUMER_GROUP,
        topics: ANALYTICS_TOPICS,
        handler,
        deadLetterTopic: ANALYTICS_DLQ,
        logger,
        registry,
      });
      return [{ name: 'kafka-consumer', close: () => consumer.stop() }, ...connections];
    },
  };
}
