import type {
  AdapterPart,
  CloseHook,
  InMemoryEventBus,
  Logger,
  OutboxStore,
  RateLimiter,
  ReadinessCheck,
} from '@platform/common';
import {
  InMemoryOutboxStore,
  InMemoryRateLimiter,
  MongoOutboxStore,
  RedisRateLimiter,
  Registry,
  datastoreFailureCounter,
  openOrClose,
  outboxGauges,
  selectEventPublisher,
  selectMongo,
  selectRedis,
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
  /**
   * The registry /metrics serves: the store clients count `datastore_connection_failures_total` in it and
   * the relay sets the outbox gauges.
   */
  readonly registry: Registry;
  readonly readinessChecks: Readonly<Record<string, ReadinessCheck>>;
  /** In order: the outbox relay, then the Kafka producer, Redis and MongoDB. */
  readonly closeHooks: readonly CloseHook[];
  /** The in-process bus the relay publishes to when EVENTS=memory (local runs, tests). */
  readonly bus?: InMemoryEventBus;
}

interface Storage {
  readonly repository: UserRepository;
  readonly outbox: OutboxStore;
}

function createStorage(
  config: UserConfig,
  logger: Logger,
  registry: Registry,
): Promise<AdapterPart<Storage>> {
  return selectMongo<Storage>(config, logger, {
    registry,
    memoryWarning: 'STORAGE=memory: users and their outbox live in this process only and are lost on restart',
    memory: () => ({ repository: new InMemoryUserRepository(), outbox: new InMemoryOutboxStore() }),
    open: async (mongo) => {
      const outbox = new MongoOutboxStore(mongo.db);
      await ensureIndexes(mongo.db);
      await outbox.ensureIndexes();
      return { repository: new MongoUserRepository(mongo.db), outbox };
    },
    // Every endpoint reads or writes users: without MongoDB a pod can serve nothing.
    readiness: true,
  });
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
  const registry = new Registry();
  // Declared up front, so /metrics lists them from the first scrape, whichever stores are configured.
  datastoreFailureCounter(registry);
  outboxGauges(registry);
  // The clients that connect lazily first, so a configuration error surfaces before anything connects.
  // Not a readiness check: events wait in the outbox while Kafka is down, so registrations keep working.
  const publisher = selectEventPublisher(config, logger, {
    memoryWarning: 'EVENTS=memory: user events are published to an in-process bus only',
    registry,
  });
  // Not a readiness check: only login needs the counters, and it answers 503 while Redis is down (failing
  // closed, see user-routes.ts); registration and reading users go on, which unready pods could not do.
  const rateLimiter = selectRedis<RateLimiter>(config, logger, {
    registry,
    memory: () => new InMemoryRateLimiter(),
    open: (redis) => new RedisRateLimiter(redis, config.serviceName),
  });
  // A failed start must not leave reconnecting clients keeping the process alive.
  const storage = await openOrClose([...publisher.closeHooks, ...rateLimiter.closeHooks], () =>
    createStorage(config, logger, registry),
  );
  const relay = startOutboxRelay({
    store: storage.value.outbox,
    publisher: publisher.value,
    logger,
    intervalMs: config.OUTBOX_RELAY_INTERVAL_MS,
    registry,
  });
  return {
    ...storage.value,
    rateLimiter: rateLimiter.value,
    registry,
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
