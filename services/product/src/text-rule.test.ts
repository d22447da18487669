import type { RunningService } from '@platform/common';
import {
  InMemoryCache,
  InMemoryEventBus,
  createLogger,
  loadConfig,
  start,
  textRefusal,
} from '@platform/common';
import { createProductApp } from './app';
import { InMemoryProductRepository } from './in-memory-product-repository';
import { TEST_JWT, bearer } from './product-auth.fixture';

// The shared text rule (common's text.ts) over HTTP: the same 400 as every service, NFC stored.
let running: RunningService;

beforeEach(async () => {
  const config = loadConfig({ env: { SERVICE_NAME: 'product', LOG_LEVEL: 'silent' } });
  const service = createProductApp({
    config,
    logger: createLogger(config),
    repository: new InMemoryProductRepository(),
    cache: new InMemoryCache(),
    events: new InMemoryEventBus(),
    jwt: TEST_JWT,
  });
  running = await start(service, { port: 0, host: '127.0.0.1', idleDrainMs: 0 });
});

afterEach(() => running.shutdown('test done'));

const product = (overrides: Record<string, unknown>) => ({
  sku: 'HAM-001',
  name: 'Claw hammer',
  description: 'Steel, 450 g',
  price: 1999,
  currency: 'EUR',
  category: 'tools',
  stock: 10,
  ...overrides,
});

function create(body: unknown): Promise<Response> {
  return fetch(`${running.url}/api/products`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...bearer() },
    body: JSON.stringify(body),
  });
}

describe('POST /api/products with text the shared rule refuses', () => {
  it.each([
    ['name', { name: 'Ham\u202Emer' }, 'U+202E at character 4'],
    ['description', { description: 'Steel\u2066 450 g' }, 'U+2066 at character 6'],
    ['sku', { sku: 'HAM\u200B001' }, 'U+200B at character 4'],
    ['category', { category: 'to\u0000ols' }, 'U+0000 at character 3'],
    ['name', { name: 'Ham\uD800' }, 'an unpaired surrogate U+D800 at character 4'],
  ])('answers 400 naming %s', async (field, overrides, found) => {
    const res = await create(product(overrides));
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ ...textRefusal(field, found), requestId: expect.any(String) });
  });

  it('stores names and descriptions NFC-normalised, keeping line breaks in the description', async () => {
    const res = await create(product({ name: 'Cafe\u0301 mug', description: 'Line one\r\nLine two' }));
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ name: 'Caf\u00E9 mug', description: 'Line one\nLine two' });
  });
});
