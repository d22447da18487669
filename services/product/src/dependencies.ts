import type {
  Cache,
  CloseHook,
  Env,
  EventPublisher,
  Logger,
  MongoConnection,
  ReadinessCheck,
} from '@platform/common';
import {
  InMemoryCache,
  InMemoryEventBus,
  KafkaEventPublisher,
  RedisCache,
  connectMongo,
  createKafka,
  createRedisClient,
  kafkaEnv,
  loadConfig,
  mongoEnv,
  mongoReadiness,
  redisEnv,
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
  readonly closeHooks: readonly CloseHook[];
}

/** The connection settings STORAGE=platform needs; loaded only then, so `memory` runs without them. */
export function loadPlatformSettings(config: ProductConfig, env: Env = process.env) {
  return loadConfig({
    env: { SERVICE_NAME: config.serviceName, ...env },
    extend: { ...mongoEnv, ...redisEnv, ...kafkaEnv },
  });
}

function inMemory(logger: Logger): ProductDependencies {
  logger.warn('STORAGE=memory: products live in this process only and no events leave it');
  return {
    repository: new InMemoryProductRepository(),
    cache: new InMemoryCache(),
    events: new InMemoryEventBus(),
    readinessChecks: {},
    closeHooks: [],
  };
}

/**
 * The platform's stores. Only MongoDB is a readiness check: the cache and the analytics events degrade
 * (a miss, a dropped event) instead of failing requests, so an outage of Redis or Kafka must not take the
 * pods out of the Service. Close hooks run in order: producer first, MongoDB last.
 */
async function onPlatform(config: ProductConfig, logger: Logger, env: Env): Promise<ProductDependencies> {
  const settings = loadPlatformSettings(config, env);
  const serviceName = config.serviceName;
  // Configuration errors surface before anything connects.
  const kafka = createKafka({ ...settings, serviceName }, logger);
  const redis = createRedisClient({ ...settings, serviceName }, logger);
  const events = new KafkaEventPublisher(kafka, logger);
  const closeRedis = async (): Promise<void> => {
    // QUIT needs a live connection; while Redis is down, just stop reconnecting.
    await redis.quit().catch(() => redis.disconnect());
  };
  let mongo: MongoConnection | undefined;
  try {
    mongo = await connectMongo({
      uri: settings.MONGODB_URI,
      database: settings.MONGODB_DATABASE,
      appName: serviceName,
      logger,
    });
    const repository = new MongoProductRepository(mongo.db);
    await repository.ensureIndexes();
    const connection = mongo;
    return {
      repository,
      cache: new RedisCache(redis, serviceName),
      events,
      readinessChecks: { mongodb: mongoReadiness(connection) },
      closeHooks: [
        { name: 'kafka producer', close: () => events.close() },
        { name: 'redis', close: closeRedis },
        { name: 'mongodb', close: () => connection.close() },
      ],
    };
  } catch (error) {
    // A failed start must not leave reconnecting clients keeping the process alive.
    redis.disconnect();
    await events.close().catch(() => undefined);
    await mongo?.close().catch(() => undefined);
    throw error;
  }
}

/**
 * The one place that picks adapters by STORAGE. `memory` (the default) keeps the catalog and the cache in
 * this process and the events in an in-process bus: for local runs and tests only (lost on restart, not
 * shared between replicas, nothing reaches analytics). `platform` uses MongoDB (MONGODB_URI,
 * MONGODB_DATABASE), Redis through Sentinel (REDIS_SENTINELS, REDIS_MASTER_NAME, REDIS_PASSWORD, or
 * REDIS_URL) and Kafka (KAFKA_BROKERS and, in the cluster, SASL and TLS settings).
 */
export async function buildDependencies(
  config: ProductConfig,
  logger: Logger,
  env: Env = process.env,
): Promise<ProductDependencies> {
  switch (config.STORAGE) {
    case 'memory':
      return inMemory(logger);
    case 'platform':
      return onPlatform(config, logger, env);
  }
}
