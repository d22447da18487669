import { Router } from 'express';
import type { AppOptions } from './app';
import { createApp } from './app';
import { loadConfig } from './config';
import { NotFoundError } from './errors';
import { createLogger } from './logger';
import { Counter, Registry } from './metrics';
import { getRequestLogger } from './request-context';
import type { RunningService } from './server';
import { start } from './server';
import { parseInput } from './validation';
import { z } from 'zod';

type LogLine = Record<string, unknown>;

const running: RunningService[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((service) => service.shutdown('test done')));
});

/** Starts an app on a free local port with logs captured in memory. */
async function startApp(overrides: Partial<Omit<AppOptions, 'config' | 'logger'>> = {}) {
  const config = loadConfig({
    env: { SERVICE_NAME: 'demo', SERVICE_VERSION: '1.2.3', TRACK: 'canary', LOG_LEVEL: 'debug' },
  });
  const lines: LogLine[] = [];
  const logger = createLogger(config, { write: (line: string) => lines.push(JSON.parse(line) as LogLine) });
  const service = createApp({ config, logger, ...overrides });
  const instance = await start(service, { port: 0, host: '127.0.0.1', idleDrainMs: 0, graceMs: 2000 });
  running.push(instance);
  return { service, url: instance.url, lines };
}

function itemRoutes(): Router {
  const items = Router();
  items.get('/:id', (req, res) => {
    if (req.params.id === 'missing') throw new NotFoundError('no such item');
    res.json({ id: req.params.id });
  });
  items.post('/', (req, res) => {
    const body = parseInput(z.object({ name: z.string() }).strict(), req.body);
    res.status(201).json(body);
  });
  const root = Router();
  root.use('/api/items', items);
  root.get('/boom', () => {
    throw new Error('database password is hunter2');
  });
  root.get('/boom-async', async () => {
    await Promise.resolve();
    throw new TypeError('cannot read x of undefined');
  });
  root.get('/echo-headers', (req, res) => {
    getRequestLogger(res).info({ headers: req.headers }, 'headers seen');
    res.json({ ok: true });
  });
  return root;
}

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

function parseMetrics(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) continue;
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) {
      if (key !== undefined && value !== undefined) labels[key] = value;
    }
    samples.push({ name: match[1] ?? '', labels, value: Number(match[3]) });
  }
  return samples;
}

describe('request id', () => {
  it('reuses a sane incoming x-request-id and puts it on every log line of the request', async () => {
    const { url, lines } = await startApp({ routes: itemRoutes });
    const res = await fetch(`${url}/echo-headers`, { headers: { 'x-request-id': 'abc-123.upstream' } });
    expect(res.headers.get('x-request-id')).toBe('abc-123.upstream');
    const requestLines = lines.filter((line) => line.requestId === 'abc-123.upstream');
    expect(requestLines.map((line) => line.msg)).toEqual(['headers seen', 'request completed']);
  });

  it('generates a UUID when the header is missing or not sane', async () => {
    const { url } = await startApp();
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    const plain = await fetch(`${url}/health`);
    const injected = await fetch(`${url}/health`, { headers: { 'x-request-id': 'a"} evil' } });
    const tooLong = await fetch(`${url}/health`, { headers: { 'x-request-id': 'a'.repeat(129) } });
    const ids = [plain, injected, tooLong].map((res) => res.headers.get('x-request-id') ?? '');
    for (const id of ids) expect(id).toMatch(uuid);
    expect(new Set(ids).size).toBe(3);
  });

  it('writes one access log line with method, route template, status and duration', async () => {
    const { url, lines } = await startApp({ routes: itemRoutes });
    const res = await fetch(`${url}/api/items/42?secret=1`);
    const requestId = res.headers.get('x-request-id');
    const access = lines.find((line) => line.msg === 'request completed' && line.requestId === requestId);
    expect(access).toMatchObject({
      level: 'info',
      service: 'demo',
      version: '1.2.3',
      track: 'canary',
      method: 'GET',
      path: '/api/items/42',
      route: '/api/items/:id',
      status: 200,
    });
    expect(typeof access?.durationMs).toBe('number');
  });

  it('redacts authorization and cookie headers from logs', async () => {
    const { url, lines } = await startApp({ routes: itemRoutes });
    await fetch(`${url}/echo-headers`, { headers: { authorization: 'Bearer s3cr3t', cookie: 'sid=s3cr3t' } });
    const line = lines.find((l) => l.msg === 'headers seen');
    expect(line?.headers).toMatchObject({ authorization: '[redacted]', cookie: '[redacted]' });
    expect(JSON.stringify(lines)).not.toContain('s3cr3t');
  });
});

