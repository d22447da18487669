import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { Registry } from 'prom-client';
import { loadConfig } from '../config';
import { createLogger } from '../logger';
import { ServiceTokenIssuer, verifyServiceToken } from '../service-auth';
import { DependencyError } from './dependency-error';
import type { HttpServiceClientOptions } from './http-service-client';
import { HttpServiceClient } from './http-service-client';

type LogLine = Record<string, unknown>;

interface Seen {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** Answers one request; `undefined` leaves it hanging until the test ends. */
type Answer = ((res: ServerResponse, seen: Seen) => void) | undefined;

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function json(status: number, body: unknown): Answer {
  return (res) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
}

/**
 * A real HTTP server on loopback that answers with `answers` in turn (the last one repeats) and records
 * every request it received, so tests can count what actually reached the service.
 */
async function startUpstream(...answers: Answer[]) {
  const seen: Seen[] = [];
  const script = { answers };
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const request = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
      seen.push(request);
      const answer = script.answers[Math.min(seen.length, script.answers.length) - 1];
      answer?.(res, request);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    seen,
    /** From the next request on, answer like this. */
    switchTo: (...next: Answer[]) => {
      script.answers = next;
      seen.length = 0;
    },
  };
}

function createClient(baseUrl: string, overrides: Partial<HttpServiceClientOptions> = {}) {
  const config = loadConfig({ env: { SERVICE_NAME: 'orders', LOG_LEVEL: 'debug' } });
  const lines: LogLine[] = [];
  const logger = createLogger(config, { write: (line: string) => lines.push(JSON.parse(line) as LogLine) });
  const client = new HttpServiceClient({
    name: 'users',
    baseUrl,
    timeoutMs: 150,
    backoff: { baseMs: 5, capMs: 20 },
    logger,
    ...overrides,
  });
  cleanups.push(() => client.close());
  return { client, lines };
}

async function failure(promise: Promise<unknown>): Promise<DependencyError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DependencyError);
  return err as DependencyError;
}

const messages = (lines: LogLine[]): unknown[] => lines.map((line) => line.msg);

