import type { Request, Response } from 'express';
import { Router } from 'express';
import type { JwtOptions, RouteContext } from '@platform/common';
import { Counter, getAuth, getRequestId, getRequestLogger, parseInput, requireAuth } from '@platform/common';
import type { IdempotentResult } from './idempotency';
import { REPLAYED_HEADER, fingerprint, readIdempotencyKey, runIdempotently } from './idempotency';
import type { Order } from './order';
import type { OrderRepository } from './order-repository';
import { listQuery, newOrderBody, orderId, payBody } from './order-schemas';
import type { Caller, OrderService } from './order-service';

export interface OrderRoutesOptions {
  readonly service: OrderService;
  /** For the idempotency records. */
  readonly repository: OrderRepository;
  readonly jwt: JwtOptions;
}

function idParam(req: Request): string {
  return parseInput(orderId, req.params.id, 'id');
}

function reply(res: Response, { response, replayed }: IdempotentResult): void {
  if (replayed) res.setHeader(REPLAYED_HEADER, 'true');
  if (response.location !== undefined) res.location(response.location);
  res.status(response.status).json(response.body);
}

/** The orders API; every endpoint needs a Bearer token and works on the caller's own orders only. */
export function orderRoutes(
  { service, repository, jwt }: OrderRoutesOptions,
  { registry, logger }: RouteContext,
): Router {
  const ordersCreated = new Counter({
    name: 'orders_created_total',
    help: 'Orders placed (idempotent replays not counted)',
    registers: [registry],
  });
  const ordersPaid = new Counter({
    name: 'orders_paid_total',
    help: 'Orders paid (idempotent replays not counted)',
    registers: [registry],
  });
  const revenue = new Counter({
    name: 'order_revenue_cents_total',
    help: 'Paid order totals in minor units (cents), by currency',
    labelNames: ['currency'] as const,
    registers: [registry],
  });

  const auth = requireAuth(jwt);
  const caller = (req: Request, res: Response): Caller => {
    const requestId = getRequestId(res);
    const claims = getAuth(res);
    return {
      userId: claims.sub,
      email: claims.email,
      log: getRequestLogger(res, logger),
      ...(requestId !== undefined && { requestId }),
      ...(req.headers.authorization !== undefined && { authorization: req.headers.authorization }),
    };
  };

  const router = Router();

  router.get('/api/orders', auth, async (req, res) => {
    const { page, limit, ...filter } = parseInput(listQuery, req.query, 'query');
    const result = await service.list(getAuth(res).sub, filter, { offset: (page - 1) * limit, limit });
    res.json({ items: result.items, page, limit, total: result.total });
  });

  router.get('/api/orders/:id', auth, async (req, res) => {
    res.json(await service.get(idParam(req), getAuth(res).sub));
  });

  router.post('/api/orders', auth, async (req, res) => {
    const input = parseInput(newOrderBody, req.body);
    const key = readIdempotencyKey(req);
    const who = caller(req, res);
    const request =
      key === undefined
        ? undefined
        : { scope: { userId: who.userId, key }, fingerprint: fingerprint('place', input) };
    const result = await runIdempotently(repository, request, who.log, (attempt) =>
      service.place(input, who, attempt),
    );
    if (!result.replayed) {
      const order = result.response.body as Order;
      ordersCreated.inc();
      who.log.info({ orderId: order.id, total: order.total, currency: order.currency }, 'order placed');
    }
    reply(res, result);
  });

  router.post('/api/orders/:id/pay', auth, async (req, res) => {
    const id = idParam(req);
    const input = parseInput(payBody, req.body);
    const key = readIdempotencyKey(req);
    const who = caller(req, res);
    const request =
      key === undefined
        ? undefined
        : { scope: { userId: who.userId, key }, fingerprint: fingerprint('pay', { id, ...input }) };
    const result = await runIdempotently(repository, request, who.log, (attempt) =>
      service.pay(id, input, who, attempt),
    );
    if (!result.replayed) {
      const order = result.response.body as Order;
      ordersPaid.inc();
      revenue.inc({ currency: order.currency }, order.total);
      who.log.info({ orderId: order.id, method: input.method }, 'order paid');
    }
    reply(res, result);
  });

  return router;
}
