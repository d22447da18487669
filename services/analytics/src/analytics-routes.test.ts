import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import type { Cache, EventEnvelope, Role, RunningService } from '@platform/common';
import {
  InMemoryCache,
  InMemoryEventBus,
  createLogger,
  loadConfig,
  signAccessToken,
  start,
} from '@platform/common';
import type { AnalyticsStore } from './analytics-store';
import { createAnalyticsApp } from './app';
import { ANALYTICS_DLQ, ANALYTICS_TOPICS, createAnalyticsEventHandler } from './event-handler';
import { InMemoryAnalyticsStore } from './in-memory-analytics-store';

type Json = Record<string, any>;

const SECRET = 'analytics-test-secret-0123456789abcdef';
const ISSUER = 'platform';
const NOW = new Date('2026-03-10T12:00:00.000Z');
const ANALYST_ID = '5d0c3b1a-7e2f-4a6b-9c8d-1e2f3a4b5c6d';

let running: RunningService;
let bus: InMemoryEventBus;
let store: AnalyticsStore;
let cacheNow: number;
let token: string;

async function startWith(options: { store?: AnalyticsStore; cache?: Cache } = {}): Promise<void> {
  const config = loadConfig({
    env: { SERVICE_NAME: 'analytics', SERVICE_VERSION: '1.0.0', LOG_LEVEL: 'silent' },
  });
  const logger = createLogger(config);
  store = options.store ?? new InMemoryAnalyticsStore();
  cacheNow = NOW.getTime();
  const service = createAnalyticsApp({
    config,
    logger,
    store,
    jwt: { secret: SECRET, issuer: ISSUER },
    cache: options.cache ?? new InMemoryCache(() => cacheNow),
    summaryCacheSeconds: 30,
    now: () => NOW,
  });
  bus = new InMemoryEventBus();
  bus.subscribe(
    ANALYTICS_TOPICS,
    createAnalyticsEventHandler({ store, logger, registry: service.metrics.registry }),
    { deadLetterTopic: ANALYTICS_DLQ },
  );
  running = await start(service, { port: 0, host: '127.0.0.1', idleDrainMs: 0 });
}

beforeEach(async () => {
  token = signAccessToken(
    { sub: ANALYST_ID, email: 'ops@example.com', roles: ['analyst'] },
    { secret: SECRET, issuer: ISSUER, ttlSeconds: 600 },
  );
  await startWith();
});

afterEach(async () => {
  await running.shutdown('test done');
});

// --- feeding events through the consumer ---------------------------------------------------------------

async function publish(
  topic: string,
  type: string,
  occurredAt: string,
  data: unknown,
): Promise<EventEnvelope> {
  const event: EventEnvelope = { id: randomUUID(), type, source: 'test', occurredAt, key: 'k', data };
  await bus.publish(topic, [event]);
  await bus.settle();
  return event;
}

const item = (productId: string, quantity: number, unitPriceCents: number) => ({
  productId,
  quantity,
  unitPriceCents,
});

async function order(
  orderId: string,
  createdAt: string,
  items: ReturnType<typeof item>[],
  paidAt?: string,
  currency = 'EUR',
): Promise<void> {
  const totalCents = items.reduce((sum, i) => sum + i.quantity * i.unitPriceCents, 0);
  await publish('order-events', 'order.created', createdAt, {
    orderId,
    userId: 'u1',
    items,
    totalCents,
    currency,
  });
  if (paidAt !== undefined)
    await publish('order-events', 'order.paid', paidAt, { orderId, amountCents: totalCents, currency });
}

// --- HTTP helpers --------------------------------------------------------------------------------------------

function get(path: string, auth: string | null = `Bearer ${token}`): Promise<Response> {
  return fetch(`${running.url}${path}`, auth === null ? {} : { headers: { authorization: auth } });
}

