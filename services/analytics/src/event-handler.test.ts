import { randomUUID } from 'node:crypto';
import type { EventEnvelope, EventHandler, Metrics } from '@platform/common';
import {
  EVENT_EXAMPLES,
  EVENT_TOPICS,
  InMemoryEventBus,
  PermanentEventError,
  createApp,
  createLogger,
  loadConfig,
} from '@platform/common';
import type { AnalyticsStore, Fact } from './analytics-store';
import {
  ANALYTICS_DLQ,
  ANALYTICS_TOPICS,
  InvalidEventError,
  createAnalyticsEventHandler,
} from './event-handler';
import { InMemoryAnalyticsStore } from './in-memory-analytics-store';

const config = loadConfig({ env: { SERVICE_NAME: 'analytics', LOG_LEVEL: 'silent' } });
const logger = createLogger(config);
const january = { from: new Date('2026-01-01T00:00:00Z'), to: new Date('2026-02-01T00:00:00Z') };

const TOPIC_OF: Record<string, string> = {
  user: 'user-events',
  order: 'order-events',
  notification: 'notification-events',
  product: 'analytics-events',
  inventory: 'analytics-events',
};

function envelope(type: string, data: unknown, overrides: Partial<EventEnvelope> = {}): EventEnvelope {
  return {
    id: randomUUID(),
    type,
    source: 'test',
    occurredAt: '2026-01-05T10:00:00.000Z',
    key: 'k',
    data,
    ...overrides,
  };
}

const orderCreated = (orderId: string, overrides: Partial<EventEnvelope> = {}) =>
  envelope(
    'order.created',
    {
      orderId,
      userId: 'u1',
      items: [
        { productId: 'p1', quantity: 2, unitPriceCents: 1000 },
        { productId: 'p2', quantity: 1, unitPriceCents: 500 },
      ],
      totalCents: 2500,
      currency: 'EUR',
    },
    overrides,
  );
const orderPaid = (orderId: string, overrides: Partial<EventEnvelope> = {}) =>
  envelope('order.paid', { orderId, amountCents: 2500, currency: 'EUR' }, overrides);

let bus: InMemoryEventBus;
let store: InMemoryAnalyticsStore;
let metrics: Metrics;

async function publish(...events: EventEnvelope[]): Promise<void> {
  for (const event of events)
    await bus.publish(TOPIC_OF[String(event.type).split('.')[0] ?? ''] ?? 'order-events', [event]);
  await bus.settle();
}

async function counted(type: string, outcome: string): Promise<number> {
  const text = await metrics.registry.metrics();
  const line = text
    .split('\n')
    .find(
      (l) =>
        l.startsWith('analytics_events_total{') &&
        l.includes(`type="${type}"`) &&
        l.includes(`outcome="${outcome}"`),
    );
  return Number(line?.split(' ').pop() ?? 0);
}

/** The real store, but with `record` replaced (to fail or to capture facts). */
function storeWith(record: AnalyticsStore['record']): AnalyticsStore {
  return {
    record,
    summary: (range) => store.summary(range),
    orderBuckets: (range, unit) => store.orderBuckets(range, unit),
    topProducts: (range, query) => store.topProducts(range, query),
  };
}

/** A fresh bus and registry whose consumer writes to `target`. */
function subscribe(target: AnalyticsStore): void {
  bus = new InMemoryEventBus();
  metrics = createApp({ config, logger }).metrics;
  const handler = createAnalyticsEventHandler({ store: target, logger, registry: metrics.registry });
  bus.subscribe(ANALYTICS_TOPICS, handler, { deadLetterTopic: ANALYTICS_DLQ });
}

beforeEach(() => {
  store = new InMemoryAnalyticsStore();
  subscribe(store);
});

