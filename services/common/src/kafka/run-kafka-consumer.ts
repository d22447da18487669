import type { Consumer, IHeaders, Kafka, Producer } from 'kafkajs';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { sleep } from '../abortable';
import type { EventHandler } from '../ports';
import type { FailureRecorder } from '../store-metrics/datastore-failures';
import { datastoreFailureRecorder } from '../store-metrics/datastore-failures';
import { deadLetterRecorder } from '../store-metrics/dead-letter-metrics';
import { IDEMPOTENT_PRODUCER } from './kafka-event-publisher';
import type { DeadLetterSender } from './kafka-message-processor';
import { withProcessSpan } from '../tracing/message-trace';
import { processMessage } from './kafka-message-processor';
import { isKafkaConnectionError, monitorKafkaTimeouts } from './monitor-kafka-failures';

/** Headers added to a dead-lettered message (its own headers, key and value are kept as they were). */
export const DEAD_LETTER_HEADERS = {
  reason: 'dlq-reason',
  error: 'dlq-error',
  attempts: 'dlq-attempts',
  topic: 'dlq-original-topic',
  partition: 'dlq-original-partition',
  offset: 'dlq-original-offset',
  group: 'dlq-consumer-group',
  failedAt: 'dlq-failed-at',
} as const;

/** What to consume, with which handler, and where failures go. */
export interface KafkaConsumerOptions {
  readonly kafka: Pick<Kafka, 'consumer' | 'producer'>;
  /** The consumer group: the service name. */
  readonly groupId: string;
  readonly topics: readonly string[];
  readonly handler: EventHandler;
  /** e.g. `notification-dlq`; must exist (topics are never auto-created). */
  readonly deadLetterTopic: string;
  /** Handler attempts per message before it is dead-lettered (default 5; 1 for a PermanentEventError). */
  readonly maxAttempts?: number;
  /** Pause after the first failed attempt (default 500 ms); doubles per attempt, at most 10 s. */
  readonly retryBackoffMs?: number;
  /** Where a group without committed offsets starts: the oldest retained event, or (default) new ones. */
  readonly fromBeginning?: boolean;
  readonly logger: Logger;
  /**
   * The service's registry: `events_dead_lettered_total{topic=deadLetterTopic}` counts what was written to
   * the dead-letter topic, `datastore_connection_failures_total{store="kafka"}` crashes, starts failing to
   * reach the brokers, request timeouts and dead-letter writes failing for want of a broker (both from 0).
   */
  readonly registry?: Registry;
}

/** A running consumer. */
export interface KafkaConsumer {
  /** Leaves the group after the message in progress (committing what was processed); idempotent. */
  stop(): Promise<void>;
}

const MAX_ERROR_HEADER = 1000;

function deadLetterSender(
  producer: Producer,
  deadLetterTopic: string,
  groupId: string,
  metrics: { readonly deadLettered: () => void; readonly failure: FailureRecorder },
): DeadLetterSender {
  return async ({ topic, partition, message }, why) => {
    const headers: IHeaders = {
      ...message.headers,
      [DEAD_LETTER_HEADERS.reason]: why.reason,
      [DEAD_LETTER_HEADERS.error]: why.error.slice(0, MAX_ERROR_HEADER),
      [DEAD_LETTER_HEADERS.attempts]: String(why.attempts),
      [DEAD_LETTER_HEADERS.topic]: topic,
      [DEAD_LETTER_HEADERS.partition]: String(partition),
      [DEAD_LETTER_HEADERS.offset]: message.offset,
      [DEAD_LETTER_HEADERS.group]: groupId,
      [DEAD_LETTER_HEADERS.failedAt]: new Date().toISOString(),
    };
    try {
      await producer.send({
        topic: deadLetterTopic,
        acks: -1,
        messages: [{ key: message.key, value: message.value, headers }],
      });
    } catch (error) {
      if (isKafkaConnectionError(error)) metrics.failure();
      throw error;
    }
    // Only once the brokers acknowledged it: a failed write is delivered and dead-lettered again.
    metrics.deadLettered();
  };
}

