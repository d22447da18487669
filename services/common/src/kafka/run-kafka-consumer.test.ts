import type {
  Consumer,
  ConsumerRunConfig,
  EachMessagePayload,
  Kafka,
  Producer,
  ProducerRecord,
} from 'kafkajs';
import { KafkaJSConnectionError, KafkaJSNumberOfRetriesExceeded } from 'kafkajs';
import { Registry } from 'prom-client';
import { PermanentEventError } from '../events/permanent-event-error';
import type { EventEnvelope } from '../ports';
import { captureLogger } from '../testing/capture-logger';
import { eventually } from '../testing/eventually';
import { sampleValue } from '../testing/metric-samples';
import { toKafkaMessage } from './event-message';
import type { KafkaConsumer } from './run-kafka-consumer';
import { runKafkaConsumer } from './run-kafka-consumer';

const event: EventEnvelope = {
  id: '6f1c8a5e-2f1d-4c1b-9a59-2b1f7f0e9d11',
  type: 'order.created',
  source: 'order',
  occurredAt: '2026-01-01T00:00:00.000Z',
  key: 'order-42',
  data: {},
};

interface FakeConsumerState {
  subscribed?: { topics: string[]; fromBeginning: boolean };
  eachMessage?: NonNullable<ConsumerRunConfig['eachMessage']>;
  crash?: (event: { payload: { error: Error; restart: boolean } }) => void;
  /** The REQUEST_TIMEOUT listener, to emit timeouts as kafkajs would. */
  requestTimeout?: () => void;
  disconnected: boolean;
}

/** The ways the dead-letter producer's send can fail, in turn (then it succeeds). */
type SendFailure = () => Error;

/**
 * kafkajs' consumer and producer factories, scripted: connect fails `failConnects` times first (a
 * connection error, as kafkajs reports unreachable brokers), the producer's sends fail per `sendFailures`.
 */
function fakeKafka(failConnects = 0, sendFailures: SendFailure[] = []) {
  let failures = failConnects;
  const consumers: FakeConsumerState[] = [];
  const sent: ProducerRecord[] = [];
  const producer: { connected: number; disconnected: boolean; requestTimeout?: () => void } = {
    connected: 0,
    disconnected: false,
  };
  const kafka: Pick<Kafka, 'consumer' | 'producer'> = {
    consumer: () => {
      const state: FakeConsumerState = { disconnected: false };
      consumers.push(state);
      return {
        events: { CRASH: 'consumer.crash', REQUEST_TIMEOUT: 'consumer.network.request_timeout' },
        on: (name: string, listener: NonNullable<FakeConsumerState['crash']>) => {
          if (name === 'consumer.crash') state.crash = listener;
          else if (name === 'consumer.network.request_timeout')
            state.requestTimeout = () =>
              listener({ payload: { error: new Error('timeout'), restart: true } });
          else throw new Error(`the fake consumer has no event ${name}`);
          return () => undefined;
        },
        connect: () =>
          failures-- > 0
            ? Promise.reject(
                new KafkaJSNumberOfRetriesExceeded(
                  new KafkaJSConnectionError('Connection error: ECONNREFUSED'),
                  {
                    retryCount: 5,
                    retryTime: 3000,
                  },
                ),
              )
            : Promise.resolve(),
        subscribe: (s: { topics: string[]; fromBeginning: boolean }) => {
          state.subscribed = s;
          return Promise.resolve();
        },
        run: (config: ConsumerRunConfig) => {
          state.eachMessage = config.eachMessage!;
          return Promise.resolve();
        },
        disconnect: () => {
          state.disconnected = true;
          return Promise.resolve();
        },
      } as unknown as Consumer;
    },
    producer: () =>
      ({
        events: { REQUEST_TIMEOUT: 'producer.network.request_timeout' },
        on: (name: string, listener: () => void) => {
          if (name !== 'producer.network.request_timeout')
            throw new Error(`the fake producer has no event ${name}`);
          producer.requestTimeout = listener;
          return () => undefined;
        },
        connect: () => {
          producer.connected += 1;
          return Promise.resolve();
        },
        send: (record: ProducerRecord) => {
          const failure = sendFailures.shift();
          if (failure) return Promise.reject(failure());
          sent.push(record);
          return Promise.resolve([]);
        },
        disconnect: () => {
          producer.disconnected = true;
          return Promise.resolve();
        },
      }) as unknown as Producer,
  };
  return { kafka, consumers, sent, producer };
}

function message(value: string, offset = '5'): EachMessagePayload {
  return {
    topic: 'order-events',
    partition: 1,
    message: {
      key: Buffer.from('order-42'),
      value: Buffer.from(value),
      timestamp: '0',
      attributes: 0,
      offset,
      headers: { 'event-type': 'order.created' },
    },
    heartbeat: () => Promise.resolve(),
    pause: () => () => undefined,
  };
}

