import { randomUUID } from 'node:crypto';
import type { RunningService } from '@platform/common';
import {
  InMemoryCache,
  createLogger,
  loadConfig,
  signAccessToken,
  start,
  textRefusal,
} from '@platform/common';
import { createAnalyticsApp } from './app';
import { InMemoryAnalyticsStore } from './in-memory-analytics-store';

// The shared text rule (common's text.ts) over HTTP: the same 400 as every service.
const jwt = { secret: 'analytics-text-test-secret-0123456789ab', issuer: 'platform' };
let running: RunningService;

beforeEach(async () => {
  const config = loadConfig({ env: { SERVICE_NAME: 'analytics', LOG_LEVEL: 'silent' } });
  const service = createAnalyticsApp({
    config,
    logger: createLogger(config),
    store: new InMemoryAnalyticsStore(),
    jwt,
    cache: new InMemoryCache(),
    summaryCacheSeconds: 30,
  });
  running = await start(service, { port: 0, host: '127.0.0.1', idleDrainMs: 0 });
});

afterEach(() => running.shutdown('test done'));

describe('GET /api/analytics/products/top with a currency the shared text rule refuses', () => {
  it.each([
    ['a right-to-left override', 'EU\u202ER', 'U+202E at character 3'],
    ['a control character', 'EUR\u0001', 'U+0001 at character 4'],
  ])('answers 400 for %s', async (_what, currency, found) => {
    const token = signAccessToken(
      { sub: randomUUID(), email: 'ops@example.com', roles: ['analyst'] },
      { ...jwt, ttlSeconds: 300 },
    );
    const res = await fetch(
      `${running.url}/api/analytics/products/top?by=revenue&currency=${encodeURIComponent(currency)}`,
      { headers: { authorization: `Bearer ${token}` } },
    );
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ ...textRefusal('currency', found), requestId: expect.any(String) });
  });
});
