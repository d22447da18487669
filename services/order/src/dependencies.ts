import type {
  AdapterPart,
  CloseHook,
  InMemoryEventBus,
  Logger,
  OutboxStore,
  ReadinessCheck,
  ServiceClient,
} from '@platform/common';
import {
  HttpServiceClient,
  InMemoryOutboxStore,
  MongoOutboxStore,
  Registry,
  ServiceTokenIssuer,
  datastoreFailureCounter,
  openOrClose,
  outboxGauges,
  selectEventPublisher,
  selectMongo,
  startOutboxRelay,
} from '@platform/common';
import { InMemoryOrderRepository } from './in-memory-order-repository';
import { MongoOrderRepository } from './mongo-order-repository';
import type { OrderConfig } from './order-config';
import type { OrderRepository } from './order-repository';

/** Everything the app needs from outside the process, plus how to check and close it. */
export interface OrderDependencies {
  readonly repository: OrderRepository;
  /** Shares the repository's transactions, so events commit with their orders. */
  readonly outbox: OutboxStore;
  readonly users: ServiceClient;
  readonly products: ServiceClient;
  /**
   * The app's metrics registry: the service clients record `dependency_request_duration_seconds` in it,
   * the store clients `datastore_connection_failures_total`, the relay the outbox gauges.
   */
  readonly registry: Registry;
  readonly readinessChecks: Readonly<Record<string, ReadinessCheck>>;
  /** In order: the outbox relay, the Kafka producer, the service clients, MongoDB. */
  readonly closeHooks: readonly CloseHook[];
  /** The in-process bus the relay publishes to when EVENTS=memory (local runs, tests). */
  readonly bus?: InMemoryEventBus;
}

interface Storage {
  readonly repository: OrderRepository;
  readonly outbox: OutboxStore;
}

function createStorage(
  config: OrderConfig,
  logger: Logger,
  registry: Registry,
): Promise<AdapterPart<Storage>> {
  return selectMongo<Storage>(config, logger, {
    registry,
    memoryWarning:
      'STORAGE=memory: orders and their outbox live in this process only and are lost on restart',
    memory: () => ({ repository: new InMemoryOrderRepository(), outbox: new InMemoryOutboxStore() }),
    open: async (mongo) => {
      // One database for orders and outbox, so an order and its events commit in one transaction.
      const repository = await MongoOrderRepository.open({ db: mongo.db });
      const outbox = new MongoOutboxStore(mongo.db);
      await outbox.ensureIndexes();
      return { repository, outbox };
    },
    // Every endpoint reads or writes orders: without MongoDB a pod can serve nothing.
    readiness: true,
  });
}

/**
 * The one place that picks adapters, by the switches (each `memory` by default: in this process, for local
 * runs and tests only, not shared between replicas):
 * - STORAGE=mongo: MongoOrderRepository (indexes ensured at start) with MongoOutboxStore in the same
 *   database, so an order, its idempotent response and its event commit in one transaction (MONGODB_URI,
 *   MONGODB_DATABASE; a replica set);
 * - EVENTS=kafka: the outbox relay publishes order-events to Kafka (KAFKA_BROKERS and, in the cluster,
 *   SASL and TLS settings).
 * The user and product services are always called over HTTP, one client each (its own circuit breaker),
 * recording their latency in the registry the app serves. They are not readiness checks: their outages
 * answer 503 dependency_unavailable for placing orders, while reading and paying orders go on.
 * The outbox relay runs from here on; close hooks stop it first, then close the producer, the clients and
 * MongoDB.
 */
export async function buildDependencies(config: OrderConfig, logger: Logger): Promise<OrderDependencies> {
  const registry = new Registry();
  // Declared up front, so /metrics lists them from the first scrape, whichever stores are configured.
  datastoreFailureCounter(registry);
  outboxGauges(registry);
  // One issuer for both: tokens name this service as the caller and each client's service as audience.
  const serviceTokens = new ServiceTokenIssuer({ caller: config.serviceName, key: config.SERVICE_TOKEN_KEY });
  const users = new HttpServiceClient({
    name: 'user',
    baseUrl: config.USER_SERVICE_URL,
    logger,
    registry,
    serviceTokens,
  });
  const products = new HttpServiceClient({
    name: 'product',
    baseUrl: config.PRODUCT_SERVICE_URL,
    logger,
    registry,
    serviceTokens,
  });
  // The clients that connect lazily first, so a configuration error surfaces before anything connects.
  // Not a readiness check: events wait in the outbox while Kafka is down, so orders are still accepted.
  const publisher = selectEventPublisher(config, logger, {
    memoryWarning: 'EVENTS=memory: order events are published to an in-process bus only',
    registry,
  });
  const clients: CloseHook[] = [users, products];
  // A failed start must not leave open clients keeping the process alive.
  const storage = await openOrClose([...publisher.closeHooks, ...clients], () =>
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
    users,
    products,
    registry,
    readinessChecks: { ...storage.readinessChecks, ...publisher.readinessChecks },
    closeHooks: [
      { name: 'outbox-relay', close: () => relay.stop() },
      ...publisher.closeHooks,
      ...clients,
      ...storage.closeHooks,
    ],
    ...(publisher.bus && { bus: publisher.bus }),
  };
}
