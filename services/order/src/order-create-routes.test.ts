import type { Harness, Json } from './order-test-harness.fixture';
import { OTHER_USER_ID, USER_ID, startHarness, token, validationFields } from './order-test-harness.fixture';
import type { Order } from './order';

let h: Harness;

beforeEach(async () => {
  h = await startHarness();
});

afterEach(async () => {
  await h.running.shutdown('test done');
});

const place = (body: unknown, options: { key?: string; token?: string | null } = {}) =>
  h.send('POST', '/api/orders', { body, ...options });

async function errorOf(res: Response): Promise<{ status: number; error: string; message: string }> {
  const body = (await res.json()) as { error: string; message: string };
  return { status: res.status, error: body.error, message: body.message };
}

describe('POST /api/orders', () => {
  it('places an order: 201, Location, prices from the catalog, stock reserved, one order.created event', async () => {
    const hammer = h.products.add({ price: 1999, stock: 5 });
    const nails = h.products.add({ price: 250, stock: 100 });
    const res = await place({
      items: [
        { productId: hammer.id, quantity: 2 },
        { productId: nails.id, quantity: 10 },
      ],
    });

    expect(res.status).toBe(201);
    const order = (await res.json()) as Order;
    expect(order).toEqual({
      id: expect.any(String),
      userId: USER_ID,
      status: 'pending_payment',
      items: [
        { productId: hammer.id, quantity: 2, unitPrice: 1999 },
        { productId: nails.id, quantity: 10, unitPrice: 250 },
      ],
      total: 2 * 1999 + 10 * 250,
      currency: 'EUR',
      createdAt: expect.any(String),
      updatedAt: order.createdAt,
    });
    expect(res.headers.get('location')).toBe(`/api/orders/${order.id}`);
    expect([h.products.stock(hammer.id), h.products.stock(nails.id)]).toEqual([3, 90]);

    const fetched = await h.send('GET', res.headers.get('location') ?? '');
    expect(await fetched.json()).toEqual(order);

    const events = await h.outboxEvents();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'order.created',
      source: 'order',
      key: order.id,
      data: {
        orderId: order.id,
        userId: USER_ID,
        email: `${USER_ID}@example.test`,
        totalCents: order.total,
        currency: 'EUR',
        items: [
          { productId: hammer.id, quantity: 2, unitPriceCents: 1999 },
          { productId: nails.id, quantity: 10, unitPriceCents: 250 },
        ],
        createdAt: order.createdAt,
      },
    });
  });

  it("checks the user and reserves stock as the order service, never with the caller's token, passing the request id on", async () => {
    const product = h.products.add();
    const bearer = token();
    await h.placeOrder([{ productId: product.id, quantity: 1 }], {
      token: bearer,
      headers: { 'x-request-id': 'trace-123' },
    });
    expect(h.users.calls).toEqual([
      { method: 'GET', path: `/internal/users/${USER_ID}`, requestId: 'trace-123', asService: true },
    ]);
    expect(h.products.requests()).toEqual([
      `GET /api/products/${product.id}`,
      `PATCH /internal/products/${product.id}/stock`,
    ]);
    // The price lookup is the public API, with the caller's token; the reservation is internal, without it.
    expect(h.products.calls.map((c) => [c.authorization, c.asService])).toEqual([
      [`Bearer ${bearer}`, undefined],
      [undefined, true],
    ]);
    expect(h.products.calls.every((c) => c.requestId === 'trace-123')).toBe(true);
    expect((await h.outboxEvents())[0]?.requestId).toBe('trace-123');
  });

  it('uses the requested currency when the products are priced in it', async () => {
    const product = h.products.add({ currency: 'USD' });
    const res = await place({ items: [{ productId: product.id, quantity: 1 }], currency: 'USD' });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ currency: 'USD' });
  });

  it('counts placed orders', async () => {
    const product = h.products.add();
    await h.placeOrder([{ productId: product.id, quantity: 1 }]);
    await h.placeOrder([{ productId: product.id, quantity: 1 }]);
    await place({ items: [{ productId: product.id, quantity: 1000 }] }); // refused: not counted
    expect(await h.metric('orders_created_total', 'service="order"')).toBe(2);
  });

  describe('authentication', () => {
    it.each([
      ['no token', null],
      ['a malformed token', 'not-a-jwt'],
      ['a token of another issuer', token(USER_ID, { issuer: 'someone-else' })],
      ['an expired token', token(USER_ID, { ttlSeconds: -10 })],
      ['a token with a forged signature', `${token().slice(0, -4)}AAAA`],
    ])('answers 401 for %s, calling nothing', async (_case, bearer) => {
      const product = h.products.add();
      const res = await place({ items: [{ productId: product.id, quantity: 1 }] }, { token: bearer });
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ error: 'unauthorized' });
      expect([h.users.calls, h.products.calls]).toEqual([[], []]);
    });
  });

  describe('validation', () => {
    const id = '3f0b1c1e-5f7a-4c41-9a8e-2d7f6b8a9c10';
    const item = (overrides: Json = {}) => ({ productId: id, quantity: 1, ...overrides });

    it('names each wrong type', async () => {
      const res = await place({ items: [item({ quantity: '2' }), item({ productId: 42 })], currency: 7 });
      const body = (await res.json()) as Json;
      expect(res.status).toBe(400);
      expect(body.details).toEqual([
        { field: 'items.0.quantity', message: 'must be a number (got "2")' },
        { field: 'items.1.productId', message: 'must be a product id (UUID) (got 42)' },
        { field: 'currency', message: 'must be a string (got 7)' },
      ]);
    });

    it.each([
      ['no items field', {}, ['items']],
      ['no items', { items: [] }, ['items']],
      ['51 items', { items: Array.from({ length: 51 }, () => item()) }, ['items']],
      ['quantity 0', { items: [item({ quantity: 0 })] }, ['items.0.quantity']],
      ['quantity 1001', { items: [item({ quantity: 1001 })] }, ['items.0.quantity']],
      ['a fractional quantity', { items: [item({ quantity: 1.5 })] }, ['items.0.quantity']],
      ['a malformed product id', { items: [item({ productId: 'abc' })] }, ['items.0.productId']],
      ['a missing product id', { items: [{ quantity: 1 }] }, ['items.0.productId']],
      ['a client-chosen price', { items: [item({ price: 1 })] }, ['items.0.price']],
      ['a currency that is not ISO 4217', { items: [item()], currency: 'euro' }, ['currency']],
      [
        'fields the server sets',
        { items: [item()], userId: OTHER_USER_ID, status: 'paid' },
        ['userId', 'status'],
      ],
      ['items that are not a list', { items: 'everything' }, ['items']],
    ])('answers 400 for %s naming the field', async (_case, body, fields) => {
      expect(await validationFields(await place(body))).toEqual(fields);
      expect(h.products.calls).toEqual([]);
    });

    it('refuses the same product twice, pointing at the duplicate', async () => {
      const res = await place({ items: [item(), item({ quantity: 2 })] });
      expect(res.status).toBe(400);
      expect(((await res.json()) as Json).details).toEqual([
        {
          field: 'items.1.productId',
          message: `duplicates items.0.productId; list each product once (got "${id}")`,
        },
      ]);
    });

    it('says what is allowed for out-of-range values', async () => {
      const res = await place({ items: [item({ quantity: 1001 })] });
      expect(((await res.json()) as Json).details).toEqual([
        { field: 'items.0.quantity', message: 'must be <= 1000 (got 1001)' },
      ]);
    });

    it('refuses a body that is not a JSON object, and a missing body', async () => {
      expect(await validationFields(await place([{ productId: id, quantity: 1 }]))).toEqual(['body']);
      const noBody = await h.send('POST', '/api/orders');
      expect(await noBody.json()).toMatchObject({ details: [{ field: 'body', message: 'is required' }] });
    });

    it.each([
      ['', 'an empty key'],
      ['has space', 'a space'],
      ['x'.repeat(201), '201 characters'],
      ['caf\u00e9', 'a non-ASCII character'],
    ])('refuses the Idempotency-Key %j (%s)', async (key, _why) => {
      const product = h.products.add();
      const res = await h.send('POST', '/api/orders', {
        body: { items: [{ productId: product.id, quantity: 1 }] },
        headers: { 'idempotency-key': key },
      });
      expect(await validationFields(res)).toEqual(['Idempotency-Key']);
      expect(h.products.calls).toEqual([]);
    });
  });

  describe('business failures', () => {
    it('answers 422 unknown_product naming every missing product, reserving nothing', async () => {
      const known = h.products.add();
      const missing = ['3f0b1c1e-5f7a-4c41-9a8e-2d7f6b8a9c10', '4f0b1c1e-5f7a-4c41-9a8e-2d7f6b8a9c10'];
      const res = await place({
        items: [
          { productId: known.id, quantity: 1 },
          ...missing.map((productId) => ({ productId, quantity: 1 })),
        ],
      });
      expect(await errorOf(res)).toEqual({
        status: 422,
        error: 'unknown_product',
        message: `Products ${missing.join(', ')} do not exist`,
      });
      expect(h.products.adjustments()).toEqual([]);
      expect(await h.outboxEvents()).toEqual([]);
    });

    it('answers 422 unknown_user when the user no longer exists', async () => {
      const product = h.products.add();
      h.users.users.delete(USER_ID);
      const res = await place({ items: [{ productId: product.id, quantity: 1 }] });
      expect(await errorOf(res)).toEqual({
        status: 422,
        error: 'unknown_user',
        message: `User ${USER_ID} does not exist`,
      });
      expect(h.products.calls).toEqual([]);
    });

    it('answers 409 insufficient_stock naming the product and releases what was reserved before', async () => {
      const a = h.products.add({ stock: 5 });
      const b = h.products.add({ stock: 5 });
      const c = h.products.add({ stock: 1 });
      const res = await place({
        items: [
          { productId: a.id, quantity: 2 },
          { productId: b.id, quantity: 3 },
          { productId: c.id, quantity: 2 },
        ],
      });
      expect(await errorOf(res)).toEqual({
        status: 409,
        error: 'insufficient_stock',
        message: `Not enough stock of product ${c.id} for quantity 2`,
      });
      expect(h.products.adjustments()).toEqual([
        `${a.id} -2`,
        `${b.id} -3`,
        `${c.id} -2`,
        `${a.id} 2`,
        `${b.id} 3`,
      ]);
      expect([a, b, c].map((p) => h.products.stock(p.id))).toEqual([5, 5, 1]);
      expect(await h.outboxEvents()).toEqual([]);
      const list = (await (await h.send('GET', '/api/orders')).json()) as Json;
      expect(list.total).toBe(0);
    });

    it('answers 422 unknown_product when a product disappears between pricing and reserving', async () => {
      const a = h.products.add();
      const b = h.products.add();
      h.products.intercept = (r) =>
        r.method === 'PATCH' && r.path.includes(b.id)
          ? { status: 404, body: { error: 'not_found' } }
          : undefined;
      const res = await place({
        items: [
          { productId: a.id, quantity: 1 },
          { productId: b.id, quantity: 1 },
        ],
      });
      expect(await errorOf(res)).toMatchObject({ status: 422, error: 'unknown_product' });
      expect(h.products.stock(a.id)).toBe(10);
    });

    it('answers 422 currency_mismatch for products in several currencies or not in the requested one', async () => {
      const eur = h.products.add({ currency: 'EUR' });
      const usd = h.products.add({ currency: 'USD' });
      const mixed = await place({
        items: [
          { productId: eur.id, quantity: 1 },
          { productId: usd.id, quantity: 1 },
        ],
      });
      expect(await errorOf(mixed)).toEqual({
        status: 422,
        error: 'currency_mismatch',
        message: 'The products are priced in different currencies (EUR, USD); order them separately',
      });
      const wrong = await place({ items: [{ productId: eur.id, quantity: 1 }], currency: 'GBP' });
      expect(await errorOf(wrong)).toEqual({
        status: 422,
        error: 'currency_mismatch',
        message: `Product ${eur.id} is priced in EUR, not GBP`,
      });
      expect(h.products.adjustments()).toEqual([]);
    });

    it('answers 422 total_too_large instead of losing precision', async () => {
      const product = h.products.add({ price: Number.MAX_SAFE_INTEGER, stock: 5 });
      const res = await place({ items: [{ productId: product.id, quantity: 2 }] });
      expect(await errorOf(res)).toMatchObject({ status: 422, error: 'total_too_large' });
      expect(h.products.adjustments()).toEqual([]);
    });
  });

  describe('dependency failures', () => {
    const unavailable = { status: 503, error: 'dependency_unavailable' };

    it('answers 503 when the user service is unreachable, calling no product', async () => {
      const product = h.products.add();
      h.users.down = new Error('connect ECONNREFUSED 10.0.0.1:8080');
      const res = await place({ items: [{ productId: product.id, quantity: 1 }] });
      expect(await errorOf(res)).toEqual({
        ...unavailable,
        message: 'The user service is unavailable; try again later',
      });
      expect(h.products.calls).toEqual([]);
    });

    it("answers 503 when the product service's breaker is open", async () => {
      const product = h.products.add();
      h.products.down = h.products.breakerOpen();
      const res = await place({ items: [{ productId: product.id, quantity: 1 }] });
      expect(await errorOf(res)).toEqual({
        ...unavailable,
        message: 'The product service is unavailable; try again later',
      });
    });

    it('answers 503 and releases earlier reservations when a later reservation cannot be made', async () => {
      const a = h.products.add({ stock: 4 });
      const b = h.products.add({ stock: 4 });
      h.products.intercept = (r) =>
        r.method === 'PATCH' && r.path.includes(b.id) ? new Error('socket hang up') : undefined;
      const res = await place({
        items: [
          { productId: a.id, quantity: 3 },
          { productId: b.id, quantity: 1 },
        ],
      });
      expect(await errorOf(res)).toMatchObject(unavailable);
      expect(h.products.adjustments()).toEqual([`${a.id} -3`, `${b.id} -1`, `${a.id} 3`]);
      expect(h.products.stock(a.id)).toBe(4);
      expect(await h.outboxEvents()).toEqual([]);
    });

    it.each([
      ['the user service answers 500', 'user', { status: 500, body: {} }],
      ['the user service refuses our token', 'user', { status: 401, body: { error: 'unauthorized' } }],
      ['the product service answers a body without a price', 'product', { status: 200, body: { id: 'x' } }],
      ['the product service answers an unknown 409', 'product', { status: 409, body: { error: 'locked' } }],
    ])('answers 503, not 500, when %s', async (_case, service, answer) => {
      const product = h.products.add();
      const fake = service === 'user' ? h.users : h.products;
      fake.intercept = (r) => (r.path.includes(product.id) || service === 'user' ? answer : undefined);
      const res = await place({ items: [{ productId: product.id, quantity: 1 }] });
      expect(await errorOf(res)).toMatchObject(unavailable);
      expect(h.products.stock(product.id)).toBe(10);
    });

    it('still releases what it can when the release itself fails, and answers the original error', async () => {
      const a = h.products.add({ stock: 2 });
      const b = h.products.add({ stock: 0 });
      h.products.intercept = (r) =>
        r.method === 'PATCH' && (r.body as { delta: number }).delta > 0
          ? h.products.breakerOpen()
          : undefined;
      const res = await place({
        items: [
          { productId: a.id, quantity: 1 },
          { productId: b.id, quantity: 1 },
        ],
      });
      expect(await errorOf(res)).toMatchObject({ status: 409, error: 'insufficient_stock' });
      expect(h.products.adjustments()).toEqual([`${a.id} -1`, `${b.id} -1`, `${a.id} 1`]);
    });
  });

  describe('Idempotency-Key', () => {
    it('replays the original response for a repeat, without a second order, reservation or event', async () => {
      const product = h.products.add({ stock: 10 });
      const body = { items: [{ productId: product.id, quantity: 3 }] };
      const first = await place(body, { key: 'order-2026-03-01-a' });
      const firstBody = await first.text();
      const repeat = await place(body, { key: 'order-2026-03-01-a' });

      expect(first.status).toBe(201);
      expect(first.headers.get('idempotent-replayed')).toBeNull();
      expect(repeat.status).toBe(201);
      expect(repeat.headers.get('idempotent-replayed')).toBe('true');
      expect(repeat.headers.get('location')).toBe(first.headers.get('location'));
      expect(await repeat.text()).toBe(firstBody);

      expect(h.products.stock(product.id)).toBe(7);
      expect(h.products.adjustments()).toHaveLength(1);
      expect(h.users.calls).toHaveLength(1);
      expect(await h.outboxEvents()).toHaveLength(1);
      expect(((await (await h.send('GET', '/api/orders')).json()) as Json).total).toBe(1);
      expect(await h.metric('orders_created_total')).toBe(1);
    });

    it('answers 422 idempotency_key_reused for the same key with another body', async () => {
      const product = h.products.add();
      await place({ items: [{ productId: product.id, quantity: 1 }] }, { key: 'k-1' });
      const res = await place({ items: [{ productId: product.id, quantity: 2 }] }, { key: 'k-1' });
      expect(await errorOf(res)).toMatchObject({ status: 422, error: 'idempotency_key_reused' });
      expect(h.products.stock(product.id)).toBe(9);
    });

    it('keeps the keys of different users apart', async () => {
      const product = h.products.add();
      const body = { items: [{ productId: product.id, quantity: 1 }] };
      const mine = (await (await place(body, { key: 'same' })).json()) as Order;
      const res = await place(body, { key: 'same', token: token(OTHER_USER_ID) });
      expect(res.status).toBe(201);
      expect(res.headers.get('idempotent-replayed')).toBeNull();
      const theirs = (await res.json()) as Order;
      expect(theirs.id).not.toBe(mine.id);
      expect(theirs.userId).toBe(OTHER_USER_ID);
    });

    it('creates one order for concurrent duplicates', async () => {
      const product = h.products.add({ stock: 100 });
      const body = { items: [{ productId: product.id, quantity: 1 }] };
      const responses = await Promise.all(Array.from({ length: 10 }, () => place(body, { key: 'burst' })));
      const statuses = responses.map((r) => r.status);
      // Repeats that arrive while the first runs are told to retry; none creates an order.
      expect(statuses.filter((s) => s === 201).length).toBeGreaterThanOrEqual(1);
      expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
      const ids = new Set(
        await Promise.all(
          responses.filter((r) => r.status === 201).map(async (r) => ((await r.json()) as Order).id),
        ),
      );
      expect(ids.size).toBe(1);
      for (const r of responses.filter((res) => res.status === 409)) {
        expect(await r.json()).toMatchObject({ error: 'idempotency_in_progress' });
      }
      expect(h.products.stock(product.id)).toBe(99);
      expect(await h.outboxEvents()).toHaveLength(1);
    });

    it('frees the key after a failure, so the client can retry with it', async () => {
      const product = h.products.add({ stock: 1 });
      const body = { items: [{ productId: product.id, quantity: 2 }] };
      expect((await place(body, { key: 'retry-me' })).status).toBe(409);
      h.products.products.get(product.id)!.stock = 5;
      const retry = await place(body, { key: 'retry-me' });
      expect(retry.status).toBe(201);
      expect(retry.headers.get('idempotent-replayed')).toBeNull();
      expect(h.products.stock(product.id)).toBe(3);
    });
  });
});
