import { randomUUID } from 'node:crypto';
import type { AnalyticsStore, Fact, OrderItem, TimeRange } from './analytics-store';

const at = (iso: string) => new Date(iso);

const range = (from: string, to: string): TimeRange => ({ from: at(from), to: at(to) });

/** Fact builders with fresh event ids; `when` is the occurredAt. */
export const facts = {
  userRegistered: (when: string, userId = randomUUID()): Fact => ({
    type: 'user.registered',
    eventId: randomUUID(),
    occurredAt: at(when),
    userId,
  }),
  orderCreated: (when: string, orderId: string, items: readonly OrderItem[], currency = 'EUR'): Fact => ({
    type: 'order.created',
    eventId: randomUUID(),
    occurredAt: at(when),
    orderId,
    userId: 'user-1',
    currency,
    totalCents: items.reduce((sum, i) => sum + i.quantity * i.unitPriceCents, 0),
    items,
  }),
  orderPaid: (when: string, orderId: string, amountCents: number, currency = 'EUR'): Fact => ({
    type: 'order.paid',
    eventId: randomUUID(),
    occurredAt: at(when),
    orderId,
    amountCents,
    currency,
  }),
  orderCancelled: (when: string, orderId: string): Fact => ({
    type: 'order.cancelled',
    eventId: randomUUID(),
    occurredAt: at(when),
    orderId,
  }),
  notification: (when: string, outcome: 'sent' | 'failed', channel = 'email'): Fact => ({
    type: outcome === 'sent' ? 'notification.sent' : 'notification.failed',
    eventId: randomUUID(),
    occurredAt: at(when),
    channel,
  }),
  productCreated: (when: string, productId = randomUUID()): Fact => ({
    type: 'product.created',
    eventId: randomUUID(),
    occurredAt: at(when),
    productId,
  }),
  inventoryChanged: (when: string, productId: string, delta: number): Fact => ({
    type: 'inventory.changed',
    eventId: randomUUID(),
    occurredAt: at(when),
    productId,
    delta,
  }),
};

const item = (productId: string, quantity: number, unitPriceCents: number): OrderItem => ({
  productId,
  quantity,
  unitPriceCents,
});

/**
 * Behaviour every AnalyticsStore must have. The in-memory store always runs it; the MongoDB adapter runs it
 * against a real server when MONGO_URL is set (`run: false` keeps the cases visible as skipped otherwise).
 */
