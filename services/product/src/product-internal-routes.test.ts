import type { RunningService } from '@platform/common';
import {
  InMemoryCache,
  InMemoryEventBus,
  SERVICE_TOKEN_HEADER,
  createLogger,
  loadConfig,
  refusedServiceTokens,
  signAccessToken,
  signServiceToken,
  start,
} from '@platform/common';
import { randomUUID } from 'node:crypto';
import { createProductApp } from './app';
import { InMemoryProductRepository } from './in-memory-product-repository';
import type { Product } from './product';
import { TEST_JWT, bearer } from './product-auth.fixture';

const ORDER_KEY = 'order-service-key-of-at-least-32-bytes!!';
const BILLING_KEY = 'billing-service-key-of-at-least-32-bytes';
let running: RunningService;
let events: InMemoryEventBus;
let product: Product;

beforeEach(async () => {
  const config = loadConfig({ env: { SERVICE_NAME: 'product', LOG_LEVEL: 'silent' } });
  events = new InMemoryEventBus();
  const service = createProductApp({
    config,
    logger: createLogger(config),
    repository: new InMemoryProductRepository(),
    cache: new InMemoryCache(),
    events,
    jwt: TEST_JWT,
    serviceKeys: new Map([
      ['order', [ORDER_KEY]],
      ['billing', [BILLING_KEY]],
    ]),
  });
  running = await start(service, { port: 0, host: '127.0.0.1', idleDrainMs: 0 });
  const res = await fetch(`${running.url}/api/products`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...bearer() },
    body: JSON.stringify({
      sku: 'HAM-001',
      name: 'Hammer',
      price: 1999,
      currency: 'EUR',
      category: 'tools',
      stock: 5,
    }),
  });
  product = (await res.json()) as Product;
});

afterEach(() => running.shutdown('test done'));

const asOrder = () => ({
  [SERVICE_TOKEN_HEADER]: signServiceToken({ caller: 'order', audience: 'product' }, ORDER_KEY),
});

function adjust(id: string, body: unknown, headers: Record<string, string>): Promise<Response> {
  return fetch(`${running.url}/internal/products/${id}/stock`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

const stock = async (id: string) =>
  ((await (await fetch(`${running.url}/api/products/${id}`)).json()) as Product).stock;

describe('PATCH /internal/products/:id/stock', () => {
  it('reserves and releases stock for the order service, answering the product like the inventory API', async () => {
    // Read first, so the cache holds the product: the change must invalidate it.
    expect(await stock(product.id)).toBe(5);
    const reserved = await adjust(product.id, { delta: -3 }, asOrder());
    expect(reserved.status).toBe(200);
    expect(await reserved.json()).toMatchObject({ id: product.id, stock: 2 });
    expect(await stock(product.id)).toBe(2);
    expect((await adjust(product.id, { delta: 3 }, asOrder())).status).toBe(200);
    expect(await stock(product.id)).toBe(5);
    expect(
      events.events('analytics-events').map((e) => [e.type, (e.data as { delta?: number }).delta]),
    ).toEqual([
      ['product.created', undefined],
      ['inventory.changed', -3],
      ['inventory.changed', 3],
    ]);
    const metrics = await (await fetch(`${running.url}/metrics`)).text();
    expect(metrics).toMatch(
      /inventory_adjustments_total\{direction="decrease",outcome="applied",[^}]*\} 1\n/,
    );
  });

  it('answers 409 insufficient_stock without changing the stock, 404 for an unknown product, 400 for delta 0', async () => {
    const refused = await adjust(product.id, { delta: -6 }, asOrder());
    expect(refused.status).toBe(409);
    expect(await refused.json()).toMatchObject({ error: 'insufficient_stock' });
    expect(await stock(product.id)).toBe(5);
    expect((await adjust(randomUUID(), { delta: -1 }, asOrder())).status).toBe(404);
    expect((await adjust(product.id, { delta: 0 }, asOrder())).status).toBe(400);
  });

  it('answers 401 to a catalog manager and to every kind of bad service token, changing nothing', async () => {
    const userToken = signAccessToken(
      { sub: randomUUID(), email: 'manager@example.com', roles: ['catalog-manager', 'admin'] },
      { ...TEST_JWT, ttlSeconds: 300 },
    );
    const cases = refusedServiceTokens({ audience: 'product', caller: 'order', key: ORDER_KEY, userToken });
    const answers = await Promise.all(
      cases.map(async ({ what, headers }) => [
        what,
        (await adjust(product.id, { delta: -1 }, { ...headers })).status,
      ]),
    );
    expect(answers).toEqual(cases.map(({ what }) => [what, 401]));
    expect(await stock(product.id)).toBe(5);
  });

  it('answers 403 to a known service the route does not name', async () => {
    const token = signServiceToken({ caller: 'billing', audience: 'product' }, BILLING_KEY);
    const res = await adjust(product.id, { delta: -1 }, { [SERVICE_TOKEN_HEADER]: token });
    expect(res.status).toBe(403);
    expect(await stock(product.id)).toBe(5);
  });

  it('leaves the public inventory API to catalog managers: a service token is no access token', async () => {
    const res = await fetch(`${running.url}/api/products/${product.id}/inventory`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', ...asOrder() },
      body: JSON.stringify({ delta: -1 }),
    });
    expect(res.status).toBe(401);
  });
});
