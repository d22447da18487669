import type { Kafka, Producer, ProducerRecord } from 'kafkajs';
import type { EventEnvelope } from '../ports';
import { captureLogger } from '../testing/capture-logger';
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
  const created: { config: unknown; sent: ProducerRecord[]; disconnected: boolean }[] = [];
  const kafka: Pick<Kafka, 'producer'> = {
    producer: (config) => {
      const state = { config, sent: [] as ProducerRecord[], disconnected: false };
      created.push(state);
      return {
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
