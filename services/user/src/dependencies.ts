import type {
  CloseHook,
  EventPublisher,
  Logger,
  OutboxStore,
  RateLimiter,
  ReadinessCheck,
} from '@platform/common';
import {
  InMemoryEventBus,
  InMemoryOutboxStore,
  InMemoryRateLimiter,
  KafkaEventPublisher,
  MongoOutboxStore,
  RedisRateLimiter,
  closeRedisClient,
  connectMongo,
  createKafka,
  createRedisClient,
  mongoReadiness,
  requireKafkaBrokers,
  requireMongoUri,
  startOutboxRelay,
} from '@platform/common';
import { InMemoryUserRepository } from './in-memory-user-repository';
import { MongoUserRepository, ensureIndexes } from './mongo-user-repository';
import type { UserConfig } from './user-config';
import type { UserRepository } from './user-repository';

/** Everything the app needs from outside the process, plus how to check and close it. */
export interface UserDependencies {
  readonly repository: UserRepository;
  /** Shares the repository's transactions: `user.registered` commits with its user. */
  readonly outbox: OutboxStore;
  readonly rateLimiter: RateLimiter;
  readonly readinessChecks: Readonly<Record<string, ReadinessCheck>>;
  /** In order: the outbox relay, then the Kafka producer, Redis and MongoDB. */
  readonly closeHooks: readonly CloseHook[];
  /** The in-process bus the relay publishes to when EVENTS=memory (local runs, tests). */
  readonly bus?: InMemoryEventBus;
}

/** One adapter with its readiness checks and close hooks. */
interface Part<T> {
  readonly value: T;
  readonly readinessChecks: Record<string, ReadinessCheck>;
  readonly closeHooks: CloseHook[];
}

interface Storage {
  readonly repository: UserRepository;
  readonly outbox: OutboxStore;
}

async function createStorage(config: UserConfig, logger: Logger): Promise<Part<Storage>> {
  if (config.STORAGE === 'memory') {
    logger.warn('STORAGE=memory: users and their outbox live in this process only and are lost on restart');
    const storage = { repository: new InMemoryUserRepository(), outbox: new InMemoryOutboxStore() };
    return { value: storage, readinessChecks: {}, closeHooks: [] };
  }
  const mongo = await connectMongo({
    uri: requireMongoUri(config),
    database: config.MONGODB_DATABASE,
    appName: config.serviceName,
    logger,
  });
  try {
    const outbox = new MongoOutboxStore(mongo.db);
    await ensureIndexes(mongo.db);
    await outbox.ensureIndexes();
    return {
      value: { repository: new MongoUserRepository(mongo.db), outbox },
      // Every endpoint reads or writes users: without MongoDB a pod can serve nothing.
      readinessChecks: { mongodb: mongoReadiness(mongo) },
      closeHooks: [{ name: 'mongodb', close: () => mongo.close() }],
    };
  } catch (error) {
    await mongo.close().catch(() => undefined);
    throw error;
  }
}

// Not a readiness check: events wait in the outbox while Kafka is down, so registrations keep working.
function createPublisher(
  config: UserConfig,
  logger: Logger,
): Part<EventPublisher> & { bus?: InMemoryEventBus } {
  if (config.EVENTS === 'memory') {
    logger.warn('EVENTS=memory: user events are published to an in-process bus only');
    const bus = new InMemoryEventBus();
    return { value: bus, bus, readinessChecks: {}, closeHooks: [] };
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

// Not a readiness check: only login needs the counters, and it answers 503 while Redis is down (failing
// closed, see user-routes.ts); registration and reading users go on, which unready pods could not do.
function createRateLimiter(config: UserConfig, logger: Logger): Part<RateLimiter> {
  if (config.CACHE === 'memory') {
    return { value: new InMemoryRateLimiter(), readinessChecks: {}, closeHooks: [] };
  }
  const redis = createRedisClient({ ...config, serviceName: config.serviceName }, logger);
  return {
    value: new RedisRateLimiter(redis, config.serviceName),
    readinessChecks: {},
    closeHooks: [{ name: 'redis', close: () => closeRedisClient(redis) }],
  };
}

/**
 * The one place that picks adapters, by the three switches (each `memory` by default: in this process, for
 * local runs and tests only, not shared between replicas):
 * - STORAGE=mongo: MongoUserRepository (unique email index ensured at start) with MongoOutboxStore in the
 *   same database, so a user and its `user.registered` commit in one transaction (MONGODB_URI,
 *   MONGODB_DATABASE);
 * - EVENTS=kafka: the outbox relay publishes to Kafka (KAFKA_BROKERS and, in the cluster, SASL and TLS);
 * - CACHE=redis: login attempts are counted in Redis through Sentinel (REDIS_SENTINELS, REDIS_MASTER_NAME,
 *   REDIS_PASSWORD) or REDIS_URL, keys under `user:`, shared by every replica.
 * The outbox relay runs from here on. Close hooks stop it first (its last round finishes), then close the
 * producer, Redis and MongoDB.
 */
export async function buildDependencies(config: UserConfig, logger: Logger): Promise<UserDependencies> {
  // The clients that connect lazily first, so a configuration error surfaces before anything connects.
  const publisher = createPublisher(config, logger);
  const rateLimiter = createRateLimiter(config, logger);
  let storage: Part<Storage>;
  try {
    storage = await createStorage(config, logger);
  } catch (error) {
    // A failed start must not leave reconnecting clients keeping the process alive.
    for (const hook of [...publisher.closeHooks, ...rateLimiter.closeHooks]) {
      await hook.close().catch(() => undefined);
    }
    throw error;
  }
  const relay = startOutboxRelay({
    store: storage.value.outbox,
    publisher: publisher.value,
    logger,
    intervalMs: config.OUTBOX_RELAY_INTERVAL_MS,
  });
  return {
    ...storage.value,
    rateLimiter: rateLimiter.value,
    readinessChecks: {
      ...storage.readinessChecks,
      ...publisher.readinessChecks,
      ...rateLimiter.readinessChecks,
    },
    closeHooks: [
      { name: 'outbox-relay', close: () => relay.stop() },
      ...publisher.closeHooks,
      ...rateLimiter.closeHooks,
      ...storage.closeHooks,
    ],
    ...(publisher.bus && { bus: publisher.bus }),
  };
}
