import type { RedisTestProcess, RunningService } from '@platform/common';
import {
  InMemoryOutboxStore,
  InMemoryRateLimiter,
  RedisRateLimiter,
  createLogger,
  start,
  startRedisServer,
} from '@platform/common';
// Test-only: inspects the keys the service wrote, with the client @platform/common ships (hoisted).
import { Redis } from 'ioredis';
import { createUserApp } from './app';
import { buildDependencies } from './dependencies';
import { InMemoryUserRepository } from './in-memory-user-repository';
import { loadUserConfig } from './user-config';
import { USER_EVENTS_TOPIC } from './user-events';

const SECRET = 'an-hmac-key-of-at-least-32-bytes!!';
const PASSWORD = 'correct horse battery staple';

async function until<T>(check: () => T | undefined | Promise<T | undefined>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The user service as main.ts wires it, for `env`, on a free loopback port. */
async function serve(env: Record<string, string>) {
  const config = loadUserConfig({ JWT_SECRET: SECRET, LOG_LEVEL: 'silent', ...env });
  const logger = createLogger(config);
  const { closeHooks, bus, ...dependencies } = await buildDependencies(config, logger);
  const service = createUserApp({
    config,
    logger,
    ...dependencies,
    jwt: { secret: config.JWT_SECRET, issuer: config.JWT_ISSUER, ttlSeconds: 60 },
    loginLimits: { maxFailuresPerEmail: 3, maxAttemptsPerIp: 100, windowSeconds: 60 },
  });
  const running = await start(service, { port: 0, host: '127.0.0.1', idleDrainMs: 0, closeHooks });
  const post = (path: string, body: unknown) =>
    fetch(`${running.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  return { running, bus, post };
}

const ada = { email: 'ada@example.com', password: PASSWORD, name: 'Ada' };
const credentials = { email: ada.email, password: ada.password };

describe('buildDependencies', () => {
  let running: RunningService | undefined;
  afterEach(async () => {
    await running?.shutdown('test done');
    running = undefined;
  });

  it('uses in-process adapters by default, says so, and relays user.registered to the bus', async () => {
    const config = loadUserConfig({ JWT_SECRET: SECRET, LOG_LEVEL: 'warn', OUTBOX_RELAY_INTERVAL_MS: '10' });
    const lines: string[] = [];
    const dependencies = await buildDependencies(
      config,
      createLogger(config, { write: (l) => lines.push(l) }),
    );
    expect(dependencies.repository).toBeInstanceOf(InMemoryUserRepository);
    expect(dependencies.outbox).toBeInstanceOf(InMemoryOutboxStore);
    expect(dependencies.rateLimiter).toBeInstanceOf(InMemoryRateLimiter);
    expect(dependencies.readinessChecks).toEqual({});
    expect(dependencies.closeHooks.map((h) => h.name)).toEqual(['outbox-relay']);
    expect(lines.join('')).toContain('STORAGE=memory');
    for (const hook of dependencies.closeHooks) await hook.close();

    const service = await serve({ OUTBOX_RELAY_INTERVAL_MS: '10' });
    running = service.running;
    expect((await service.post('/api/auth/register', ada)).status).toBe(201);
    const [event] = await until(() => {
      const events = service.bus?.events(USER_EVENTS_TOPIC) ?? [];
      return events.length > 0 ? events : undefined;
    });
    expect(event).toMatchObject({ type: 'user.registered', data: { email: 'ada@example.com' } });
  });

  it('relays to Kafka with EVENTS=kafka, without a readiness check, stopping the relay before the producer', async () => {
    const config = loadUserConfig({ JWT_SECRET: SECRET, EVENTS: 'kafka', KAFKA_BROKERS: '127.0.0.1:1' });
    const dependencies = await buildDependencies(config, createLogger({ ...config, logLevel: 'silent' }));
    expect(dependencies.bus).toBeUndefined();
    expect(dependencies.readinessChecks).toEqual({});
    expect(dependencies.closeHooks.map((h) => h.name)).toEqual(['outbox-relay', 'kafka-producer']);
    // The relay publishes only pending events; with none, nothing ever connected.
    for (const hook of dependencies.closeHooks) await hook.close();
  });
});

describe('CACHE=redis on a real redis-server', () => {
  let redis: RedisTestProcess;
  let running: RunningService | undefined;
  beforeAll(async () => {
    redis = await startRedisServer({ password: 'test-password' });
  });
  afterEach(async () => {
    await running?.shutdown('test done');
    running = undefined;
  });
  afterAll(async () => {
    await redis.stop();
  });

  it('counts login attempts in Redis under the service prefix, shared by every replica', async () => {
    const env = { CACHE: 'redis', REDIS_URL: redis.url, REDIS_PASSWORD: 'test-password' };
    const config = loadUserConfig({ JWT_SECRET: SECRET, ...env });
    const dependencies = await buildDependencies(config, createLogger({ ...config, logLevel: 'silent' }));
    expect(dependencies.rateLimiter).toBeInstanceOf(RedisRateLimiter);
    expect(dependencies.closeHooks.map((h) => h.name)).toEqual(['outbox-relay', 'redis']);
    for (const hook of dependencies.closeHooks) await hook.close();

    // Two replicas on one Redis: failures on either count towards the same limit.
    const first = await serve(env);
    const second = await serve(env);
    running = first.running;
    try {
      expect((await first.post('/api/auth/register', ada)).status).toBe(201);
      const wrong = { email: ada.email, password: 'not the password at all' };
      // The clients connect in the background; until then login answers 503.
      await until(async () =>
        (await first.post('/api/auth/login', wrong)).status === 401 ? true : undefined,
      );
      expect((await second.post('/api/auth/login', wrong)).status).toBe(401);
      expect((await first.post('/api/auth/login', wrong)).status).toBe(401);
      const refused = await second.post('/api/auth/login', credentials);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      expect(await second.running.shutdown('test done')).toBe(0);
    }

    const client = new Redis({ host: '127.0.0.1', port: redis.port, password: 'test-password' });
    try {
      const keys = await client.keys('user:login:*');
      expect(keys.sort()).toEqual([expect.stringMatching(/^user:login:email:/), 'user:login:ip:127.0.0.1']);
    } finally {
      client.disconnect();
    }
  });

  it('answers login with 503 while Redis is unreachable, and stays ready and registering', async () => {
    const gone = await startRedisServer();
    const url = gone.url;
    await gone.stop();
    const service = await serve({ CACHE: 'redis', REDIS_URL: url });
    running = service.running;
    expect((await service.post('/api/auth/register', ada)).status).toBe(201);
    const login = await service.post('/api/auth/login', credentials);
    expect(login.status).toBe(503);
    expect(await login.json()).toMatchObject({ error: 'login_unavailable' });
    expect((await fetch(`${service.running.url}/ready`)).status).toBe(200);
    expect(await service.running.shutdown('test done')).toBe(0);
    running = undefined;
    // ioredis keeps each refused command's 2 s timeout timer running; let them end with the test.
    await new Promise((resolve) => setTimeout(resolve, 2100));
  });
});

// The MongoDB wiring needs a replica set (transactions), e.g. MONGO_URL=mongodb://127.0.0.1:27017/?replicaSet=rs0.
const MONGO_URL = process.env.MONGO_URL;
const withMongo = MONGO_URL !== undefined && MONGO_URL !== '';
const describeMongo = withMongo ? describe : describe.skip;
const label = withMongo ? 'STORAGE=mongo' : 'STORAGE=mongo (skipped: MONGO_URL is not set)';

describeMongo(label, () => {
  it('stores users and their events in one transaction, relays them, and is ready only with MongoDB', async () => {
    const service = await serve({
      STORAGE: 'mongo',
      MONGODB_URI: MONGO_URL ?? '',
      MONGODB_DATABASE: `user_deps_${Date.now()}`,
      OUTBOX_RELAY_INTERVAL_MS: '10',
    });
    try {
      expect((await service.post('/api/auth/register', ada)).status).toBe(201);
      expect((await service.post('/api/auth/register', ada)).status).toBe(409);
      const events = await until(() => {
        const published = service.bus?.events(USER_EVENTS_TOPIC) ?? [];
        return published.length > 0 ? published : undefined;
      });
      expect(events.map((e) => e.type)).toEqual(['user.registered']);
      const ready = await fetch(`${service.running.url}/ready`);
      expect(await ready.json()).toEqual({ status: 'ready', checks: { mongodb: 'ok' } });
    } finally {
      expect(await service.running.shutdown('test done')).toBe(0);
    }
  }, 60_000);
});
