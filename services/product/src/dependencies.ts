import type { Cache, CloseHook, EventPublisher, Logger, ReadinessCheck } from '@platform/common';
import {
  InMemoryCache,
  RedisCache,
  Registry,
  datastoreFailureCounter,
  openOrClose,
  selectEventPublisher,
  selectMongo,
  selectRedis,
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
  /** The registry /metrics serves: the store clients count `datastore_connection_failures_total` in it. */
  readonly registry: Registry;
  readonly readinessChecks: Readonly<Record<string, ReadinessCheck>>;
  /** In order: the Kafka producer, then Redis, then MongoDB. */
  readonly closeHooks: readonly CloseHook[];
}

/**
 * The one place that picks adapters, by the three switches (each `memory` by default: in this process, for
 * local runs and tests only):
 * - STORAGE=mongo: the catalog in MongoDB (MONGODB_URI, MONGODB_DATABASE), indexes ensured at start;
 * - EVENTS=kafka: analytics events to Kafka (KAFKA_BROKERS and, in the cluster, SASL and TLS settings);
 * - CACHE=redis: the product cache in Redis through Sentinel (REDIS_SENTINELS, REDIS_MASTER_NAME,
 *   REDIS_PASSWORD) or REDIS_URL, keys under `product:`.
 * Only MongoDB is a readiness check (see below). Close hooks: the producer, then Redis, then MongoDB.
 */
export async function buildDependencies(config: ProductConfig, logger: Logger): Promise<ProductDependencies> {
  const registry = new Registry();
  // Declared up front, so /metrics lists it from the first scrape, whichever stores are configured.
  datastoreFailureCounter(registry);
  // The clients that connect lazily first, so a configuration error surfaces before anything connects.
  // Not a readiness check: analytics events are best effort, so a Kafka outage drops events (logged and
  // counted) instead of failing writes, and must not take the pods out of the Service.
  const events = selectEventPublisher(config, logger, {
    memoryWarning: 'EVENTS=memory: analytics events stay in this process',
    registry,
  });
  // Not a readiness check either: a failing cache counts as a miss, so Redis being down costs latency only.
  const cache = selectRedis<Cache>(config, logger, {
    registry,
    memory: () => new InMemoryCache(),
    open: (redis) => new RedisCache(redis, config.serviceName),
  });
  // A failed start must not leave reconnecting clients keeping the process alive.
  const repository = await openOrClose([...events.closeHooks, ...cache.closeHooks], () =>
    selectMongo<ProductRepository>(config, logger, {
      registry,
      memoryWarning: 'STORAGE=memory: products live in this process only and are lost on restart',
      memory: () => new InMemoryProductRepository(),
      open: async (mongo) => {
        const mongoRepository = new MongoProductRepository(mongo.db);
        await mongoRepository.ensureIndexes();
        return mongoRepository;
      },
      // Every request reads or writes the catalog: without MongoDB a pod can serve nothing.
      readiness: true,
    }),
  );
  return {
    repository: repository.value,
    cache: cache.value,
    events: events.value,
    registry,
    readinessChecks: { ...repository.readinessChecks, ...events.readinessChecks, ...cache.readinessChecks },
    closeHooks: [...events.closeHooks, ...cache.closeHooks, ...repository.closeHooks],
  };
}
