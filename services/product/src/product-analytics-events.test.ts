import type {
  EventPublisher,
  InventoryChangedPayload,
  ProductCreatedPayload,
  RunningService,
} from '@platform/common';
import {
  ANALYTICS_CONSUMES,
  EVENT_PAYLOADS,
  InMemoryCache,
  InMemoryEventBus,
  createLogger,
  loadConfig,
  start,
} from '@platform/common';
import { createProductApp } from './app';
import { TEST_JWT, bearer } from './product-auth.fixture';
import { InMemoryProductRepository } from './in-memory-product-repository';
import type { Product } from './product';
import { ANALYTICS_TOPIC } from './product-events';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let running: RunningService | undefined;
let bus: InMemoryEventBus;
let base: string;

async function serve(events?: EventPublisher): Promise<void> {
  const config = loadConfig({ env: { SERVICE_NAME: 'product', LOG_LEVEL: 'silent' } });
  bus = new InMemoryEventBus();
  const service = createProductApp({
    config,
    logger: createLogger(config),
    repository: new InMemoryProductRepository(),
    cache: new InMemoryCache(),
    events: events ?? bus,
    jwt: TEST_JWT,
  });
  running = await start(service, { port: 0, host: '127.0.0.1', idleDrainMs: 0 });
  base = `${running.url}/api/products`;
}

afterEach(async () => {
  await running?.shutdown('test done');
  running = undefined;
});

function send(method: string, url: string, body: unknown, requestId?: string): Promise<Response> {
  return fetch(url, {
    method,
    headers: {
      'content-type': 'application/json',
      ...bearer(),
      ...(requestId && { 'x-request-id': requestId }),
    },
    body: JSON.stringify(body),
  });
}

const hammer = { sku: 'HAM-001', name: 'Claw hammer', price: 1999, currency: 'EUR', category: 'tools' };

async function createProduct(stock = 10, requestId?: string): Promise<Product> {
  const res = await send('POST', base, { ...hammer, stock }, requestId);
  expect(res.status).toBe(201);
  return (await res.json()) as Product;
}

async function metric(labels: string): Promise<number> {
  const text = await (await fetch(`${running!.url}/metrics`)).text();
  // Summed over the series that carry `labels` (one per event type when only the outcome is given).
  return text
    .split('\n')
    .filter((l) => l.startsWith('product_events_total{') && l.includes(labels))
    .reduce((sum, l) => sum + Number(l.split(' ').pop()), 0);
}

describe('analytics events', () => {
  it('emits product.created to analytics-events with the request id, keyed by product', async () => {
    await serve();
    const product = await createProduct(10, 'req-create-1');

    const events = bus.events(ANALYTICS_TOPIC);
    expect(events).toHaveLength(1);
    const expected: ProductCreatedPayload = {
      productId: product.id,
      sku: 'HAM-001',
      name: 'Claw hammer',
      category: 'tools',
      priceCents: 1999,
      currency: 'EUR',
      stock: 10,
    };
    expect(events[0]).toEqual({
      id: expect.stringMatching(UUID),
      type: 'product.created',
      source: 'product',
      occurredAt: product.createdAt,
      key: product.id,
      requestId: 'req-create-1',
      data: expected,
    });
  });

  it('emits inventory.changed with the applied delta and the stock after it', async () => {
    await serve();
    const product = await createProduct(10);
    const res = await send('PATCH', `${base}/${product.id}/inventory`, { delta: -3 }, 'req-adjust-1');
    const adjusted = (await res.json()) as Product;

    const events = bus.events(ANALYTICS_TOPIC);
    expect(events.map((e) => e.type)).toEqual(['product.created', 'inventory.changed']);
    const expected: InventoryChangedPayload = {
      productId: product.id,
      sku: 'HAM-001',
      category: 'tools',
      delta: -3,
      stock: 7,
    };
    expect(events[1]).toMatchObject({
      type: 'inventory.changed',
      key: product.id,
      occurredAt: adjusted.updatedAt,
      requestId: 'req-adjust-1',
      data: expected,
    });
    expect(new Set(events.map((e) => e.id)).size).toBe(2);
  });

  it('sends exactly the fields of the shared event contract, which analytics accepts', async () => {
    await serve();
    const product = await createProduct(10);
    await send('PATCH', `${base}/${product.id}/inventory`, { delta: 2 });
    const events = bus.events(ANALYTICS_TOPIC);
    expect(events.map((e) => e.type)).toEqual(['product.created', 'inventory.changed']);
    for (const event of events) {
      const type = event.type as 'product.created' | 'inventory.changed';
      expect(EVENT_PAYLOADS[type].strict().safeParse(event.data).error).toBeUndefined();
      expect(ANALYTICS_CONSUMES[type].safeParse(event.data).error).toBeUndefined();
    }
  });

  it('emits nothing for refused, unknown, duplicate or invalid writes', async () => {
    await serve();
    const product = await createProduct(1);
    const statuses = [
      (await send('PATCH', `${base}/${product.id}/inventory`, { delta: -2 })).status,
      (await send('PATCH', `${base}/3f0b1c1e-5f7a-4c41-9a8e-2d7f6b8a9c10/inventory`, { delta: 1 })).status,
      (await send('POST', base, { ...hammer, stock: 1 })).status,
      (await send('POST', base, { ...hammer, stock: -1 })).status,
    ];
    expect(statuses).toEqual([409, 404, 409, 400]);
    expect(bus.events(ANALYTICS_TOPIC).map((e) => e.type)).toEqual(['product.created']);
  });

  it('still answers the write when the broker is down, counting the dropped event', async () => {
    await serve();
    bus.failWith = new Error('KafkaJSNumberOfRetriesExceeded');
    const product = await createProduct(4);
    const adjusted = await send('PATCH', `${base}/${product.id}/inventory`, { delta: 1 });
    expect(adjusted.status).toBe(200);

    expect(bus.events(ANALYTICS_TOPIC)).toEqual([]);
    expect(await metric('outcome="failed"')).toBe(2);
    expect((await fetch(`${base}/${product.id}`)).status).toBe(200);
  });

  it('answers within the publish timeout when the broker never acknowledges', async () => {
    const silent: EventPublisher = { publish: () => new Promise(() => undefined) };
    await serve(silent);
    const started = Date.now();
    await createProduct();
    expect(Date.now() - started).toBeLessThan(3000);
    expect(await metric('type="product.created",outcome="failed"')).toBe(1);
  });
});
