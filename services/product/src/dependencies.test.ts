import type { Logger, RedisTestProcess, RunningService } from '@platform/common';
import {
  ConfigError,
  InMemoryCache,
  InMemoryEventBus,
  createLogger,
  start,
  startRedisServer,
} from '@platform/common';
// Test-only: inspects the keys the service wrote, with the client @platform/common ships (hoisted).
import { Redis } from 'ioredis';
import { createProductApp } from './app';
import { buildDependencies } from './dependencies';
import { InMemoryProductRepository } from './in-memory-product-repository';
import { loadProductConfig } from './product-config';
import type { Product } from './product';

const silent: Logger = createLogger({
  serviceName: 'product',
  serviceVersion: 'test',
  track: 'stable',
  logLevel: 'silent',
});

async function configProblems(env: Record<string, string>): Promise<readonly string[]> {
  const config = loadProductConfig(env);
  try {
    await buildDependencies(config, silent, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('buildDependencies did not refuse the configuration');
}

describe('buildDependencies', () => {
  it('uses in-memory adapters by default, without reading any store setting', async () => {
    const dependencies = await buildDependencies(loadProductConfig({}), silent, {});
    expect(dependencies.repository).toBeInstanceOf(InMemoryProductRepository);
    expect(dependencies.cache).toBeInstanceOf(InMemoryCache);
    expect(dependencies.events).toBeInstanceOf(InMemoryEventBus);
    expect(dependencies.readinessChecks).toEqual({});
    expect(dependencies.closeHooks).toEqual([]);
  });

  it('refuses STORAGE=platform without MongoDB and Kafka settings, naming each', async () => {
    const problems = await configProblems({ STORAGE: 'platform' });
    expect(problems).toEqual([
      'MONGODB_URI is required (a connection string starting with mongodb:// or mongodb+srv://)',
      'KAFKA_BROKERS is required (a comma-separated list of host:port (port 1-65535))',
    ]);
  });

  it('refuses STORAGE=platform without a Redis address before connecting to anything', async () => {
    const problems = await configProblems({
      STORAGE: 'platform',
      MONGODB_URI: 'mongodb://127.0.0.1:1/product',
      KAFKA_BROKERS: '127.0.0.1:2',
    });
    expect(problems).toEqual([
      'REDIS_SENTINELS or REDIS_URL is required (sentinels in the cluster, a URL for a local Redis)',
    ]);
  });
});

// The whole platform wiring needs MongoDB, e.g. MONGO_URL=mongodb://127.0.0.1:27017/?replicaSet=rs0.
// Redis is a real redis-server on loopback; Kafka is an unreachable address (events are best effort).
const MONGO_URL = process.env.MONGO_URL;
const withMongo = MONGO_URL !== undefined && MONGO_URL !== '';
const describeMongo = withMongo ? describe : describe.skip;
const label = withMongo
  ? 'STORAGE=platform'
  : 'STORAGE=platform (skipped: MONGO_URL is not set; needs MongoDB, starts redis-server itself)';

describeMongo(label, () => {
  let redis: RedisTestProcess | undefined;
  let running: RunningService | undefined;

  afterAll(async () => {
    await running?.shutdown('test done');
    await redis?.stop();
  });

  it('serves from MongoDB, caches products in Redis under the service prefix, and closes cleanly', async () => {
    redis = await startRedisServer({ password: 'test-password' });
    const env = {
      STORAGE: 'platform',
      LOG_LEVEL: 'silent',
      MONGODB_URI: MONGO_URL ?? '',
      MONGODB_DATABASE: `product_deps_${Date.now()}`,
      REDIS_URL: `redis://127.0.0.1:${redis.port}`,
      REDIS_PASSWORD: 'test-password',
      KAFKA_BROKERS: '127.0.0.1:1',
    };
    const config = loadProductConfig(env);
    const { closeHooks, ...dependencies } = await buildDependencies(config, silent, env);
    running = await start(createProductApp({ config, logger: silent, ...dependencies }), {
      port: 0,
      host: '127.0.0.1',
      closeHooks,
    });

    const created = await fetch(`${running.url}/api/products`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        sku: 'DEP-1',
        name: 'Dep',
        price: 1,
        currency: 'EUR',
        category: 'tools',
        stock: 1,
      }),
    });
    expect(created.status).toBe(201);
    const product = (await created.json()) as Product;
    expect((await fetch(`${running.url}/api/products/${product.id}`)).status).toBe(200);
    expect((await fetch(`${running.url}/ready`)).status).toBe(200);

    const client = new Redis({ host: '127.0.0.1', port: redis.port, password: 'test-password' });
    try {
      expect(JSON.parse((await client.get(`product:item:v1:${product.id}`)) ?? 'null')).toEqual(product);
    } finally {
      client.disconnect();
    }
    expect(await running.shutdown('test done')).toBe(0);
  }, 60_000);
});
