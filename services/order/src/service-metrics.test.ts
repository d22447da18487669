import type { CloseHook } from '@platform/common';
import {
  closeAll,
  createLogger,
  declaresMetric,
  metricSamples,
  sampleValue,
  scrapeMetrics,
} from '@platform/common';
import { loadOrderConfig } from './order-config';
import { buildOrderService } from './service';

const env = {
  LOG_LEVEL: 'silent',
  JWT_SECRET: 'service-metrics-test-secret-of-at-least-32-bytes',
  SERVICE_TOKEN_KEY: 'service-metrics-test-service-key-of-32-bytes-or-more',
  // Built, never called here.
  USER_SERVICE_URL: 'http://127.0.0.1:1',
  PRODUCT_SERVICE_URL: 'http://127.0.0.1:2',
};

let closeHooks: readonly CloseHook[] = [];
afterEach(() => closeAll(closeHooks));

describe('the order service on /metrics (in-memory adapters)', () => {
  it('declares the store metrics next to the dependency histogram, on the one registry it serves', async () => {
    const config = loadOrderConfig(env);
    const built = await buildOrderService(config, createLogger(config));
    closeHooks = built.closeHooks;
    const text = await scrapeMetrics(built.service);
    expect(declaresMetric(text, 'datastore_connection_failures_total', 'counter')).toBe(true);
    expect(metricSamples(text, 'datastore_connection_failures_total')).toEqual([]);
    expect(declaresMetric(text, 'dependency_request_duration_seconds', 'histogram')).toBe(true);
    const labels = { service: 'order', track: 'stable' };
    expect(sampleValue(text, 'outbox_pending_events', labels)).toBe(0);
    expect(sampleValue(text, 'outbox_oldest_pending_age_seconds', labels)).toBe(0);
    expect(text).not.toContain('events_dead_lettered_total');
  });
});
