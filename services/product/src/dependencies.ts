import type { Cache, CloseHook, EventPublisher, Logger, ReadinessCheck } from '@platform/common';
import {
  InMemoryCache,
  InMemoryEventBus,
  KafkaEventPublisher,
  RedisCache,
  closeRedisClient,
  connectMongo,
  createKafka,
  createRedisClient,
  mongoReadiness,
  requireKafkaBrokers,
  requireMongoUri,
} from '@platform/common';
import { InMemoryProductRepository } from './in-memory-product-repository';
import { MongoProductRepository } from './mongo-product-repository';
import type { ProductConfig } from './product-config';
import type { ProductRepository } from './product-repository';

/** Everything the app needs from outside the process, plus how to check and close it. */
export interface ProductDependencies {
  readonly repository: ProductRepository;
  readonly cache: Cache;
  readonly events: EventPublisher;
  readonly readinessChecks: Readonly<Record<string, ReadinessCheck>>;
  /** In order: the Kafka producer, then Redis, then MongoDB. */
  readonly closeHooks: readonly CloseHook[];
}

/** One adapter with its readiness checks and close hooks. */
interface Part<T> {
  readonly value: T;
  readonly readinessChecks: Record<string, ReadinessCheck>;
  readonly closeHooks: CloseHook[];
}

async function createRepository(config: ProductConfig, logger: Logger): Promise<Part<ProductRepository>> {
  if (config.STORAGE === 'memory') {
    logger.warn('STORAGE=memory: products live in this process only and are lost on restart');
    return { value: new InMemoryProductRepository(), readinessChecks: {}, closeHooks: [] };
  }
  const mongo = await connectMongo({
    uri: requireMongoUri(config),
    database: config.MONGODB_DATABASE,
    appName: config.serviceName,
    logger,
  });
  try {
    const repository = new MongoProductRepository(mongo.db);
    await repository.ensureIndexes();
    return {
      value: repository,
      // Every request reads or writes the catalog: without MongoDB a pod can serve nothing.
      readinessChecks: { mongodb: mongoReadiness(mongo) },
      closeHooks: [{ name: 'mongodb', close: () => mongo.close() }],
    };
  } catch (error) {
    await mongo.close().catch(() => undefined);
    throw error;
  }
}

// Not a readiness check: analytics events are best effort, so a Kafka outage drops events (logged and
// counted) instead of failing writes, and must not take the pods out of the Service.
function createEvents(config: ProductConfig, logger: Logger): Part<EventPublisher> {
  if (config.EVENTS === 'memory') {
    logger.warn('EVENTS=memory: analytics events stay in this process');
    return { value: new InMemoryEventBus(), readinessChecks: {}, closeHooks: [] };
  }
  const kafka = createKafka(
    { ...config, KAFKA_BROKERS: requireKafkaBrokers(config), serviceName: config.serviceName },
    logger,
  );
  const publisher = new KafkaEventPublisher(kafka, logger);
  return {
    value: publisher,
    readinessChecks: {},
    closeHooks: [{ name: 'kafka-producer', close: () => publisher.close() }],
  };
}

// Not a readiness check either: a failing cache counts as a miss, so Redis being down costs latency only.
function createCache(config: ProductConfig, logger: Logger): Part<Cache> {
  if (config.CACHE === 'memory') return { value: new InMemoryCache(), readinessChecks: {}, closeHooks: [] };
  const redis = createRedisClient({ ...config, serviceName: config.serviceName }, logger);
  return {
    value: new RedisCache(redis, config.serviceName),
    readinessChecks: {},
    closeHooks: [{ name: 'redis', close: () => closeRedisClient(redis) }],
  };
}

/**
 * The one place that picks adapters, by the three switches (each `memory` by default: in this process, for
 * local runs and tests only):
 * - STORAGE=mongo: the catalog in MongoDB (MONGODB_URI, MONGODB_DATABASE), indexes ensured at start;
 * - EVENTS=kafka: analytics events to Kafka (KAFKA_BROKERS and, in the cluster, SASL and TLS settings);
 * - CACHE=redis: the product cache in Redis through Sentinel (REDIS_SENTINELS, REDIS_MASTER_NAME,
 *   REDIS_PASSWORD) or REDIS_URL, keys under `product:`.
 * Only MongoDB is a readiness check (see above). Close hooks: the producer, then Redis, then MongoDB.
 */
export async function buildDependencies(config: ProductConfig, logger: Logger): Promise<ProductDependencies> {
  // The clients that connect lazily first, so a configuration error surfaces before anything connects.
  const events = createEvents(config, logger);
  const cache = createCache(config, logger);
  let repository: Part<ProductRepository>;
  try {
    repository = await createRepository(config, logger);
  } catch (error) {
    // A failed start must not leave reconnecting clients keeping the process alive.
    for (const hook of [...events.closeHooks, ...cache.closeHooks]) await hook.close().catch(() => undefined);
    throw error;
  }
  return {
    repository: repository.value,
    cache: cache.value,
    events: events.value,
    readinessChecks: { ...repository.readinessChecks, ...events.readinessChecks, ...cache.readinessChecks },
    closeHooks: [...events.closeHooks, ...cache.closeHooks, ...repository.closeHooks],
  };
}