export function describeAnalyticsStoreContract(
  name: string,
  create: () => Promise<AnalyticsStore>,
  options: { run?: boolean; cleanup?: () => Promise<void> } = {},
): void {
  const run = options.run ?? true;
  (run ? describe : describe.skip)(`${name} (AnalyticsStore contract)`, () => {
    let store: AnalyticsStore;
    beforeEach(async () => {
      store = await create();
    });
    if (options.cleanup) afterEach(options.cleanup);

    async function recordAll(all: readonly Fact[]): Promise<void> {
      for (const fact of all) expect(await store.record(fact)).toBe('recorded');
    }

    const january = range('2026-01-01T00:00:00Z', '2026-02-01T00:00:00Z');

    it('summarises an empty store as zeros', async () => {
      expect(await store.summary(january)).toEqual({
        orders: { created: 0, paid: 0, cancelled: 0 },
        revenueCents: {},
        users: { registered: 0 },
        notifications: { sent: 0, failed: 0, byChannel: {} },
        products: { created: 0, inventoryChanges: 0 },
      });
    });

    it('counts every kind of fact in the range, revenue per currency', async () => {
      await recordAll([
        facts.userRegistered('2026-01-02T10:00:00Z'),
        facts.userRegistered('2026-01-03T10:00:00Z'),
        facts.orderCreated('2026-01-05T10:00:00Z', 'o1', [item('p1', 1, 1000)]),
        facts.orderCreated('2026-01-05T11:00:00Z', 'o2', [item('p1', 2, 1000)], 'USD'),
        facts.orderCreated('2026-01-05T12:00:00Z', 'o3', [item('p2', 1, 500)]),
        facts.orderPaid('2026-01-05T10:05:00Z', 'o1', 1000),
        facts.orderPaid('2026-01-05T11:05:00Z', 'o2', 2000, 'USD'),
        facts.orderCancelled('2026-01-06T00:00:00Z', 'o3'),
        facts.notification('2026-01-05T10:06:00Z', 'sent'),
        facts.notification('2026-01-05T10:07:00Z', 'sent', 'sms'),
        facts.notification('2026-01-05T10:08:00Z', 'failed', 'sms'),
        facts.productCreated('2026-01-01T00:00:00Z'),
        facts.inventoryChanged('2026-01-04T00:00:00Z', 'p1', -3),
        facts.inventoryChanged('2026-01-04T00:01:00Z', 'p1', 10),
      ]);
      expect(await store.summary(january)).toEqual({
        orders: { created: 3, paid: 2, cancelled: 1 },
        revenueCents: { EUR: 1000, USD: 2000 },
        users: { registered: 2 },
        notifications: {
          sent: 2,
          failed: 1,
          byChannel: { email: { sent: 1, failed: 0 }, sms: { sent: 1, failed: 1 } },
        },
        products: { created: 1, inventoryChanges: 2 },
      });
    });

    it('includes `from` and excludes `to`, by occurredAt', async () => {
      await recordAll([
        facts.userRegistered('2025-12-31T23:59:59.999Z'),
        facts.userRegistered('2026-01-01T00:00:00.000Z'),
        facts.userRegistered('2026-01-31T23:59:59.999Z'),
        facts.userRegistered('2026-02-01T00:00:00.000Z'),
      ]);
      expect((await store.summary(january)).users.registered).toBe(2);
      const february = range('2026-02-01T00:00:00Z', '2026-03-01T00:00:00Z');
      expect((await store.summary(february)).users.registered).toBe(1);
    });

    it('stores an event id once: a redelivery with any content is a duplicate', async () => {
      const paid = facts.orderPaid('2026-01-05T10:00:00Z', 'o1', 1000);
      expect(await store.record(paid)).toBe('recorded');
      expect(await store.record(paid)).toBe('duplicate');
      expect(await store.record({ ...paid, amountCents: 99_999 } as Fact)).toBe('duplicate');
      expect((await store.summary(january)).revenueCents).toEqual({ EUR: 1000 });
    });

    it('records concurrent deliveries of one event exactly once', async () => {
      const created = facts.orderCreated('2026-01-05T10:00:00Z', 'o1', [item('p1', 1, 100)]);
      const outcomes = await Promise.all(Array.from({ length: 10 }, () => store.record(created)));
      expect(outcomes.filter((o) => o === 'recorded')).toHaveLength(1);
      expect((await store.summary(january)).orders.created).toBe(1);
    });

    it('keeps its own copy of a recorded fact', async () => {
      const items = [item('p1', 1, 100)];
      await recordAll([
        facts.orderCreated('2026-01-05T10:00:00Z', 'o1', items),
        facts.orderPaid('2026-01-05T10:01:00Z', 'o1', 100),
      ]);
      (items[0] as { quantity: number }).quantity = 50;
      expect((await store.topProducts(january, { limit: 5, by: 'quantity' }))[0]?.quantity).toBe(1);
    });

    it('buckets orders by hour with empty buckets as zeros, the first bucket starting before `from`', async () => {
      await recordAll([
        facts.orderCreated('2026-01-05T10:40:00Z', 'o1', [item('p1', 1, 1000)]),
        facts.orderCreated('2026-01-05T10:50:00Z', 'o2', [item('p1', 1, 1000)]),
        facts.orderPaid('2026-01-05T12:10:00Z', 'o1', 1000),
        facts.orderPaid('2026-01-05T12:20:00Z', 'o2', 700, 'USD'),
        // Outside the range although inside the first and last buckets.
        facts.orderCreated('2026-01-05T10:10:00Z', 'o3', [item('p1', 1, 1000)]),
        facts.orderPaid('2026-01-05T12:45:00Z', 'o3', 1000),
      ]);
      const buckets = await store.orderBuckets(range('2026-01-05T10:30:00Z', '2026-01-05T12:30:00Z'), 'hour');
      expect(buckets).toEqual([
        { start: '2026-01-05T10:00:00.000Z', created: 2, paid: 0, revenueCents: {} },
        { start: '2026-01-05T11:00:00.000Z', created: 0, paid: 0, revenueCents: {} },
        { start: '2026-01-05T12:00:00.000Z', created: 0, paid: 2, revenueCents: { EUR: 1000, USD: 700 } },
      ]);
    });

    it('buckets by day and by week, weeks starting on Monday (UTC)', async () => {
      await recordAll([
        facts.orderCreated('2026-01-04T23:59:59Z', 'o1', [item('p1', 1, 1)]), // Sunday
        facts.orderCreated('2026-01-05T00:00:00Z', 'o2', [item('p1', 1, 1)]), // Monday
        facts.orderPaid('2026-01-06T08:00:00Z', 'o2', 1),
      ]);
      const days = await store.orderBuckets(range('2026-01-04T00:00:00Z', '2026-01-07T00:00:00Z'), 'day');
      expect(days.map((b) => [b.start, b.created, b.paid])).toEqual([
        ['2026-01-04T00:00:00.000Z', 1, 0],
        ['2026-01-05T00:00:00.000Z', 1, 0],
        ['2026-01-06T00:00:00.000Z', 0, 1],
      ]);
      const weeks = await store.orderBuckets(range('2026-01-01T00:00:00Z', '2026-01-12T00:00:00Z'), 'week');
      expect(weeks.map((b) => [b.start, b.created, b.paid])).toEqual([
        ['2025-12-29T00:00:00.000Z', 1, 0],
        ['2026-01-05T00:00:00.000Z', 1, 1],
      ]);
    });

    it('ranks products of paid orders by quantity, ties by productId, each paid order once', async () => {
      await recordAll([
        facts.orderCreated('2026-01-05T10:00:00Z', 'o1', [item('p1', 2, 1000), item('p2', 1, 5000)]),
        facts.orderCreated('2026-01-05T11:00:00Z', 'o2', [item('p1', 1, 1000), item('p3', 3, 100)]),
        facts.orderCreated('2026-01-05T12:00:00Z', 'o3', [item('p4', 100, 1)]), // never paid
        facts.orderPaid('2026-01-05T10:01:00Z', 'o1', 7000),
        facts.orderPaid('2026-01-05T10:02:00Z', 'o1', 7000), // a second payment event for o1
        facts.orderPaid('2026-01-05T11:01:00Z', 'o2', 1300),
      ]);
      expect(await store.topProducts(january, { limit: 10, by: 'quantity' })).toEqual([
        { productId: 'p1', quantity: 3, orders: 2, revenueCents: { EUR: 3000 } },
        { productId: 'p3', quantity: 3, orders: 1, revenueCents: { EUR: 300 } },
        { productId: 'p2', quantity: 1, orders: 1, revenueCents: { EUR: 5000 } },
      ]);
      expect(
        (await store.topProducts(january, { limit: 2, by: 'revenue', currency: 'EUR' })).map(
          (p) => p.productId,
        ),
      ).toEqual(['p2', 'p1']);
    });

    it('filters top products by currency and by the time the order was paid', async () => {
      await recordAll([
        facts.orderCreated('2025-12-31T10:00:00Z', 'o1', [item('p1', 1, 100)]),
        facts.orderPaid('2026-01-02T10:00:00Z', 'o1', 100), // created before the range, paid inside it
        facts.orderCreated('2026-01-05T10:00:00Z', 'o2', [item('p2', 5, 100)], 'USD'),
        facts.orderPaid('2026-01-05T10:01:00Z', 'o2', 500, 'USD'),
        facts.orderCreated('2026-01-20T10:00:00Z', 'o3', [item('p3', 9, 100)]),
        facts.orderPaid('2026-02-01T00:00:00Z', 'o3', 900), // paid after the range
      ]);
      expect(await store.topProducts(january, { limit: 10, by: 'quantity', currency: 'EUR' })).toEqual([
        { productId: 'p1', quantity: 1, orders: 1, revenueCents: { EUR: 100 } },
      ]);
      expect(
        (await store.topProducts(january, { limit: 10, by: 'quantity' })).map((p) => p.productId),
      ).toEqual(['p2', 'p1']);
    });

    it('counts an order paid before its order.created arrived, in revenue at once and in products later', async () => {
      await recordAll([facts.orderPaid('2026-01-05T10:01:00Z', 'late', 2500)]);
      expect((await store.summary(january)).revenueCents).toEqual({ EUR: 2500 });
      expect(await store.topProducts(january, { limit: 10, by: 'quantity' })).toEqual([]);

      await recordAll([facts.orderCreated('2026-01-05T10:00:00Z', 'late', [item('p9', 5, 500)])]);
      expect(await store.topProducts(january, { limit: 10, by: 'quantity' })).toEqual([
        { productId: 'p9', quantity: 5, orders: 1, revenueCents: { EUR: 2500 } },
      ]);
      expect(await store.summary(january)).toMatchObject({ orders: { created: 1, paid: 1 } });
    });

    it('returns at most `limit` products', async () => {
      const orders = Array.from({ length: 6 }, (_, i) => [
        facts.orderCreated('2026-01-05T10:00:00Z', `o${i}`, [item(`p${i}`, i + 1, 100)]),
        facts.orderPaid('2026-01-05T10:01:00Z', `o${i}`, (i + 1) * 100),
      ]);
      await recordAll(orders.flat());
      const top = await store.topProducts(january, { limit: 4, by: 'quantity' });
      expect(top.map((p) => p.productId)).toEqual(['p5', 'p4', 'p3', 'p2']);
    });
  });
}
