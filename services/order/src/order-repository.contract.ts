import { randomUUID } from 'node:crypto';
import type { OutboxEntry, OutboxStore } from '@platform/common';
import type { Order } from './order';
import type { OrderRepository, StoredResponse } from './order-repository';

export interface ContractSubject {
  readonly repository: OrderRepository;
  /** The outbox that shares the repository's transactions (same database). */
  readonly outbox: OutboxStore;
}

export interface ContractOptions {
  readonly now: () => Date;
  readonly lockTimeoutMs: number;
  readonly retentionMs: number;
}

const LOCK_TIMEOUT_MS = 60_000;
const RETENTION_MS = 3_600_000;

/**
 * Behaviour every OrderRepository must have. The in-memory test always runs it; the MongoDB test runs it
 * against a real server when MONGO_URL is set.
 */
export function describeOrderRepositoryContract(
  name: string,
  create: (options: ContractOptions) => Promise<ContractSubject>,
): void {
  describe(`${name} (OrderRepository contract)`, () => {
    let repository: OrderRepository;
    let outbox: OutboxStore;
    let offsetMs: number;

    beforeEach(async () => {
      // Real time plus an offset the tests move forward: a database's own TTL clock stays consistent.
      offsetMs = 0;
      ({ repository, outbox } = await create({
        now: () => new Date(Date.now() + offsetMs),
        lockTimeoutMs: LOCK_TIMEOUT_MS,
        retentionMs: RETENTION_MS,
      }));
    });

    const order = (overrides: Partial<Order> = {}): Order => ({
      id: randomUUID(),
      userId: 'user-1',
      status: 'pending_payment',
      items: [{ productId: randomUUID(), quantity: 2, unitPrice: 1250 }],
      total: 2500,
      currency: 'EUR',
      createdAt: '2026-03-01T10:00:00.000Z',
      updatedAt: '2026-03-01T10:00:00.000Z',
      ...overrides,
    });

    const created = (o: Order): OutboxEntry => ({
      topic: 'order-events',
      event: {
        id: randomUUID(),
        type: 'order.created',
        source: 'order',
        occurredAt: o.createdAt,
        key: o.id,
        data: { orderId: o.id },
      },
    });

    async function stored(o: Order): Promise<Order> {
      await repository.transaction(async (tx) => {
        await tx.insert(o);
        await outbox.add([created(o)], tx.session);
      });
      return o;
    }

    async function pendingFor(orderId: string): Promise<readonly OutboxEntry[]> {
      return (await outbox.pending(1000)).filter((e) => e.event.key === orderId);
    }

    const scope = { userId: 'user-1', key: 'key-1' };
    const response: StoredResponse = {
      status: 201,
      body: { id: 'o-1', total: 2500 },
      location: '/api/orders/o-1',
    };

    it('commits an order and its outbox event together and gets the order back', async () => {
      const o = await stored(order());
      expect(await repository.get(o.id)).toEqual(o);
      expect((await pendingFor(o.id)).map((e) => e.event.type)).toEqual(['order.created']);
    });

    it('returns undefined for an unknown id', async () => {
      expect(await repository.get(randomUUID())).toBeUndefined();
    });

    it('stores nothing when the work fails after inserting', async () => {
      const o = order();
      const failure = repository.transaction(async (tx) => {
        await tx.insert(o);
        throw new Error('boom');
      });
      await expect(failure).rejects.toThrow('boom');
      expect(await repository.get(o.id)).toBeUndefined();
    });

    it('stores nothing when the outbox write fails', async () => {
      const o = order();
      const broken: OutboxStore = {
        add: () => Promise.reject(new Error('outbox down')),
        pending: (limit) => outbox.pending(limit),
        markPublished: (seqs) => outbox.markPublished(seqs),
        stats: () => outbox.stats(),
      };
      const failure = repository.transaction(async (tx) => {
        await tx.insert(o);
        await broken.add([created(o)], tx.session);
      });
      await expect(failure).rejects.toThrow('outbox down');
      expect(await repository.get(o.id)).toBeUndefined();
      expect(await pendingFor(o.id)).toEqual([]);
    });

    it('returns what the work returns', async () => {
      expect(await repository.transaction(async () => 42)).toBe(42);
    });

    it("lists one user's orders newest first, filtered by status, with an offset, a limit and the total", async () => {
      const at = (minute: number) => `2026-03-01T10:${String(minute).padStart(2, '0')}:00.000Z`;
      const first = await stored(order({ createdAt: at(1) }));
      const second = await stored(order({ createdAt: at(2), status: 'paid' }));
      const third = await stored(order({ createdAt: at(3) }));
      await stored(order({ createdAt: at(4), userId: 'user-2' }));

      const all = await repository.listByUser('user-1', {}, { offset: 0, limit: 10 });
      expect({ ids: all.items.map((o) => o.id), total: all.total }).toEqual({
        ids: [third.id, second.id, first.id],
        total: 3,
      });
      const page = await repository.listByUser('user-1', {}, { offset: 1, limit: 1 });
      expect({ ids: page.items.map((o) => o.id), total: page.total }).toEqual({ ids: [second.id], total: 3 });
      const pending = await repository.listByUser(
        'user-1',
        { status: 'pending_payment' },
        { offset: 0, limit: 10 },
      );
      expect(pending.items.map((o) => o.id)).toEqual([third.id, first.id]);
      expect((await repository.listByUser('nobody', {}, { offset: 0, limit: 10 })).total).toBe(0);
    });

    it('changes the status only from the expected status', async () => {
      const o = await stored(order());
      const payment = { method: 'card' as const, amount: 2500, paidAt: '2026-03-01T11:00:00.000Z' };
      const paid = await repository.transaction((tx) =>
        tx.changeStatus(o.id, { from: 'pending_payment', to: 'paid', at: payment.paidAt, payment }),
      );
      expect(paid).toEqual({ ...o, status: 'paid', updatedAt: payment.paidAt, payment });
      expect(await repository.get(o.id)).toEqual(paid);

      const again = await repository.transaction((tx) =>
        tx.changeStatus(o.id, { from: 'pending_payment', to: 'cancelled', at: payment.paidAt }),
      );
      expect(again).toBeUndefined();
      expect(
        await repository.transaction((tx) =>
          tx.changeStatus(randomUUID(), { from: 'pending_payment', to: 'paid', at: payment.paidAt }),
        ),
      ).toBeUndefined();
      expect((await repository.get(o.id))?.status).toBe('paid');
    });

    it('lets exactly one of concurrent status changes through', async () => {
      const o = await stored(order());
      const results = await Promise.all(
        Array.from({ length: 10 }, () =>
          repository
            .transaction((tx) =>
              tx.changeStatus(o.id, { from: 'pending_payment', to: 'paid', at: new Date().toISOString() }),
            )
            // A database may refuse a conflicting concurrent transaction outright; that is a loss too.
            .catch(() => undefined),
        ),
      );
      expect(results.filter((r) => r !== undefined)).toHaveLength(1);
    });

    it('claims an Idempotency-Key once, reports it in progress, then replays the completed response', async () => {
      const begun = await repository.beginIdempotent(scope, 'fp-1');
      if (begun.state !== 'started') throw new Error(`expected started, got ${begun.state}`);
      expect(await repository.beginIdempotent(scope, 'fp-2')).toEqual({
        state: 'in_progress',
        fingerprint: 'fp-1',
      });
      expect(await repository.transaction((tx) => tx.completeIdempotency(scope, begun.token, response))).toBe(
        true,
      );
      expect(await repository.beginIdempotent(scope, 'fp-1')).toEqual({
        state: 'completed',
        fingerprint: 'fp-1',
        response,
      });
    });

    it('keeps keys apart per user', async () => {
      await repository.beginIdempotent(scope, 'fp-1');
      expect((await repository.beginIdempotent({ ...scope, userId: 'user-2' }, 'fp-1')).state).toBe(
        'started',
      );
    });

    it('gives a key to exactly one of concurrent claims', async () => {
      const results = await Promise.all(
        Array.from({ length: 20 }, () => repository.beginIdempotent(scope, 'fp-1')),
      );
      expect(results.filter((r) => r.state === 'started')).toHaveLength(1);
      expect(results.filter((r) => r.state === 'in_progress')).toHaveLength(19);
    });

    it('frees an abandoned key, but only for the attempt that holds it', async () => {
      const begun = await repository.beginIdempotent(scope, 'fp-1');
      if (begun.state !== 'started') throw new Error('expected started');
      await repository.abandonIdempotent(scope, 'someone-else');
      expect((await repository.beginIdempotent(scope, 'fp-1')).state).toBe('in_progress');
      await repository.abandonIdempotent(scope, begun.token);
      expect((await repository.beginIdempotent(scope, 'fp-1')).state).toBe('started');
    });

    it('does not complete a key when the transaction fails', async () => {
      const begun = await repository.beginIdempotent(scope, 'fp-1');
      if (begun.state !== 'started') throw new Error('expected started');
      const failure = repository.transaction(async (tx) => {
        await tx.completeIdempotency(scope, begun.token, response);
        throw new Error('boom');
      });
      await expect(failure).rejects.toThrow('boom');
      expect((await repository.beginIdempotent(scope, 'fp-1')).state).toBe('in_progress');
    });

    it('lets a new attempt take over a key whose attempt died, and the dead one can no longer finish', async () => {
      const dead = await repository.beginIdempotent(scope, 'fp-1');
      if (dead.state !== 'started') throw new Error('expected started');
      offsetMs += LOCK_TIMEOUT_MS + 1000;
      const next = await repository.beginIdempotent(scope, 'fp-1');
      expect(next.state).toBe('started');
      expect(await repository.transaction((tx) => tx.completeIdempotency(scope, dead.token, response))).toBe(
        false,
      );
      await repository.abandonIdempotent(scope, dead.token);
      expect((await repository.beginIdempotent(scope, 'fp-1')).state).toBe('in_progress');
    });

    it('forgets a completed response after the retention period', async () => {
      const begun = await repository.beginIdempotent(scope, 'fp-1');
      if (begun.state !== 'started') throw new Error('expected started');
      await repository.transaction((tx) => tx.completeIdempotency(scope, begun.token, response));
      offsetMs += RETENTION_MS - 1000;
      expect((await repository.beginIdempotent(scope, 'fp-2')).state).toBe('completed');
      offsetMs += 2000;
      expect((await repository.beginIdempotent(scope, 'fp-2')).state).toBe('started');
    });

    it('hands out copies, so callers cannot change stored orders', async () => {
      const o = await stored(order());
      (o.items[0] as { quantity: number }).quantity = 999;
      const fetched = await repository.get(o.id);
      (fetched as { status: string }).status = 'paid';
      expect(await repository.get(o.id)).toMatchObject({
        status: 'pending_payment',
        items: [{ quantity: 2 }],
      });
    });
  });
}
