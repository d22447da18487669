import type { Kafka, Producer } from 'kafkajs';
import type { Logger } from 'pino';
import type { EventEnvelope, EventPublisher } from '../ports';
import { toKafkaMessage } from './event-message';

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
 * `event.key` with headers (event-id, event-type, event-source, x-request-id). publish resolves once the
 * brokers acknowledged every event; when it rejects, the producer is replaced (a new producer id, so no
 * sequence numbers are out of step) and the caller retries, e.g. through the outbox.
 */
export class KafkaEventPublisher implements EventPublisher {
  private current: { producer: Producer; connected: Promise<void> } | undefined;
  private closed = false;

  constructor(
    private readonly kafka: Pick<Kafka, 'producer'>,
    private readonly logger: Logger,
  ) {}

  async publish(topic: string, events: readonly EventEnvelope[]): Promise<void> {
    if (this.closed) throw new Error('KafkaEventPublisher is closed');
    if (events.length === 0) return;
    const producer = await this.connect();
    try {
      await producer.send({ topic, acks: -1, messages: events.map(toKafkaMessage) });
    } catch (error) {
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
      this.current = { producer, connected: producer.connect() };
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
