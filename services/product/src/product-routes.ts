import type { Request } from 'express';
import { Router } from 'express';
import type { RouteContext } from '@platform/common';
import { ConflictError, Counter, NotFoundError, getRequestLogger, parseInput } from '@platform/common';
import type { ProductRepository } from './product-repository';
import { inventoryBody, listQuery, newProductBody, productId } from './product-schemas';

function idParam(req: Request): string {
  return parseInput(productId, req.params.id, 'id');
}

function notFound(id: string): NotFoundError {
  return new NotFoundError(`Product ${id} not found`);
}

/** The catalog and inventory API. */
export function productRoutes(repository: ProductRepository, { registry, logger }: RouteContext): Router {
  const inventoryAdjustments = new Counter({
    name: 'inventory_adjustments_total',
    help: 'Stock adjustment requests by direction and outcome',
    labelNames: ['direction', 'outcome'] as const,
    registers: [registry],
  });

  const router = Router();

  router.get('/api/products', async (req, res) => {
    const { page, limit, ...filter } = parseInput(listQuery, req.query, 'query');
    const result = await repository.list(filter, { offset: (page - 1) * limit, limit });
    res.json({ items: result.items, page, limit, total: result.total });
  });

  router.get('/api/products/:id', async (req, res) => {
    const id = idParam(req);
    const product = await repository.get(id);
    if (!product) throw notFound(id);
    res.json(product);
  });

  router.post('/api/products', async (req, res) => {
    const input = parseInput(newProductBody, req.body);
    const result = await repository.create(input);
    if (!result.ok)
      throw new ConflictError(`A product with sku "${input.sku}" already exists`, 'duplicate_sku');
    getRequestLogger(res, logger).info({ productId: result.product.id, sku: input.sku }, 'product created');
    res.status(201).location(`/api/products/${result.product.id}`).json(result.product);
  });

  router.patch('/api/products/:id/inventory', async (req, res) => {
    const id = idParam(req);
    const { delta } = parseInput(inventoryBody, req.body);
    const result = await repository.adjustStock(id, delta);
    const direction = delta > 0 ? 'increase' : 'decrease';
    inventoryAdjustments.inc({ direction, outcome: result.ok ? 'applied' : result.reason });
    if (result.ok) {
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
