import type { RunningService, ServiceKeys } from '@platform/common';
import {
  InMemoryOutboxStore,
  InMemoryRateLimiter,
  SERVICE_TOKEN_HEADER,
  createLogger,
  loadConfig,
  refusedServiceTokens,
  signAccessToken,
  signServiceToken,
  start,
} from '@platform/common';
import { createUserApp } from './app';
import { InMemoryUserRepository } from './in-memory-user-repository';

const JWT = { secret: 'test-only-hmac-key-of-at-least-32-bytes', issuer: 'platform', ttlSeconds: 900 };
const ORDER_KEY = 'order-service-key-of-at-least-32-bytes!!';
const BILLING_KEY = 'billing-service-key-of-at-least-32-bytes';
const started: RunningService[] = [];

async function startUser(serviceKeys?: ServiceKeys): Promise<string> {
  const config = loadConfig({ env: { SERVICE_NAME: 'user', LOG_LEVEL: 'silent' } });
  const service = createUserApp({
    config,
    logger: createLogger(config),
    repository: new InMemoryUserRepository(),
    outbox: new InMemoryOutboxStore(),
    rateLimiter: new InMemoryRateLimiter(),
    jwt: JWT,
    ...(serviceKeys && { serviceKeys }),
  });
  const running = await start(service, { port: 0, host: '127.0.0.1', idleDrainMs: 0 });
  started.push(running);
  return running.url;
}

afterEach(() => Promise.all(started.splice(0).map((running) => running.shutdown('test done'))));

let url: string;
let userId: string;

beforeEach(async () => {
  url = await startUser(
    new Map([
      ['order', [ORDER_KEY]],
      ['billing', [BILLING_KEY]],
    ]),
  );
  const res = await fetch(`${url}/api/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'ada@example.com', password: 'correct horse battery staple', name: 'Ada' }),
  });
  userId = ((await res.json()) as { id: string }).id;
});

const asOrder = () => ({
  [SERVICE_TOKEN_HEADER]: signServiceToken({ caller: 'order', audience: 'user' }, ORDER_KEY),
});
const exists = (id: string, headers: Record<string, string>, base = url) =>
  fetch(`${base}/internal/users/${id}`, { headers });

describe('GET /internal/users/:id', () => {
  it('tells the order service that a user exists, and nothing else about them', async () => {
    const res = await exists(userId, asOrder());
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ id: userId, exists: true });
  });

  it('answers 404 for an unknown user and 400 for a malformed id', async () => {
    expect((await exists('0c9e8f7d-6b5a-4e3d-8c2b-1a0f9e8d7c6b', asOrder())).status).toBe(404);
    expect((await exists('not-a-uuid', asOrder())).status).toBe(400);
  });

  it('answers 401 without a service token, and for each kind of bad one', async () => {
    const userToken = signAccessToken({ sub: userId, email: 'ada@example.com', roles: ['admin'] }, JWT);
    const cases = refusedServiceTokens({ audience: 'user', caller: 'order', key: ORDER_KEY, userToken });
    const answers = await Promise.all(
      cases.map(async ({ what, headers }) => {
        const res = await exists(userId, { ...headers });
        const body = (await res.json()) as { error: string };
        return [what, res.status, body.error];
      }),
    );
    expect(answers).toEqual(cases.map(({ what }) => [what, 401, 'unauthorized']));
  });

  it('answers 403 to a known service the route does not name', async () => {
    const token = signServiceToken({ caller: 'billing', audience: 'user' }, BILLING_KEY);
    const res = await exists(userId, { [SERVICE_TOKEN_HEADER]: token });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: 'forbidden' });
  });

  it('accepts no caller at all when no SERVICE_KEY_<CALLER> is configured', async () => {
    const bare = await startUser();
    expect((await exists(userId, asOrder(), bare)).status).toBe(401);
  });

  it('leaves the public GET /api/users/:id to the owner: a service token is no access token', async () => {
    const res = await fetch(`${url}/api/users/${userId}`, { headers: asOrder() });
    expect(res.status).toBe(401);
  });
});
