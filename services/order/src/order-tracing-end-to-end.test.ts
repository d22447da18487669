import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { signAccessToken } from '@platform/common';
import type { ChildService, CompiledEntry } from '../../common/src/testing/child-services';
import { compileEntry, spawnService, waitUntilReady } from '../../common/src/testing/child-services';
import { eventually } from '../../common/src/testing/eventually';
import { freePort } from '../../common/src/testing/free-port';

// user, product and order as separate processes, each with its own OpenTelemetry SDK exporting to the
// OTLP/HTTP receiver below: one order request must be one trace across the three and into the outbox relay.
const JWT = { JWT_SECRET: 'tracing-e2e-access-token-key-of-32-bytes', JWT_ISSUER: 'platform-e2e' };
const ORDER_KEY = 'tracing-e2e-order-service-key-of-32-bytes';
const SPAN_KIND = { SERVER: 2, CLIENT: 3, PRODUCER: 4 } as const;

interface OtlpAttribute {
  readonly key: string;
  readonly value: { readonly stringValue?: string; readonly intValue?: number | string };
}
interface ExportedSpan {
  readonly service: string;
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string | undefined;
  readonly name: string;
  readonly kind: number;
  readonly attributes: Readonly<Record<string, string | undefined>>;
}
interface OtlpRequest {
  resourceSpans?: {
    resource?: { attributes?: OtlpAttribute[] };
    scopeSpans?: {
      spans?: {
        traceId: string;
        spanId: string;
        parentSpanId?: string;
        name: string;
        kind: number;
        attributes?: OtlpAttribute[];
      }[];
    }[];
  }[];
}

const attributeMap = (attributes: readonly OtlpAttribute[] = []) =>
  Object.fromEntries(
    attributes.map((a) => [
      a.key,
      a.value.stringValue ?? (a.value.intValue === undefined ? undefined : String(a.value.intValue)),
    ]),
  );

/** A minimal OTLP/HTTP receiver: POST /v1/traces with JSON bodies (what exporter-trace-otlp-http sends). */
function otlpReceiver(): Promise<{
  server: Server;
  url: string;
  spans: ExportedSpan[];
  resources: Record<string, string | undefined>[];
}> {
  const spans: ExportedSpan[] = [];
  const resources: Record<string, string | undefined>[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (
        req.method !== 'POST' ||
        req.url !== '/v1/traces' ||
        !String(req.headers['content-type']).includes('json')
      ) {
        res.writeHead(415).end();
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as OtlpRequest;
      for (const rs of body.resourceSpans ?? []) {
        const resource = attributeMap(rs.resource?.attributes);
        resources.push(resource);
        for (const ss of rs.scopeSpans ?? []) {
          for (const s of ss.spans ?? []) {
            spans.push({
              service: resource['service.name'] ?? '?',
              traceId: s.traceId,
              spanId: s.spanId,
              parentSpanId:
                s.parentSpanId === undefined || s.parentSpanId === '' ? undefined : s.parentSpanId,
              name: s.name,
              kind: s.kind,
              attributes: attributeMap(s.attributes),
            });
          }
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        server,
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        spans,
        resources,
      }),
    ),
  );
}

const logLines = (service: ChildService): Record<string, unknown>[] =>
  service
    .stdout()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);

let compiled: CompiledEntry;
const children: ChildService[] = [];
let receiver: Awaited<ReturnType<typeof otlpReceiver>>;

beforeAll(async () => {
  compiled = compileEntry(join(__dirname, 'traced-service-process.fixture.ts'));
  receiver = await otlpReceiver();
}, 240_000);

afterAll(async () => {
  await Promise.all(children.splice(0).map((c) => c.kill()));
  receiver.server.closeAllConnections();
  await new Promise((resolve) => receiver.server.close(resolve));
  compiled.remove();
});

async function startTraced(name: string, env: Record<string, string>): Promise<ChildService> {
  const child = spawnService(compiled, name, await freePort(), {
    SERVICE_NAME: name,
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
    OTEL_BSP_SCHEDULE_DELAY: '100',
    SERVICE_VERSION: '1.2.3-e2e',
    TRACK: 'canary',
    ENVIRONMENT: 'dev',
    LOG_LEVEL: 'info',
    ...JWT,
    ...env,
  });
  children.push(child);
  await waitUntilReady(child);
  return child;
}

async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

