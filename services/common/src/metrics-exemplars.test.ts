import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TraceFlags, context, trace } from '@opentelemetry/api';
import { Router } from 'express';
import { createApp } from './app';
import { loadConfig } from './config';
import { createLogger } from './logger';
import { Counter, Registry } from './metrics';
import type { TestTracing } from './testing/test-tracing';
import { startTestTracing } from './testing/test-tracing';

const OPENMETRICS = 'application/openmetrics-text; version=1.0.0; charset=utf-8';
// What Prometheus 2.x sends.
const PROMETHEUS_ACCEPT =
  'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';

let tracing: TestTracing;
let server: Server;
let url: string;
/** Per request: sampled (x-sampled: 1) or not; the span stands in for the http instrumentation's. */
beforeAll(async () => {
  tracing = startTestTracing();
  const config = loadConfig({ env: { SERVICE_NAME: 'demo', LOG_LEVEL: 'silent' } });
  const registry = new Registry();
  const orders = new Counter({ name: 'orders_created_total', help: 'Orders', registers: [registry] });
  const service = createApp({
    config,
    logger: createLogger(config),
    registry,
    routes: () =>
      Router().get('/api/items/:id', (_req, res) => {
        orders.inc();
        res.json({ ok: true });
      }),
  });
  const tracer = trace.getTracer('test');
  server = createServer((req, res) => {
    const span = tracer.startSpan('GET', {}, context.active());
    const sampled = req.headers['x-sampled'] === '1';
    const ctx = trace.setSpan(
      context.active(),
      trace.wrapSpanContext({
        ...span.spanContext(),
        traceFlags: sampled ? TraceFlags.SAMPLED : TraceFlags.NONE,
      }),
    );
    res.once('close', () => span.end());
    context.with(ctx, () => service.app(req, res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await tracing.stop();
});

async function request(path: string, headers: Record<string, string> = {}) {
  const res = await fetch(url + path, { headers });
  return { status: res.status, type: res.headers.get('content-type'), body: await res.text() };
}

describe('/metrics exemplars', () => {
  it('serves OpenMetrics with {trace_id} exemplars on the duration buckets when the scraper asks', async () => {
    await request('/api/items/1', { 'x-sampled': '1' });
    const traceId = tracing.spans().at(-1)!.spanContext().traceId;
    const scrape = await request('/metrics', { accept: PROMETHEUS_ACCEPT });
    expect(scrape.type).toBe(OPENMETRICS);
    expect(scrape.body.endsWith('# EOF\n')).toBe(true);
    const bucket = scrape.body
      .split('\n')
      .find(
        (l) =>
          l.startsWith('http_request_duration_seconds_bucket{') &&
          l.includes('route="/api/items/:id"') &&
          l.includes(' # {'),
      );
    expect(bucket).toMatch(
      new RegExp(`# \\{trace_id="${traceId}"\\} \\d+(\\.\\d+)?(e-?\\d+)? \\d+(\\.\\d+)?$`),
    );
    // Counters keep their names in both formats (OpenMetrics rendering renames them temporarily).
    expect(scrape.body).toMatch(/^orders_created_total\{[^}]*\} 1$/m);
    expect(scrape.body).toMatch(/^# TYPE orders_created counter$/m);
  });

  it('serves the classic text format without exemplars otherwise, before and after an OpenMetrics scrape', async () => {
    await request('/api/items/2', { 'x-sampled': '1' });
    for (const accept of [undefined, 'text/plain']) {
      const scrape = await request('/metrics', accept === undefined ? {} : { accept });
      expect(scrape.type).toBe('text/plain; version=0.0.4; charset=utf-8');
      expect(scrape.body).not.toContain('# {');
      expect(scrape.body).not.toContain('# EOF');
      expect(scrape.body).toMatch(/^# TYPE orders_created_total counter$/m);
      expect(scrape.body).toMatch(/^http_requests_total\{/m);
      await request('/metrics', { accept: PROMETHEUS_ACCEPT });
    }
  });

  it('records no exemplar for an unsampled request', async () => {
    await request('/api/items/unsampled', { 'x-sampled': '0' });
    const unsampled = tracing.spans().at(-1)!.spanContext().traceId;
    const scrape = await request('/metrics', { accept: PROMETHEUS_ACCEPT });
    expect(scrape.body).not.toContain(unsampled);
  });

  it('renders concurrent scrapes of both formats each in its own format', async () => {
    const scrapes = await Promise.all(
      Array.from({ length: 10 }, (_v, i) =>
        request('/metrics', i % 2 === 0 ? { accept: PROMETHEUS_ACCEPT } : {}),
      ),
    );
    scrapes.forEach((s, i) => {
      expect(s.body.endsWith('# EOF\n')).toBe(i % 2 === 0);
      expect(s.body).toMatch(
        i % 2 === 0 ? /^# TYPE orders_created counter$/m : /^# TYPE orders_created_total counter$/m,
      );
    });
  });
});
