import type { Kafka, Producer, ProducerRecord } from 'kafkajs';
import { KafkaJSConnectionError, KafkaJSError, KafkaJSNumberOfRetriesExceeded } from 'kafkajs';
import { Registry } from 'prom-client';
import type { EventEnvelope } from '../ports';
import { captureLogger } from '../testing/capture-logger';
import { sampleValue } from '../testing/metric-samples';
import { KafkaEventPublisher } from './kafka-event-publisher';

const event: EventEnvelope = {
  id: '6f1c8a5e-2f1d-4c1b-9a59-2b1f7f0e9d11',
  type: 'user.registered',
  source: 'user',
  occurredAt: '2026-01-01T00:00:00.000Z',
  key: 'user-1',
  data: {},
  requestId: 'req-1',
};

/** A stand-in for kafkajs' producer factory that records what the publisher does. */
function fakeKafka(
  behaviour: { connect?: () => Promise<void>; send?: (r: ProducerRecord) => Promise<void> } = {},
) {
  const created: {
    config: unknown;
    sent: ProducerRecord[];
    disconnected: boolean;
    /** kafkajs' instrumentation listeners by event name, to emit events as the producer would. */
    listeners: Map<string, ((event: unknown) => void)[]>;
  }[] = [];
  const kafka: Pick<Kafka, 'producer'> = {
    producer: (config) => {
      const listeners = new Map<string, ((event: unknown) => void)[]>();
      const state = { config, sent: [] as ProducerRecord[], disconnected: false, listeners };
      created.push(state);
      return {
        events: { REQUEST_TIMEOUT: 'producer.network.request_timeout' },
        on: (name: string, listener: (event: unknown) => void) => {
          listeners.set(name, [...(listeners.get(name) ?? []), listener]);
          return () =>
            listeners.set(
              name,
              (listeners.get(name) ?? []).filter((l) => l !== listener),
            );
        },
        connect: behaviour.connect ?? (() => Promise.resolve()),
        send: async (record: ProducerRecord) => {
          await (behaviour.send ?? (() => Promise.resolve()))(record);
          state.sent.push(record);
          return [];
        },
        disconnect: () => {
          state.disconnected = true;
          return Promise.resolve();
        },
      } as unknown as Producer;
    },
  };
  return { kafka, created };
}

describe('KafkaEventPublisher', () => {
  it('connects one idempotent producer on first publish and sends with acks from all replicas', async () => {
    const { kafka, created } = fakeKafka();
    const publisher = new KafkaEventPublisher(kafka, captureLogger().logger);
    expect(created).toHaveLength(0);
    await publisher.publish('user-events', [event]);
    await publisher.publish('user-events', [event, { ...event, id: 'second' }]);
    expect(created).toHaveLength(1);
    expect(created[0]!.config).toEqual({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      retry: { retries: 5 },
    });
    expect(created[0]!.sent.map((r) => [r.topic, r.acks, r.messages.length])).toEqual([
      ['user-events', -1, 1],
      ['user-events', -1, 2],
    ]);
    expect(created[0]!.sent[0]!.messages[0]).toMatchObject({
      key: 'user-1',
      headers: { 'event-type': 'user.registered' },
    });
  });

  it('sends nothing for an empty list', async () => {
    const { kafka, created } = fakeKafka();
    await new KafkaEventPublisher(kafka, captureLogger().logger).publish('t', []);
    expect(created).toHaveLength(0);
  });

  it('rejects when the send fails and uses a fresh producer for the next publish', async () => {
    let failing = true;
    const { kafka, created } = fakeKafka({
      send: () => (failing ? Promise.reject(new Error('KafkaJSNumberOfRetriesExceeded')) : Promise.resolve()),
    });
    const { logger, lines } = captureLogger();
    const publisher = new KafkaEventPublisher(kafka, logger);
    await expect(publisher.publish('t', [event])).rejects.toThrow('KafkaJSNumberOfRetriesExceeded');
    failing = false;
    await publisher.publish('t', [event]);
    expect(created).toHaveLength(2);
    expect(created[0]!.disconnected).toBe(true);
    expect(created[1]!.sent).toHaveLength(1);
    expect(
      lines.some(
        (l) =>
          l.level === 'warn' && l.msg === 'kafka producer failed; a new one is used for the next publish',
      ),
    ).toBe(true);
  });

  it('rejects while Kafka is unreachable and connects once it is back', async () => {
    let up = false;
    const { kafka, created } = fakeKafka({
      connect: () =>
        up ? Promise.resolve() : Promise.reject(new Error('KafkaJSConnectionError: ECONNREFUSED')),
    });
    const publisher = new KafkaEventPublisher(kafka, captureLogger().logger);
    await expect(publisher.publish('t', [event])).rejects.toThrow('ECONNREFUSED');
    up = true;
    await publisher.publish('t', [event]);
    expect(created.map((c) => c.sent.length)).toEqual([0, 1]);
  });

  it('disconnects on close and refuses to publish afterwards', async () => {
    const { kafka, created } = fakeKafka();
    const publisher = new KafkaEventPublisher(kafka, captureLogger().logger);
    await publisher.publish('t', [event]);
    await publisher.close();
    expect(created[0]!.disconnected).toBe(true);
    await expect(publisher.publish('t', [event])).rejects.toThrow('KafkaEventPublisher is closed');
  });
});

