import type { CloseHook } from '@platform/common';
import { closeAll, createLogger, declaresMetric, sampleValue, scrapeMetrics } from '@platform/common';
import { loadNotificationConfig } from './notification-config';
import { buildNotificationService } from './service';
import { DEAD_LETTER_TOPIC } from './topics';

const env = { LOG_LEVEL: 'silent', JWT_SECRET: 'service-metrics-test-secret-of-at-least-32-bytes' };

let closeHooks: readonly CloseHook[] = [];
afterEach(() => closeAll(closeHooks));

describe('the notification service on /metrics (in-memory adapters)', () => {
  it('declares the store metrics before its workers start, and counts dead letters from 0 once they run', async () => {
    const config = loadNotificationConfig(env);
    const { service, startWorkers } = await buildNotificationService(config, createLogger(config));
    const before = await scrapeMetrics(service);
    expect(declaresMetric(before, 'datastore_connection_failures_total', 'counter')).toBe(true);
    expect(declaresMetric(before, 'events_dead_lettered_total', 'counter')).toBe(true);
    expect(sampleValue(before, 'events_dead_lettered_total')).toBeUndefined();
    expect(sampleValue(before, 'outbox_pending_events', { service: 'notification' })).toBe(0);
    expect(declaresMetric(before, 'outbox_oldest_pending_age_seconds', 'gauge')).toBe(true);

    closeHooks = startWorkers();
    const after = await scrapeMetrics(service);
    expect(
      sampleValue(after, 'events_dead_lettered_total', { topic: DEAD_LETTER_TOPIC, service: 'notification' }),
    ).toBe(0);
  });
});
