import type { CloseHook, Logger, OutboxStore, ReadinessCheck, ServiceClient } from '@platform/common';
import { HttpServiceClient, InMemoryOutboxStore } from '@platform/common';
import { InMemoryOrderRepository } from './in-memory-order-repository';
import type { OrderConfig } from './order-config';
import type { OrderRepository } from './order-repository';

/** Everything the app needs from outside the process, plus how to check and close it. */
export interface OrderDependencies {
  readonly repository: OrderRepository;
  /** Shares the repository's transactions, so events commit with their orders. */
  readonly outbox: OutboxStore;
  readonly users: ServiceClient;
  readonly products: ServiceClient;
  readonly readinessChecks: Readonly<Record<string, ReadinessCheck>>;
  /** Closed in order after the server stopped. */
  readonly closeHooks: readonly CloseHook[];
}

/**
 * The one place that picks adapters by STORAGE. `memory` keeps orders, idempotency records and the outbox
 * in this process: for local runs and tests only (lost on restart, not shared between replicas, and no
 * relay publishes the events). The user and product services are always called over HTTP.
 */
export async function buildDependencies(config: OrderConfig, logger: Logger): Promise<OrderDependencies> {
  // One client per service: each has its own circuit breaker, so a failing user service cannot open the
  // product service's.
  const users = new HttpServiceClient({ name: 'user', baseUrl: config.USER_SERVICE_URL, logger });
  const products = new HttpServiceClient({ name: 'product', baseUrl: config.PRODUCT_SERVICE_URL, logger });
  switch (config.STORAGE) {
    case 'memory':
      logger.warn('STORAGE=memory: orders live in this process only and no events leave it');
      return {
        repository: new InMemoryOrderRepository(),
        outbox: new InMemoryOutboxStore(),
        users,
        products,
        readinessChecks: {},
        closeHooks: [users, products],
      };
  }
}