describe('metrics', () => {
  it('labels requests with the route template, never the raw URL, even when a mounted router fails', async () => {
    const { url } = await startApp({ routes: itemRoutes });
    await fetch(`${url}/api/items/1`);
    await fetch(`${url}/api/items/2`);
    await fetch(`${url}/api/items/missing`);
    await fetch(`${url}/no/such/path`);
    const text = await (await fetch(`${url}/metrics`)).text();
    const requests = parseMetrics(text).filter((s) => s.name === 'http_requests_total');

    const find = (route: string, status: string) =>
      requests.find((s) => s.labels.route === route && s.labels.status === status)?.value;
    expect(find('/api/items/:id', '200')).toBe(2);
    expect(find('/api/items/:id', '404')).toBe(1);
    expect(find('unmatched', '404')).toBe(1);
    expect(requests.some((s) => /\/api\/items\/(1|2|missing)$|no\/such/.test(s.labels.route ?? ''))).toBe(
      false,
    );
  });

  it('labels every series with service, version and track, including duration and process metrics', async () => {
    const { url } = await startApp({ routes: itemRoutes });
    await fetch(`${url}/api/items/1`);
    const res = await fetch(`${url}/metrics`);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const samples = parseMetrics(await res.text());
    const duration = samples.find(
      (s) => s.name === 'http_request_duration_seconds_count' && s.labels.route === '/api/items/:id',
    );
    expect(duration).toMatchObject({
      labels: { service: 'demo', version: '1.2.3', track: 'canary', method: 'GET', status: '200' },
      value: 1,
    });
    const cpu = samples.find((s) => s.name === 'process_cpu_seconds_total');
    expect(cpu?.labels).toEqual({ service: 'demo', version: '1.2.3', track: 'canary' });
  });

  it('serves a registry made before the app, with what was recorded into it and the service labels', async () => {
    const registry = new Registry();
    const calls = new Counter({
      name: 'calls_total',
      help: 'recorded before the app existed',
      registers: [registry],
    });
    calls.inc(2);
    const { service, url } = await startApp({ registry });
    expect(service.metrics.registry).toBe(registry);
    await fetch(`${url}/health`);
    const samples = parseMetrics(await (await fetch(`${url}/metrics`)).text());
    expect(samples.find((s) => s.name === 'calls_total')).toMatchObject({
      value: 2,
      labels: { service: 'demo', version: '1.2.3', track: 'canary' },
    });
    expect(samples.some((s) => s.name === 'http_requests_total' && s.labels.route === '/health')).toBe(true);
  });

  it('keeps separate registries per app', async () => {
    const first = await startApp({ routes: itemRoutes });
    const second = await startApp({ routes: itemRoutes });
    await fetch(`${first.url}/api/items/1`);
    const samples = parseMetrics(await (await fetch(`${second.url}/metrics`)).text());
    expect(
      samples.find((s) => s.name === 'http_requests_total' && s.labels.route === '/api/items/:id'),
    ).toBeUndefined();
  });
});

