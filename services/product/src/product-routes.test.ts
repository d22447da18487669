import type { RunningService } from '@platform/common';
import { InMemoryCache, InMemoryEventBus, createLogger, loadConfig, start } from '@platform/common';
import { createProductApp } from './app';
import { TEST_JWT, bearer } from './product-auth.fixture';
import { InMemoryProductRepository } from './in-memory-product-repository';
import type { Product } from './product';

type Json = Record<string, unknown>;

let running: RunningService;
let base: string;

beforeEach(async () => {
  const config = loadConfig({
    env: { SERVICE_NAME: 'product', SERVICE_VERSION: '2.0.0', LOG_LEVEL: 'silent' },
  });
  const service = createProductApp({
    config,
    logger: createLogger(config),
    repository: new InMemoryProductRepository(),
    cache: new InMemoryCache(),
    events: new InMemoryEventBus(),
    jwt: TEST_JWT,
  });
  running = await start(service, { port: 0, host: '127.0.0.1', idleDrainMs: 0 });
  base = `${running.url}/api/products`;
});

afterEach(async () => {
  await running.shutdown('test done');
});

const validProduct = (overrides: Json = {}): Json => ({
  sku: 'HAM-001',
  name: 'Claw hammer',
  description: 'Steel, 450 g',
  price: 1999,
  currency: 'EUR',
  category: 'tools',
  stock: 10,
  ...overrides,
});

