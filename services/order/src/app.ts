import type {
  JwtOptions,
  Logger,
  OutboxStore,
  ReadinessCheck,
  Registry,
  ServiceApp,
  ServiceClient,
  ServiceConfig,
} from '@platform/common';
import { createApp } from '@platform/common';
import { ProductCatalog, UserDirectory } from './catalog-clients';
import type { OrderRepository } from './order-repository';
import { orderRoutes } from './order-routes';
import { OrderService } from './order-service';

export interface OrderAppOptions {
  readonly config: ServiceConfig;
  readonly logger: Logger;
  readonly repository: OrderRepository;
  /** Must share the repository's transactions (same database), so events commit with their orders. */
  readonly outbox: OutboxStore;
  /** The user service (one client per service, with its own breaker). */
  readonly users: ServiceClient;
  /** The product service. */
  readonly products: ServiceClient;
  readonly jwt: JwtOptions;
  readonly readinessChecks?: Readonly<Record<string, ReadinessCheck>>;
  /** The registry /metrics serves; pass the one the service clients record into (dependencies.ts). */
  readonly registry?: Registry;
  readonly now?: () => Date;
}

// 50 items of a UUID and a quantity fit in about 4 kB; anything far larger is not an order.
const BODY_LIMIT = '16kb';

export function createOrderApp(options: OrderAppOptions): ServiceApp {
  const { config, logger, repository, jwt } = options;
  const service = new OrderService({
    repository,
    outbox: options.outbox,
    users: new UserDirectory(options.users),
    products: new ProductCatalog(options.products),
    source: config.serviceName,
    ...(options.now !== undefined && { now: options.now }),
  });
  return createApp({
    config,
    logger,
    bodyLimit: BODY_LIMIT,
    ...(options.readinessChecks !== undefined && { readinessChecks: options.readinessChecks }),
    ...(options.registry !== undefined && { registry: options.registry }),
    routes: (context) => orderRoutes({ service, repository, jwt }, context),
  });
}