describe('probes', () => {
  it('/health answers 200 ok', async () => {
    const { url } = await startApp();
    const res = await fetch(`${url}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('/ready answers 200 when every check passes', async () => {
    const { url } = await startApp({
      readinessChecks: { db: async () => undefined, cache: async () => true },
    });
    const res = await fetch(`${url}/ready`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ready', checks: { db: 'ok', cache: 'ok' } });
  });

  it('/ready answers 503 naming the failed and timed-out checks, and logs why', async () => {
    const { url, lines } = await startApp({
      readinessTimeoutMs: 100,
      readinessChecks: {
        db: async () => undefined,
        cache: async () => {
          throw new Error('connect ECONNREFUSED redis:6379');
        },
        broker: (signal) =>
          new Promise((_resolve, reject) =>
            signal.addEventListener('abort', () => reject(new Error('aborted'))),
          ),
      },
    });
    const res = await fetch(`${url}/ready`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({
      status: 'not_ready',
      checks: { db: 'ok', cache: 'failed', broker: 'timeout' },
      failed: ['cache', 'broker'],
    });
    expect(JSON.stringify(lines.find((l) => l.msg === 'readiness check failed'))).toContain('ECONNREFUSED');
  });

  it('/ready answers 503 once shutdown has begun, while /health stays 200', async () => {
    const { url, service } = await startApp({ readinessChecks: { db: async () => undefined } });
    expect((await fetch(`${url}/ready`)).status).toBe(200);
    service.beginShutdown();
    const res = await fetch(`${url}/ready`);
    expect(res.status).toBe(503);
    expect(res.headers.get('connection')).toBe('close');
    expect(await res.json()).toEqual({ status: 'shutting_down' });
    expect((await fetch(`${url}/health`)).status).toBe(200);
  });
});

describe('errors and hardening', () => {
  const postJson = (url: string, body: string, headers: Record<string, string> = {}) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

  it('answers malformed JSON with 400 malformed_json', async () => {
    const { url } = await startApp({ routes: itemRoutes });
    const res = await postJson(`${url}/api/items`, '{"name": "a",');
    expect(res.status).toBe(400);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ error: 'malformed_json', requestId: res.headers.get('x-request-id') });
    expect(body.message).toMatch(/^Request body is not valid JSON/);
  });

  it('answers bodies over the limit with 413 JSON', async () => {
    const { url } = await startApp({ routes: itemRoutes, bodyLimit: '1kb' });
    const res = await postJson(`${url}/api/items`, JSON.stringify({ name: 'x'.repeat(2000) }));
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({
      error: 'payload_too_large',
      message: 'Request body is larger than the limit of 1024 bytes',
    });
  });

  it('accepts bodies up to 100kb by default', async () => {
    const { url } = await startApp({ routes: itemRoutes });
    const ok = await postJson(`${url}/api/items`, JSON.stringify({ name: 'x'.repeat(90_000) }));
    expect(ok.status).toBe(201);
    const tooBig = await postJson(`${url}/api/items`, JSON.stringify({ name: 'x'.repeat(110_000) }));
    expect(tooBig.status).toBe(413);
  });

  it('refuses a body that is not JSON with 415', async () => {
    const { url } = await startApp({ routes: itemRoutes });
    const res = await fetch(`${url}/api/items`, { method: 'POST', body: 'name=a' });
    expect(res.status).toBe(415);
    expect(await res.json()).toMatchObject({ error: 'unsupported_media_type' });
    const json = await postJson(`${url}/api/items`, '{"name":"a"}', {
      'content-type': 'application/json; charset=utf-8',
    });
    expect(json.status).toBe(201);
  });

  it('turns a ValidationError into 400 validation_failed with field details', async () => {
    const { url } = await startApp({ routes: itemRoutes });
    const res = await postJson(`${url}/api/items`, JSON.stringify({ name: 5, colour: 'red' }));
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      error: 'validation_failed',
      message: 'name must be a string (got 5); colour is not an allowed field',
      details: [
        { field: 'name', message: 'must be a string (got 5)' },
        { field: 'colour', message: 'is not an allowed field' },
      ],
    });
  });

  it.each(['/boom', '/boom-async'])(
    'answers an unexpected error on %s with 500 and no internals, logging the stack',
    async (path) => {
      const { url, lines } = await startApp({ routes: itemRoutes });
      const res = await fetch(`${url}${path}`);
      expect(res.status).toBe(500);
      const requestId = res.headers.get('x-request-id');
      const text = await res.text();
      expect(JSON.parse(text)).toEqual({ error: 'internal', message: 'Internal server error', requestId });
      expect(text).not.toMatch(/hunter2|undefined|at .*\.ts/);
      const logged = lines.find((l) => l.msg === 'unhandled error' && l.requestId === requestId);
      expect(logged?.level).toBe('error');
      expect((logged?.err as { stack?: string }).stack).toMatch(/app\.test\.ts/);
    },
  );

  it('answers unknown routes with a JSON 404', async () => {
    const { url } = await startApp({ routes: itemRoutes });
    const res = await fetch(`${url}/nope`, { method: 'DELETE' });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toMatchObject({ error: 'not_found', message: 'No route for DELETE /nope' });
  });

  it('answers a route parameter with broken URI encoding with 400, not 500', async () => {
    const { url } = await startApp({ routes: itemRoutes });
    const res = await fetch(`${url}/api/items/%E0%A4%A`);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'bad_request' });
  });

  it('sets security headers and hides the framework', async () => {
    const { url } = await startApp();
    const res = await fetch(`${url}/health`);
    expect(res.headers.get('x-powered-by')).toBeNull();
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('content-security-policy')).toMatch(/^default-src 'none'; frame-ancestors 'none'/);
  });
});