describe('HttpServiceClient answers', () => {
  it('sends JSON with the request id and authorization and resolves with the parsed answer', async () => {
    const upstream = await startUpstream(json(201, { id: 'u-1', name: 'Ada' }));
    const { client } = createClient(upstream.url);

    const response = await client.request({
      method: 'POST',
      path: '/api/users?invite=1',
      body: { name: 'Ada' },
      requestId: 'req-123',
      authorization: 'Bearer abc.def.ghi',
    });

    expect(response).toEqual({ status: 201, body: { id: 'u-1', name: 'Ada' } });
    expect(upstream.seen).toHaveLength(1);
    const [seen] = upstream.seen;
    expect(seen?.method).toBe('POST');
    expect(seen?.url).toBe('/api/users?invite=1');
    expect(JSON.parse(seen?.body ?? '')).toEqual({ name: 'Ada' });
    expect(seen?.headers).toMatchObject({
      'x-request-id': 'req-123',
      authorization: 'Bearer abc.def.ghi',
      'content-type': 'application/json',
      accept: 'application/json',
    });
  });

  it('sends neither body, content type, request id nor authorization when not given', async () => {
    const upstream = await startUpstream(json(200, { ok: true }));
    const { client } = createClient(upstream.url);
    await client.request({ method: 'GET', path: '/api/users/1' });
    const headers = upstream.seen[0]?.headers;
    expect(headers?.['content-type']).toBeUndefined();
    expect(headers?.['x-request-id']).toBeUndefined();
    expect(headers?.authorization).toBeUndefined();
    expect(upstream.seen[0]?.body).toBe('');
  });

  it('authenticates as the calling service on requests with asService, and only on those', async () => {
    const key = 'order-service-key-of-at-least-32-bytes!!';
    const upstream = await startUpstream(json(200, { ok: true }));
    const { client } = createClient(upstream.url, {
      serviceTokens: new ServiceTokenIssuer({ caller: 'order', key }),
      audience: 'user',
    });
    await client.request({ method: 'GET', path: '/internal/users/1', asService: true });
    await client.request({ method: 'GET', path: '/api/users/1', authorization: 'Bearer abc.def.ghi' });
    const [internal, public_] = upstream.seen;
    const token = internal?.headers['x-service-token'];
    expect(typeof token).toBe('string');
    expect(internal?.headers.authorization).toBeUndefined();
    const keys = new Map([['order', [key]]]);
    expect(verifyServiceToken(token as string, { audience: 'user', keys })).toMatchObject({
      iss: 'order',
      aud: 'user',
    });
    expect(public_?.headers['x-service-token']).toBeUndefined();
  });

  it('refuses asService without a service key instead of calling unauthenticated', async () => {
    const upstream = await startUpstream(json(200, { ok: true }));
    const { client } = createClient(upstream.url);
    await expect(client.request({ method: 'GET', path: '/internal/x', asService: true })).rejects.toThrow(
      "users: asService needs the client's serviceTokens option",
    );
    expect(upstream.seen).toHaveLength(0);
  });

  it('resolves a 404 with its body instead of throwing, and does not retry it', async () => {
    const upstream = await startUpstream(json(404, { error: 'not_found', message: 'No user 42' }));
    const { client } = createClient(upstream.url);
    await expect(client.request({ method: 'GET', path: '/api/users/42' })).resolves.toEqual({
      status: 404,
      body: { error: 'not_found', message: 'No user 42' },
    });
    expect(upstream.seen).toHaveLength(1);
  });

  it('resolves an empty answer (204) with an undefined body', async () => {
    const upstream = await startUpstream((res) => res.writeHead(204).end());
    const { client } = createClient(upstream.url);
    await expect(client.request({ method: 'DELETE', path: '/api/users/1' })).resolves.toEqual({
      status: 204,
      body: undefined,
    });
  });

  it('keeps the path prefix of the base URL', async () => {
    const upstream = await startUpstream(json(200, {}));
    const { client } = createClient(`${upstream.url}/internal/`);
    await client.request({ method: 'GET', path: '/users/1' });
    expect(upstream.seen[0]?.url).toBe('/internal/users/1');
  });

  it('rejects a non-JSON answer with DependencyError that does not quote it, without retrying', async () => {
    const upstream = await startUpstream((res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html>internal admin page: secret-token-123</html>');
    });
    const { client, lines } = createClient(upstream.url);
    const err = await failure(client.request({ method: 'GET', path: '/api/users/1' }));
    expect(err.reason).toBe('invalid_response');
    expect(err.upstreamStatus).toBe(200);
    expect(upstream.seen).toHaveLength(1);
    expect(JSON.stringify(lines)).not.toContain('secret-token-123');
  });

  it('refuses a path that does not start with a single "/"', async () => {
    const upstream = await startUpstream(json(200, {}));
    const { client } = createClient(upstream.url);
    await expect(client.request({ method: 'GET', path: 'users/1' })).rejects.toThrow(
      'path must start with a single "/" (got "users/1")',
    );
    await expect(client.request({ method: 'GET', path: '//evil.example/x' })).rejects.toThrow(TypeError);
    expect(upstream.seen).toHaveLength(0);
  });
});

