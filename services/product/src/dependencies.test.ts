import { randomUUID } from 'node:crypto';
import type { Logger, RedisTestProcess, RunningService } from '@platform/common';
import {
  InMemoryCache,
  InMemoryEventBus,
  KafkaEventPublisher,
  RedisCache,
  createLogger,
  start,
  startRedisServer,
} from '@platform/common';
// Test-only: inspects the keys the service wrote, with the client @platform/common ships (hoisted).
import { Redis } from 'ioredis';
import { createProductApp } from './app';
import { TEST_JWT, bearer } from './product-auth.fixture';
import { buildDependencies } from './dependencies';
import { InMemoryProductRepository } from './in-memory-product-repository';
import type { Product } from './product';
import { loadProductConfig } from './product-config';

const silent: Logger = createLogger({
  serviceName: 'product',
  serviceVersion: 'test',
  track: 'stable',
  logLevel: 'silent',
});

const hammer = { sku: 'DEP-1', name: 'Dep', price: 1, currency: 'EUR', category: 'tools', stock: 1 };

async function serve(env: Record<string, string>): Promise<RunningService> {
  const config = loadProductConfig({ LOG_LEVEL: 'silent', JWT_SECRET: TEST_JWT.secret, ...env });
  const { closeHooks, ...dependencies } = await buildDependencies(config, silent);
  const jwt = { secret: config.JWT_SECRET, issuer: config.JWT_ISSUER };
  return start(createProductApp({ config, logger: silent, ...dependencies, jwt }), {
    port: 0,
    host: '127.0.0.1',
    closeHooks,
  });
}

async function createProduct(running: RunningService, sku = hammer.sku): Promise<Product> {
  const res = await fetch(`${running.url}/api/products`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...bearer() },
    body: JSON.stringify({ ...hammer, sku }),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as Product;
}

describe('buildDependencies', () => {
  it('uses in-memory adapters by default, with no readiness check and nothing to close', async () => {
    const dependencies = await buildDependencies(loadProductConfig({ JWT_SECRET: TEST_JWT.secret }), silent);
    expect(dependencies.repository).toBeInstanceOf(InMemoryProductRepository);
    expect(dependencies.cache).toBeInstanceOf(InMemoryCache);
    expect(dependencies.events).toBeInstanceOf(InMemoryEventBus);
    expect(dependencies.readinessChecks).toEqual({});
    expect(dependencies.closeHooks).toEqual([]);
  });

  it('publishes to Kafka with EVENTS=kafka, without a readiness check, closing the producer', async () => {
    const config = loadProductConfig({
      JWT_SECRET: TEST_JWT.secret,
      EVENTS: 'kafka',
      KAFKA_BROKERS: '127.0.0.1:1',
    });
    const dependencies = await buildDependencies(config, silent);
    expect(dependencies.events).toBeInstanceOf(KafkaEventPublisher);
    expect(dependencies.readinessChecks).toEqual({});
    expect(dependencies.closeHooks.map((h) => h.name)).toEqual(['kafka-producer']);
    for (const hook of dependencies.closeHooks) await hook.close();
  });
});

describe('CACHE=redis on a real redis-server', () => {
  let redis: RedisTestProcess;
  beforeAll(async () => {
    redis = await startRedisServer({ password: 'test-password' });
  });
  afterAll(async () => {
    await redis.stop();
  });

  it('caches products in Redis under the service prefix, and closes the client at shutdown', async () => {
    const config = loadProductConfig({
      JWT_SECRET: TEST_JWT.secret,
      CACHE: 'redis',
      REDIS_URL: `redis://127.0.0.1:${redis.port}`,
      REDIS_PASSWORD: 'test-password',
    });
    const dependencies = await buildDependencies(config, silent);
    expect(dependencies.cache).toBeInstanceOf(RedisCache);
    expect(dependencies.readinessChecks).toEqual({});
    expect(dependencies.closeHooks.map((h) => h.name)).toEqual(['redis']);
    for (const hook of dependencies.closeHooks) await hook.close();

    const running = await serve({
      CACHE: 'redis',
      REDIS_URL: `redis://127.0.0.1:${redis.port}`,
      REDIS_PASSWORD: 'test-password',
    });
    const client = new Redis({ host: '127.0.0.1', port: redis.port, password: 'test-password' });
    try {
      const product = await createProduct(running);
      // The service's client connects in the background; the first reads may miss the cache.
      for (let tries = 0; (await client.get(`product:item:v1:${product.id}`)) === null; tries++) {
        if (tries > 50) throw new Error('the product never reached the cache');
        expect((await fetch(`${running.url}/api/products/${product.id}`)).status).toBe(200);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(JSON.parse((await client.get(`product:item:v1:${product.id}`)) ?? 'null')).toEqual(product);
      expect((await fetch(`${running.url}/ready`)).status).toBe(200);
    } finally {
      client.disconnect();
    }
    expect(await running.shutdown('test done')).toBe(0);
  });

  it('keeps serving, and stays ready, while Redis is unreachable', async () => {
    const down = await startRedisServer();
    const port = down.port;
    await down.stop();
    const running = await serve({ CACHE: 'redis', REDIS_URL: `redis://127.0.0.1:${port}` });
    const product = await createProduct(running, `DEP-${randomUUID().slice(0, 6).toUpperCase()}`);
    expect((await fetch(`${running.url}/api/products/${product.id}`)).status).toBe(200);
    expect((await fetch(`${running.url}/ready`)).status).toBe(200);
    expect(await running.shutdown('test done')).toBe(0);
    // ioredis keeps each refused command's 2 s timeout timer running; let them end with the test.
    await new Promise((resolve) => setTimeout(resolve, 2100));
  });
});

// The whole platform wiring needs MongoDB, e.g. MONGO_URL=mongodb://127.0.0.1:27017/?replicaSet=rs0.
// Redis is a real redis-server on loopback; Kafka is an unreachable address (events are best effort).
const MONGO_URL = process.env.MONGO_URL;
const withMongo = MONGO_URL !== undefined && MONGO_URL !== '';
const describeMongo = withMongo ? describe : describe.skip;
const label = withMongo
  ? 'STORAGE=mongo, EVENTS=kafka, CACHE=redis'
  : 'STORAGE=mongo, EVENTS=kafka, CACHE=redis (skipped: MONGO_URL is not set; needs MongoDB)';

describeMongo(label, () => {
  let redis: RedisTestProcess | undefined;
  let running: RunningService | undefined;

  afterAll(async () => {
    await running?.shutdown('test done');
    await redis?.stop();
  });

  it('serves from MongoDB, is ready only with MongoDB, and closes everything cleanly', async () => {
    redis = await startRedisServer({ password: 'test-password' });
    running = await serve({
      STORAGE: 'mongo',
      EVENTS: 'kafka',
      CACHE: 'redis',
      MONGODB_URI: MONGO_URL ?? '',
      MONGODB_DATABASE: `product_deps_${Date.now()}`,
      REDIS_URL: `redis://127.0.0.1:${redis.port}`,
      REDIS_PASSWORD: 'test-password',
      KAFKA_BROKERS: '127.0.0.1:1',
    });
    const product = await createProduct(running);
    expect((await fetch(`${running.url}/api/products/${product.id}`)).status).toBe(200);
    const ready = await fetch(`${running.url}/ready`);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { mongodb: 'ok' } });
    expect(await running.shutdown('test done')).toBe(0);
  }, 60_000);
});
