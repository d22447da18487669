import type {
  Cache,
  EventPublisher,
  JwtOptions,
  Logger,
  ReadinessCheck,
  Registry,
  ServiceApp,
  ServiceConfig,
  ServiceKeys,
} from '@platform/common';
import { createApp } from '@platform/common';
import { productInternalRoutes } from './product-internal-routes';
import type { ProductRepository } from './product-repository';
import { productRoutes } from './product-routes';

export interface ProductAppOptions {
  readonly config: ServiceConfig;
  readonly logger: Logger;
  readonly repository: ProductRepository;
  /** Cache-aside store for single products (Redis in production). */
  readonly cache: Cache;
  /** Where analytics events go (Kafka in production). */
  readonly events: EventPublisher;
  /** Verifies the access tokens that catalog writes need (role catalog-manager). */
  readonly jwt: JwtOptions;
  /** Seconds a cached product may be served (default 60). */
  readonly cacheTtlSeconds?: number;
  readonly readinessChecks?: Readonly<Record<string, ReadinessCheck>>;
  /** The services that may call /internal/ (SERVICE_KEY_<CALLER>); none by default. */
  readonly serviceKeys?: ServiceKeys;
  /** The registry /metrics serves; pass the one the store clients record into (dependencies.ts). */
  readonly registry?: Registry;
}

export function createProductApp(options: ProductAppOptions): ServiceApp {
  const { config, logger, repository, cache, events, jwt } = options;
  return createApp({
    config,
    logger,
    ...(options.readinessChecks && { readinessChecks: options.readinessChecks }),
    ...(options.registry !== undefined && { registry: options.registry }),
    routes: (context) => {
      const ttl = options.cacheTtlSeconds !== undefined && { cacheTtlSeconds: options.cacheTtlSeconds };
      const serviceName = config.serviceName;
      return [
        productRoutes({ repository, cache, events, jwt, serviceName, ...ttl }, context),
        productInternalRoutes(
          { repository, cache, events, serviceName, serviceKeys: options.serviceKeys ?? new Map(), ...ttl },
          context,
        ),
      ];
    },
  });
}
