import { randomUUID } from 'node:crypto';
import { InMemoryOutboxStore } from '@platform/common';
import { InMemoryOrderRepository } from './in-memory-order-repository';
import { describeOrderRepositoryContract } from './order-repository.contract';

describeOrderRepositoryContract('InMemoryOrderRepository', async (options) => ({
  repository: new InMemoryOrderRepository(options),
  outbox: new InMemoryOutboxStore(),
}));

describe('InMemoryOrderRepository', () => {
  it('waits for a running transaction before claiming a key, so a claim never sees half a commit', async () => {
    const repository = new InMemoryOrderRepository();
    const scope = { userId: 'u', key: 'k' };
    const begun = await repository.beginIdempotent(scope, 'fp');
    if (begun.state !== 'started') throw new Error('expected started');
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const commit = repository.transaction(async (tx) => {
      await tx.completeIdempotency(scope, begun.token, { status: 201, body: { id: 'x' } });
      await gate; // e.g. the outbox write
    });
    const claim = repository.beginIdempotent(scope, 'fp');
    release();
    await commit;
    expect(await claim).toMatchObject({ state: 'completed', response: { status: 201, body: { id: 'x' } } });
  });

  it('refuses to insert an order id twice', async () => {
    const repository = new InMemoryOrderRepository();
    const order = {
      id: randomUUID(),
      userId: 'u',
      status: 'pending_payment' as const,
      items: [],
      total: 0,
      currency: 'EUR',
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
    };
    await repository.transaction((tx) => tx.insert(order));
    await expect(repository.transaction((tx) => tx.insert(order))).rejects.toThrow(
      `Order ${order.id} already exists`,
    );
  });
});
