import type { CloseHook, Logger, ServiceApp } from '@platform/common';
import { createOrderApp } from './app';
import { buildDependencies } from './dependencies';
import type { OrderConfig } from './order-config';

/** The order service as main.ts runs it: adapters from the config, then the app (one place, also for tests). */
export async function buildOrderService(
  config: OrderConfig,
  logger: Logger,
): Promise<{ service: ServiceApp; closeHooks: readonly CloseHook[] }> {
  const { closeHooks, bus: _bus, ...dependencies } = await buildDependencies(config, logger);
  const service = createOrderApp({
    config,
    logger,
    ...dependencies,
    jwt: { secret: config.JWT_SECRET, issuer: config.JWT_ISSUER },
  });
  return { service, closeHooks };
}
