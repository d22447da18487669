import type { EventEnvelope } from './events';

/** One event waiting in the outbox for its topic. */
export interface OutboxEntry {
  readonly topic: string;
  readonly event: EventEnvelope;
  /**
   * The trace context the entry was written in, as W3C headers (traceparent, tracestate, baggage): the
   * relay publishes the event inside it, so consumers continue the trace of the request that caused it.
   * `add` stores the one given here, else the context active at `add`; absent when there was no span.
   */
  readonly traceContext?: Readonly<Record<string, string>>;
}

/** How far the relay is behind: what `OutboxStore.stats` reports. */
export interface OutboxStats {
  /** Entries not yet marked published. */
  readonly pending: number;
  /** When the oldest pending entry was added; undefined when none is pending. */
  readonly oldestPendingAt: Date | undefined;
}

/**
 * The transactional outbox: events are stored in the same database transaction as the change that caused
 * them, and a relay publishes them later, so no event is lost while Kafka is down. `session` is the
 * database session of that transaction (a MongoDB ClientSession), opaque here.
 */
export interface OutboxStore {
  /** Stores the entries (with their trace context, see OutboxEntry.traceContext). */
  add(entries: readonly OutboxEntry[], session?: unknown): Promise<void>;
  /** Up to `limit` unpublished entries, oldest first. */
  pending(limit: number): Promise<readonly (OutboxEntry & { readonly seq: string })[]>;
  /** Marks entries published (by `seq`). */
  markPublished(seqs: readonly string[]): Promise<void>;
  /** The backlog, cheaply (an index count and one lookup): the relay samples it every round. */
  stats(): Promise<OutboxStats>;
}
