import { randomUUID } from 'node:crypto';
import type { RunningService } from '@platform/common';
import {
  InMemoryCache,
  InMemoryEventBus,
  InMemoryOutboxStore,
  InMemoryRateLimiter,
  createLogger,
  loadConfig,
  signAccessToken,
  start,
} from '@platform/common';
import { createProductApp } from '../../product/src/app';
import { InMemoryProductRepository } from '../../product/src/in-memory-product-repository';
import { createUserApp } from '../../user/src/app';
import { InMemoryUserRepository } from '../../user/src/in-memory-user-repository';
import { createOrderApp } from './app';
import { buildDependencies } from './dependencies';
import { loadOrderConfig } from './order-config';

// Order against real user and product services over HTTP on loopback, wired as in the clusters: one
// access-token key for all (JWT_SECRET), order's SERVICE_TOKEN_KEY equal to their SERVICE_KEY_ORDER.
const JWT = { secret: 'end-to-end-access-token-key-of-32-bytes!', issuer: 'platform-e2e' };
const ORDER_KEY = 'end-to-end-order-service-key-of-32-bytes';

const running: RunningService[] = [];
afterEach(async () => {
  for (const service of running.splice(0).reverse()) await service.shutdown('test done');
});

async function startPlatform(orderKey = ORDER_KEY) {
  const serviceKeys = new Map([['order', [ORDER_KEY]]]);
  const silent = (name: string) => loadConfig({ env: { SERVICE_NAME: name, LOG_LEVEL: 'silent' } });
  const userConfig = silent('user');
  const user = await start(
    createUserApp({
      config: userConfig,
      logger: createLogger(userConfig),
      repository: new InMemoryUserRepository(),
      outbox: new InMemoryOutboxStore(),
      rateLimiter: new InMemoryRateLimiter(),
      jwt: { ...JWT, ttlSeconds: 300 },
      serviceKeys,
    }),
    { port: 0, host: '127.0.0.1', idleDrainMs: 0 },
  );
  running.push(user);
  const productConfig = silent('product');
  const product = await start(
    createProductApp({
      config: productConfig,
      logger: createLogger(productConfig),
      repository: new InMemoryProductRepository(),
      cache: new InMemoryCache(),
      events: new InMemoryEventBus(),
      jwt: JWT,
      serviceKeys,
    }),
    { port: 0, host: '127.0.0.1', idleDrainMs: 0 },
  );
  running.push(product);

  // As order's main does it: the config from the environment, then the dependencies.
  const config = loadOrderConfig({
    JWT_SECRET: JWT.secret,
    JWT_ISSUER: JWT.issuer,
    USER_SERVICE_URL: user.url,
    PRODUCT_SERVICE_URL: product.url,
    SERVICE_TOKEN_KEY: orderKey,
    LOG_LEVEL: 'silent',
  });
  const logger = createLogger(config);
  const { closeHooks, bus: _bus, ...deps } = await buildDependencies(config, logger);
  const order = await start(createOrderApp({ config, logger, ...deps, jwt: JWT }), {
    port: 0,
    host: '127.0.0.1',
    idleDrainMs: 0,
    closeHooks,
  });
  running.push(order);
  return { user: user.url, product: product.url, order: order.url };
}

async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

/** A registered customer's access token, from the user service's own login. */
async function customer(userUrl: string): Promise<string> {
  const credentials = { email: `ada-${randomUUID()}@example.com`, password: 'correct horse battery staple' };
  expect((await post(`${userUrl}/api/auth/register`, { ...credentials, name: 'Ada' })).status).toBe(201);
  const login = await post(`${userUrl}/api/auth/login`, credentials);
  return ((await login.json()) as { accessToken: string }).accessToken;
}

async function addProduct(productUrl: string, stock: number): Promise<string> {
  const manager = signAccessToken(
    { sub: randomUUID(), email: 'catalog@example.com', roles: ['catalog-manager'] },
    { ...JWT, ttlSeconds: 300 },
  );
  const res = await post(
    `${productUrl}/api/products`,
    {
      sku: `SKU-${stock}-${Date.now()}`,
      name: 'Thing',
      price: 250,
      currency: 'EUR',
      category: 'tools',
      stock,
    },
    { authorization: `Bearer ${manager}` },
  );
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

const stockOf = async (productUrl: string, id: string) =>
  ((await (await fetch(`${productUrl}/api/products/${id}`)).json()) as { stock: number }).stock;

function placeOrder(orderUrl: string, token: string, items: unknown[]): Promise<Response> {
  return post(
    `${orderUrl}/api/orders`,
    { items },
    { authorization: `Bearer ${token}`, 'idempotency-key': randomUUID() },
  );
}

describe('order with real user and product services', () => {
  it('places an order, checking the user and reserving stock as the order service', async () => {
    const urls = await startPlatform();
    const token = await customer(urls.user);
    const productId = await addProduct(urls.product, 5);
    const res = await placeOrder(urls.order, token, [{ productId, quantity: 2 }]);
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ status: 'pending_payment', total: 500, currency: 'EUR' });
    expect(await stockOf(urls.product, productId)).toBe(3);
  });

  it('releases what it reserved when a later item is short, and answers 409', async () => {
    const urls = await startPlatform();
    const token = await customer(urls.user);
    const plenty = await addProduct(urls.product, 5);
    const scarce = await addProduct(urls.product, 1);
    const res = await placeOrder(urls.order, token, [
      { productId: plenty, quantity: 2 },
      { productId: scarce, quantity: 2 },
    ]);
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ error: 'insufficient_stock' });
    expect(await stockOf(urls.product, plenty)).toBe(5);
    expect(await stockOf(urls.product, scarce)).toBe(1);
  });

  it('refuses a valid token of a user the user service does not know (422 unknown_user)', async () => {
    const urls = await startPlatform();
    const productId = await addProduct(urls.product, 5);
    const stranger = signAccessToken(
      { sub: randomUUID(), email: 'x@example.com' },
      { ...JWT, ttlSeconds: 300 },
    );
    const res = await placeOrder(urls.order, stranger, [{ productId, quantity: 1 }]);
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({ error: 'unknown_user' });
    expect(await stockOf(urls.product, productId)).toBe(5);
  });

  it('fails closed with 503 when its service key is not the one the others hold', async () => {
    const urls = await startPlatform('a-different-order-key-of-at-least-32-bytes');
    const token = await customer(urls.user);
    const productId = await addProduct(urls.product, 5);
    const res = await placeOrder(urls.order, token, [{ productId, quantity: 1 }]);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ error: 'dependency_unavailable' });
    expect(await stockOf(urls.product, productId)).toBe(5);
  });
});
