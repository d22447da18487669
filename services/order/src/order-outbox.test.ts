import {
  ANALYTICS_CONSUMES,
  EVENT_PAYLOADS,
  InMemoryEventBus,
  InMemoryOutboxStore,
  NOTIFICATION_CONSUMES,
} from '@platform/common';
import { ORDER_EVENTS_TOPIC } from './order-events';
import type { Harness } from './order-test-harness.fixture';
import { relayOnce, startHarness } from './order-test-harness.fixture';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let h: Harness;
let bus: InMemoryEventBus;

beforeEach(async () => {
  h = await startHarness();
  bus = new InMemoryEventBus();
});

afterEach(async () => {
  await h.running.shutdown('test done');
});

describe('order events through the outbox', () => {
  it('writes exactly one order.created per order and one order.paid per payment, keyed by order id', async () => {
    const product = h.products.add({ price: 500, stock: 50 });
    const a = await h.placeOrder([{ productId: product.id, quantity: 1 }]);
    const b = await h.placeOrder([{ productId: product.id, quantity: 2 }]);
    const paid = await h.send('POST', `/api/orders/${b.id}/pay`, { body: { method: 'card', amount: 1000 } });
    expect(paid.status).toBe(200);

    const events = await h.outboxEvents();
    expect(events.map((e) => [e.type, e.key])).toEqual([
      ['order.created', a.id],
      ['order.created', b.id],
      ['order.paid', b.id],
    ]);
    expect(new Set(events.map((e) => e.id)).size).toBe(3);
    for (const event of events) {
      expect(event.id).toMatch(UUID);
      expect(event.source).toBe('order');
      expect(Number.isNaN(Date.parse(event.occurredAt))).toBe(false);
    }
    expect((await h.outbox.pending(10)).every((e) => e.topic === ORDER_EVENTS_TOPIC)).toBe(true);
  });

  it("writes order.created and order.paid as the shared contract describes them, with the caller's email", async () => {
    const product = h.products.add({ price: 250, stock: 5 });
    const order = await h.placeOrder([{ productId: product.id, quantity: 2 }]);
    await h.send('POST', `/api/orders/${order.id}/pay`, { body: { method: 'paypal', amount: 500 } });
    const [created, paid] = await h.outboxEvents();
    for (const event of [created, paid]) {
      const type = event?.type as 'order.created' | 'order.paid';
      expect(EVENT_PAYLOADS[type].strict().safeParse(event?.data).error).toBeUndefined();
      expect(NOTIFICATION_CONSUMES[type].safeParse(event?.data).error).toBeUndefined();
      expect(ANALYTICS_CONSUMES[type].safeParse(event?.data).error).toBeUndefined();
      expect(event?.data).toMatchObject({ email: `${order.userId}@example.test` });
    }
    expect(created?.data).toMatchObject({ totalCents: 500, items: [{ unitPriceCents: 250, quantity: 2 }] });
    expect(paid?.data).toMatchObject({ amountCents: 500, currency: 'EUR', method: 'paypal' });
  });

  it('keeps accepting orders while the event publisher is down; the events wait in the outbox', async () => {
    bus.failWith = new Error('kafka: leader not available');
    const product = h.products.add({ price: 300, stock: 10 });
    const first = await h.placeOrder([{ productId: product.id, quantity: 1 }]);
    const pay = await h.send('POST', `/api/orders/${first.id}/pay`, {
      body: { method: 'card', amount: 300 },
    });
    expect(pay.status).toBe(200);
    const second = await h.placeOrder([{ productId: product.id, quantity: 2 }]);

    expect(await relayOnce(h.outbox, bus)).toBe(0);
    expect(bus.events(ORDER_EVENTS_TOPIC)).toEqual([]);
    const waiting = (await h.outbox.pending(10)).map((e) => [e.event.type, e.event.key]);
    expect(waiting).toEqual([
      ['order.created', first.id],
      ['order.paid', first.id],
      ['order.created', second.id],
    ]);

    bus.failWith = undefined;
    expect(await relayOnce(h.outbox, bus)).toBe(3);
    expect(bus.events(ORDER_EVENTS_TOPIC).map((e) => [e.type, e.key])).toEqual(waiting);
    expect(await h.outbox.pending(10)).toEqual([]);
  });

  it('writes no event when the order is not stored', async () => {
    const product = h.products.add({ stock: 0 });
    const res = await h.send('POST', '/api/orders', {
      body: { items: [{ productId: product.id, quantity: 1 }] },
    });
    expect(res.status).toBe(409);
    expect(await h.outboxEvents()).toEqual([]);
  });
});

describe('when the outbox cannot be written', () => {
  let failing: Harness;

  beforeEach(async () => {
    const store = new InMemoryOutboxStore();
    failing = await startHarness({
      outbox: {
        add: () => Promise.reject(new Error('outbox collection unavailable')),
        pending: (limit) => store.pending(limit),
        markPublished: (seqs) => store.markPublished(seqs),
        stats: () => store.stats(),
      },
    });
  });

  afterEach(async () => {
    await failing.running.shutdown('test done');
  });

  it('stores no order, releases the stock and answers a 500 without internals', async () => {
    const product = failing.products.add({ stock: 3 });
    const res = await failing.send('POST', '/api/orders', {
      body: { items: [{ productId: product.id, quantity: 2 }] },
    });
    expect(res.status).toBe(500);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toEqual({
      error: 'internal',
      message: 'Internal server error',
      requestId: expect.any(String),
    });
    expect(failing.products.stock(product.id)).toBe(3);
    const list = (await (await failing.send('GET', '/api/orders')).json()) as { total: number };
    expect(list.total).toBe(0);
  });
});
