import type { Logger, ServiceApp, ServiceConfig } from '@platform/common';
import { createApp } from '@platform/common';
import type { ProductRepository } from './product-repository';
import { productRoutes } from './product-routes';

export interface ProductAppOptions {
  readonly config: ServiceConfig;
  readonly logger: Logger;
  readonly repository: ProductRepository;
}

export function createProductApp({ config, logger, repository }: ProductAppOptions): ServiceApp {
  return createApp({ config, logger, routes: (context) => productRoutes(repository, context) });
}
