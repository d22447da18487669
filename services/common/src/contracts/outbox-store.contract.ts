import { trace } from '@opentelemetry/api';
import type { EventEnvelope, OutboxStore } from '../ports';
import { startTestTracing } from '../testing/test-tracing';

let counter = 0;
function event(key: string, overrides: Partial<EventEnvelope> = {}): EventEnvelope {
  counter += 1;
  return {
    id: `00000000-0000-4000-8000-${String(counter).padStart(12, '0')}`,
    type: 'order.created',
    source: 'order',
    occurredAt: '2026-01-01T00:00:00.000Z',
    key,
    data: { n: counter, nested: { items: [1, 2], note: 'x' } },
    ...overrides,
  };
}

/**
 * Behaviour every OutboxStore must have. Runs against InMemoryOutboxStore always and against
 * MongoOutboxStore when MONGO_URL is set; `create` returns an empty store.
 */
export function describeOutboxStoreContract(name: string, create: () => Promise<OutboxStore>): void {
  describe(`${name} (OutboxStore contract)`, () => {
    let store: OutboxStore;
    beforeEach(async () => {
      store = await create();
    });

    it('returns added entries oldest first, with the events unchanged and a seq each', async () => {
      const a = event('o-1', { requestId: 'req-1' });
      const b = event('o-2');
      const c = event('o-1');
      await store.add([
        { topic: 'order-events', event: a },
        { topic: 'user-events', event: b },
      ]);
      await store.add([{ topic: 'order-events', event: c }]);

      const pending = await store.pending(10);
      expect(pending.map(({ topic, event }) => ({ topic, event }))).toEqual([
        { topic: 'order-events', event: a },
        { topic: 'user-events', event: b },
        { topic: 'order-events', event: c },
      ]);
      const seqs = pending.map((p) => p.seq);
      expect(new Set(seqs).size).toBe(3);
      for (const seq of seqs) expect(seq).toEqual(expect.any(String));
    });

    it('stores the trace context active at add (a given one wins) and returns it with the entry', async () => {
      const tracing = startTestTracing();
      try {
        const given = { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' };
        const span = await trace.getTracer('test').startActiveSpan('POST /orders', async (s) => {
          await store.add([
            { topic: 'order-events', event: event('o-1') },
            { topic: 'order-events', event: event('o-2'), traceContext: given },
          ]);
          s.end();
          return s.spanContext();
        });
        await store.add([{ topic: 'order-events', event: event('o-3') }]);
        const [inSpan, explicit, outside] = await store.pending(10);
        expect(inSpan!.traceContext).toEqual({ traceparent: `00-${span.traceId}-${span.spanId}-01` });
        expect(explicit!.traceContext).toEqual(given);
        expect(outside!.traceContext).toBeUndefined();
      } finally {
        await tracing.stop();
      }
    });

    it('returns at most `limit` entries, the oldest', async () => {
      const events = [event('k'), event('k'), event('k')];
      await store.add(events.map((e) => ({ topic: 't', event: e })));
      expect((await store.pending(2)).map((p) => p.event.id)).toEqual([events[0]!.id, events[1]!.id]);
    });

    it('no longer returns entries once marked published, and keeps the rest in order', async () => {
      const events = [event('k'), event('k'), event('k'), event('k')];
      await store.add(events.map((e) => ({ topic: 't', event: e })));
      const [first, second] = await store.pending(2);
      await store.markPublished([first!.seq, second!.seq]);
      expect((await store.pending(10)).map((p) => p.event.id)).toEqual([events[2]!.id, events[3]!.id]);
    });

    it('ignores seqs marked twice or unknown, and an empty add', async () => {
      await store.add([]);
      await store.add([{ topic: 't', event: event('k') }]);
      const [entry] = await store.pending(1);
      await store.markPublished([entry!.seq]);
      await store.markPublished([entry!.seq]);
      await store.add([{ topic: 't', event: event('k') }]);
      const [next] = await store.pending(1);
      await store.markPublished([]);
      expect(await store.pending(10)).toEqual([next]);
    });

    it('keeps the entries of concurrent adds together and none lost', async () => {
      const batches = Array.from({ length: 10 }, (_v, b) =>
        Array.from({ length: 3 }, () => ({ topic: 't', event: event(`b${b}`) })),
      );
      await Promise.all(batches.map((batch) => store.add(batch)));
      const pending = await store.pending(100);
      expect(pending).toHaveLength(30);
      // Each add's entries are consecutive, in their order.
      for (let i = 0; i < 30; i += 3) {
        const keys = pending.slice(i, i + 3).map((p) => p.event.key);
        expect(new Set(keys).size).toBe(1);
        const batch = batches.find((b) => b[0]!.event.key === keys[0])!;
        expect(pending.slice(i, i + 3).map((p) => p.event.id)).toEqual(batch.map((e) => e.event.id));
      }
    });

    it('reports no backlog when empty or when everything is published', async () => {
      expect(await store.stats()).toEqual({ pending: 0, oldestPendingAt: undefined });
      await store.add([{ topic: 't', event: event('k') }]);
      await store.markPublished((await store.pending(10)).map((p) => p.seq));
      expect(await store.stats()).toEqual({ pending: 0, oldestPendingAt: undefined });
    });

    it('counts pending entries and dates the oldest one, following what is published', async () => {
      const before = Date.now();
      await store.add([{ topic: 't', event: event('k') }]);
      const firstAdded = Date.now();
      // A visible gap, so the second add is stamped later than the first.
      await new Promise((resolve) => setTimeout(resolve, 20));
      await store.add([
        { topic: 't', event: event('k') },
        { topic: 'u', event: event('k') },
      ]);
      const after = Date.now();
      const first = await store.stats();
      expect(first.pending).toBe(3);
      const oldest = first.oldestPendingAt!.getTime();
      expect(oldest).toBeGreaterThanOrEqual(before - 1);
      // The first entry's stamp, not a later one: taken before the first add returned.
      expect(oldest).toBeLessThanOrEqual(firstAdded);
      expect(oldest).toBeLessThan(after);

      const [head] = await store.pending(1);
      await store.markPublished([head!.seq]);
      const second = await store.stats();
      expect(second.pending).toBe(2);
      expect(second.oldestPendingAt!.getTime()).toBeGreaterThanOrEqual(oldest + 20 - 1);
      expect(second.oldestPendingAt!.getTime()).toBeLessThanOrEqual(after + 1);
    });
  });
}
