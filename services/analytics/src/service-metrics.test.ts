import type { CloseHook } from '@platform/common';
import {
  closeAll,
  createLogger,
  declaresMetric,
  metricSamples,
  sampleValue,
  scrapeMetrics,
} from '@platform/common';
import { loadAnalyticsConfig } from './analytics-config';
import { ANALYTICS_DLQ } from './event-handler';
import { buildAnalyticsService } from './service';

const env = { LOG_LEVEL: 'silent', JWT_SECRET: 'service-metrics-test-secret-of-at-least-32-bytes' };

let closeHooks: readonly CloseHook[] = [];
afterEach(() => closeAll(closeHooks));

describe('the analytics service on /metrics (in-memory adapters)', () => {
  it('declares connection failures and dead letters (no outbox here), dead letters from 0 once consuming', async () => {
    const config = loadAnalyticsConfig(env);
    const { service, startConsumer } = await buildAnalyticsService(config, createLogger(config));
    const before = await scrapeMetrics(service);
    expect(declaresMetric(before, 'datastore_connection_failures_total', 'counter')).toBe(true);
    expect(metricSamples(before, 'datastore_connection_failures_total')).toEqual([]);
    expect(declaresMetric(before, 'events_dead_lettered_total', 'counter')).toBe(true);
    expect(before).not.toContain('outbox_pending_events');

    closeHooks = startConsumer();
    const after = await scrapeMetrics(service);
    expect(
      sampleValue(after, 'events_dead_lettered_total', { topic: ANALYTICS_DLQ, service: 'analytics' }),
    ).toBe(0);
  });
});
