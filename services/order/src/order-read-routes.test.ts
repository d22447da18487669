import type { Order } from './order';
import type { Harness } from './order-test-harness.fixture';
import { OTHER_USER_ID, startHarness, token, validationFields } from './order-test-harness.fixture';

let h: Harness;
let productId: string;

beforeEach(async () => {
  h = await startHarness();
  productId = h.products.add({ stock: 1000 }).id;
});

afterEach(async () => {
  await h.running.shutdown('test done');
});

const MISSING_ID = '3f0b1c1e-5f7a-4c41-9a8e-2d7f6b8a9c10';

describe('GET /api/orders/:id', () => {
  it("answers the caller's own order", async () => {
    const order = await h.placeOrder([{ productId, quantity: 2 }]);
    const res = await h.send('GET', `/api/orders/${order.id}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(order);
  });

  it("answers 404, the same as for a missing order, for another user's order", async () => {
    const theirs = await h.placeOrder([{ productId, quantity: 1 }], { token: token(OTHER_USER_ID) });
    const res = await h.send('GET', `/api/orders/${theirs.id}`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: 'not_found', message: `Order ${theirs.id} not found` });
    const missing = await h.send('GET', `/api/orders/${MISSING_ID}`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({
      error: 'not_found',
      message: `Order ${MISSING_ID} not found`,
    });
  });

  it.each(['123', 'not-a-uuid', "1' OR '1'='1", '{"$ne":null}'])(
    'answers 400 for the malformed id %j',
    async (id) => {
      const res = await h.send('GET', `/api/orders/${encodeURIComponent(id)}`);
      const body = (await res.clone().json()) as { details: unknown };
      expect(body.details).toEqual([
        { field: 'id', message: `must be an order id (UUID) (got ${JSON.stringify(id)})` },
      ]);
      expect(await validationFields(res)).toEqual(['id']);
    },
  );

  it('answers 401 without a valid token, before looking at the id', async () => {
    for (const bearer of [null, 'garbage']) {
      const res = await h.send('GET', '/api/orders/not-a-uuid', { token: bearer });
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ error: 'unauthorized' });
    }
  });
});

describe('GET /api/orders', () => {
  type Page = { items: Order[]; page: number; limit: number; total: number };

  async function list(query = '', bearer?: string): Promise<Page> {
    const res = await h.send('GET', `/api/orders${query}`, bearer === undefined ? {} : { token: bearer });
    expect(res.status).toBe(200);
    return (await res.json()) as Page;
  }

  it("lists only the caller's orders, newest first, with default paging", async () => {
    const first = await h.placeOrder([{ productId, quantity: 1 }]);
    await h.placeOrder([{ productId, quantity: 1 }], { token: token(OTHER_USER_ID) });
    const second = await h.placeOrder([{ productId, quantity: 2 }]);
    const page = await list();
    expect({ ...page, items: page.items.map((o) => o.id) }).toEqual({
      items: [second.id, first.id],
      page: 1,
      limit: 20,
      total: 2,
    });
    expect(page.items[0]).toEqual(second);
  });

  it('pages with page and limit, reporting the total before paging', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await h.placeOrder([{ productId, quantity: 1 }])).id);
    const newestFirst = [...ids].reverse();
    const second = await list('?page=2&limit=2');
    expect({ ...second, items: second.items.map((o) => o.id) }).toEqual({
      items: newestFirst.slice(2, 4),
      page: 2,
      limit: 2,
      total: 5,
    });
    expect((await list('?page=4&limit=2')).items).toEqual([]);
  });

  it('filters by status', async () => {
    const unpaid = await h.placeOrder([{ productId, quantity: 1 }]);
    const paid = await h.placeOrder([{ productId, quantity: 2 }]);
    const pay = await h.send('POST', `/api/orders/${paid.id}/pay`, {
      body: { method: 'card', amount: paid.total },
    });
    expect(pay.status).toBe(200);
    expect((await list('?status=paid')).items.map((o) => o.id)).toEqual([paid.id]);
    expect((await list('?status=pending_payment')).items.map((o) => o.id)).toEqual([unpaid.id]);
    expect((await list('?status=refunded')).total).toBe(0);
  });

  it('answers an empty page for a user without orders', async () => {
    expect(await list('', token(OTHER_USER_ID))).toEqual({ items: [], page: 1, limit: 20, total: 0 });
  });

  it.each([
    ['?limit=0', 'limit'],
    ['?limit=101', 'limit'],
    ['?limit=ten', 'limit'],
    ['?page=0', 'page'],
    ['?page=1.5', 'page'],
    ['?page=1&page=2', 'page'],
    ['?status=shipped', 'status'],
    ['?userId=someone-else', 'userId'],
    ['?page[$gt]=1', 'page[$gt]'],
  ])('answers 400 for %s naming %s', async (query, field) => {
    expect(await validationFields(await h.send('GET', `/api/orders${query}`))).toEqual([field]);
  });

  it('says which statuses exist', async () => {
    const res = await h.send('GET', '/api/orders?status=shipped');
    expect(await res.json()).toMatchObject({
      details: [
        {
          field: 'status',
          message: 'must be one of "pending_payment", "paid", "cancelled", "refunded" (got "shipped")',
        },
      ],
    });
  });

  it('answers 401 without a token', async () => {
    const res = await h.send('GET', '/api/orders', { token: null });
    expect(res.status).toBe(401);
  });
});