/** A request as a catalog manager, unless `auth` says otherwise (`{}`: anonymous). */
function send(
  method: string,
  url: string,
  body?: unknown,
  auth: Record<string, string> = bearer(),
): Promise<Response> {
  return fetch(url, {
    method,
    headers: { 'content-type': 'application/json', ...auth },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

async function createProduct(overrides: Json = {}): Promise<Product> {
  const res = await send('POST', base, validProduct(overrides));
  expect(res.status).toBe(201);
  return (await res.json()) as Product;
}

async function fieldsOf(res: Response): Promise<string[]> {
  expect(res.status).toBe(400);
  const body = (await res.json()) as { error: string; details: Array<{ field: string; message: string }> };
  expect(body.error).toBe('validation_failed');
  return body.details.map((d) => d.field);
}

describe('POST /api/products', () => {
  it('creates a product: 201, Location header, and the stored product', async () => {
    const res = await send('POST', base, validProduct());
    expect(res.status).toBe(201);
    const product = (await res.json()) as Product;
    expect(product).toMatchObject(validProduct());
    expect(res.headers.get('location')).toBe(`/api/products/${product.id}`);

    const fetched = await fetch(`${running.url}${res.headers.get('location') ?? ''}`);
    expect(fetched.status).toBe(200);
    expect(await fetched.json()).toEqual(product);
  });

  it('rejects wrong types with one detail per field', async () => {
    const res = await send('POST', base, validProduct({ price: '19.99', stock: 1.5, name: 42 }));
    const body = (await res.json()) as Json;
    expect(res.status).toBe(400);
    expect(body.details).toEqual([
      { field: 'name', message: 'must be a string (got 42)' },
      { field: 'price', message: 'must be a number (got "19.99")' },
      { field: 'stock', message: 'must be an integer (got 1.5)' },
    ]);
  });

  it('rejects missing and unknown fields', async () => {
    const res = await send('POST', base, { sku: 'X-1', colour: 'red', isAdmin: true });
    expect(await fieldsOf(res)).toEqual([
      'name',
      'price',
      'currency',
      'category',
      'stock',
      'colour',
      'isAdmin',
    ]);
  });

  it('rejects out-of-range and badly formatted values saying what is allowed', async () => {
    const res = await send(
      'POST',
      base,
      validProduct({
        sku: 'lower case',
        price: -1,
        currency: 'euro',
        category: 'Power Tools',
        stock: -3,
        name: ' ',
      }),
    );
    const body = (await res.json()) as { details: Array<{ field: string; message: string }> };
    expect(body.details).toEqual([
      { field: 'sku', message: 'must be 1-64 characters of A-Z, 0-9, ".", "_", "-" (got "lower case")' },
      { field: 'name', message: 'must not be blank (got "")' },
      { field: 'price', message: 'must be >= 0 (got -1)' },
      { field: 'currency', message: 'must be an ISO 4217 code such as "EUR" (got "euro")' },
      {
        field: 'category',
        message: 'must be a slug of 1-64 characters of a-z, 0-9, "-" (got "Power Tools")',
      },
      { field: 'stock', message: 'must be >= 0 (got -3)' },
    ]);
  });

  it('rejects a body that is not a JSON object', async () => {
    expect(await fieldsOf(await send('POST', base, [validProduct()]))).toEqual(['body']);
    const noBody = await fetch(base, { method: 'POST', headers: bearer() });
    expect(await noBody.json()).toMatchObject({ details: [{ field: 'body', message: 'is required' }] });
  });

  it('answers 409 duplicate_sku for a sku that exists, keeping the original', async () => {
    const original = await createProduct();
    const res = await send('POST', base, validProduct({ name: 'Another hammer' }));
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({
      error: 'duplicate_sku',
      message: 'A product with sku "HAM-001" already exists',
    });
    expect(await (await fetch(`${base}/${original.id}`)).json()).toMatchObject({ name: 'Claw hammer' });
  });
});

describe('GET /api/products/:id', () => {
  it('answers 404 for an id that does not exist', async () => {
    const id = '3f0b1c1e-5f7a-4c41-9a8e-2d7f6b8a9c10';
    const res = await fetch(`${base}/${id}`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: 'not_found', message: `Product ${id} not found` });
  });

  it.each(['123', 'not-a-uuid', "1' OR '1'='1"])('answers 400 for the malformed id %j', async (id) => {
    const res = await fetch(`${base}/${encodeURIComponent(id)}`);
    expect(await res.clone().json()).toMatchObject({ details: [{ field: 'id' }] });
    expect(await fieldsOf(res)).toEqual(['id']);
  });
});

describe('GET /api/products', () => {
  beforeEach(async () => {
    await createProduct({ sku: 'SAW-1', name: 'Hand saw', price: 2500, category: 'tools' });
    await createProduct({ sku: 'HAM-1', name: 'Claw hammer', price: 1500, category: 'tools' });
    await createProduct({
      sku: 'HOSE-1',
      name: 'Garden hose',
      price: 3000,
      category: 'garden',
      description: 'Kink-free',
    });
    await createProduct({ sku: 'DRL-1', name: 'Cordless drill', price: 9900, category: 'tools' });
  });

  async function list(
    query: string,
  ): Promise<{ skus: string[]; page: number; limit: number; total: number }> {
    const res = await fetch(`${base}${query}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { items: Product[]; page: number; limit: number; total: number };
    return { skus: body.items.map((p) => p.sku), page: body.page, limit: body.limit, total: body.total };
  }

  it('lists everything by sku with default paging', async () => {
    expect(await list('')).toEqual({
      skus: ['DRL-1', 'HAM-1', 'HOSE-1', 'SAW-1'],
      page: 1,
      limit: 20,
      total: 4,
    });
  });

  it('pages with page and limit, reporting the total before paging', async () => {
    expect(await list('?limit=3&page=2')).toEqual({ skus: ['SAW-1'], page: 2, limit: 3, total: 4 });
    expect(await list('?limit=3&page=3')).toEqual({ skus: [], page: 3, limit: 3, total: 4 });
  });

  it('filters by category, price range and text', async () => {
    expect((await list('?category=tools&minPrice=1500&maxPrice=2500')).skus).toEqual(['HAM-1', 'SAW-1']);
    expect((await list('?q=kink')).skus).toEqual(['HOSE-1']);
    expect((await list('?q=drill&category=garden')).total).toBe(0);
  });

  it.each([
    ['?limit=0', 'limit'],
    ['?limit=101', 'limit'],
    ['?limit=abc', 'limit'],
    ['?page=-1', 'page'],
    ['?page=1.5', 'page'],
    ['?page=1&page=2', 'page'],
    ['?minPrice=-5', 'minPrice'],
    ['?minPrice=500&maxPrice=100', 'maxPrice'],
    ['?category=Not%20A%20Slug', 'category'],
    ['?q=', 'q'],
    ['?catgory=tools', 'catgory'],
  ])('answers 400 for %s naming %s', async (query, field) => {
    expect(await fieldsOf(await fetch(`${base}${query}`))).toEqual([field]);
  });
});

describe('PATCH /api/products/:id/inventory', () => {
  const adjust = (id: string, body: unknown) => send('PATCH', `${base}/${id}/inventory`, body);

  it('adds and removes stock', async () => {
    const product = await createProduct({ stock: 5 });
    const added = await adjust(product.id, { delta: 7 });
    expect(added.status).toBe(200);
    expect(await added.json()).toMatchObject({ id: product.id, stock: 12 });
    expect(await (await adjust(product.id, { delta: -12 })).json()).toMatchObject({ stock: 0 });
  });

  it('answers 409 insufficient_stock instead of going below zero', async () => {
    const product = await createProduct({ stock: 2 });
    const res = await adjust(product.id, { delta: -3 });
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({
      error: 'insufficient_stock',
      message: 'Cannot remove 3 from stock of 2: stock cannot go below zero',
    });
    expect(await (await fetch(`${base}/${product.id}`)).json()).toMatchObject({ stock: 2 });
  });

  it('never goes negative under concurrent decrements', async () => {
    const product = await createProduct({ stock: 10 });
    const responses = await Promise.all(Array.from({ length: 40 }, () => adjust(product.id, { delta: -1 })));
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(10);
    expect(statuses.filter((s) => s === 409)).toHaveLength(30);
    const remaining = await Promise.all(
      responses.filter((r) => r.status === 200).map(async (r) => ((await r.json()) as Product).stock),
    );
    expect(remaining.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(await (await fetch(`${base}/${product.id}`)).json()).toMatchObject({ stock: 0 });
  });

  it('answers 404 for an unknown product and 400 for a malformed id', async () => {
    const missing = await adjust('3f0b1c1e-5f7a-4c41-9a8e-2d7f6b8a9c10', { delta: 1 });
    expect(missing.status).toBe(404);
    expect(await fieldsOf(await adjust('nope', { delta: 1 }))).toEqual(['id']);
  });

  it.each([
    [{ delta: 1.5 }, 'delta'],
    [{ delta: '1' }, 'delta'],
    [{ delta: 0 }, 'delta'],
    [{ delta: 2_000_000 }, 'delta'],
    [{}, 'delta'],
    [{ delta: 1, stock: 100 }, 'stock'],
  ])('answers 400 for the body %j naming %s', async (body, field) => {
    const product = await createProduct();
    expect(await fieldsOf(await adjust(product.id, body))).toEqual([field]);
    expect(await (await fetch(`${base}/${product.id}`)).json()).toMatchObject({ stock: 10 });
  });

  it('counts adjustments by direction and outcome', async () => {
    const product = await createProduct({ stock: 1 });
    await adjust(product.id, { delta: 1 });
    await adjust(product.id, { delta: -2 });
    await adjust(product.id, { delta: -5 });
    await adjust('3f0b1c1e-5f7a-4c41-9a8e-2d7f6b8a9c10', { delta: -1 });
    const metrics = await (await fetch(`${running.url}/metrics`)).text();
    const count = (direction: string, outcome: string) => {
      const line = metrics
        .split('\n')
        .find(
          (l) =>
            l.startsWith('inventory_adjustments_total{') &&
            l.includes(`direction="${direction}"`) &&
            l.includes(`outcome="${outcome}"`),
        );
      expect(line).toContain('service="product"');
      return Number(line?.split(' ').pop());
    };
    expect(count('increase', 'applied')).toBe(1);
    expect(count('decrease', 'applied')).toBe(1);
    expect(count('decrease', 'insufficient_stock')).toBe(1);
    expect(count('decrease', 'not_found')).toBe(1);
  });
});

describe('who may write the catalog', () => {
  let existing: Product;
  beforeEach(async () => {
    existing = await createProduct({ stock: 10 });
  });
  const writes: Array<[string, (auth: Record<string, string>) => Promise<Response>]> = [
    ['POST /api/products', (auth) => send('POST', base, validProduct({ sku: 'NEW-1' }), auth)],
    [
      'PATCH /api/products/:id/inventory',
      (auth) => send('PATCH', `${base}/${existing.id}/inventory`, { delta: -1 }, auth),
    ],
  ];

  it.each(writes)(
    '%s answers 401 without a token, or with a forged or expired one',
    async (_route, write) => {
      for (const auth of [
        {},
        { authorization: 'Basic Y2F0YWxvZzpwdw==' },
        bearer(['catalog-manager'], { secret: 'another-key-of-at-least-thirty-two-bytes' }),
        bearer(['catalog-manager'], { now: Date.now() - 3_600_000 }),
      ]) {
        const res = await write(auth);
        expect(res.status).toBe(401);
        expect(await res.json()).toMatchObject({ error: 'unauthorized' });
      }
    },
  );

  it.each(writes)(
    '%s answers 403 naming the role for users without catalog-manager',
    async (_route, write) => {
      for (const roles of [[], ['admin'], ['analyst']] as const) {
        const res = await write(bearer(roles));
        expect(res.status).toBe(403);
        expect(await res.json()).toMatchObject({
          error: 'forbidden',
          message: 'This request needs the role "catalog-manager"',
        });
      }
    },
  );

  it('changes nothing when a write is refused', async () => {
    await send('PATCH', `${base}/${existing.id}/inventory`, { delta: -10 }, {});
    await send('PATCH', `${base}/${existing.id}/inventory`, { delta: -10 }, bearer(['admin']));
    await send('POST', base, validProduct({ sku: 'SNEAKY-1' }), bearer(['analyst']));
    const list = (await (await fetch(base)).json()) as { items: Product[] };
    expect(list.items.map((p) => [p.sku, p.stock])).toEqual([['HAM-001', 10]]);
  });

  it('lets a catalog manager create and adjust, and anyone read', async () => {
    const created = await send('POST', base, validProduct({ sku: 'NEW-1' }), bearer(['catalog-manager']));
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as Product;
    const adjusted = await send(
      'PATCH',
      `${base}/${id}/inventory`,
      { delta: 5 },
      bearer(['catalog-manager']),
    );
    expect(adjusted.status).toBe(200);
    expect((await fetch(`${base}/${id}`)).status).toBe(200);
    expect((await fetch(base)).status).toBe(200);
  });
});

describe('robustness', () => {
  it('keeps serving correct answers after malformed, oversized and hostile input', async () => {
    const hostile = [
      send('POST', base, '{"sku": '),
      send('POST', base, JSON.stringify(validProduct({ description: 'x'.repeat(200_000) }))),
      send('POST', base, '{"__proto__": {"polluted": true}, "sku": "P-1"}'),
      fetch(`${base}/%E0%A4%A`),
      fetch(`${base}?page[$gt]=1`),
      send('PATCH', `${base}/x/inventory`, 'null'),
    ];
    const statuses = (await Promise.all(hostile)).map((r) => r.status);
    expect(statuses).toEqual([400, 413, 400, 400, 400, 400]);
    expect(({} as Json).polluted).toBeUndefined();

    const product = await createProduct();
    expect((await fetch(`${base}/${product.id}`)).status).toBe(200);
    expect((await fetch(`${running.url}/health`)).status).toBe(200);
  });

  it('labels product requests by route template in the metrics', async () => {
    const product = await createProduct();
    await fetch(`${base}/${product.id}`);
    const metrics = await (await fetch(`${running.url}/metrics`)).text();
    expect(metrics).toMatch(/http_requests_total\{[^}]*route="\/api\/products\/:id"[^}]*status="200"/);
    expect(metrics).not.toContain(product.id);
  });
});
