import type { Harness } from './order-test-harness.fixture';
import { startHarness } from './order-test-harness.fixture';

let h: Harness;

beforeEach(async () => {
  h = await startHarness();
});

afterEach(async () => {
  await h.running.shutdown('test done');
});

describe('robustness', () => {
  it('answers hostile and malformed input with 4xx and a clear body, and keeps serving', async () => {
    const product = h.products.add();
    const order = await h.placeOrder([{ productId: product.id, quantity: 1 }]);
    const big = { items: [{ productId: product.id, quantity: 1 }], note: 'x'.repeat(20_000) };
    const cases: [string, Promise<Response>, number, string][] = [
      ['truncated JSON', h.send('POST', '/api/orders', { body: '{"items": [' }), 400, 'malformed_json'],
      ['JSON null', h.send('POST', '/api/orders', { body: 'null' }), 400, 'malformed_json'],
      ['an oversized body', h.send('POST', '/api/orders', { body: big }), 413, 'payload_too_large'],
      [
        'a prototype pollution attempt',
        h.send('POST', '/api/orders', { body: '{"__proto__": {"polluted": true}, "items": []}' }),
        400,
        'validation_failed',
      ],
      [
        'a form body',
        h.send('POST', '/api/orders', {
          body: 'items=1',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        }),
        415,
        'unsupported_media_type',
      ],
      ['bad percent-encoding', h.send('GET', '/api/orders/%E0%A4%A'), 400, 'bad_request'],
      [
        'a body of the wrong shape to pay',
        h.send('POST', `/api/orders/${order.id}/pay`, { body: '[1,2]' }),
        400,
        'validation_failed',
      ],
      [
        'an operator instead of an id',
        h.send('POST', `/api/orders/${encodeURIComponent('{"$gt":""}')}/pay`, {
          body: { method: 'card', amount: 1 },
        }),
        400,
        'validation_failed',
      ],
      ['an unknown route', h.send('DELETE', `/api/orders/${order.id}`), 404, 'not_found'],
    ];
    const results = await Promise.all(
      cases.map(async ([name, pending]) => {
        const res = await pending;
        const body = (await res.json()) as { error: string; message: string };
        return [name, res.status, body.error, typeof body.message] as const;
      }),
    );
    expect(results).toEqual(cases.map(([name, , status, error]) => [name, status, error, 'string']));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();

    expect((await h.send('GET', `/api/orders/${order.id}`)).status).toBe(200);
    expect((await h.placeOrder([{ productId: product.id, quantity: 1 }])).status).toBe('pending_payment');
    expect((await fetch(`${h.url}/health`)).status).toBe(200);
  });

  it('labels order requests by route template in the metrics, never by id', async () => {
    const product = h.products.add();
    const order = await h.placeOrder([{ productId: product.id, quantity: 1 }]);
    await h.send('GET', `/api/orders/${order.id}`);
    const metrics = await (await fetch(`${h.url}/metrics`)).text();
    expect(metrics).toMatch(/http_requests_total\{[^}]*route="\/api\/orders\/:id"[^}]*status="200"/);
    expect(metrics).toMatch(
      /http_requests_total\{[^}]*method="POST"[^}]*route="\/api\/orders"[^}]*status="201"/,
    );
    expect(metrics).not.toContain(order.id);
  });
});
