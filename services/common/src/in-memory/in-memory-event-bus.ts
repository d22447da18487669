import type { Registry } from 'prom-client';
import { PermanentEventError } from '../events/permanent-event-error';
import type { DeliveryInfo, EventEnvelope, EventHandler, EventPublisher } from '../ports';
import { deadLetterRecorder } from '../store-metrics/dead-letter-metrics';
import type { TraceCarrier } from '../tracing/message-trace';
import { traceCarrier, withProcessSpan } from '../tracing/message-trace';

interface Subscription {
  readonly topics: readonly string[];
  readonly handler: EventHandler;
  readonly maxAttempts: number;
  readonly deadLetterTopic?: string;
  readonly deadLettered: () => void;
}

/**
 * Kafka's contract in memory, for tests and local runs without a broker: published events are kept per topic
 * (in order) and delivered to subscribers; a handler that throws is retried, then the event goes to the
 * subscriber's dead-letter topic (after one attempt when it threw a PermanentEventError, like
 * runKafkaConsumer). The trace context active at publish travels with the events, and each delivery runs
 * in a `process <topic>` span continuing it. `settle()` waits until every delivery has finished.
 */
export class InMemoryEventBus implements EventPublisher {
  private readonly topics = new Map<string, EventEnvelope[]>();
  private readonly subscriptions: Subscription[] = [];
  private deliveries: Promise<void> = Promise.resolve();
  /** When set, publish rejects with this error (simulates Kafka being down). */
  failWith: Error | undefined;

  publish(topic: string, events: readonly EventEnvelope[]): Promise<void> {
    if (this.failWith) return Promise.reject(this.failWith);
    const log = this.topics.get(topic) ?? [];
    this.topics.set(topic, log);
    // Like Kafka headers: the trace context travels with the events, not through the call chain.
    const headers = traceCarrier();
    for (const event of events) {
      const offset = String(log.length);
      log.push(event);
      for (const sub of this.subscriptions.filter((s) => s.topics.includes(topic))) {
        this.deliveries = this.deliveries.then(() => this.deliver(sub, topic, offset, event, headers));
      }
    }
    return Promise.resolve();
  }

  /**
   * Delivers future events of `topics` to `handler`, like a consumer group. With a registry and a
   * dead-letter topic, `events_dead_lettered_total{topic}` counts the events written there (from 0).
   */
  subscribe(
    topics: readonly string[],
    handler: EventHandler,
    options: { maxAttempts?: number; deadLetterTopic?: string; registry?: Registry } = {},
  ): void {
    this.subscriptions.push({
      topics,
      handler,
      maxAttempts: options.maxAttempts ?? 3,
      deadLettered:
        options.deadLetterTopic === undefined
          ? () => undefined
          : deadLetterRecorder(options.registry, options.deadLetterTopic),
      ...(options.deadLetterTopic !== undefined && { deadLetterTopic: options.deadLetterTopic }),
    });
  }

  /** Everything published to `topic`, in order. */
  events(topic: string): readonly EventEnvelope[] {
    return [...(this.topics.get(topic) ?? [])];
  }

  /** Resolves when all deliveries so far (and those they caused) are done. */
  async settle(): Promise<void> {
    let current: Promise<void>;
    do {
      current = this.deliveries;
      await current;
    } while (current !== this.deliveries);
  }

  private async deliver(
    sub: Subscription,
    topic: string,
    offset: string,
    event: EventEnvelope,
    headers: TraceCarrier | undefined,
  ): Promise<void> {
    const attributes = { 'messaging.system': 'memory', 'messaging.destination.partition.id': '0' };
    const handled = await withProcessSpan(topic, headers, attributes, async () => {
      for (let attempt = 1; attempt <= sub.maxAttempts; attempt++) {
        const info: DeliveryInfo = { topic, partition: 0, offset, attempt };
        try {
          await sub.handler(event, info);
          return true;
        } catch (err) {
          // Retried, unless retrying cannot help; after the last attempt it goes to the dead-letter topic.
          if (err instanceof PermanentEventError) break;
        }
      }
      return false;
    });
    if (handled) return;
    if (sub.deadLetterTopic !== undefined) {
      const log = this.topics.get(sub.deadLetterTopic) ?? [];
      this.topics.set(sub.deadLetterTopic, log);
      log.push(event);
      sub.deadLettered();
    }
  }
}
