import type { Collection, Db } from '@platform/common';
import { ensureIndexes } from '@platform/common';
import { isDuplicateKey } from './is-duplicate-key';
import type { ProcessedEventStore } from './processed-event-store';

interface ProcessedEventDocument {
  readonly eventId: string;
  readonly processedAt: Date;
}

// Longer than the consumed topics keep events (7 days) and the dead-letter topic (14 days), so every
// event that can still be redelivered or replayed is remembered.
const DEFAULT_RETENTION_SECONDS = 30 * 24 * 3600;

/**
 * Processed event ids in MongoDB; the unique index on eventId makes claims atomic across consumers, and a
 * TTL index forgets them after the retention. Call ensureIndexes() once at start.
 */
export class MongoProcessedEventStore implements ProcessedEventStore {
  private readonly collection: Collection<ProcessedEventDocument>;

  constructor(
    private readonly db: Db,
    private readonly retentionSeconds = DEFAULT_RETENTION_SECONDS,
    private readonly collectionName = 'processed_events',
    private readonly now: () => Date = () => new Date(),
  ) {
    this.collection = db.collection<ProcessedEventDocument>(collectionName);
  }

  async ensureIndexes(): Promise<void> {
    const collection = this.collectionName;
    await ensureIndexes(this.db, [
      { collection, name: 'event_id_unique', key: { eventId: 1 }, unique: true },
      {
        collection,
        name: 'processed_at_ttl',
        key: { processedAt: 1 },
        expireAfterSeconds: this.retentionSeconds,
      },
    ]);
  }

  async claim(eventId: string): Promise<boolean> {
    try {
      await this.collection.insertOne({ eventId, processedAt: this.now() });
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }

  async release(eventId: string): Promise<void> {
    await this.collection.deleteOne({ eventId });
  }
}
