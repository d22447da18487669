import type { Kafka, Producer } from 'kafkajs';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { EventEnvelope, EventPublisher } from '../ports';
import type { FailureRecorder } from '../store-metrics/datastore-failures';
import { datastoreFailureRecorder } from '../store-metrics/datastore-failures';
import { traceCarrier } from '../tracing/message-trace';
import { toKafkaMessage } from './event-message';
import { isKafkaConnectionError, monitorKafkaTimeouts } from './monitor-kafka-failures';

/** The producer settings of the platform: idempotent, ordered, topics never auto-created. */
export const IDEMPOTENT_PRODUCER = {
  idempotent: true,
  // One request in flight per broker keeps the order of events with the same key even across retries.
  maxInFlightRequests: 1,
  allowAutoTopicCreation: false,
  // Bounded, so publish rejects (and the outbox retries later) instead of hanging while Kafka is down.
  retry: { retries: 5 },
} as const;

/**
 * The EventPublisher port on Kafka: an idempotent producer (acks from all in-sync replicas) that
 * connects on first use, so a service starts while Kafka is down. Each event is a JSON message keyed by
 * `event.key` with headers (event-id, event-type, event-source, x-request-id, and traceparent/tracestate of
 * the active span). publish resolves once the
 * brokers acknowledged every event; when it rejects, the producer is replaced (a new producer id, so no
 * sequence numbers are out of step) and the caller retries, e.g. through the outbox.
 * With a registry, `datastore_connection_failures_total{store="kafka"}` counts failed connects, sends that
 * failed for want of a broker, and request timeouts.
 */
export class KafkaEventPublisher implements EventPublisher {
  private current: { producer: Producer; connected: Promise<void> } | undefined;
  private closed = false;
  private readonly recordFailure: FailureRecorder;

  constructor(
    private readonly kafka: Pick<Kafka, 'producer'>,
    private readonly logger: Logger,
    options: { readonly registry?: Registry } = {},
  ) {
    this.recordFailure = datastoreFailureRecorder(options.registry, 'kafka');
  }

  async publish(topic: string, events: readonly EventEnvelope[]): Promise<void> {
    if (this.closed) throw new Error('KafkaEventPublisher is closed');
    if (events.length === 0) return;
    const producer = await this.connect();
    try {
      // The publishing span's context (the relay's, inside the request's trace) travels in the headers.
      const traceContext = traceCarrier();
      await producer.send({ topic, acks: -1, messages: events.map((e) => toKafkaMessage(e, traceContext)) });
    } catch (error) {
      // A refused request (e.g. an unknown topic) reached Kafka: only unreachable brokers count.
      if (isKafkaConnectionError(error)) this.recordFailure();
      this.discard(producer, error);
      throw error;
    }
  }

  /** Flushes nothing (send resolves only when acknowledged) and disconnects; a CloseHook for `start`. */
  async close(): Promise<void> {
    this.closed = true;
    const current = this.current;
    this.current = undefined;
    if (current) {
      await current.connected.catch(() => undefined);
      await current.producer.disconnect();
    }
  }

  private async connect(): Promise<Producer> {
    if (this.current === undefined) {
      const producer = this.kafka.producer(IDEMPOTENT_PRODUCER);
      monitorKafkaTimeouts(producer, this.recordFailure);
      const connected = producer.connect();
      // Counted once per attempt, however many publishes wait for it: no broker reached, or none let us in.
      connected.catch(() => {
        if (!this.closed) this.recordFailure();
      });
      this.current = { producer, connected };
    }
    const { producer, connected } = this.current;
    try {
      await connected;
      return producer;
    } catch (error) {
      this.discard(producer, error);
      throw error;
    }
  }

  private discard(producer: Producer, error: unknown): void {
    if (this.current?.producer !== producer) return;
    this.current = undefined;
    this.logger.warn({ err: error }, 'kafka producer failed; a new one is used for the next publish');
    producer.disconnect().catch(() => undefined);
  }
}
