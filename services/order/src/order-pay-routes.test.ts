import type { Order } from './order';
import type { Harness, Json } from './order-test-harness.fixture';
import { OTHER_USER_ID, startHarness, token, validationFields } from './order-test-harness.fixture';

let h: Harness;
let order: Order;

beforeEach(async () => {
  h = await startHarness();
  const product = h.products.add({ price: 1250, currency: 'EUR', stock: 100 });
  order = await h.placeOrder([{ productId: product.id, quantity: 2 }]);
});

afterEach(async () => {
  await h.running.shutdown('test done');
});

const pay = (id: string, body: unknown, options: { key?: string; token?: string | null } = {}) =>
  h.send('POST', `/api/orders/${id}/pay`, { body, ...options });

async function eventTypes(): Promise<string[]> {
  return (await h.outboxEvents()).map((e) => e.type);
}

describe('POST /api/orders/:id/pay', () => {
  it('pays the order: 200 with status paid and the payment, one order.paid event', async () => {
    const res = await pay(order.id, { method: 'card', amount: 2500 });
    expect(res.status).toBe(200);
    const paid = (await res.json()) as Order;
    expect(paid).toEqual({
      ...order,
      status: 'paid',
      updatedAt: expect.any(String),
      payment: { method: 'card', amount: 2500, paidAt: paid.updatedAt },
    });
    expect(await (await h.send('GET', `/api/orders/${order.id}`)).json()).toEqual(paid);

    expect(await eventTypes()).toEqual(['order.created', 'order.paid']);
    const event = (await h.outboxEvents())[1];
    expect(event).toMatchObject({
      source: 'order',
      key: order.id,
      occurredAt: paid.updatedAt,
      data: {
        orderId: order.id,
        userId: order.userId,
        email: `${order.userId}@example.test`,
        method: 'card',
        amountCents: 2500,
        currency: 'EUR',
        paidAt: paid.updatedAt,
      },
    });
  });

  it('counts paid orders and revenue per currency', async () => {
    await pay(order.id, { method: 'paypal', amount: 2500 });
    const usd = h.products.add({ price: 700, currency: 'USD' });
    const second = await h.placeOrder([{ productId: usd.id, quantity: 1 }]);
    await pay(second.id, { method: 'card', amount: 700 });
    await pay(second.id, { method: 'card', amount: 700 }); // refused: already paid

    expect(await h.metric('orders_paid_total')).toBe(2);
    expect(await h.metric('order_revenue_cents_total', 'currency="EUR"')).toBe(2500);
    expect(await h.metric('order_revenue_cents_total', 'currency="USD"')).toBe(700);
  });

  it('answers 400 naming amount when it is not the order total, leaving the order unpaid', async () => {
    const res = await pay(order.id, { method: 'card', amount: 2499 });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      error: 'validation_failed',
      details: [{ field: 'amount', message: 'must equal the order total of 2500 (EUR cents) (got 2499)' }],
    });
    expect(await (await h.send('GET', `/api/orders/${order.id}`)).json()).toMatchObject({
      status: 'pending_payment',
    });
    expect(await eventTypes()).toEqual(['order.created']);
  });

  it('answers 409 invalid_transition naming both states when the order is already paid', async () => {
    expect((await pay(order.id, { method: 'card', amount: 2500 })).status).toBe(200);
    const again = await pay(order.id, { method: 'card', amount: 2500 });
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({
      error: 'invalid_transition',
      message: 'Cannot move an order from paid to paid; allowed from paid: refunded',
    });
    expect(await eventTypes()).toEqual(['order.created', 'order.paid']);
  });

  it.each(['cancelled', 'refunded'] as const)(
    'answers 409 invalid_transition for a %s order',
    async (status) => {
      const from = status === 'cancelled' ? 'pending_payment' : 'paid';
      if (from === 'paid') expect((await pay(order.id, { method: 'card', amount: 2500 })).status).toBe(200);
      await h.repository.transaction((tx) =>
        tx.changeStatus(order.id, { from, to: status, at: new Date().toISOString() }),
      );
      const res = await pay(order.id, { method: 'card', amount: 2500 });
      expect(res.status).toBe(409);
      expect(await res.json()).toMatchObject({
        error: 'invalid_transition',
        message: `Cannot move an order from ${status} to paid; allowed from ${status}: nothing (final state)`,
      });
    },
  );

  it('lets exactly one of concurrent payments through', async () => {
    const responses = await Promise.all(
      Array.from({ length: 8 }, () => pay(order.id, { method: 'card', amount: 2500 })),
    );
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 409, 409, 409, 409, 409, 409, 409]);
    expect(await eventTypes()).toEqual(['order.created', 'order.paid']);
    expect(await h.metric('orders_paid_total')).toBe(1);
  });

  it("answers 404 for another user's order and for a missing one, 400 for a malformed id", async () => {
    const res = await pay(order.id, { method: 'card', amount: 2500 }, { token: token(OTHER_USER_ID) });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: 'not_found', message: `Order ${order.id} not found` });
    const missing = await pay('3f0b1c1e-5f7a-4c41-9a8e-2d7f6b8a9c10', { method: 'card', amount: 2500 });
    expect(missing.status).toBe(404);
    expect(await validationFields(await pay('order-1', { method: 'card', amount: 2500 }))).toEqual(['id']);
    expect(await eventTypes()).toEqual(['order.created']);
  });

  it.each([
    ['an unknown method', { method: 'cash', amount: 2500 }, ['method']],
    ['a fractional amount', { method: 'card', amount: 25.5 }, ['amount']],
    ['an amount as a string', { method: 'card', amount: '2500' }, ['amount']],
    ['a zero amount', { method: 'card', amount: 0 }, ['amount']],
    ['nothing', {}, ['method', 'amount']],
    ['a status', { method: 'card', amount: 2500, status: 'paid' }, ['status']],
  ])('answers 400 for %s', async (_case, body, fields) => {
    expect(await validationFields(await pay(order.id, body))).toEqual(fields);
  });

  it('says which payment methods exist', async () => {
    const res = await pay(order.id, { method: 'cash', amount: 2500 });
    expect(((await res.json()) as Json).details).toEqual([
      { field: 'method', message: 'must be one of "card", "paypal", "bank_transfer" (got "cash")' },
    ]);
  });

  it('answers 401 without a valid token', async () => {
    for (const bearer of [null, token(order.userId, { ttlSeconds: -1 })]) {
      const res = await pay(order.id, { method: 'card', amount: 2500 }, { token: bearer });
      expect(res.status).toBe(401);
    }
    expect(await eventTypes()).toEqual(['order.created']);
  });

  describe('Idempotency-Key', () => {
    it('replays the payment for a repeat, emitting and counting it once', async () => {
      const first = await pay(order.id, { method: 'card', amount: 2500 }, { key: 'pay-1' });
      const firstBody = await first.text();
      const repeat = await pay(order.id, { method: 'card', amount: 2500 }, { key: 'pay-1' });
      expect([first.status, repeat.status]).toEqual([200, 200]);
      expect(repeat.headers.get('idempotent-replayed')).toBe('true');
      expect(await repeat.text()).toBe(firstBody);
      expect(await eventTypes()).toEqual(['order.created', 'order.paid']);
      expect(await h.metric('orders_paid_total')).toBe(1);
      expect(await h.metric('order_revenue_cents_total', 'currency="EUR"')).toBe(2500);
    });

    it('answers 422 idempotency_key_reused for another payment body or order under the same key', async () => {
      await pay(order.id, { method: 'card', amount: 2500 }, { key: 'pay-2' });
      const other = await pay(order.id, { method: 'paypal', amount: 2500 }, { key: 'pay-2' });
      expect(other.status).toBe(422);
      expect(await other.json()).toMatchObject({ error: 'idempotency_key_reused' });
      const product = h.products.add();
      const res = await h.send('POST', '/api/orders', {
        body: { items: [{ productId: product.id, quantity: 1 }] },
        key: 'pay-2',
      });
      expect(res.status).toBe(422);
    });

    it('does not remember a refused payment, so the key is free for the corrected request', async () => {
      const refused = await pay(order.id, { method: 'card', amount: 1 }, { key: 'pay-3' });
      expect(refused.status).toBe(400);
      const corrected = await pay(order.id, { method: 'card', amount: 2500 }, { key: 'pay-3' });
      expect(corrected.status).toBe(200);
      expect(corrected.headers.get('idempotent-replayed')).toBeNull();
    });

    it('pays once for concurrent duplicates', async () => {
      const responses = await Promise.all(
        Array.from({ length: 6 }, () => pay(order.id, { method: 'card', amount: 2500 }, { key: 'burst' })),
      );
      const statuses = responses.map((r) => r.status);
      expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(1);
      expect(statuses.every((s) => s === 200 || s === 409)).toBe(true);
      expect(await eventTypes()).toEqual(['order.created', 'order.paid']);
      expect(await h.metric('orders_paid_total')).toBe(1);
    });
  });
});
