import type { RunningService } from '@platform/common';
import {
  HttpServiceClient,
  InMemoryOutboxStore,
  createLogger,
  signAccessToken,
  start,
} from '@platform/common';
import { createOrderApp } from './app';
import { buildDependencies } from './dependencies';
import { InMemoryOrderRepository } from './in-memory-order-repository';
import { loadOrderConfig } from './order-config';

const JWT_SECRET = 'a-signing-key-that-is-at-least-32-bytes';
const env = {
  JWT_SECRET,
  USER_SERVICE_URL: 'http://127.0.0.1:1',
  PRODUCT_SERVICE_URL: 'http://127.0.0.1:2',
  SERVICE_TOKEN_KEY: 'order-service-key-of-at-least-32-bytes!!',
  LOG_LEVEL: 'silent',
};

describe('buildDependencies', () => {
  let running: RunningService | undefined;
  afterEach(async () => {
    await running?.shutdown('test done');
    running = undefined;
  });

  it('wires in-memory storage, the outbox relay and one HTTP client per called service', async () => {
    const config = loadOrderConfig(env);
    const deps = await buildDependencies(config, createLogger(config));
    expect(deps.repository).toBeInstanceOf(InMemoryOrderRepository);
    expect(deps.outbox).toBeInstanceOf(InMemoryOutboxStore);
    expect(deps.users).toBeInstanceOf(HttpServiceClient);
    expect(deps.products).toBeInstanceOf(HttpServiceClient);
    expect(deps.users).not.toBe(deps.products);
    expect(deps.readinessChecks).toEqual({});
    expect(deps.closeHooks.map((hook) => hook.name)).toEqual(['outbox-relay', 'user', 'product']);
    for (const hook of deps.closeHooks) await hook.close();
  });

  it('publishes through Kafka with EVENTS=kafka, stopping the relay before the producer', async () => {
    const config = loadOrderConfig({ ...env, EVENTS: 'kafka', KAFKA_BROKERS: '127.0.0.1:3' });
    const deps = await buildDependencies(config, createLogger(config));
    expect(deps.bus).toBeUndefined();
    expect(deps.readinessChecks).toEqual({});
    expect(deps.closeHooks.map((hook) => hook.name)).toEqual([
      'outbox-relay',
      'kafka-producer',
      'user',
      'product',
    ]);
    for (const hook of deps.closeHooks) await hook.close();
  });

  it("records the service clients' calls in the registry the app serves on /metrics", async () => {
    const config = loadOrderConfig(env);
    const { closeHooks, bus: _bus, ...deps } = await buildDependencies(config, createLogger(config));
    const service = createOrderApp({
      config,
      logger: createLogger(config),
      ...deps,
      jwt: { secret: JWT_SECRET, issuer: config.JWT_ISSUER },
    });
    expect(service.metrics.registry).toBe(deps.registry);
    running = await start(service, { port: 0, host: '127.0.0.1', idleDrainMs: 0, closeHooks });
    const bearer = signAccessToken(
      { sub: '6b1d7c1e-0f55-4c0e-9d0a-3c2f1b4a5e60', email: 'ada@example.com' },
      { secret: JWT_SECRET, issuer: config.JWT_ISSUER, ttlSeconds: 60 },
    );
    const res = await fetch(`${running.url}/api/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` },
      body: JSON.stringify({ items: [{ productId: '0c9e8f7d-6b5a-4e3d-8c2b-1a0f9e8d7c6b', quantity: 1 }] }),
    });
    expect(res.status).toBe(503);
    const metrics = await (await fetch(`${running.url}/metrics`)).text();
    expect(metrics).toMatch(
      /^dependency_request_duration_seconds_count\{[^}]*service="order"[^}]*dependency="user"[^}]*\} 1$/m,
    );
  });
});

// The MongoDB wiring needs a replica set (transactions), e.g. MONGO_URL=mongodb://127.0.0.1:27017/?replicaSet=rs0.
const MONGO_URL = process.env.MONGO_URL;
const withMongo = MONGO_URL !== undefined && MONGO_URL !== '';
const describeMongo = withMongo ? describe : describe.skip;
const label = withMongo ? 'STORAGE=mongo' : 'STORAGE=mongo (skipped: MONGO_URL is not set)';

describeMongo(label, () => {
  it('opens the repository and the outbox on one database, ready only with MongoDB', async () => {
    const config = loadOrderConfig({
      ...env,
      STORAGE: 'mongo',
      MONGODB_URI: MONGO_URL ?? '',
      MONGODB_DATABASE: `order_deps_${Date.now()}`,
    });
    const deps = await buildDependencies(config, createLogger(config));
    try {
      expect(Object.keys(deps.readinessChecks)).toEqual(['mongodb']);
      await deps.readinessChecks.mongodb!(new AbortController().signal);
      expect(deps.closeHooks.map((hook) => hook.name)).toEqual([
        'outbox-relay',
        'user',
        'product',
        'mongodb',
      ]);
    } finally {
      for (const hook of deps.closeHooks) await hook.close();
    }
  }, 60_000);
});