describe('HttpServiceClient failures and retries', () => {
  it('retries a GET that times out, then rejects with DependencyError', async () => {
    const upstream = await startUpstream(undefined);
    const { client, lines } = createClient(upstream.url, { timeoutMs: 100, retries: 2 });
    const began = Date.now();
    const err = await failure(client.request({ method: 'GET', path: '/api/users/1', requestId: 'req-7' }));
    expect(err.reason).toBe('timeout');
    expect(err.status).toBe(503);
    expect(err.code).toBe('dependency_unavailable');
    expect(upstream.seen).toHaveLength(3);
    expect(Date.now() - began).toBeGreaterThanOrEqual(290);
    expect(messages(lines)).toEqual([
      'dependency request failed; retrying',
      'dependency request failed; retrying',
      'dependency request failed',
    ]);
    expect(lines[2]).toMatchObject({
      level: 'warn',
      dependency: 'users',
      method: 'GET',
      path: '/api/users/1',
      requestId: 'req-7',
      attempt: 3,
      reason: 'timeout',
    });
  });

  it('times out an answer that stalls after its headers', async () => {
    const upstream = await startUpstream((res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"name":');
    });
    const { client } = createClient(upstream.url, { timeoutMs: 100, retries: 0 });
    expect((await failure(client.request({ method: 'GET', path: '/api/users/1' }))).reason).toBe('timeout');
  });

  it('succeeds after retries when the service answers 503 twice, then 200', async () => {
    const upstream = await startUpstream(
      json(503, { error: 'overloaded' }),
      json(503, { error: 'overloaded' }),
      json(200, { id: 'u-1' }),
    );
    const { client } = createClient(upstream.url, { retries: 2 });
    const response = await client.request({ method: 'GET', path: '/api/users/1', requestId: 'req-9' });
    expect(response).toEqual({ status: 200, body: { id: 'u-1' } });
    expect(upstream.seen).toHaveLength(3);
    // Every attempt carries the same id, so the callee's logs show them as one call.
    expect(upstream.seen.map((s) => s.headers['x-request-id'])).toEqual(['req-9', 'req-9', 'req-9']);
  });

  it.each([502, 504])('retries a PUT answered with %d', async (status) => {
    const upstream = await startUpstream(json(status, {}), json(200, { updated: true }));
    const { client } = createClient(upstream.url);
    const response = await client.request({ method: 'PUT', path: '/api/users/1', body: { name: 'Ada' } });
    expect(response.status).toBe(200);
    expect(upstream.seen.map((s) => s.body)).toEqual(['{"name":"Ada"}', '{"name":"Ada"}']);
  });

  it.each(['POST', 'PATCH'] as const)(
    'does not retry a %s, which may already have been applied',
    async (method) => {
      const upstream = await startUpstream(json(503, {}), json(200, {}));
      const { client } = createClient(upstream.url, { retries: 2 });
      const err = await failure(client.request({ method, path: '/api/users', body: { name: 'Ada' } }));
      expect(err.reason).toBe('server_error');
      expect(err.upstreamStatus).toBe(503);
      expect(upstream.seen).toHaveLength(1);
    },
  );

  it('does not retry a 500, which would fail the same way again', async () => {
    const upstream = await startUpstream(json(500, { error: 'internal' }), json(200, {}));
    const { client } = createClient(upstream.url, { retries: 2 });
    const err = await failure(client.request({ method: 'GET', path: '/api/users/1' }));
    expect(err).toMatchObject({ reason: 'server_error', upstreamStatus: 500 });
    expect(upstream.seen).toHaveLength(1);
  });

  it('rejects when nothing listens, naming the service but not its address', async () => {
    const upstream = await startUpstream(json(200, {}));
    // Stop it, so the port is known to be closed.
    await cleanups.pop()?.();
    const { client, lines } = createClient(upstream.url, { retries: 1 });
    const err = await failure(client.request({ method: 'DELETE', path: '/api/users/1' }));
    expect(err.reason).toBe('network');
    expect(err.message).toBe('The users service is unavailable; try again later');
    expect(err.message).not.toContain(String(upstream.port));
    expect(messages(lines)).toEqual(['dependency request failed; retrying', 'dependency request failed']);
  });

  it('logs the path without the query string', async () => {
    const upstream = await startUpstream(json(503, {}));
    const { client, lines } = createClient(upstream.url, { retries: 0 });
    await failure(client.request({ method: 'GET', path: '/api/users?email=ada@example.com' }));
    expect(lines.at(-1)).toMatchObject({ path: '/api/users', reason: 'server_error', status: 503 });
    expect(JSON.stringify(lines)).not.toContain('ada@example.com');
  });

  it('uses an injected fetch', async () => {
    const calls: string[] = [];
    const fakeFetch: typeof fetch = (input) => {
      calls.push(String(input));
      return Promise.resolve(Response.json({ fake: true }));
    };
    const { client } = createClient('http://users.shop.svc:8080', { fetch: fakeFetch });
    await expect(client.request({ method: 'GET', path: '/api/users/1' })).resolves.toEqual({
      status: 200,
      body: { fake: true },
    });
    expect(calls).toEqual(['http://users.shop.svc:8080/api/users/1']);
  });
});

