import type { Request } from 'express';
import { Router } from 'express';
import type { Cache, EventPublisher, RouteContext, ServiceKeys } from '@platform/common';
import {
  ConflictError,
  NotFoundError,
  getRequestId,
  getRequestLogger,
  parseInput,
  requireServiceCaller,
} from '@platform/common';
import { DEFAULT_PRODUCT_CACHE_TTL_SECONDS, ProductCache } from './product-cache';
import { ProductEvents } from './product-events';
import type { ProductRepository } from './product-repository';
import { inventoryBody, productId } from './product-schemas';
import { sharedCounter } from './shared-counter';

export interface ProductInternalRouteDependencies {
  readonly repository: ProductRepository;
  readonly cache: Cache;
  readonly events: EventPublisher;
  /** This service's name: the `aud` of service tokens and the `source` of events. */
  readonly serviceName: string;
  /** The callers accepted at all (SERVICE_KEY_<CALLER>); each route names who of them may call it. */
  readonly serviceKeys: ServiceKeys;
  readonly cacheTtlSeconds?: number;
}

/**
 * Operations for other services only, under /internal/ (never routed by the gateway) and behind an
 * X-Service-Token: 401 without a valid one, 403 for a caller a route does not name. A user's token, even
 * a catalog manager's, is never enough here.
 */
export function productInternalRoutes(deps: ProductInternalRouteDependencies, context: RouteContext): Router {
  const { repository } = deps;
  const { logger, registry } = context;
  const callers = { audience: deps.serviceName, keys: deps.serviceKeys };
  // Same cache keys, events and counters as the public inventory change: one stock, however it moves.
  const cache = new ProductCache(
    deps.cache,
    { ttlSeconds: deps.cacheTtlSeconds ?? DEFAULT_PRODUCT_CACHE_TTL_SECONDS },
    context,
  );
  const events = new ProductEvents(deps.events, { source: deps.serviceName }, context);
  const adjustments = sharedCounter(registry, {
    name: 'inventory_adjustments_total',
    help: 'Stock adjustment requests by direction and outcome',
    labelNames: ['direction', 'outcome'] as const,
  });
  const router = Router();

  // Stock reservations (delta < 0) and their release (delta > 0) for orders: the answers of
  // PATCH /api/products/:id/inventory (200 product, 404, 409 insufficient_stock), in one atomic step.
  router.patch(
    '/internal/products/:id/stock',
    requireServiceCaller(callers, 'order'),
    async (req: Request, res) => {
      const id = parseInput(productId, req.params.id, 'id');
      const { delta } = parseInput(inventoryBody, req.body);
      const result = await repository.adjustStock(id, delta);
      adjustments.inc({
        direction: delta > 0 ? 'increase' : 'decrease',
        outcome: result.ok ? 'applied' : result.reason,
      });
      if (result.ok) {
        const log = getRequestLogger(res, logger);
        await cache.invalidate(id, log);
        await events.inventoryChanged(result.product, delta, log, getRequestId(res));
        res.json(result.product);
        return;
      }
      if (result.reason === 'not_found') throw new NotFoundError(`Product ${id} not found`);
      throw new ConflictError(
        `Cannot remove ${-delta} from stock of ${result.stock}: stock cannot go below zero`,
        'insufficient_stock',
      );
    },
  );

  return router;
}
