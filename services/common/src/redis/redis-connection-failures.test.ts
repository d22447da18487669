import { setTimeout as delay } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import { createApp } from '../app';
import { loadConfig } from '../config';
import type { RunningService } from '../server';
import { start } from '../server';
import { captureLogger } from '../testing/capture-logger';
import { eventually } from '../testing/eventually';
import { sampleValue } from '../testing/metric-samples';
import type { RedisTestProcess } from '../testing/redis-server';
import { startRedisServer } from '../testing/redis-server';
import { createRedisClient } from './create-redis-client';
import { waitForRedis } from './wait-for-redis';

let server: RedisTestProcess | undefined;
let redis: Redis | undefined;
let app: RunningService | undefined;
afterEach(async () => {
  redis?.disconnect();
  // Disconnected while reconnecting, ioredis still holds the attempt's socket for its disconnectTimeout
  // (2 s, a timer that keeps Jest from exiting): wait it out.
  await delay(2100);
  await app?.shutdown('test done');
  await server?.stop();
  server = redis = app = undefined;
});

/** `datastore_connection_failures_total{store=...}` as GET /metrics of `url` answers it. */
async function failures(url: string, store: string): Promise<number | undefined> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return sampleValue(text, 'datastore_connection_failures_total', { store, service: 'cache-demo' });
}

describe('datastore_connection_failures_total{store="redis"} on a real redis-server', () => {
  it('starts at 0 with the client and rises on /metrics once the server is killed', async () => {
    server = await startRedisServer();
    const registry = new Registry();
    const { logger, lines } = captureLogger();
    redis = createRedisClient({ REDIS_URL: server.url, serviceName: 'cache-demo' }, logger, { registry });
    const config = loadConfig({ env: { SERVICE_NAME: 'cache-demo', LOG_LEVEL: 'silent' } });
    app = await start(createApp({ config, logger, registry }), {
      port: 0,
      host: '127.0.0.1',
      idleDrainMs: 0,
      graceMs: 1000,
    });

    await waitForRedis(redis);
    expect(await redis.ping()).toBe('PONG');
    expect(await failures(app.url, 'redis')).toBe(0);
    // Only the store this client talks to has a series.
    expect(await failures(app.url, 'mongodb')).toBeUndefined();

    // A crash, not a shutdown: the process is gone without closing its clients' connections politely.
    process.kill(server.pid, 'SIGKILL');
    // Every failed reconnect counts (ECONNREFUSED each time), while the log says it once per period.
    await eventually(async () => expect(await failures(app!.url, 'redis')).toBeGreaterThanOrEqual(2), 10_000);
    expect(redis.status).not.toBe('ready');
    expect(lines.filter((l) => l.msg === 'redis connection error')).toHaveLength(1);
  }, 20_000);

  it('counts nothing without a registry, and still handles the errors', async () => {
    // Nothing listens on port 1: every connect is refused, and an error without a handler would throw.
    const { logger, lines } = captureLogger();
    redis = createRedisClient({ REDIS_URL: 'redis://127.0.0.1:1', serviceName: 'cache-demo' }, logger);
    await eventually(() => expect(lines.some((l) => l.msg === 'redis connection error')).toBe(true));
    expect(redis.listenerCount('error')).toBe(1);
  });
});