describe('HttpServiceClient circuit breaker', () => {
  const breaker = { volumeThreshold: 3, errorThresholdPercentage: 50, resetTimeout: 60_000 };

  it('does not count 4xx answers as failures', async () => {
    const upstream = await startUpstream(json(404, {}));
    const { client } = createClient(upstream.url, { breaker: { ...breaker, errorThresholdPercentage: 1 } });
    for (let i = 0; i < 6; i += 1) await client.request({ method: 'GET', path: '/api/users/404' });
    expect(client.breakerState()).toBe('closed');
  });

  it('opens after repeated failures, then fails fast without calling the service', async () => {
    const upstream = await startUpstream(json(503, {}));
    const { client, lines } = createClient(upstream.url, { retries: 0, breaker });
    for (let i = 0; i < 3; i += 1) {
      expect((await failure(client.request({ method: 'GET', path: '/api/users/1' }))).reason).toBe(
        'server_error',
      );
    }
    expect(client.breakerState()).toBe('open');
    expect(lines.find((line) => line.msg === 'circuit breaker opened; failing fast')).toMatchObject({
      level: 'warn',
      dependency: 'users',
      resetTimeoutMs: 60_000,
    });

    const began = Date.now();
    for (let i = 0; i < 5; i += 1) {
      const err = await failure(client.request({ method: 'GET', path: '/api/users/1' }));
      expect(err.reason).toBe('circuit_open');
      expect(err.status).toBe(503);
    }
    expect(Date.now() - began).toBeLessThan(100);
    expect(upstream.seen).toHaveLength(3);
  });

  it('stops retrying once the breaker opens', async () => {
    const upstream = await startUpstream(json(503, {}));
    const { client } = createClient(upstream.url, {
      retries: 5,
      breaker: { ...breaker, volumeThreshold: 2 },
    });
    const err = await failure(client.request({ method: 'GET', path: '/api/users/1' }));
    expect(err.reason).toBe('circuit_open');
    expect(upstream.seen).toHaveLength(2);
  });

  it('half-opens after resetTimeout and closes when the service has recovered', async () => {
    const upstream = await startUpstream(json(503, {}));
    const { client, lines } = createClient(upstream.url, {
      retries: 0,
      breaker: { ...breaker, resetTimeout: 200 },
    });
    for (let i = 0; i < 3; i += 1) await failure(client.request({ method: 'GET', path: '/api/users/1' }));
    expect(client.breakerState()).toBe('open');

    upstream.switchTo(json(200, { id: 'u-1' }));
    await failure(client.request({ method: 'GET', path: '/api/users/1' }));
    expect(upstream.seen).toHaveLength(0);

    await sleep(300);
    expect(client.breakerState()).toBe('half-open');
    await expect(client.request({ method: 'GET', path: '/api/users/1' })).resolves.toEqual({
      status: 200,
      body: { id: 'u-1' },
    });
    expect(client.breakerState()).toBe('closed');
    expect(upstream.seen).toHaveLength(1);
    expect(messages(lines)).toEqual(
      expect.arrayContaining(['circuit breaker half-open; trying one request', 'circuit breaker closed']),
    );
  });

  it('opens again when the trial request in half-open fails', async () => {
    const upstream = await startUpstream(json(503, {}));
    const { client } = createClient(upstream.url, { retries: 0, breaker: { ...breaker, resetTimeout: 150 } });
    for (let i = 0; i < 3; i += 1) await failure(client.request({ method: 'GET', path: '/api/users/1' }));
    upstream.switchTo(json(504, {}));
    await sleep(250);
    expect(client.breakerState()).toBe('half-open');

    expect((await failure(client.request({ method: 'GET', path: '/api/users/1' }))).reason).toBe(
      'server_error',
    );
    expect(client.breakerState()).toBe('open');
    expect((await failure(client.request({ method: 'GET', path: '/api/users/1' }))).reason).toBe(
      'circuit_open',
    );
    expect(upstream.seen).toHaveLength(1);
  });

  it('rejects with DependencyError after close', async () => {
    const upstream = await startUpstream(json(200, {}));
    const { client } = createClient(upstream.url);
    await client.close();
    expect((await failure(client.request({ method: 'GET', path: '/api/users/1' }))).reason).toBe(
      'circuit_open',
    );
    expect(upstream.seen).toHaveLength(0);
  });
});