async function ok(path: string): Promise<Json> {
  const res = await get(path);
  const body = (await res.json()) as Json;
  expect({ status: res.status, body }).toMatchObject({ status: 200 });
  return body;
}

async function fieldsOf(res: Response): Promise<string[]> {
  const body = (await res.json()) as { error: string; details: Array<{ field: string; message: string }> };
  expect({ status: res.status, error: body.error }).toEqual({ status: 400, error: 'validation_failed' });
  return body.details.map((d) => d.field);
}

/** Requests fetch cannot send (a GET with a body). */
function raw(
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<{ status: number; body: Json }> {
  return new Promise((resolve, reject) => {
    const length = body === undefined ? {} : { 'content-length': String(Buffer.byteLength(body)) };
    const req = request(`${running.url}${path}`, { method, headers: { ...headers, ...length } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => {
        try {
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Json });
        } catch {
          resolve({ status: res.statusCode ?? 0, body: { unparsed: text } });
        }
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

const ENDPOINTS = ['/api/analytics/summary', '/api/analytics/orders', '/api/analytics/products/top'];

// --- summary -------------------------------------------------------------------------------------------------

describe('GET /api/analytics/summary', () => {
  const january = '?from=2026-01-01&to=2026-02-01';

  it('summarises the consumed events of the range', async () => {
    await publish('user-events', 'user.registered', '2026-01-02T09:00:00Z', {
      userId: 'u1',
      email: 'a@example.com',
    });
    await order('o1', '2026-01-05T10:00:00Z', [item('p1', 2, 1000)], '2026-01-05T10:01:00Z');
    await order('o2', '2026-01-06T10:00:00Z', [item('p2', 1, 700)], '2026-01-06T10:01:00Z', 'USD');
    await order('o3', '2026-01-07T10:00:00Z', [item('p2', 1, 700)]);
    await publish('order-events', 'order.cancelled', '2026-01-07T11:00:00Z', { orderId: 'o3' });
    await publish('notification-events', 'notification.sent', '2026-01-05T10:02:00Z', { channel: 'email' });
    await publish('notification-events', 'notification.failed', '2026-01-05T10:03:00Z', { channel: 'sms' });
    await publish('analytics-events', 'product.created', '2026-01-01T08:00:00Z', { productId: 'p1' });
    await publish('analytics-events', 'inventory.changed', '2026-01-05T10:01:00Z', {
      productId: 'p1',
      delta: -2,
    });
    await publish('user-events', 'user.registered', '2026-02-01T00:00:00Z', { userId: 'u2' }); // after the range

    expect(await ok(`/api/analytics/summary${january}`)).toEqual({
      from: '2026-01-01T00:00:00.000Z',
      to: '2026-02-01T00:00:00.000Z',
      orders: { created: 3, paid: 2, cancelled: 1 },
      revenueCents: { EUR: 2000, USD: 700 },
      users: { registered: 1 },
      notifications: {
        sent: 1,
        failed: 1,
        byChannel: { email: { sent: 1, failed: 0 }, sms: { sent: 0, failed: 1 } },
      },
      products: { created: 1, inventoryChanges: 1 },
    });
  });

  it('covers the last 30 days by default', async () => {
    await publish('user-events', 'user.registered', '2026-03-10T11:59:00Z', { userId: 'recent' });
    await publish('user-events', 'user.registered', '2026-02-08T12:00:59Z', { userId: 'old' });
    const body = await ok('/api/analytics/summary');
    expect(body).toMatchObject({ from: '2026-02-08T12:01:00.000Z', to: '2026-03-10T12:01:00.000Z' });
    expect(body.users).toEqual({ registered: 1 });
  });

  it('counts an event redelivered by the broker once', async () => {
    const event: EventEnvelope = {
      id: randomUUID(),
      type: 'order.paid',
      source: 'order',
      occurredAt: '2026-01-05T10:00:00Z',
      key: 'o1',
      data: { orderId: 'o1', amountCents: 999, currency: 'EUR' },
    };
    await bus.publish('order-events', [event, event, event]);
    await bus.settle();
    expect(await ok(`/api/analytics/summary${january}`)).toMatchObject({
      orders: { paid: 1 },
      revenueCents: { EUR: 999 },
    });
  });

  it('serves a summary from the cache for its short TTL, then recomputes it', async () => {
    await publish('user-events', 'user.registered', '2026-01-02T09:00:00Z', { userId: 'u1' });
    expect((await ok(`/api/analytics/summary${january}`)).users).toEqual({ registered: 1 });
    await publish('user-events', 'user.registered', '2026-01-03T09:00:00Z', { userId: 'u2' });
    expect((await ok(`/api/analytics/summary${january}`)).users).toEqual({ registered: 1 });
    cacheNow += 31_000;
    expect((await ok(`/api/analytics/summary${january}`)).users).toEqual({ registered: 2 });
  });

  it('still answers when the cache fails', async () => {
    await running.shutdown('restart');
    const broken: Cache = {
      get: () => Promise.reject(new Error('redis down')),
      set: () => Promise.reject(new Error('redis down')),
      delete: () => Promise.reject(new Error('redis down')),
    };
    await startWith({ cache: broken });
    await publish('user-events', 'user.registered', '2026-01-02T09:00:00Z', { userId: 'u1' });
    expect((await ok(`/api/analytics/summary${january}`)).users).toEqual({ registered: 1 });
  });

  it.each([
    ['?form=2026-01-01', 'form'],
    ['?from=2026-02-30', 'from'],
    ['?from=yesterday', 'from'],
    ['?to=2026-01-01T10:00:00', 'to'],
    ['?from=2026-01-01&from=2026-01-02', 'from'],
    ['?from[$gt]=2026-01-01', 'from[$gt]'],
    ['?from=2026-02-01&to=2026-01-01', 'to'],
    ['?from=2026-01-01&to=2026-01-01', 'to'],
    ['?from=2024-01-01&to=2026-01-01', 'to'],
    ['?from=2027-01-01', 'from'],
  ])('answers 400 for %s naming %s', async (query, field) => {
    expect(await fieldsOf(await get(`/api/analytics/summary${query}`))).toEqual([field]);
  });

  it('says what is wrong with a range and what is allowed', async () => {
    const res = await get('/api/analytics/summary?from=2024-01-01&to=2026-01-01');
    expect(await res.json()).toMatchObject({
      message:
        'to must be at most 366 days from the other end of the range ' +
        '(got from=2024-01-01T00:00:00.000Z, to=2026-01-01T00:00:00.000Z)',
    });
  });
});

// --- orders time series -------------------------------------------------------------------------------------

describe('GET /api/analytics/orders', () => {
  it('buckets orders by day (the default), filling empty days with zeros', async () => {
    await order('o1', '2026-01-01T10:00:00Z', [item('p1', 1, 1000)], '2026-01-03T09:00:00Z');
    await order('o2', '2026-01-01T23:59:59Z', [item('p1', 2, 1000)], '2026-01-03T10:00:00Z', 'USD');
    await order('o3', '2026-01-04T00:00:00Z', [item('p1', 1, 1000)]); // on `to`: excluded

    expect(await ok('/api/analytics/orders?from=2026-01-01&to=2026-01-04')).toEqual({
      from: '2026-01-01T00:00:00.000Z',
      to: '2026-01-04T00:00:00.000Z',
      bucket: 'day',
      items: [
        { start: '2026-01-01T00:00:00.000Z', created: 2, paid: 0, revenueCents: {} },
        { start: '2026-01-02T00:00:00.000Z', created: 0, paid: 0, revenueCents: {} },
        { start: '2026-01-03T00:00:00.000Z', created: 0, paid: 2, revenueCents: { EUR: 1000, USD: 2000 } },
      ],
    });
  });

  it('buckets by hour and by week (weeks start on Monday, UTC)', async () => {
    await order('o1', '2026-01-05T10:15:00Z', [item('p1', 1, 500)], '2026-01-05T11:45:00Z');
    const hours = await ok(
      '/api/analytics/orders?from=2026-01-05T10:00:00Z&to=2026-01-05T13:00:00Z&bucket=hour',
    );
    expect(hours.items.map((b: Json) => [b.start.slice(11, 16), b.created, b.paid])).toEqual([
      ['10:00', 1, 0],
      ['11:00', 0, 1],
      ['12:00', 0, 0],
    ]);
    const weeks = await ok('/api/analytics/orders?from=2026-01-01&to=2026-01-15&bucket=week');
    expect(weeks.items.map((b: Json) => [b.start, b.created])).toEqual([
      ['2025-12-29T00:00:00.000Z', 0],
      ['2026-01-05T00:00:00.000Z', 1],
      ['2026-01-12T00:00:00.000Z', 0],
    ]);
  });

  it('covers the last 30 days by default: 31 daily buckets, the first one partial', async () => {
    const body = await ok('/api/analytics/orders');
    expect(body.items).toHaveLength(31);
    expect(body.items[0]).toEqual({
      start: '2026-02-08T00:00:00.000Z',
      created: 0,
      paid: 0,
      revenueCents: {},
    });
  });

  it('answers 400 naming bucket when the range has more than 1000 buckets, allowing exactly 1000', async () => {
    const res = await get('/api/analytics/orders?from=2026-01-01&to=2026-03-01&bucket=hour');
    expect(await res.clone().json()).toMatchObject({
      message:
        'bucket would give 1416 buckets of one hour for this range; at most 1000 are allowed ' +
        '(use a larger bucket or a shorter range)',
    });
    expect(await fieldsOf(res)).toEqual(['bucket']);
    const max = await ok(
      '/api/analytics/orders?from=2026-01-01T00:00:00Z&to=2026-02-11T16:00:00Z&bucket=hour',
    );
    expect(max.items).toHaveLength(1000);
  });

  it.each([
    ['?bucket=month', 'bucket'],
    ['?bucket=', 'bucket'],
    ['?bucket=day&bucket=hour', 'bucket'],
    ['?bucket=day&limit=5', 'limit'],
    ['?from=2026-01-10&to=2026-01-01', 'to'],
  ])('answers 400 for %s naming %s', async (query, field) => {
    expect(await fieldsOf(await get(`/api/analytics/orders${query}`))).toEqual([field]);
  });
});

// --- top products --------------------------------------------------------------------------------------------

describe('GET /api/analytics/products/top', () => {
  const january = 'from=2026-01-01&to=2026-02-01';

  beforeEach(async () => {
    await order(
      'o1',
      '2026-01-05T10:00:00Z',
      [item('hammer', 2, 1500), item('saw', 1, 4000)],
      '2026-01-05T10:01:00Z',
    );
    await order(
      'o2',
      '2026-01-06T10:00:00Z',
      [item('hammer', 1, 1500), item('nails', 10, 10)],
      '2026-01-06T10:01:00Z',
    );
    await order('o3', '2026-01-07T10:00:00Z', [item('drill', 50, 9900)]); // never paid
    await order('o4', '2026-01-08T10:00:00Z', [item('glue', 4, 300)], '2026-01-08T10:01:00Z', 'USD');
  });

  it('ranks products of paid orders by quantity', async () => {
    expect(await ok(`/api/analytics/products/top?${january}`)).toEqual({
      from: '2026-01-01T00:00:00.000Z',
      to: '2026-02-01T00:00:00.000Z',
      by: 'quantity',
      limit: 10,
      items: [
        { productId: 'nails', quantity: 10, orders: 1, revenueCents: { EUR: 100 } },
        { productId: 'glue', quantity: 4, orders: 1, revenueCents: { USD: 1200 } },
        { productId: 'hammer', quantity: 3, orders: 2, revenueCents: { EUR: 4500 } },
        { productId: 'saw', quantity: 1, orders: 1, revenueCents: { EUR: 4000 } },
      ],
    });
  });

  it('ranks by revenue within one currency, up to limit', async () => {
    const body = await ok(`/api/analytics/products/top?${january}&by=revenue&currency=EUR&limit=2`);
    expect(body).toMatchObject({ by: 'revenue', currency: 'EUR', limit: 2 });
    expect(body.items.map((p: Json) => [p.productId, p.revenueCents.EUR])).toEqual([
      ['hammer', 4500],
      ['saw', 4000],
    ]);
  });

  it('includes an order paid before its order.created was consumed', async () => {
    await publish('order-events', 'order.paid', '2026-01-09T10:01:00Z', {
      orderId: 'o5',
      amountCents: 5,
      currency: 'EUR',
    });
    expect((await ok(`/api/analytics/products/top?${january}`)).items).toHaveLength(4);
    await publish('order-events', 'order.created', '2026-01-09T10:00:00Z', {
      orderId: 'o5',
      userId: 'u1',
      items: [item('tape', 99, 5)],
      totalCents: 495,
      currency: 'EUR',
    });
    expect((await ok(`/api/analytics/products/top?${january}&limit=1`)).items).toEqual([
      { productId: 'tape', quantity: 99, orders: 1, revenueCents: { EUR: 495 } },
    ]);
  });

  it.each([
    ['?limit=0', 'limit'],
    ['?limit=51', 'limit'],
    ['?limit=ten', 'limit'],
    ['?limit=1.5', 'limit'],
    ['?by=price', 'by'],
    ['?by=revenue', 'currency'],
    ['?currency=eur', 'currency'],
    ['?sort=quantity', 'sort'],
    ['?from=2026-01-01&to=2027-01-03', 'to'],
  ])('answers 400 for %s naming %s', async (query, field) => {
    expect(await fieldsOf(await get(`/api/analytics/products/top${query}`))).toEqual([field]);
  });
});

// --- cross-cutting -------------------------------------------------------------------------------------------

describe('authentication', () => {
  const sign = (options: { secret?: string; issuer?: string; now?: number; roles?: Role[] } = {}) =>
    signAccessToken(
      { sub: ANALYST_ID, email: 'e@example.com', roles: options.roles ?? ['analyst'] },
      {
        secret: options.secret ?? SECRET,
        issuer: options.issuer ?? ISSUER,
        ttlSeconds: 60,
        ...(options.now !== undefined && { now: options.now }),
      },
    );
  const cases: Array<[string, () => string | null, string]> = [
    ['no Authorization header', () => null, 'Authentication required'],
    ['a Basic credential', () => 'Basic dXNlcjpwYXNz', 'Authentication required'],
    ['a malformed token', () => 'Bearer abc', 'Malformed token'],
    ['a token signed with another key', () => `Bearer ${sign({ secret: 'x'.repeat(32) })}`, 'Invalid token'],
    ['a token from another issuer', () => `Bearer ${sign({ issuer: 'elsewhere' })}`, 'Invalid token'],
    ['an expired token', () => `Bearer ${sign({ now: Date.now() - 120_000 })}`, 'Token expired'],
  ];

  it.each(
    ENDPOINTS.flatMap((path) => cases.map(([what, auth, message]) => [path, what, auth, message] as const)),
  )('%s answers 401 for %s', async (path, _what, auth, message) => {
    const res = await get(`${path}?limit=oops`, auth());
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: 'unauthorized', message });
  });

  it.each(
    ENDPOINTS.flatMap((path) =>
      ([[], ['admin'], ['catalog-manager', 'admin']] as Role[][]).map((roles) => [path, roles] as const),
    ),
  )(
    '%s answers 403 for a valid token with the roles %j, before validating the query',
    async (path, roles) => {
      const res = await get(`${path}?limit=oops`, `Bearer ${sign({ roles })}`);
      expect(res.status).toBe(403);
      expect(await res.json()).toMatchObject({
        error: 'forbidden',
        message: 'This request needs the role "analyst"',
      });
    },
  );

  it.each(ENDPOINTS)('%s answers 200 for an analyst', async (path) => {
    expect((await get(path, `Bearer ${sign()}`)).status).toBe(200);
  });

  it('guards unknown paths under /api/analytics too, so new reports cannot be left open', async () => {
    expect((await get('/api/analytics/revenue', null)).status).toBe(401);
    expect((await get('/api/analytics/revenue', `Bearer ${sign({ roles: [] })}`)).status).toBe(403);
  });
});

describe('routing and hostile input', () => {
  it('answers 404 for unknown reports and methods', async () => {
    const unknown = await get('/api/analytics/revenue');
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({
      error: 'not_found',
      message: 'No route for GET /api/analytics/revenue',
    });
    const post = await fetch(`${running.url}/api/analytics/summary`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(post.status).toBe(404);
  });

  it('refuses request bodies that are malformed, oversized or not JSON, and keeps serving', async () => {
    const auth = { authorization: `Bearer ${token}` };
    const json = { ...auth, 'content-type': 'application/json' };
    const results = await Promise.all([
      raw('GET', '/api/analytics/summary', json, '{"from": '),
      raw('GET', '/api/analytics/summary', json, JSON.stringify({ pad: 'x'.repeat(20_000) })),
      raw('GET', '/api/analytics/summary', { ...auth, 'content-type': 'text/plain' }, 'hello'),
      raw('GET', '/api/analytics/%E0%A4%A', auth),
      raw('GET', '/api/analytics/summary?from=%00', auth),
    ]);
    expect(results.map((r) => [r.status, r.body.error])).toEqual([
      [400, 'malformed_json'],
      [413, 'payload_too_large'],
      [415, 'unsupported_media_type'],
      [404, 'not_found'],
      [400, 'validation_failed'],
    ]);
    expect((await get('/api/analytics/summary')).status).toBe(200);
    expect((await fetch(`${running.url}/health`)).status).toBe(200);
  });

  it('answers 500 without internals when the store fails, and keeps serving', async () => {
    await running.shutdown('restart');
    const failing = new InMemoryAnalyticsStore();
    failing.summary = () => Promise.reject(new Error('connection to mongo-0.internal:27017 lost'));
    await startWith({ store: failing });
    const res = await get('/api/analytics/summary');
    const body = (await res.json()) as Json;
    expect(res.status).toBe(500);
    expect(body).toEqual({
      error: 'internal',
      message: 'Internal server error',
      requestId: expect.any(String),
    });
    expect(JSON.stringify(body)).not.toContain('mongo');
    expect((await get('/api/analytics/orders')).status).toBe(200);
  });

  it('dead-letters invalid events instead of counting them', async () => {
    const bad = await publish('order-events', 'order.paid', '2026-01-05T10:00:00Z', {
      orderId: 'o1',
      amountCents: -5,
    });
    expect(bus.events(ANALYTICS_DLQ)).toEqual([bad]);
    expect((await ok('/api/analytics/summary?from=2026-01-01&to=2026-02-01')).orders.paid).toBe(0);
  });

  it('exposes consumed-event counts and report routes by template in /metrics', async () => {
    await publish('user-events', 'user.registered', '2026-01-02T09:00:00Z', { userId: 'u1' });
    await get('/api/analytics/products/top');
    const metrics = await (await fetch(`${running.url}/metrics`)).text();
    expect(metrics).toMatch(
      /analytics_events_total\{[^}]*type="user.registered"[^}]*outcome="recorded"[^}]*\} 1/,
    );
    expect(metrics).toMatch(
      /http_requests_total\{[^}]*route="\/api\/analytics\/products\/top"[^}]*status="200"/,
    );
  });
});