const running: KafkaConsumer[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((c) => c.stop()));
});

function start(
  kafka: Pick<Kafka, 'consumer' | 'producer'>,
  handler: (event: EventEnvelope) => Promise<void> = jest.fn(() => Promise.resolve()),
  registry?: Registry,
) {
  const capture = captureLogger();
  const consumer = runKafkaConsumer({
    ...(registry && { registry }),
    kafka,
    groupId: 'notification',
    topics: ['order-events', 'user-events'],
    handler,
    deadLetterTopic: 'notification-dlq',
    maxAttempts: 2,
    retryBackoffMs: 1,
    logger: capture.logger,
  });
  running.push(consumer);
  return { consumer, handler, ...capture };
}

describe('runKafkaConsumer', () => {
  it('subscribes the group to the topics (new events only by default) and hands events to the handler', async () => {
    const fake = fakeKafka();
    const { handler } = start(fake.kafka);
    await eventually(() => expect(fake.consumers[0]?.eachMessage).toBeDefined());
    expect(fake.consumers[0]!.subscribed).toEqual({
      topics: ['order-events', 'user-events'],
      fromBeginning: false,
    });
    await fake.consumers[0]!.eachMessage!(message(toKafkaMessage(event).value as string));
    expect(handler).toHaveBeenCalledWith(event, {
      topic: 'order-events',
      partition: 1,
      offset: '5',
      attempt: 1,
    });
  });

  it('keeps trying to start while Kafka is unreachable, logging each failure', async () => {
    const fake = fakeKafka(2);
    const { lines } = start(fake.kafka);
    await eventually(() => expect(fake.consumers[2]?.eachMessage).toBeDefined(), 10_000);
    expect(lines.filter((l) => l.msg === 'kafka consumer could not start; retrying')).toHaveLength(2);
    expect(lines.some((l) => l.msg === 'kafka consumer running')).toBe(true);
  }, 15_000);

  it('starts a new consumer after a crash kafkajs does not restart itself', async () => {
    const fake = fakeKafka();
    const { lines } = start(fake.kafka);
    await eventually(() => expect(fake.consumers[0]?.eachMessage).toBeDefined());
    fake.consumers[0]!.crash!({
      payload: { error: new Error('GROUP_AUTHORIZATION_FAILED'), restart: false },
    });
    await eventually(() => expect(fake.consumers[1]?.eachMessage).toBeDefined());
    expect(fake.consumers[0]!.disconnected).toBe(true);
    expect(lines.find((l) => l.msg === 'kafka consumer crashed')?.level).toBe('error');
  });

  it('sends the original message with why and where from to the dead-letter topic', async () => {
    const fake = fakeKafka();
    start(
      fake.kafka,
      jest.fn(() => Promise.reject(new Error('template missing'))),
    );
    await eventually(() => expect(fake.consumers[0]?.eachMessage).toBeDefined());
    const value = toKafkaMessage(event).value as string;
    await fake.consumers[0]!.eachMessage!(message(value, '41'));
    await fake.consumers[0]!.eachMessage!(message('{broken', '42'));

    expect(fake.sent.map((r) => [r.topic, r.acks])).toEqual([
      ['notification-dlq', -1],
      ['notification-dlq', -1],
    ]);
    const [failed, malformed] = fake.sent.map((r) => r.messages[0]!);
    expect(failed!.key).toEqual(Buffer.from('order-42'));
    expect(failed!.value).toEqual(Buffer.from(value));
    expect(failed!.headers).toMatchObject({
      'event-type': 'order.created',
      'dlq-reason': 'handler_failed',
      'dlq-error': 'template missing',
      'dlq-attempts': '2',
      'dlq-original-topic': 'order-events',
      'dlq-original-partition': '1',
      'dlq-original-offset': '41',
      'dlq-consumer-group': 'notification',
    });
    expect(Date.parse(failed!.headers!['dlq-failed-at'] as string)).not.toBeNaN();
    expect(malformed!.value).toEqual(Buffer.from('{broken'));
    expect(malformed!.headers).toMatchObject({
      'dlq-reason': 'malformed',
      'dlq-error': 'value is not JSON',
      'dlq-attempts': '0',
    });
  });

  it('dead-letters an event that failed permanently after one attempt, saying so in the headers', async () => {
    const fake = fakeKafka();
    const handler = jest.fn(() => Promise.reject(new PermanentEventError('data.orderId is required')));
    start(fake.kafka, handler);
    await eventually(() => expect(fake.consumers[0]?.eachMessage).toBeDefined());
    await fake.consumers[0]!.eachMessage!(message(toKafkaMessage(event).value as string, '43'));
    expect(handler).toHaveBeenCalledTimes(1);
    expect(fake.sent.map((r) => r.topic)).toEqual(['notification-dlq']);
    expect(fake.sent[0]!.messages[0]!.headers).toMatchObject({
      'dlq-reason': 'permanent',
      'dlq-error': 'data.orderId is required',
      'dlq-attempts': '1',
      'dlq-original-offset': '43',
    });
  });

  it('disconnects the consumer and the dead-letter producer on stop, also while still starting', async () => {
    const fake = fakeKafka(1000);
    const { consumer } = start(fake.kafka);
    await eventually(() => expect(fake.consumers.length).toBeGreaterThan(0));
    const started = Date.now();
    await consumer.stop();
    await consumer.stop();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(fake.producer.disconnected).toBe(true);

    const healthy = fakeKafka();
    const second = start(healthy.kafka).consumer;
    await eventually(() => expect(healthy.consumers[0]?.eachMessage).toBeDefined());
    await second.stop();
    expect(healthy.consumers[0]!.disconnected).toBe(true);
  });
});

