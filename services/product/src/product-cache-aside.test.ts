import type { Cache, RunningService } from '@platform/common';
import { InMemoryCache, InMemoryEventBus, createLogger, loadConfig, start } from '@platform/common';
import { createProductApp } from './app';
import { TEST_JWT, bearer } from './product-auth.fixture';
import { InMemoryProductRepository } from './in-memory-product-repository';
import type { Product } from './product';
import { ProductCache } from './product-cache';

/** Counts reads, so a test can tell a cache hit (no repository call) from a miss. */
class CountingRepository extends InMemoryProductRepository {
  gets = 0;

  override async get(id: string): Promise<Product | undefined> {
    this.gets += 1;
    return super.get(id);
  }
}

/** A cache whose every call fails the way a lost Redis connection does. */
class BrokenCache implements Cache {
  calls = 0;

  get<T>(): Promise<T | undefined> {
    this.calls += 1;
    return Promise.reject(new Error('ECONNREFUSED 127.0.0.1:6379'));
  }

  set(): Promise<void> {
    this.calls += 1;
    return Promise.reject(new Error('ECONNREFUSED 127.0.0.1:6379'));
  }

  delete(): Promise<void> {
    this.calls += 1;
    // A broken adapter may even throw synchronously.
    throw new Error('connection is closed');
  }
}

/** A cache that never answers, like a Redis master that went away without closing the socket. */
class HungCache implements Cache {
  get<T>(): Promise<T | undefined> {
    return new Promise(() => undefined);
  }

  set(): Promise<void> {
    return new Promise(() => undefined);
  }

  delete(): Promise<void> {
    return new Promise(() => undefined);
  }
}

const FIXED_ID = '7c9e6679-7425-40de-944b-e07fc1f90ae7';

let running: RunningService | undefined;
let repository: CountingRepository;
let cache: InMemoryCache;
let base: string;

async function serve(options: { cache?: Cache; newId?: () => string } = {}): Promise<void> {
  const config = loadConfig({ env: { SERVICE_NAME: 'product', LOG_LEVEL: 'silent' } });
  repository = new CountingRepository(undefined, options.newId);
  cache = new InMemoryCache();
  const service = createProductApp({
    config,
    logger: createLogger(config),
    repository,
    cache: options.cache ?? cache,
    events: new InMemoryEventBus(),
    jwt: TEST_JWT,
  });
  running = await start(service, { port: 0, host: '127.0.0.1', idleDrainMs: 0 });
  base = `${running.url}/api/products`;
}

afterEach(async () => {
  await running?.shutdown('test done');
  running = undefined;
});

function send(method: string, url: string, body?: unknown): Promise<Response> {
  return fetch(url, {
    method,
    headers: { 'content-type': 'application/json', ...bearer() },
    body: JSON.stringify(body),
  });
}

async function createProduct(stock = 10): Promise<Product> {
  const res = await send('POST', base, {
    sku: 'HAM-001',
    name: 'Claw hammer',
    price: 1999,
    currency: 'EUR',
    category: 'tools',
    stock,
  });
  expect(res.status).toBe(201);
  return (await res.json()) as Product;
}

async function read(id: string): Promise<Product> {
  const res = await fetch(`${base}/${id}`);
  expect(res.status).toBe(200);
  return (await res.json()) as Product;
}

async function metric(name: string, labels: string): Promise<number> {
  const text = await (await fetch(`${running!.url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && l.includes(labels));
  return line === undefined ? 0 : Number(line.split(' ').pop());
}

describe('GET /api/products/:id through the cache', () => {
  it('answers a repeated read from the cache without calling the repository', async () => {
    await serve();
    const product = await createProduct();

    expect(await read(product.id)).toEqual(product);
    expect(await read(product.id)).toEqual(product);
    expect(await read(product.id)).toEqual(product);

    expect(repository.gets).toBe(1);
    expect(await cache.get(ProductCache.key(product.id))).toEqual(product);
    expect(await metric('product_cache_lookups_total', 'outcome="miss"')).toBe(1);
    expect(await metric('product_cache_lookups_total', 'outcome="hit"')).toBe(2);
  });

  it('does not cache a 404, so a product is readable as soon as it exists', async () => {
    await serve({ newId: () => FIXED_ID });
    expect((await fetch(`${base}/${FIXED_ID}`)).status).toBe(404);
    expect(await cache.get(ProductCache.key(FIXED_ID))).toBeUndefined();
    await createProduct();
    expect((await read(FIXED_ID)).sku).toBe('HAM-001');
  });

  it('drops the cached product on an inventory change, so the next read shows the new stock', async () => {
    await serve();
    const product = await createProduct(10);
    expect((await read(product.id)).stock).toBe(10);

    const patched = await send('PATCH', `${base}/${product.id}/inventory`, { delta: -4 });
    expect(patched.status).toBe(200);
    expect(await cache.get(ProductCache.key(product.id))).toBeUndefined();

    expect((await read(product.id)).stock).toBe(6);
    expect(repository.gets).toBe(2);
  });

  it('keeps the cached product when an inventory change is refused', async () => {
    await serve();
    const product = await createProduct(1);
    await read(product.id);
    expect((await send('PATCH', `${base}/${product.id}/inventory`, { delta: -2 })).status).toBe(409);
    expect(await cache.get(ProductCache.key(product.id))).toEqual(product);
  });

  it('clears the key of a created product, so a stale entry under its id is never served', async () => {
    await serve({ newId: () => FIXED_ID });
    await cache.set(ProductCache.key(FIXED_ID), { id: FIXED_ID, sku: 'STALE', stock: 999 }, 60);

    const created = await createProduct(3);
    expect(created.id).toBe(FIXED_ID);
    expect(await cache.get(ProductCache.key(FIXED_ID))).toBeUndefined();
    expect(await read(FIXED_ID)).toMatchObject({ sku: 'HAM-001', stock: 3 });
  });

  it('expires cached products after the TTL', async () => {
    let now = Date.parse('2026-01-01T00:00:00Z');
    const clockCache = new InMemoryCache(() => now);
    await serve({ cache: clockCache });
    const product = await createProduct();
    await read(product.id);
    await read(product.id);
    expect(repository.gets).toBe(1);

    now += 60_000;
    await read(product.id);
    expect(repository.gets).toBe(2);
  });
});

describe('cache outage', () => {
  it('serves reads and writes from the repository when every cache call fails', async () => {
    const broken = new BrokenCache();
    await serve({ cache: broken });
    const product = await createProduct(5);

    expect(await read(product.id)).toEqual(product);
    expect(await read(product.id)).toEqual(product);
    const patched = await send('PATCH', `${base}/${product.id}/inventory`, { delta: 2 });
    expect(patched.status).toBe(200);
    expect(await read(product.id)).toMatchObject({ stock: 7 });

    expect(repository.gets).toBe(3);
    expect(broken.calls).toBeGreaterThanOrEqual(6);
    expect(await metric('product_cache_lookups_total', 'outcome="error"')).toBe(3);
    expect(await metric('product_cache_failures_total', 'operation="delete"')).toBe(2);
    expect((await fetch(`${running!.url}/health`)).status).toBe(200);
  });

  it('gives up on a cache that never answers and serves from the repository within a second', async () => {
    await serve({ cache: new HungCache() });
    const started = Date.now();
    const product = await createProduct();
    expect(await read(product.id)).toEqual(product);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(await metric('product_cache_failures_total', 'operation="get"')).toBe(1);
  });
});
