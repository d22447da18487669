import type { OutboxEntry, OutboxStore } from '../ports';

/** The outbox contract in memory (tests): entries keep their insertion order. */
export class InMemoryOutboxStore implements OutboxStore {
  private readonly entries: { seq: string; entry: OutboxEntry; published: boolean }[] = [];
  private next = 1;

  add(entries: readonly OutboxEntry[]): Promise<void> {
    for (const entry of entries) {
      this.entries.push({ seq: String(this.next++).padStart(12, '0'), entry, published: false });
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
}