describe('runKafkaConsumer with a registry', () => {
  async function sample(registry: Registry, name: string, labels: Record<string, string>) {
    return sampleValue(await registry.metrics(), name, labels);
  }
  const deadLettered = (registry: Registry) =>
    sample(registry, 'events_dead_lettered_total', { topic: 'notification-dlq' });
  const kafkaFailures = (registry: Registry) =>
    sample(registry, 'datastore_connection_failures_total', { store: 'kafka' });

  it('counts every event written to the dead-letter topic, by that topic, from 0', async () => {
    const fake = fakeKafka();
    const registry = new Registry();
    const handler = jest.fn((e: EventEnvelope) =>
      e.key === 'permanent'
        ? Promise.reject(new PermanentEventError('data.orderId is required'))
        : e.key === 'flaky'
          ? Promise.reject(new Error('template missing'))
          : Promise.resolve(),
    );
    start(fake.kafka, handler, registry);
    expect(await deadLettered(registry)).toBe(0);
    await eventually(() => expect(fake.consumers[0]?.eachMessage).toBeDefined());
    const each = fake.consumers[0]!.eachMessage!;

    await each(message(toKafkaMessage(event).value as string, '1'));
    expect(await deadLettered(registry)).toBe(0);
    await each(message('{broken', '2'));
    await each(message(toKafkaMessage({ ...event, key: 'permanent' }).value as string, '3'));
    await each(message(toKafkaMessage({ ...event, key: 'flaky' }).value as string, '4'));
    expect(fake.sent).toHaveLength(3);
    expect(await deadLettered(registry)).toBe(3);
    // Nothing failed to reach Kafka meanwhile.
    expect(await kafkaFailures(registry)).toBe(0);
  });

  it('does not count a dead-letter write that failed (the message comes again), but counts a broker not reached', async () => {
    const fake = fakeKafka(0, [
      () =>
        new KafkaJSNumberOfRetriesExceeded(new KafkaJSConnectionError('Connection error: ECONNREFUSED'), {
          retryCount: 5,
          retryTime: 3000,
        }),
    ]);
    const registry = new Registry();
    start(fake.kafka, undefined, registry);
    await eventually(() => expect(fake.consumers[0]?.eachMessage).toBeDefined());
    await expect(fake.consumers[0]!.eachMessage!(message('{broken', '7'))).rejects.toThrow(
      KafkaJSNumberOfRetriesExceeded,
    );
    expect(await deadLettered(registry)).toBe(0);
    expect(await kafkaFailures(registry)).toBe(1);
    // Delivered again, it goes through.
    await fake.consumers[0]!.eachMessage!(message('{broken', '7'));
    expect(await deadLettered(registry)).toBe(1);
  });

  it('counts starts that could not reach the brokers, crashes and request timeouts', async () => {
    const fake = fakeKafka(2);
    const registry = new Registry();
    start(fake.kafka, undefined, registry);
    expect(await kafkaFailures(registry)).toBe(0);
    await eventually(() => expect(fake.consumers[2]?.eachMessage).toBeDefined(), 10_000);
    expect(await kafkaFailures(registry)).toBe(2);

    fake.consumers[2]!.requestTimeout!();
    fake.producer.requestTimeout!();
    expect(await kafkaFailures(registry)).toBe(4);

    fake.consumers[2]!.crash!({
      payload: { error: new Error('The coordinator is not aware of this member'), restart: true },
    });
    expect(await kafkaFailures(registry)).toBe(5);
  }, 15_000);

  it('counts no crash reported while it stops', async () => {
    const fake = fakeKafka();
    const registry = new Registry();
    const { consumer } = start(fake.kafka, undefined, registry);
    await eventually(() => expect(fake.consumers[0]?.eachMessage).toBeDefined());
    const stopped = consumer.stop();
    fake.consumers[0]!.crash!({ payload: { error: new Error('consumer stopping'), restart: false } });
    await stopped;
    expect(await kafkaFailures(registry)).toBe(0);
  });
});
