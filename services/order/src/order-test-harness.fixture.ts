import { randomUUID } from 'node:crypto';
import type {
  EventEnvelope,
  EventPublisher,
  OutboxStore,
  RunningService,
  ServiceClient,
  ServiceRequest,
  ServiceResponse,
} from '@platform/common';
import {
  DependencyError,
  InMemoryOutboxStore,
  createLogger,
  loadConfig,
  signAccessToken,
  start,
} from '@platform/common';
import { createOrderApp } from './app';
import { InMemoryOrderRepository } from './in-memory-order-repository';
import type { Order } from './order';

/** Shared by the order service's HTTP tests; excluded from the build like the tests themselves. */

export const JWT = { secret: 'order-service-test-secret-of-32-bytes!!', issuer: 'platform-test' };
export const USER_ID = '6b1d7c1e-0f55-4c0e-9d0a-3c2f1b4a5e60';
export const OTHER_USER_ID = '0c9e8f7d-6b5a-4e3d-8c2b-1a0f9e8d7c6b';

export type Json = Record<string, unknown>;

/** What an injected failure does: reject like the real client does when the service is gone, or answer. */
export type Injected = Error | ServiceResponse | undefined;

/**
 * An in-test implementation of the ServiceClient port, standing in for another service. `down` makes every
 * call reject; `intercept` can fail or answer single calls.
 */
abstract class FakeService implements ServiceClient {
  readonly calls: ServiceRequest[] = [];
  down: Error | undefined;
  intercept: (request: ServiceRequest) => Injected = () => undefined;

  protected abstract readonly name: string;
  protected abstract handle(request: ServiceRequest): ServiceResponse;

  async request<T = unknown>(request: ServiceRequest): Promise<ServiceResponse<T>> {
    this.calls.push(request);
    // A tick, like a real round trip, so concurrent requests interleave.
    await new Promise((resolve) => setImmediate(resolve));
    const injected = this.down ?? this.intercept(request);
    if (injected instanceof Error) throw injected;
    const response = injected ?? this.handle(request);
    return structuredClone(response) as ServiceResponse<T>;
  }

  /** Requests made, as `METHOD path`. */
  requests(): string[] {
    return this.calls.map((c) => `${c.method} ${c.path}`);
  }

  breakerOpen(): DependencyError {
    return new DependencyError(this.name, 'circuit_open');
  }
}

/** The user service: GET /internal/users/:id, which (like the real one) only a service caller may use. */
export class FakeUserService extends FakeService {
  protected readonly name = 'user';
  readonly users = new Set<string>([USER_ID, OTHER_USER_ID]);

  protected handle(request: ServiceRequest): ServiceResponse {
    const match = /^\/internal\/users\/([^/]+)$/.exec(request.path);
    if (request.method !== 'GET' || !match) return { status: 404, body: { error: 'not_found' } };
    if (request.asService !== true) return { status: 401, body: { error: 'unauthorized' } };
    const id = decodeURIComponent(match[1] ?? '');
    return this.users.has(id)
      ? { status: 200, body: { id, exists: true } }
      : { status: 404, body: { error: 'not_found', message: `User ${id} not found` } };
  }
}

export interface FakeProduct {
  readonly id: string;
  readonly sku: string;
  readonly name: string;
  readonly price: number;
  readonly currency: string;
  stock: number;
}

/**
 * The product service: GET /api/products/:id (public) and PATCH /internal/products/:id/stock (service
 * callers only, like the real one), stock never below 0.
 */
export class FakeProductService extends FakeService {
  protected readonly name = 'product';
  readonly products = new Map<string, FakeProduct>();

  add(overrides: Partial<FakeProduct> = {}): FakeProduct {
    const product: FakeProduct = {
      id: randomUUID(),
      sku: `SKU-${this.products.size + 1}`,
      name: 'Thing',
      price: 1000,
      currency: 'EUR',
      stock: 10,
      ...overrides,
    };
    this.products.set(product.id, product);
    return product;
  }

  stock(id: string): number | undefined {
    return this.products.get(id)?.stock;
  }

  /** The inventory deltas applied, as `productId delta`. */
  adjustments(): string[] {
    return this.calls
      .filter((c) => c.method === 'PATCH')
      .map((c) => `${c.path.split('/')[3] ?? ''} ${(c.body as { delta: number }).delta}`);
  }

  protected handle(request: ServiceRequest): ServiceResponse {
    const match = /^\/(api|internal)\/products\/([^/]+)(\/stock)?$/.exec(request.path);
    const product = match ? this.products.get(decodeURIComponent(match[2] ?? '')) : undefined;
    if (!match || !product) return { status: 404, body: { error: 'not_found' } };
    const [, area, , stock] = match;
    if (request.method === 'GET' && area === 'api' && stock === undefined) {
      return { status: 200, body: { ...product } };
    }
    if (request.method === 'PATCH' && area === 'internal' && stock !== undefined) {
      if (request.asService !== true) return { status: 401, body: { error: 'unauthorized' } };
      const { delta } = request.body as { delta: number };
      if (product.stock + delta < 0) {
        return {
          status: 409,
          body: {
            error: 'insufficient_stock',
            message: `Cannot remove ${-delta} from stock of ${product.stock}: stock cannot go below zero`,
          },
        };
      }
      product.stock += delta;
      return { status: 200, body: { ...product } };
    }
    return { status: 404, body: { error: 'not_found' } };
  }
}

