import { Registry } from 'prom-client';
import { describeEventBusContract } from '../contracts/event-bus.contract';
import { PermanentEventError } from '../events/permanent-event-error';
import { metricSamples, sampleValue } from '../testing/metric-samples';
import { InMemoryEventBus } from './in-memory-event-bus';

describeEventBusContract('InMemoryEventBus', async () => {
  const bus = new InMemoryEventBus();
  let topics = 0;
  return {
    publisher: bus,
    topic: (name) => Promise.resolve(`${name}-${++topics}`),
    consume: (topicList, handler, options) => Promise.resolve(bus.subscribe(topicList, handler, options)),
    deadLetters: (topic) => Promise.resolve(bus.events(topic)),
    timeoutMs: 2000,
    close: () => bus.settle(),
  };
});

describe('InMemoryEventBus with a registry', () => {
  const event = (key: string) => ({
    id: `00000000-0000-4000-8000-00000000000${key.length}`,
    type: 'order.created',
    source: 'order',
    occurredAt: '2026-01-01T00:00:00.000Z',
    key,
    data: {},
  });

  it('counts the events a subscriber dead-lettered, by dead-letter topic, from 0', async () => {
    const bus = new InMemoryEventBus();
    const registry = new Registry();
    const dead = () =>
      registry
        .metrics()
        .then((text) => sampleValue(text, 'events_dead_lettered_total', { topic: 'notification-dlq' }));
    bus.subscribe(
      ['order-events'],
      (e) => {
        if (e.key === 'permanent') throw new PermanentEventError('data.orderId is required');
        if (e.key === 'failing') throw new Error('template missing');
        return Promise.resolve();
      },
      { deadLetterTopic: 'notification-dlq', maxAttempts: 2, registry },
    );
    expect(await dead()).toBe(0);
    await bus.publish('order-events', [event('ok'), event('permanent'), event('failing')]);
    await bus.settle();
    expect(bus.events('notification-dlq').map((e) => e.key)).toEqual(['permanent', 'failing']);
    expect(await dead()).toBe(2);
  });

  it('has no series for a subscriber without a dead-letter topic', async () => {
    const bus = new InMemoryEventBus();
    const registry = new Registry();
    bus.subscribe(['t'], () => Promise.reject(new Error('x')), { registry });
    await bus.publish('t', [event('k')]);
    await bus.settle();
    expect(metricSamples(await registry.metrics(), 'events_dead_lettered_total')).toEqual([]);
  });
});
