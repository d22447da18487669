/**
 * Events between services. Every event carries its own id, so consumers can be idempotent (Kafka delivers at
 * least once), and the key that orders it within a topic (e.g. the order id).
 */
export interface EventEnvelope<T = unknown> {
  /** Unique per event (a UUID); consumers skip ids they have processed. */
  readonly id: string;
  /** What happened, e.g. `order.created`, `user.registered`. */
  readonly type: string;
  /** The service that emitted it. */
  readonly source: string;
  /** ISO-8601 time it happened. */
  readonly occurredAt: string;
  /** Partition key: events with the same key keep their order. */
  readonly key: string;
  readonly data: T;
  /** The x-request-id of the request that caused it, for tracing across services. */
  readonly requestId?: string;
}

/** Writes events to a topic (Kafka in production; InMemoryEventBus in tests). Resolves once acknowledged. */
export interface EventPublisher {
  publish(topic: string, events: readonly EventEnvelope[]): Promise<void>;
}

export interface DeliveryInfo {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  /** 1 on the first delivery, higher on retries. */
  readonly attempt: number;
}

/**
 * Processes one event; throwing makes the consumer retry it, then send it to the dead-letter topic. Throwing
 * a PermanentEventError (an event that can never be processed) sends it there after this one attempt.
 */
export type EventHandler = (event: EventEnvelope, info: DeliveryInfo) => Promise<void>;
