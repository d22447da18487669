import { setTimeout as delay } from 'node:timers/promises';
import type { CloseHook, RedisTestProcess, ServiceApp } from '@platform/common';
import {
  closeAll,
  createLogger,
  declaresMetric,
  metricSamples,
  sampleValue,
  scrapeMetrics,
  startRedisServer,
} from '@platform/common';
import { TEST_JWT } from './product-auth.fixture';
import { loadProductConfig } from './product-config';
import { buildProductService } from './service';

let built: { service: ServiceApp; closeHooks: readonly CloseHook[] } | undefined;
let redis: RedisTestProcess | undefined;
afterEach(async () => {
  await closeAll(built?.closeHooks ?? []);
  if (redis !== undefined) {
    await redis.stop();
    // Closed while reconnecting, ioredis keeps the attempt's socket and timers for a few seconds (its
    // disconnectTimeout): wait them out, so Jest can exit.
    await delay(3000);
  }
  built = redis = undefined;
});

async function build(env: Record<string, string> = {}) {
  const config = loadProductConfig({ LOG_LEVEL: 'silent', JWT_SECRET: TEST_JWT.secret, ...env });
  built = await buildProductService(config, createLogger(config));
  return built.service;
}

describe('the product service on /metrics', () => {
  it('declares datastore_connection_failures_total with the in-memory adapters, with no series yet', async () => {
    const text = await scrapeMetrics(await build());
    expect(declaresMetric(text, 'datastore_connection_failures_total', 'counter')).toBe(true);
    expect(metricSamples(text, 'datastore_connection_failures_total')).toEqual([]);
    // No outbox and no consumer here: those families belong to other services.
    expect(text).not.toContain('outbox_pending_events');
    expect(text).not.toContain('events_dead_lettered_total');
  });

  it('counts the cache client failing once its redis-server is killed', async () => {
    redis = await startRedisServer();
    const service = await build({ CACHE: 'redis', REDIS_URL: redis.url });
    const failures = async () =>
      sampleValue(await scrapeMetrics(service), 'datastore_connection_failures_total', {
        store: 'redis',
        service: 'product',
        track: 'stable',
      });
    // Made with the client, before any failure; MongoDB and Kafka are not configured, so have no series.
    expect(await failures()).toBe(0);
    const text = await scrapeMetrics(service);
    expect(metricSamples(text, 'datastore_connection_failures_total').map((s) => s.labels.store)).toEqual([
      'redis',
    ]);

    process.kill(redis.pid, 'SIGKILL');
    const deadline = Date.now() + 10_000;
    let seen = 0;
    while (seen < 2 && Date.now() < deadline) {
      await delay(100);
      seen = (await failures()) ?? 0;
    }
    expect(seen).toBeGreaterThanOrEqual(2);
  }, 20_000);
});