describe('KafkaEventPublisher with a registry', () => {
  async function kafkaFailures(registry: Registry): Promise<number | undefined> {
    return sampleValue(await registry.metrics(), 'datastore_connection_failures_total', { store: 'kafka' });
  }

  it('starts the kafka series at 0 before the first publish', async () => {
    const registry = new Registry();
    new KafkaEventPublisher(fakeKafka().kafka, captureLogger().logger, { registry });
    expect(await kafkaFailures(registry)).toBe(0);
  });

  it('counts a failed connect once, however many publishes waited for it', async () => {
    let up = false;
    const { kafka } = fakeKafka({
      connect: () =>
        up ? Promise.resolve() : Promise.reject(new KafkaJSConnectionError('Connection error: ECONNREFUSED')),
    });
    const registry = new Registry();
    const publisher = new KafkaEventPublisher(kafka, captureLogger().logger, { registry });
    const attempts = await Promise.allSettled([
      publisher.publish('a', [event]),
      publisher.publish('b', [event]),
    ]);
    expect(attempts.map((a) => a.status)).toEqual(['rejected', 'rejected']);
    expect(await kafkaFailures(registry)).toBe(1);
    up = true;
    await publisher.publish('a', [event]);
    expect(await kafkaFailures(registry)).toBe(1);
  });

  it('counts sends that failed for want of a broker, not requests a broker refused', async () => {
    const failures: Error[] = [
      new KafkaJSNumberOfRetriesExceeded(new KafkaJSConnectionError('Connection error: ECONNREFUSED'), {
        retryCount: 5,
        retryTime: 3000,
      }),
      new KafkaJSError('This server does not host this topic-partition', { retriable: false }),
    ];
    const { kafka } = fakeKafka({ send: () => Promise.reject(failures.shift()!) });
    const registry = new Registry();
    const publisher = new KafkaEventPublisher(kafka, captureLogger().logger, { registry });
    await expect(publisher.publish('t', [event])).rejects.toThrow(KafkaJSNumberOfRetriesExceeded);
    expect(await kafkaFailures(registry)).toBe(1);
    await expect(publisher.publish('t', [event])).rejects.toThrow('does not host this topic-partition');
    expect(await kafkaFailures(registry)).toBe(1);
  });

  it("counts the producer's request timeouts", async () => {
    const { kafka, created } = fakeKafka();
    const registry = new Registry();
    const publisher = new KafkaEventPublisher(kafka, captureLogger().logger, { registry });
    await publisher.publish('t', [event]);
    const timeouts = created[0]!.listeners.get('producer.network.request_timeout') ?? [];
    expect(timeouts).toHaveLength(1);
    timeouts[0]!({ type: 'producer.network.request_timeout', payload: { broker: '127.0.0.1:9092' } });
    timeouts[0]!({ type: 'producer.network.request_timeout', payload: { broker: '127.0.0.1:9092' } });
    expect(await kafkaFailures(registry)).toBe(2);
  });
});
