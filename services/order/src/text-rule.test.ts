import { textRefusal } from '@platform/common';
import type { Harness } from './order-test-harness.fixture';
import { startHarness } from './order-test-harness.fixture';

// The shared text rule (common's text.ts) over HTTP: the same 400 as every service.
let h: Harness;

beforeEach(async () => {
  h = await startHarness();
});

afterEach(() => h.running.shutdown('test done'));

describe('POST /api/orders with a currency the shared text rule refuses', () => {
  it.each([
    ['a right-to-left override', 'EU\u202ER', 'U+202E at character 3'],
    ['a zero-width space', '\u200BEUR', 'U+200B at character 1'],
    ['a lone surrogate', 'EU\uD83D', 'an unpaired surrogate U+D83D at character 3'],
  ])('answers 400 for %s before calling any service', async (_what, currency, found) => {
    const product = h.products.add();
    const res = await h.send('POST', '/api/orders', {
      body: { items: [{ productId: product.id, quantity: 1 }], currency },
      key: 'text-rule-1',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ ...textRefusal('currency', found), requestId: expect.any(String) });
    expect(h.products.calls).toEqual([]);
  });
});