describe('HttpServiceClient metrics', () => {
  it('observes each call once by dependency, method and outcome on a shared histogram', async () => {
    const upstream = await startUpstream(json(200, {}), json(404, {}), json(503, {}));
    const registry = new Registry();
    const { client: users } = createClient(upstream.url, { registry, retries: 1 });
    // A second client on the same registry must reuse the histogram, not fail to register it.
    const { client: products } = createClient(upstream.url, { registry, name: 'product' });

    await users.request({ method: 'GET', path: '/a' });
    await users.request({ method: 'GET', path: '/b' });
    await failure(users.request({ method: 'GET', path: '/c' }));
    await failure(products.request({ method: 'POST', path: '/d', body: {} }));

    const text = await registry.metrics();
    const count = (labels: string): string | undefined =>
      new RegExp(`^dependency_request_duration_seconds_count\\{${labels}\\} (\\d+)$`, 'm').exec(text)?.[1];
    expect(count('dependency="users",method="GET",outcome="success"')).toBe('1');
    expect(count('dependency="users",method="GET",outcome="client_error"')).toBe('1');
    // Retries included: two attempts, one observation.
    expect(count('dependency="users",method="GET",outcome="server_error"')).toBe('1');
    expect(count('dependency="product",method="POST",outcome="server_error"')).toBe('1');
  });
});

describe('HttpServiceClient options', () => {
  const logger = createLogger(loadConfig({ env: { SERVICE_NAME: 'orders', LOG_LEVEL: 'silent' } }));

  it('refuses a base URL with credentials without echoing them', () => {
    expect(
      () => new HttpServiceClient({ name: 'users', baseUrl: 'http://admin:hunter2@users:8080', logger }),
    ).toThrow('baseUrl must be an http(s) URL without credentials, query or fragment (got <redacted>)');
  });

  it.each([
    [
      { baseUrl: 'ftp://users:21' },
      'baseUrl must be an http(s) URL without credentials, query or fragment (got "ftp://users:21")',
    ],
    [{ baseUrl: 'users:8080/x?y' }, 'baseUrl must be an http(s) URL'],
    [
      { name: 'Users Service' },
      'name must be a lowercase name of a-z, 0-9 and "-" (max 63) (got "Users Service")',
    ],
    [{ timeoutMs: 0 }, 'timeoutMs must be an integer 1-600000 (got 0)'],
    [{ retries: 1.5 }, 'retries must be an integer 0-10 (got 1.5)'],
    [
      { breaker: { errorThresholdPercentage: 150 } },
      'breaker.errorThresholdPercentage must be an integer 0-100 (got 150)',
    ],
  ] as Array<[Partial<HttpServiceClientOptions>, string]>)('refuses %j', (overrides, message) => {
    expect(
      () => new HttpServiceClient({ name: 'users', baseUrl: 'http://users:8080', logger, ...overrides }),
    ).toThrow(message);
  });
});