/**
 * Consumes `topics` in group `groupId`, one message at a time per partition, handing each event to
 * `handler`. A failing handler is retried with backoff up to `maxAttempts`; then, and at once for a
 * malformed message or a handler that threw a PermanentEventError, the original message goes to
 * `deadLetterTopic` (headers: why, the original topic/partition/offset) before its offset is committed, so the partition moves on and nothing is lost.
 * Offsets are committed only after a message was handled or dead-lettered (at least once: handlers must
 * skip event ids they have processed). Starts in the background and keeps retrying while Kafka is
 * unreachable or after the consumer crashed, logging each failure; it never throws into the process.
 */
export function runKafkaConsumer(options: KafkaConsumerOptions): KafkaConsumer {
  const { kafka, groupId, topics, logger } = options;
  const maxAttempts = options.maxAttempts ?? 5;
  const baseBackoff = options.retryBackoffMs ?? 500;
  const controller = new AbortController();
  const { signal } = controller;
  const log = logger.child({ groupId, topics });
  const recordFailure = datastoreFailureRecorder(options.registry, 'kafka');
  const producer = kafka.producer(IDEMPOTENT_PRODUCER);
  monitorKafkaTimeouts(producer, recordFailure);
  const sendToDeadLetter = deadLetterSender(producer, options.deadLetterTopic, groupId, {
    deadLettered: deadLetterRecorder(options.registry, options.deadLetterTopic),
    failure: recordFailure,
  });
  let consumer: Consumer | undefined;
  let supervising: Promise<void> = Promise.resolve();

  const startOnce = async (): Promise<void> => {
    await producer.connect();
    const current = kafka.consumer({ groupId, allowAutoTopicCreation: false });
    consumer = current;
    monitorKafkaTimeouts(current, recordFailure);
    current.on(current.events.CRASH, ({ payload }) => {
      log.error({ err: payload.error, restart: payload.restart }, 'kafka consumer crashed');
      // The consumer lost its group session or its brokers; a crash while stopping is ours.
      if (!signal.aborted) recordFailure();
      // kafkajs restarts after retriable errors itself; after the others it stays down, so we restart.
      if (!payload.restart && !signal.aborted) supervise();
    });
    await current.connect();
    await current.subscribe({ topics: [...topics], fromBeginning: options.fromBeginning ?? false });
    await current.run({
      // Inside a span continuing the producer's trace (from the message headers), so the handler's work and
      // logs belong to the request that caused the event.
      eachMessage: (payload) =>
        withProcessSpan(
          payload.topic,
          payload.message.headers,
          {
            'messaging.system': 'kafka',
            'messaging.consumer.group.name': groupId,
            'messaging.destination.partition.id': String(payload.partition),
            'messaging.kafka.offset': payload.message.offset,
          },
          () =>
            processMessage(payload, {
              handler: options.handler,
              maxAttempts,
              backoffMs: (attempt) => Math.min(10_000, baseBackoff * 2 ** (attempt - 1)),
              sendToDeadLetter,
              logger: log,
              signal,
            }),
        ),
    });
    log.info({ deadLetterTopic: options.deadLetterTopic, maxAttempts }, 'kafka consumer running');
  };

  const startWithRetries = async (): Promise<void> => {
    for (let failures = 1; !signal.aborted; failures++) {
      try {
        await startOnce();
        return;
      } catch (err) {
        if (isKafkaConnectionError(err) && !signal.aborted) recordFailure();
        log.error({ err, failures }, 'kafka consumer could not start; retrying');
        await consumer?.disconnect().catch(() => undefined);
        consumer = undefined;
        await sleep(Math.min(30_000, 1000 * 2 ** Math.min(failures - 1, 5)), signal);
      }
    }
  };

  // Runs one start (with retries) after whatever start was in progress, so starts never overlap.
  function supervise(): void {
    supervising = supervising.then(async () => {
      await consumer?.disconnect().catch(() => undefined);
      consumer = undefined;
      await startWithRetries();
    });
  }
  supervise();

  let stopping: Promise<void> | undefined;
  return {
    stop: () =>
      (stopping ??= (async () => {
        controller.abort();
        await supervising;
        await consumer
          ?.disconnect()
          .catch((err: unknown) => log.warn({ err }, 'kafka consumer disconnect failed'));
        await producer
          .disconnect()
          .catch((err: unknown) => log.warn({ err }, 'kafka producer disconnect failed'));
        log.info('kafka consumer stopped');
      })()),
  };
}
