import type { RunningService } from '@platform/common';
import {
  InMemoryOutboxStore,
  InMemoryRateLimiter,
  createLogger,
  loadConfig,
  start,
  textRefusal,
} from '@platform/common';
import { createUserApp } from './app';
import { InMemoryUserRepository } from './in-memory-user-repository';

// The shared text rule (common's text.ts) over HTTP: the same 400 as every service, NFC stored.
let running: RunningService;

beforeEach(async () => {
  const config = loadConfig({ env: { SERVICE_NAME: 'user', LOG_LEVEL: 'silent' } });
  const service = createUserApp({
    config,
    logger: createLogger(config),
    repository: new InMemoryUserRepository(),
    outbox: new InMemoryOutboxStore(),
    rateLimiter: new InMemoryRateLimiter(),
    jwt: { secret: 'test-only-hmac-key-of-at-least-32-bytes', issuer: 'platform', ttlSeconds: 900 },
  });
  running = await start(service, { port: 0, host: '127.0.0.1', idleDrainMs: 0 });
});

afterEach(() => running.shutdown('test done'));

function register(name: string): Promise<Response> {
  return fetch(`${running.url}/api/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'ada@example.com', password: 'correct horse battery staple', name }),
  });
}

describe('POST /api/auth/register with a name the shared text rule refuses', () => {
  it.each([
    ['a right-to-left override', 'Ada\u202E', 'U+202E at character 4'],
    ['a bell', 'Ada\u0007', 'U+0007 at character 4'],
    ['a Hangul filler (a blank-looking name)', '\u3164', 'U+3164 at character 1'],
    ['a lone surrogate', '\uDFFFAda', 'an unpaired surrogate U+DFFF at character 1'],
  ])('answers 400 for %s', async (_what, name, found) => {
    const res = await register(name);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ ...textRefusal('name', found), requestId: expect.any(String) });
  });

  it('stores the name NFC-normalised', async () => {
    const res = await register('Zoe\u0308');
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ name: 'Zo\u00EB' });
  });
});