describe('one order request followed across user, product, order and the outbox relay', () => {
  it('is one trace: order server span, its client spans, user and product server spans under them, the relay publish', async () => {
    const user = await startTraced('user', { SERVICE_KEY_ORDER: ORDER_KEY });
    const product = await startTraced('product', { SERVICE_KEY_ORDER: ORDER_KEY });
    const order = await startTraced('order', {
      USER_SERVICE_URL: user.url,
      PRODUCT_SERVICE_URL: product.url,
      SERVICE_TOKEN_KEY: ORDER_KEY,
      OUTBOX_RELAY_INTERVAL_MS: '50',
    });

    const credentials = {
      email: `ada-${randomUUID()}@example.com`,
      password: 'correct horse battery staple',
    };
    expect((await post(`${user.url}/api/auth/register`, { ...credentials, name: 'Ada' })).status).toBe(201);
    const login = await post(`${user.url}/api/auth/login`, credentials);
    const { accessToken } = (await login.json()) as { accessToken: string };
    const manager = signAccessToken(
      { sub: randomUUID(), email: 'catalog@example.com', roles: ['catalog-manager'] },
      { secret: JWT.JWT_SECRET, issuer: JWT.JWT_ISSUER, ttlSeconds: 300 },
    );
    const created = await post(
      `${product.url}/api/products`,
      { sku: `SKU-${Date.now()}`, name: 'Thing', price: 250, currency: 'EUR', category: 'tools', stock: 5 },
      { authorization: `Bearer ${manager}` },
    );
    expect(created.status).toBe(201);
    const { id: productId } = (await created.json()) as { id: string };

    const placed = await post(
      `${order.url}/api/orders`,
      { items: [{ productId, quantity: 2 }] },
      { authorization: `Bearer ${accessToken}`, 'idempotency-key': randomUUID() },
    );
    expect(placed.status).toBe(201);
    const requestId = placed.headers.get('x-request-id');

    const trace = await eventually(
      () => {
        const root = receiver.spans.find(
          (s) =>
            s.service === 'order' &&
            s.kind === SPAN_KIND.SERVER &&
            s.attributes['http.route'] === '/api/orders',
        );
        expect(root).toBeDefined();
        const spans = receiver.spans.filter((s) => s.traceId === root!.traceId);
        expect(spans.some((s) => s.service === 'order' && s.kind === SPAN_KIND.PRODUCER)).toBe(true);
        // Each process exports on its own schedule: wait until every client span's server span arrived.
        for (const dependency of ['user', 'product']) {
          const clients = spans.filter(
            (s) =>
              s.service === 'order' &&
              s.kind === SPAN_KIND.CLIENT &&
              s.attributes['peer.service'] === dependency,
          );
          expect(clients.length).toBeGreaterThan(0);
          expect(spans.filter((s) => s.service === dependency && s.kind === SPAN_KIND.SERVER)).toHaveLength(
            clients.length,
          );
        }
        expect(
          spans
            .filter((s) => s.kind === SPAN_KIND.SERVER)
            .map((s) => s.service)
            .sort(),
        ).toEqual(expect.arrayContaining(['order', 'product', 'user']));
        return { root: root!, spans };
      },
      20_000,
      100,
    );
    const { root, spans } = trace;
    const byId = new Map(spans.map((s) => [s.spanId, s]));
    // The order request is the root: nothing upstream sent a traceparent.
    expect(root.parentSpanId).toBeUndefined();
    // Every span's parent is in this trace (one tree), and it leads back to the root.
    for (const span of spans.filter((s) => s !== root)) {
      let at: ExportedSpan | undefined = span;
      for (let hops = 0; at !== undefined && at !== root && hops < 50; hops++)
        at = byId.get(at.parentSpanId ?? '');
      expect({ span: span.name, service: span.service, reachesRoot: at === root }).toEqual({
        span: span.name,
        service: span.service,
        reachesRoot: true,
      });
    }
    // order's client span to each dependency is the direct parent of that dependency's server span.
    for (const dependency of ['user', 'product']) {
      const clients = spans.filter(
        (s) =>
          s.service === 'order' && s.kind === SPAN_KIND.CLIENT && s.attributes['peer.service'] === dependency,
      );
      expect(clients.length).toBeGreaterThan(0);
      const servers = spans.filter((s) => s.service === dependency && s.kind === SPAN_KIND.SERVER);
      expect(servers.length).toBe(clients.length);
      for (const server of servers) {
        expect(clients.map((c) => c.spanId)).toContain(server.parentSpanId);
      }
    }
    // The outbox relay published the order's event inside the request's trace.
    const publish = spans.find((s) => s.service === 'order' && s.kind === SPAN_KIND.PRODUCER);
    expect(publish?.name).toBe('publish order-events');
    // Resource attributes of each process.
    expect(receiver.resources.find((r) => r['service.name'] === 'order')).toMatchObject({
      'service.version': '1.2.3-e2e',
      'deployment.environment': 'dev',
      'service.track': 'canary',
    });

    // Each service logged for this request with the trace's id (and a span of it).
    for (const service of [order, user, product]) {
      const lines = await eventually(() => {
        const found = logLines(service).filter((l) => l.trace_id === root.traceId);
        expect(found.length).toBeGreaterThan(0);
        return found;
      }, 5000);
      for (const line of lines) {
        expect(line).toMatchObject({ span_id: expect.stringMatching(/^[0-9a-f]{16}$/), trace_flags: '01' });
        expect(byId.has(String(line.span_id))).toBe(true);
      }
    }
    expect(
      logLines(order).find((l) => l.trace_id === root.traceId && l.msg === 'request completed'),
    ).toMatchObject({
      requestId,
      route: '/api/orders',
    });

    // Prometheus's scrape (OpenMetrics) carries the request's trace id as an exemplar of its latency.
    const scrape = await fetch(`${order.url}/metrics`, {
      headers: { accept: 'application/openmetrics-text; version=1.0.0' },
    });
    const exemplars = (await scrape.text())
      .split('\n')
      .filter(
        (l) => l.startsWith('http_request_duration_seconds_bucket{') && l.includes('route="/api/orders"'),
      );
    expect(exemplars.some((l) => l.includes(`# {trace_id="${root.traceId}"}`))).toBe(true);
    // Probes and scrapes are not traced.
    expect(receiver.spans.some((s) => ['/ready', '/metrics'].includes(s.attributes['url.path'] ?? ''))).toBe(
      false,
    );
  }, 120_000);

  it('refuses a bad OTEL_TRACES_SAMPLER_ARG at start: exit 1 and a fatal line naming it', async () => {
    const child = spawnService(compiled, 'user', await freePort(), {
      ...JWT,
      SERVICE_NAME: 'user',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_TRACES_SAMPLER_ARG: '1.5',
    });
    children.push(child);
    await child.exited;
    expect(child.exitCode()).toBe(1);
    const fatal = logLines(child).find((l) => l.level === 'fatal');
    expect(fatal?.problems).toEqual([
      'OTEL_TRACES_SAMPLER_ARG must be a number in [0, 1] (the share of new traces sampled, e.g. 0.1) (got "1.5")',
    ]);
  }, 30_000);
});
