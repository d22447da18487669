import { randomUUID } from 'node:crypto';
import { Registry } from 'prom-client';
import { InMemoryEventBus } from '../in-memory/in-memory-event-bus';
import { InMemoryOutboxStore } from '../in-memory/in-memory-outbox';
import type { EventEnvelope, OutboxStats } from '../ports';
import { captureLogger } from '../testing/capture-logger';
import { eventually } from '../testing/eventually';
import { sampleValue } from '../testing/metric-samples';
import type { OutboxRelay } from './outbox-relay';
import { startOutboxRelay } from './outbox-relay';

function event(n: number): EventEnvelope {
  return {
    id: randomUUID(),
    type: 'order.created',
    source: 'order',
    occurredAt: new Date(0).toISOString(),
    key: `o-${n}`,
    data: { n },
  };
}

/** The gauges as a scrape of `registry` shows them. */
async function gauges(registry: Registry): Promise<{ pending?: number; age?: number }> {
  const text = await registry.metrics();
  const pending = sampleValue(text, 'outbox_pending_events');
  const age = sampleValue(text, 'outbox_oldest_pending_age_seconds');
  return { ...(pending !== undefined && { pending }), ...(age !== undefined && { age }) };
}

const relays: OutboxRelay[] = [];
afterEach(async () => {
  await Promise.all(relays.splice(0).map((r) => r.stop()));
});

describe('startOutboxRelay with a registry', () => {
  it('shows the backlog growing and ageing while the publisher fails, then draining to 0', async () => {
    // One clock for the store's stamps and the relay's ages, moved by hand.
    let clock = Date.parse('2026-01-01T00:00:00Z');
    const store = new InMemoryOutboxStore(() => new Date(clock));
    const bus = new InMemoryEventBus();
    bus.failWith = new Error('KafkaJSConnectionError: Connection refused');
    const registry = new Registry();
    const rounds = jest.spyOn(store, 'stats');
    relays.push(
      startOutboxRelay({
        store,
        publisher: bus,
        logger: captureLogger().logger,
        registry,
        now: () => clock,
        intervalMs: 5,
        maxBackoffMs: 20,
      }),
    );
    // Registered with the relay, before its first round: both 0.
    expect(await gauges(registry)).toEqual({ pending: 0, age: 0 });

    await store.add([{ topic: 'order-events', event: event(1) }]);
    clock += 30_000;
    await store.add([
      { topic: 'order-events', event: event(2) },
      { topic: 'order-events', event: event(3) },
    ]);
    clock += 15_000;
    await eventually(async () => expect(await gauges(registry)).toEqual({ pending: 3, age: 45 }));

    // Still failing: the oldest entry keeps ageing, the count stays.
    clock += 60_000;
    const seen = rounds.mock.calls.length;
    await eventually(async () => {
      expect(rounds.mock.calls.length).toBeGreaterThan(seen);
      expect(await gauges(registry)).toEqual({ pending: 3, age: 105 });
    });

    bus.failWith = undefined;
    await eventually(async () => expect(await gauges(registry)).toEqual({ pending: 0, age: 0 }));
    expect(bus.events('order-events')).toHaveLength(3);
  });

  it('keeps the last values and logs nothing above debug when stats fail', async () => {
    const store = new InMemoryOutboxStore();
    await store.add([{ topic: 't', event: event(1) }]);
    const failing = new Error('not primary');
    let calls = 0;
    jest.spyOn(store, 'stats').mockImplementation((): Promise<OutboxStats> => {
      calls += 1;
      return calls === 1
        ? Promise.resolve({ pending: 7, oldestPendingAt: new Date(0) })
        : Promise.reject(failing);
    });
    const registry = new Registry();
    const { logger, lines } = captureLogger();
    relays.push(
      startOutboxRelay({
        store,
        publisher: new InMemoryEventBus(),
        logger,
        registry,
        intervalMs: 5,
        now: () => 2000,
      }),
    );
    await eventually(() => expect(calls).toBeGreaterThan(2));
    expect(await gauges(registry)).toEqual({ pending: 7, age: 2 });
    expect(lines.filter((l) => l.msg === 'outbox: could not sample the backlog').length).toBeGreaterThan(0);
    expect(lines.filter((l) => l.level !== 'debug')).toEqual([]);
  });

  it('samples nothing without a registry', async () => {
    const store = new InMemoryOutboxStore();
    const stats = jest.spyOn(store, 'stats');
    const bus = new InMemoryEventBus();
    const e = event(1);
    await store.add([{ topic: 't', event: e }]);
    relays.push(startOutboxRelay({ store, publisher: bus, logger: captureLogger().logger, intervalMs: 5 }));
    await eventually(() => expect(bus.events('t')).toEqual([e]));
    expect(stats).not.toHaveBeenCalled();
  });
});
