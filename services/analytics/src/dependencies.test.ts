import { randomUUID } from 'node:crypto';
import type { RedisTestProcess } from '@platform/common';
import { createLogger, startRedisServer } from '@platform/common';
import { loadAnalyticsConfig } from './analytics-config';
import { createDependencies } from './dependencies';
import { ANALYTICS_DLQ, createAnalyticsEventHandler } from './event-handler';

const SECRET = 'a-secret-of-at-least-thirty-two-bytes!';
const january = { from: new Date('2026-01-01T00:00:00Z'), to: new Date('2026-02-01T00:00:00Z') };

const event = (type: string, data: unknown) => ({
  id: randomUUID(),
  type,
  source: 'test',
  occurredAt: '2026-01-05T10:00:00Z',
  key: 'k',
  data,
});

describe('in-memory dependencies (the default)', () => {
  it('consume the analytics topics into the store, dead-lettering invalid events to analytics-dlq', async () => {
    const config = loadAnalyticsConfig({ JWT_SECRET: SECRET, LOG_LEVEL: 'silent' });
    const logger = createLogger(config);
    const deps = await createDependencies(config, logger);
    const closeHooks = deps.startConsumer(createAnalyticsEventHandler({ store: deps.store, logger }));
    const bus = deps.bus;
    if (bus === undefined) throw new Error('EVENTS=memory must expose its bus');

    const bad = event('notification.sent', {});
    await bus.publish('notification-events', [event('notification.sent', { channel: 'email' }), bad]);
    await bus.publish('payment-events', [
      event('order.paid', { orderId: 'o', amountCents: 1, currency: 'EUR' }),
    ]);
    for (const hook of closeHooks) await hook.close();

    expect(await deps.store.summary(january)).toMatchObject({
      notifications: { sent: 1 },
      orders: { paid: 0 },
    });
    expect(bus.events(ANALYTICS_DLQ)).toEqual([bad]);
    expect(closeHooks.map((h) => h.name)).toEqual(['event-consumer']);
    expect(deps.readinessChecks).toEqual({});
  });
});

describe('CACHE=redis on a real redis-server', () => {
  let server: RedisTestProcess;
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  it('caches in Redis, without making Redis a readiness check, and closes the client last', async () => {
    const config = loadAnalyticsConfig({
      JWT_SECRET: SECRET,
      LOG_LEVEL: 'silent',
      CACHE: 'redis',
      REDIS_URL: server.url,
    });
    const deps = await createDependencies(config, createLogger(config));
    const closeHooks = deps.startConsumer(async () => undefined);
    // The client connects in the background and refuses commands until then.
    for (let tries = 0; ; tries++) {
      try {
        await deps.cache.set('summary:x', { users: 1 }, 30);
        break;
      } catch (err) {
        if (tries > 50) throw err;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    expect(await deps.cache.get('summary:x')).toEqual({ users: 1 });
    expect(deps.readinessChecks).toEqual({});
    expect(closeHooks.map((h) => h.name)).toEqual(['event-consumer', 'redis']);
    for (const hook of closeHooks) await hook.close();
  });
});
