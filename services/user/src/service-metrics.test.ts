import type { CloseHook } from '@platform/common';
import {
  closeAll,
  createLogger,
  declaresMetric,
  metricSamples,
  sampleValue,
  scrapeMetrics,
} from '@platform/common';
import { buildUserService } from './service';
import { loadUserConfig } from './user-config';

const env = { LOG_LEVEL: 'silent', JWT_SECRET: 'service-metrics-test-secret-of-at-least-32-bytes' };

let closeHooks: readonly CloseHook[] = [];
afterEach(() => closeAll(closeHooks));

describe('the user service on /metrics (in-memory adapters)', () => {
  it('declares the store metrics: connection failures without series, the outbox gauges at 0', async () => {
    const config = loadUserConfig(env);
    const built = await buildUserService(config, createLogger(config));
    closeHooks = built.closeHooks;
    const text = await scrapeMetrics(built.service);
    expect(declaresMetric(text, 'datastore_connection_failures_total', 'counter')).toBe(true);
    // No store client with STORAGE, EVENTS and CACHE in memory, so nothing that could fail.
    expect(metricSamples(text, 'datastore_connection_failures_total')).toEqual([]);
    expect(declaresMetric(text, 'outbox_pending_events', 'gauge')).toBe(true);
    expect(declaresMetric(text, 'outbox_oldest_pending_age_seconds', 'gauge')).toBe(true);
    const labels = { service: 'user', track: 'stable' };
    expect(sampleValue(text, 'outbox_pending_events', labels)).toBe(0);
    expect(sampleValue(text, 'outbox_oldest_pending_age_seconds', labels)).toBe(0);
    expect(text).not.toContain('events_dead_lettered_total');
  });
});
