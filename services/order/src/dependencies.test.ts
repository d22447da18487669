import { HttpServiceClient, InMemoryOutboxStore, createLogger } from '@platform/common';
import { buildDependencies } from './dependencies';
import { InMemoryOrderRepository } from './in-memory-order-repository';
import { loadOrderConfig } from './order-config';

describe('buildDependencies', () => {
  it('wires in-memory storage and one HTTP client per called service, closed at shutdown', async () => {
    const config = loadOrderConfig({
      JWT_SECRET: 'a-signing-key-that-is-at-least-32-bytes',
      USER_SERVICE_URL: 'http://127.0.0.1:1',
      PRODUCT_SERVICE_URL: 'http://127.0.0.1:2',
      LOG_LEVEL: 'silent',
    });
    const deps = await buildDependencies(config, createLogger(config));
    expect(deps.repository).toBeInstanceOf(InMemoryOrderRepository);
    expect(deps.outbox).toBeInstanceOf(InMemoryOutboxStore);
    expect(deps.users).toBeInstanceOf(HttpServiceClient);
    expect(deps.products).toBeInstanceOf(HttpServiceClient);
    expect(deps.users).not.toBe(deps.products);
    expect(deps.closeHooks.map((hook) => hook.name)).toEqual(['user', 'product']);
    for (const hook of deps.closeHooks) await hook.close();
  });
});
