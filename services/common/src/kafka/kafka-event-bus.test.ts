import { randomUUID } from 'node:crypto';
import type { Admin, Consumer, Kafka, KafkaMessage } from 'kafkajs';
import { Registry } from 'prom-client';
import { loadConfig } from '../config';
import { describeEventBusContract } from '../contracts/event-bus.contract';
import type { EventEnvelope } from '../ports';
import { captureLogger } from '../testing/capture-logger';
import { eventually } from '../testing/eventually';
import { sampleValue } from '../testing/metric-samples';
import { createKafka } from './create-kafka';
import { parseEventMessage } from './event-message';
import { KafkaEventPublisher } from './kafka-event-publisher';
import { kafkaEnv } from './kafka-env';
import type { KafkaConsumer } from './run-kafka-consumer';
import { runKafkaConsumer } from './run-kafka-consumer';

const KAFKA_BROKERS = process.env.KAFKA_BROKERS;

(KAFKA_BROKERS ? describe : describe.skip)('Kafka against KAFKA_BROKERS (skipped without it)', () => {
  const { logger } = captureLogger('warn');
  let kafka: Kafka;
  let admin: Admin;
  const createdTopics: string[] = [];

  beforeAll(async () => {
    const config = loadConfig({ env: { ...process.env, SERVICE_NAME: 'common-test' }, extend: kafkaEnv });
    kafka = createKafka(config, logger);
    admin = kafka.admin();
    await admin.connect();
  });
  afterAll(async () => {
    if (createdTopics.length > 0) await admin.deleteTopics({ topics: createdTopics }).catch(() => undefined);
    await admin.disconnect();
  });

  /** A topic of this run (3 partitions), created with the admin client because topics are never auto-created. */
  async function topic(name: string): Promise<string> {
    const unique = `common-test-${name}-${randomUUID().slice(0, 8)}`;
    await admin.createTopics({ topics: [{ topic: unique, numPartitions: 3 }], waitForLeaders: true });
    createdTopics.push(unique);
    return unique;
  }

  /** Reads every message of `topicName` from the beginning into `into`. */
  async function collect(topicName: string, into: KafkaMessage[]): Promise<Consumer> {
    const consumer = kafka.consumer({ groupId: `common-test-reader-${randomUUID()}` });
    await consumer.connect();
    await consumer.subscribe({ topics: [topicName], fromBeginning: true });
    await consumer.run({ eachMessage: ({ message }) => (into.push(message), Promise.resolve()) });
    return consumer;
  }

  describeEventBusContract('KafkaEventPublisher + runKafkaConsumer', async () => {
    const publisher = new KafkaEventPublisher(kafka, logger);
    const consumers: KafkaConsumer[] = [];
    const readers: Consumer[] = [];
    const dead = new Map<string, KafkaMessage[]>();
    return {
      publisher,
      topic,
      consume: (topics, handler, { maxAttempts, deadLetterTopic }) => {
        consumers.push(
          runKafkaConsumer({
            kafka,
            groupId: `common-test-${randomUUID()}`,
            topics,
            handler,
            deadLetterTopic,
            maxAttempts,
            retryBackoffMs: 50,
            fromBeginning: true,
            logger,
          }),
        );
        return Promise.resolve();
      },
      deadLetters: async (dlq) => {
        if (!dead.has(dlq)) {
          const into: KafkaMessage[] = [];
          dead.set(dlq, into);
          readers.push(await collect(dlq, into));
        }
        return dead
          .get(dlq)!
          .map((m) => parseEventMessage(m.value))
          .flatMap((p) => (p.ok ? [p.event] : []));
      },
      timeoutMs: 20_000,
      close: async () => {
        await Promise.all(consumers.map((c) => c.stop()));
        await Promise.all(readers.map((r) => r.disconnect()));
        await publisher.close();
      },
    };
  });

  it('writes the event key as message key and the event type and request id as headers', async () => {
    const orders = await topic('orders');
    const publisher = new KafkaEventPublisher(kafka, logger);
    const event: EventEnvelope = {
      id: randomUUID(),
      type: 'order.created',
      source: 'order',
      occurredAt: new Date().toISOString(),
      key: 'order-7',
      data: { total: 5 },
      requestId: 'req-9',
    };
    await publisher.publish(orders, [event]);
    await publisher.close();
    const messages: KafkaMessage[] = [];
    const reader = await collect(orders, messages);
    try {
      await eventually(() => expect(messages).toHaveLength(1), 20_000, 50);
      const [message] = messages;
      expect(message!.key?.toString()).toBe('order-7');
      expect(message!.headers?.['event-type']?.toString()).toBe('order.created');
      expect(message!.headers?.['x-request-id']?.toString()).toBe('req-9');
      expect(parseEventMessage(message!.value)).toEqual({ ok: true, event });
    } finally {
      await reader.disconnect();
    }
  });

  it('dead-letters a malformed message with its original topic, partition and offset, and carries on', async () => {
    const orders = await topic('orders');
    const dlq = await topic('dlq');
    const handled: string[] = [];
    const registry = new Registry();
    const consumer = runKafkaConsumer({
      kafka,
      groupId: `common-test-${randomUUID()}`,
      topics: [orders],
      handler: (e) => (handled.push(e.id), Promise.resolve()),
      deadLetterTopic: dlq,
      fromBeginning: true,
      logger,
      registry,
    });
    const producer = kafka.producer();
    await producer.connect();
    const [written] = await producer.send({
      topic: orders,
      messages: [{ key: 'k', value: 'not json', partition: 1 }],
    });
    await producer.disconnect();
    const publisher = new KafkaEventPublisher(kafka, logger);
    const good: EventEnvelope = {
      id: randomUUID(),
      type: 't',
      source: 's',
      occurredAt: new Date().toISOString(),
      key: 'k',
      data: null,
    };
    await publisher.publish(orders, [good]);
    await publisher.close();

    const dead: KafkaMessage[] = [];
    const reader = await collect(dlq, dead);
    try {
      await eventually(() => expect(dead).toHaveLength(1), 20_000, 50);
      await eventually(() => expect(handled).toEqual([good.id]), 20_000, 50);
      const headers = Object.fromEntries(
        Object.entries(dead[0]!.headers ?? {}).map(([k, v]) => [k, String(v)]),
      );
      expect(dead[0]!.value?.toString()).toBe('not json');
      expect(headers).toMatchObject({
        'dlq-reason': 'malformed',
        'dlq-error': 'value is not JSON',
        'dlq-original-topic': orders,
        'dlq-original-partition': '1',
        'dlq-original-offset': written!.baseOffset,
      });
      // One dead letter counted by its topic; a healthy broker made no connection failures.
      const metrics = await registry.metrics();
      expect(sampleValue(metrics, 'events_dead_lettered_total', { topic: dlq })).toBe(1);
      expect(sampleValue(metrics, 'datastore_connection_failures_total', { store: 'kafka' })).toBe(0);
    } finally {
      await reader.disconnect();
      await consumer.stop();
    }
  });
});