export interface SendOptions {
  readonly body?: unknown;
  /** Defaults to a valid token of USER_ID; `null` sends none. */
  readonly token?: string | null;
  readonly key?: string;
  readonly headers?: Record<string, string>;
}

export interface Harness {
  readonly running: RunningService;
  readonly url: string;
  readonly users: FakeUserService;
  readonly products: FakeProductService;
  readonly repository: InMemoryOrderRepository;
  readonly outbox: OutboxStore;
  token(userId?: string): string;
  send(method: string, path: string, options?: SendOptions): Promise<Response>;
  /** Places an order of `items` and expects 201. */
  placeOrder(
    items: readonly { productId: string; quantity: number }[],
    options?: SendOptions,
  ): Promise<Order>;
  /** The events waiting in the outbox (not yet published), in order. */
  outboxEvents(): Promise<EventEnvelope[]>;
  /** The `name{labels} value` number from /metrics, or undefined when the series is absent. */
  metric(name: string, labels?: string): Promise<number | undefined>;
}

export function token(userId = USER_ID, options: { issuer?: string; ttlSeconds?: number } = {}): string {
  return signAccessToken(
    { sub: userId, email: `${userId}@example.test` },
    { secret: JWT.secret, issuer: options.issuer ?? JWT.issuer, ttlSeconds: options.ttlSeconds ?? 300 },
  );
}

export async function startHarness(options: { outbox?: OutboxStore } = {}): Promise<Harness> {
  const config = loadConfig({
    env: { SERVICE_NAME: 'order', SERVICE_VERSION: '1.0.0', LOG_LEVEL: 'silent' },
  });
  const users = new FakeUserService();
  const products = new FakeProductService();
  const repository = new InMemoryOrderRepository();
  const outbox = options.outbox ?? new InMemoryOutboxStore();
  const service = createOrderApp({
    config,
    logger: createLogger(config),
    repository,
    outbox,
    users,
    products,
    jwt: JWT,
  });
  const running = await start(service, { port: 0, host: '127.0.0.1', idleDrainMs: 0 });

  const send = (method: string, path: string, o: SendOptions = {}): Promise<Response> => {
    const headers: Record<string, string> = { ...o.headers };
    if (o.body !== undefined) headers['content-type'] ??= 'application/json';
    const bearer = o.token === undefined ? token() : o.token;
    if (bearer !== null) headers.authorization = `Bearer ${bearer}`;
    if (o.key !== undefined) headers['idempotency-key'] = o.key;
    return fetch(`${running.url}${path}`, {
      method,
      headers,
      ...(o.body !== undefined && { body: typeof o.body === 'string' ? o.body : JSON.stringify(o.body) }),
    });
  };

  return {
    running,
    url: running.url,
    users,
    products,
    repository,
    outbox,
    token,
    send,
    async placeOrder(items, o = {}) {
      const res = await send('POST', '/api/orders', { ...o, body: { items } });
      const body = (await res.json()) as Order;
      if (res.status !== 201) throw new Error(`expected 201, got ${res.status}: ${JSON.stringify(body)}`);
      return body;
    },
    async outboxEvents() {
      const entries = await outbox.pending(10_000);
      return entries.map((e) => e.event);
    },
    async metric(name, labels = '') {
      const text = await (await fetch(`${running.url}/metrics`)).text();
      const line = text
        .split('\n')
        .find((l) => l.startsWith(`${name}{`) && labels.split(',').every((label) => l.includes(label)));
      return line === undefined ? undefined : Number(line.split(' ').pop());
    },
  };
}

export async function validationFields(res: Response): Promise<string[]> {
  const body = (await res.json()) as { error: string; details?: { field: string }[] };
  if (res.status !== 400 || body.error !== 'validation_failed') {
    throw new Error(`expected 400 validation_failed, got ${res.status}: ${JSON.stringify(body)}`);
  }
  return (body.details ?? []).map((d) => d.field);
}

/**
 * One round of an outbox relay (the production one lives in @platform/common): publish pending entries per
 * topic, mark them published only once the publisher acknowledged. Returns how many were published.
 */
export async function relayOnce(outbox: OutboxStore, publisher: EventPublisher): Promise<number> {
  const pending = await outbox.pending(1000);
  let published = 0;
  for (const topic of new Set(pending.map((e) => e.topic))) {
    const entries = pending.filter((e) => e.topic === topic);
    try {
      await publisher.publish(
        topic,
        entries.map((e) => e.event),
      );
    } catch {
      continue; // stays pending
    }
    await outbox.markPublished(entries.map((e) => e.seq));
    published += entries.length;
  }
  return published;
}
