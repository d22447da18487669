import type { OutboxEntry, OutboxStats, OutboxStore } from '../ports';
import { traceCarrier } from '../tracing/message-trace';

interface StoredEntry {
  readonly seq: string;
  readonly entry: OutboxEntry;
  readonly createdAt: Date;
  published: boolean;
}

/** The outbox contract in memory (tests): entries keep their insertion order. */
export class InMemoryOutboxStore implements OutboxStore {
  private readonly entries: StoredEntry[] = [];
  private next = 1;

  /** @param now the clock stamping added entries (tests move it to age the backlog). */
  constructor(private readonly now: () => Date = () => new Date()) {}

  add(entries: readonly OutboxEntry[]): Promise<void> {
    const createdAt = this.now();
    const traceContext = traceCarrier();
    for (const given of entries) {
      const context = given.traceContext ?? traceContext;
      const entry: OutboxEntry = {
        topic: given.topic,
        event: given.event,
        ...(context && { traceContext: context }),
      };
      this.entries.push({ seq: String(this.next++).padStart(12, '0'), entry, createdAt, published: false });
    }
    return Promise.resolve();
  }

  pending(limit: number): Promise<readonly (OutboxEntry & { readonly seq: string })[]> {
    return Promise.resolve(
      this.entries
        .filter((e) => !e.published)
        .slice(0, limit)
        .map((e) => ({ ...e.entry, seq: e.seq })),
    );
  }

  markPublished(seqs: readonly string[]): Promise<void> {
    for (const e of this.entries) if (seqs.includes(e.seq)) e.published = true;
    return Promise.resolve();
  }

  stats(): Promise<OutboxStats> {
    const pending = this.entries.filter((e) => !e.published);
    return Promise.resolve({ pending: pending.length, oldestPendingAt: pending[0]?.createdAt });
  }
}
