import { randomUUID } from 'node:crypto';
import { InMemoryEventBus } from '../in-memory/in-memory-event-bus';
import { InMemoryOutboxStore } from '../in-memory/in-memory-outbox';
import type { EventEnvelope, EventPublisher, OutboxStore } from '../ports';
import { captureLogger } from '../testing/capture-logger';
import { eventually } from '../testing/eventually';
import type { OutboxRelay } from './outbox-relay';
import { startOutboxRelay } from './outbox-relay';

function event(key: string, n: number): EventEnvelope {
  return {
    id: randomUUID(),
    type: 'order.created',
    source: 'order',
    occurredAt: new Date(0).toISOString(),
    key,
    data: { n },
  };
}

const relays: OutboxRelay[] = [];
afterEach(async () => {
  await Promise.all(relays.splice(0).map((r) => r.stop()));
});

function relay(
  store: OutboxStore,
  publisher: EventPublisher,
  overrides: { batchSize?: number; intervalMs?: number } = {},
) {
  const capture = captureLogger();
  relays.push(
    startOutboxRelay({
      store,
      publisher,
      logger: capture.logger,
      intervalMs: 5,
      maxBackoffMs: 20,
      ...overrides,
    }),
  );
  return capture;
}

describe('startOutboxRelay', () => {
  it('publishes pending entries per topic in order and marks them published', async () => {
    const store = new InMemoryOutboxStore();
    const bus = new InMemoryEventBus();
    const orders = [event('o-1', 1), event('o-2', 2), event('o-1', 3)];
    const users = [event('u-1', 1)];
    await store.add([
      { topic: 'order-events', event: orders[0]! },
      { topic: 'user-events', event: users[0]! },
      { topic: 'order-events', event: orders[1]! },
      { topic: 'order-events', event: orders[2]! },
    ]);
    relay(store, bus);
    await eventually(async () => expect(await store.pending(10)).toEqual([]));
    expect(bus.events('order-events')).toEqual(orders);
    expect(bus.events('user-events')).toEqual(users);
  });

  it('loses nothing while the publisher is down and delivers every event exactly once, in order, after', async () => {
    const store = new InMemoryOutboxStore();
    const bus = new InMemoryEventBus();
    bus.failWith = new Error('KafkaJSConnectionError: Connection refused');
    const attempts = jest.spyOn(bus, 'publish');
    const { lines } = relay(store, bus);

    const events = Array.from({ length: 25 }, (_v, i) => event(`o-${i % 3}`, i));
    for (const e of events.slice(0, 10)) await store.add([{ topic: 'order-events', event: e }]);
    await eventually(() => expect(attempts.mock.calls.length).toBeGreaterThanOrEqual(3));
    expect(await store.pending(100)).toHaveLength(10);
    expect(
      lines.some((l) => l.level === 'warn' && l.msg === 'outbox: publish failed; events stay pending'),
    ).toBe(true);

    for (const e of events.slice(10, 20)) await store.add([{ topic: 'order-events', event: e }]);
    bus.failWith = undefined;
    await eventually(async () => expect(await store.pending(100)).toEqual([]));
    for (const e of events.slice(20)) await store.add([{ topic: 'order-events', event: e }]);
    await eventually(async () => expect(await store.pending(100)).toEqual([]));

    expect(bus.events('order-events')).toEqual(events);
    expect(lines.some((l) => l.msg === 'outbox: relay recovered')).toBe(true);
  });

  it('drains more than one batch without waiting for the poll interval', async () => {
    const store = new InMemoryOutboxStore();
    const bus = new InMemoryEventBus();
    const events = Array.from({ length: 7 }, (_v, i) => event('k', i));
    await store.add(events.map((e) => ({ topic: 't', event: e })));
    relay(store, bus, { batchSize: 2, intervalMs: 60_000 });
    await eventually(() => expect(bus.events('t')).toEqual(events), 2000);
  });

  it('keeps publishing other topics while one topic fails', async () => {
    const store = new InMemoryOutboxStore();
    const bus = new InMemoryEventBus();
    const publisher: EventPublisher = {
      publish: (topic, events) =>
        topic === 'broken'
          ? Promise.reject(new Error('TOPIC_AUTHORIZATION_FAILED'))
          : bus.publish(topic, events),
    };
    const ok = event('k', 1);
    await store.add([
      { topic: 'broken', event: event('k', 0) },
      { topic: 'user-events', event: ok },
    ]);
    relay(store, publisher);
    await eventually(() => expect(bus.events('user-events')).toEqual([ok]));
    expect((await store.pending(10)).map((p) => p.topic)).toEqual(['broken']);
  });

  it('survives a failing store and carries on when it recovers', async () => {
    const store = new InMemoryOutboxStore();
    const bus = new InMemoryEventBus();
    const pending = jest.spyOn(store, 'pending').mockRejectedValueOnce(new Error('not primary'));
    const e = event('k', 1);
    await store.add([{ topic: 't', event: e }]);
    const { lines } = relay(store, bus);
    await eventually(() => expect(bus.events('t')).toEqual([e]));
    expect(pending.mock.calls.length).toBeGreaterThan(1);
    expect(lines.find((l) => l.msg === 'outbox: relay round failed')?.level).toBe('error');
  });

  it('stops after the round in progress, publishing nothing afterwards', async () => {
    const store = new InMemoryOutboxStore();
    const bus = new InMemoryEventBus();
    let release!: () => void;
    const publisher: EventPublisher = {
      publish: async (topic, events) => {
        await new Promise<void>((resolve) => (release = resolve));
        await bus.publish(topic, events);
      },
    };
    await store.add([{ topic: 't', event: event('k', 1) }]);
    const capture = captureLogger();
    const running = startOutboxRelay({ store, publisher, logger: capture.logger, intervalMs: 5 });
    await eventually(() => expect(release).toBeDefined());
    const stopped = running.stop();
    await store.add([{ topic: 't', event: event('k', 2) }]);
    release();
    await stopped;
    await running.stop();
    expect(bus.events('t')).toHaveLength(1);
    expect(await store.pending(10)).toHaveLength(1);
  });
});