describe('analytics event handler', () => {
  it('counts every consumed event type from its topic', async () => {
    await publish(
      envelope('user.registered', { userId: 'u1', email: 'ada@example.com' }),
      orderCreated('o1'),
      orderPaid('o1'),
      orderCreated('o2'),
      envelope('order.cancelled', { orderId: 'o2', reason: 'changed mind' }),
      envelope('notification.sent', { channel: 'email', notificationId: 'n1' }),
      envelope('notification.failed', { channel: 'sms' }),
      envelope('product.created', { productId: 'p1', sku: 'HAM-1' }),
      envelope('inventory.changed', { productId: 'p1', delta: -2 }),
    );
    expect(bus.events(ANALYTICS_DLQ)).toEqual([]);
    expect(await store.summary(january)).toEqual({
      orders: { created: 2, paid: 1, cancelled: 1 },
      revenueCents: { EUR: 2500 },
      users: { registered: 1 },
      notifications: {
        sent: 1,
        failed: 1,
        byChannel: { email: { sent: 1, failed: 0 }, sms: { sent: 0, failed: 1 } },
      },
      products: { created: 1, inventoryChanges: 1 },
    });
    expect(await counted('order.created', 'recorded')).toBe(2);
  });

  it('counts a redelivered event once', async () => {
    const paid = orderPaid('o1');
    const created = orderCreated('o1');
    await publish(created, paid, paid, created, paid);
    const summary = await store.summary(january);
    expect(summary.orders).toEqual({ created: 1, paid: 1, cancelled: 0 });
    expect(summary.revenueCents).toEqual({ EUR: 2500 });
    expect((await store.topProducts(january, { limit: 5, by: 'quantity' }))[0]).toMatchObject({
      productId: 'p1',
      quantity: 2,
    });
    expect(await counted('order.paid', 'duplicate')).toBe(2);
    expect(await counted('order.created', 'duplicate')).toBe(1);
  });

  it('counts revenue and products of an order paid before its order.created arrived', async () => {
    await publish(orderPaid('o1', { occurredAt: '2026-01-05T10:05:00Z' }));
    expect((await store.summary(january)).revenueCents).toEqual({ EUR: 2500 });
    await publish(orderCreated('o1', { occurredAt: '2026-01-05T10:00:00Z' }));
    expect((await store.topProducts(january, { limit: 5, by: 'quantity' })).map((p) => p.productId)).toEqual([
      'p1',
      'p2',
    ]);
  });

  it('uses occurredAt, with its time zone, not the time of arrival', async () => {
    await publish(envelope('user.registered', { userId: 'u1' }, { occurredAt: '2026-02-01T00:30:00+01:00' }));
    expect((await store.summary(january)).users.registered).toBe(1);
  });

  it('keeps only the fields the reports need (no e-mail addresses)', async () => {
    const recorded: Fact[] = [];
    subscribe(
      storeWith(async (fact) => {
        recorded.push(fact);
        return 'recorded';
      }),
    );
    const event = envelope('user.registered', { userId: 'u1', email: 'ada@example.com', name: 'Ada' });
    await publish(event);
    expect(recorded).toEqual([
      { type: 'user.registered', eventId: event.id, occurredAt: new Date(event.occurredAt), userId: 'u1' },
    ]);
  });

  it('acknowledges event types it does not count, without dead-lettering them', async () => {
    await publish(envelope('order.shipped', { orderId: 'o1' }), envelope('user.deleted', { userId: 'u1' }));
    expect(bus.events(ANALYTICS_DLQ)).toEqual([]);
    expect(await counted('other', 'ignored')).toBe(2);
  });

  it.each([
    [
      'order.created',
      { orderId: 'o1', userId: 'u1', items: [], totalCents: 0, currency: 'EUR' },
      'data.items',
    ],
    [
      'order.created',
      {
        orderId: 'o1',
        userId: 'u1',
        items: [{ productId: 'p1', quantity: 0, unitPriceCents: 1 }],
        totalCents: 0,
        currency: 'EUR',
      },
      'data.items.0.quantity',
    ],
    ['order.paid', { orderId: 'o1', amountCents: 10.5, currency: 'EUR' }, 'data.amountCents'],
    ['order.paid', { orderId: 'o1', amountCents: 100, currency: 'euro' }, 'data.currency'],
    ['order.paid', { amountCents: 100, currency: 'EUR' }, 'data.orderId'],
    ['order.cancelled', { orderId: ' ' }, 'data.orderId'],
    ['user.registered', { email: 'ada@example.com' }, 'data.userId'],
    ['notification.sent', { channel: 'E-Mail' }, 'data.channel'],
    ['notification.failed', {}, 'data.channel'],
    ['product.created', { productId: 42 }, 'data.productId'],
    ['inventory.changed', { productId: 'p1', delta: '3' }, 'data.delta'],
    ['order.paid', null, 'data'],
    ['order.paid', 'paid', 'data'],
  ])('sends a %s with invalid data %j to analytics-dlq, naming %s', async (type, data, field) => {
    const event = envelope(type, data);
    const handler = createAnalyticsEventHandler({ store, logger });
    const info = { topic: 'order-events', partition: 0, offset: '0', attempt: 1 };
    const error = await handler(event, info).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(InvalidEventError);
    expect((error as InvalidEventError).details.map((d) => d.field)).toEqual([field]);
    expect(error).toBeInstanceOf(PermanentEventError);

    await publish(event);
    expect(bus.events(ANALYTICS_DLQ)).toEqual([event]);
    expect(await store.summary(january)).toMatchObject({
      orders: { created: 0, paid: 0, cancelled: 0 },
      users: { registered: 0 },
      notifications: { sent: 0, failed: 0 },
      products: { created: 0, inventoryChanges: 0 },
    });
  });

  it.each([
    [{ id: 'not-a-uuid' }, 'event.id'],
    [{ occurredAt: 'yesterday' }, 'event.occurredAt'],
    [{ occurredAt: '2026-01-05T10:00:00' }, 'event.occurredAt'],
    [{ type: 42 }, 'event.type'],
  ])('sends an event with the bad envelope %j to analytics-dlq, naming %s', async (overrides, field) => {
    const event = {
      ...envelope('order.paid', { orderId: 'o1', amountCents: 1, currency: 'EUR' }),
      ...overrides,
    };
    const handler = createAnalyticsEventHandler({ store, logger });
    const error = (await handler(event as EventEnvelope, {
      topic: 'order-events',
      partition: 0,
      offset: '0',
      attempt: 1,
    }).catch((err: unknown) => err)) as InvalidEventError;
    expect(error.details.map((d) => d.field)).toEqual([field]);

    await publish(event as EventEnvelope);
    expect(bus.events(ANALYTICS_DLQ)).toEqual([event]);
    expect((await store.summary(january)).orders.paid).toBe(0);
  });

  it('dead-letters something that is not an event at all', async () => {
    await bus.publish('order-events', [null as unknown as EventEnvelope]);
    await bus.settle();
    expect(bus.events(ANALYTICS_DLQ)).toEqual([null]);
    expect(await counted('other', 'invalid')).toBe(1);
  });

  it('tries an invalid event once (it fails permanently) and counts it once', async () => {
    const attempts: number[] = [];
    metrics = createApp({ config, logger }).metrics;
    const handler = createAnalyticsEventHandler({ store, logger, registry: metrics.registry });
    const counting: EventHandler = (event, info) => (attempts.push(info.attempt), handler(event, info));
    bus = new InMemoryEventBus();
    bus.subscribe(ANALYTICS_TOPICS, counting, { deadLetterTopic: ANALYTICS_DLQ, maxAttempts: 5 });
    await publish(envelope('order.paid', { orderId: 'o1' }));
    expect(attempts).toEqual([1]);
    expect(bus.events(ANALYTICS_DLQ)).toHaveLength(1);
    expect(await counted('order.paid', 'invalid')).toBe(1);
  });

  it('records what the producers send: the shared example of every event type it counts', async () => {
    const types = Object.keys(EVENT_EXAMPLES) as (keyof typeof EVENT_EXAMPLES)[];
    for (const type of types) {
      await bus.publish(EVENT_TOPICS[type], [envelope(type, EVENT_EXAMPLES[type])]);
    }
    await bus.settle();
    expect(bus.events(ANALYTICS_DLQ)).toEqual([]);
    expect(await store.summary(january)).toMatchObject({
      orders: { created: 1, paid: 1, cancelled: 1 },
      revenueCents: { EUR: 2999 },
      users: { registered: 1 },
      notifications: { sent: 1, failed: 1 },
      products: { created: 1, inventoryChanges: 1 },
    });
  });

  it('lets the consumer retry a store failure, recording the event once it succeeds', async () => {
    let failures = 1;
    subscribe(
      storeWith(async (fact) => {
        if (failures-- > 0) throw new Error('mongo down');
        return store.record(fact);
      }),
    );
    await publish(orderPaid('o1'));
    expect(bus.events(ANALYTICS_DLQ)).toEqual([]);
    expect((await store.summary(january)).orders.paid).toBe(1);
  });

  it('dead-letters an event whose store write keeps failing', async () => {
    subscribe(storeWith(() => Promise.reject(new Error('mongo down'))));
    const paid = orderPaid('o1');
    await publish(paid);
    expect(bus.events(ANALYTICS_DLQ)).toEqual([paid]);
  });
});
