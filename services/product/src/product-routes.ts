import type { Request } from 'express';
import { Router } from 'express';
import type { Cache, EventPublisher, JwtOptions, RouteContext } from '@platform/common';
import {
  ConflictError,
  Counter,
  NotFoundError,
  getRequestId,
  getRequestLogger,
  parseInput,
  requireAuth,
  requireRole,
} from '@platform/common';
import { DEFAULT_PRODUCT_CACHE_TTL_SECONDS, ProductCache } from './product-cache';
import { ProductEvents } from './product-events';
import type { ProductRepository } from './product-repository';
import { inventoryBody, listQuery, newProductBody, productId } from './product-schemas';

function idParam(req: Request): string {
  return parseInput(productId, req.params.id, 'id');
}

function notFound(id: string): NotFoundError {
  return new NotFoundError(`Product ${id} not found`);
}

export interface ProductRouteDependencies {
  readonly repository: ProductRepository;
  /** Holds single products for `GET /api/products/:id`; failures only cost a repository read. */
  readonly cache: Cache;
  /** Receives `product.created` and `inventory.changed` on analytics-events, best effort. */
  readonly events: EventPublisher;
  /** Verifies access tokens: every catalog write needs the role catalog-manager. */
  readonly jwt: JwtOptions;
  /** The `source` of emitted events. */
  readonly serviceName: string;
  readonly cacheTtlSeconds?: number;
}

/** The catalog and inventory API: reads are public, writes need the role catalog-manager. */
export function productRoutes(dependencies: ProductRouteDependencies, context: RouteContext): Router {
  const { repository } = dependencies;
  const { registry, logger } = context;
  const cache = new ProductCache(
    dependencies.cache,
    { ttlSeconds: dependencies.cacheTtlSeconds ?? DEFAULT_PRODUCT_CACHE_TTL_SECONDS },
    context,
  );
  const events = new ProductEvents(dependencies.events, { source: dependencies.serviceName }, context);
  const inventoryAdjustments = new Counter({
    name: 'inventory_adjustments_total',
    help: 'Stock adjustment requests by direction and outcome',
    labelNames: ['direction', 'outcome'] as const,
    registers: [registry],
  });

  // Every write route takes this; reads stay public.
  const catalogManager = [requireAuth(dependencies.jwt), requireRole('catalog-manager')];
  const router = Router();

  router.get('/api/products', async (req, res) => {
    const { page, limit, ...filter } = parseInput(listQuery, req.query, 'query');
    const result = await repository.list(filter, { offset: (page - 1) * limit, limit });
    res.json({ items: result.items, page, limit, total: result.total });
  });

  router.get('/api/products/:id', async (req, res) => {
    const id = idParam(req);
    const log = () => getRequestLogger(res, logger);
    const cached = await cache.get(id, log);
    if (cached) {
      res.json(cached);
      return;
    }
    const product = await repository.get(id);
    // Not-found answers are not cached: a product created a moment later must be readable at once.
    if (!product) throw notFound(id);
    await cache.put(product, log);
    res.json(product);
  });

  router.post('/api/products', ...catalogManager, async (req, res) => {
    const input = parseInput(newProductBody, req.body);
    const result = await repository.create(input);
    if (!result.ok)
      throw new ConflictError(`A product with sku "${input.sku}" already exists`, 'duplicate_sku');
    const log = getRequestLogger(res, logger);
    log.info({ productId: result.product.id, sku: input.sku }, 'product created');
    // Ids are fresh UUIDs, so nothing should be cached yet; clearing anyway keeps every write an invalidation.
    await cache.invalidate(result.product.id, log);
    await events.productCreated(result.product, log, getRequestId(res));
    res.status(201).location(`/api/products/${result.product.id}`).json(result.product);
  });

  router.patch('/api/products/:id/inventory', ...catalogManager, async (req, res) => {
    const id = idParam(req);
    const { delta } = parseInput(inventoryBody, req.body);
    const result = await repository.adjustStock(id, delta);
    const direction = delta > 0 ? 'increase' : 'decrease';
    inventoryAdjustments.inc({ direction, outcome: result.ok ? 'applied' : result.reason });
    if (result.ok) {
      const log = getRequestLogger(res, logger);
      await cache.invalidate(id, log);
      await events.inventoryChanged(result.product, delta, log, getRequestId(res));
      res.json(result.product);
      return;
    }
    if (result.reason === 'not_found') throw notFound(id);
    throw new ConflictError(
      `Cannot remove ${-delta} from stock of ${result.stock}: stock cannot go below zero`,
      'insufficient_stock',
    );
  });

  return router;
}
