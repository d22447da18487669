import { ClientSession } from 'mongodb';
import type { Collection, Db } from 'mongodb';
import type { EventEnvelope, OutboxEntry, OutboxStats, OutboxStore } from '../ports';
import { traceCarrier } from '../tracing/message-trace';
import { ensureIndexes } from './ensure-indexes';
import type { IndexSpec } from './ensure-indexes';

interface OutboxDocument {
  seq: number;
  topic: string;
  event: EventEnvelope;
  /** W3C trace headers of the request that wrote the entry (absent without a span). */
  traceContext?: Record<string, string>;
  published: boolean;
  createdAt: Date;
  publishedAt?: Date;
}

interface CounterDocument {
  _id: string;
  value: number;
}

/** Published entries are kept this long (for investigations), then MongoDB's TTL monitor removes them. */
const PUBLISHED_RETENTION_SECONDS = 7 * 24 * 3600;

function asSession(session: unknown): ClientSession | undefined {
  if (session === undefined || session instanceof ClientSession) return session;
  throw new TypeError(
    `MongoOutboxStore.add: session must be the ClientSession of the transaction (got ${typeof session})`,
  );
}

/**
 * The outbox in MongoDB. `seq` comes from a counter incremented in the caller's transaction, so entries
 * are numbered in commit order: two transactions writing events conflict on the counter and MongoDB
 * retries the later one, which therefore gets the higher numbers. (ObjectIds would not do: their order
 * between pods within one second is random.) The price is that outbox writes of a database serialise,
 * which is fine at the event rates of these services.
 */
export class MongoOutboxStore implements OutboxStore {
  private readonly outbox: Collection<OutboxDocument>;
  private readonly counters: Collection<CounterDocument>;

  constructor(
    private readonly db: Db,
    private readonly collection = 'outbox',
  ) {
    this.outbox = db.collection<OutboxDocument>(collection);
    this.counters = db.collection<CounterDocument>(`${collection}_counters`);
  }

  /** Creates the outbox's indexes (call at start, like ensureIndexes). */
  async ensureIndexes(): Promise<void> {
    const specs: IndexSpec[] = [
      { collection: this.collection, name: 'seq_unique', key: { seq: 1 }, unique: true },
      { collection: this.collection, name: 'pending_by_seq', key: { published: 1, seq: 1 } },
      {
        collection: this.collection,
        name: 'published_ttl',
        key: { publishedAt: 1 },
        // Pending entries have no publishedAt, so the TTL monitor never touches them.
        expireAfterSeconds: PUBLISHED_RETENTION_SECONDS,
      },
    ];
    await ensureIndexes(this.db, specs);
  }

  /** Stores the entries in the transaction of `session` (a ClientSession; without one, not atomically). */
  async add(entries: readonly OutboxEntry[], session?: unknown): Promise<void> {
    if (entries.length === 0) return;
    const s = asSession(session);
    const counter = await this.counters.findOneAndUpdate(
      { _id: 'seq' },
      { $inc: { value: entries.length } },
      { upsert: true, returnDocument: 'after', ...(s && { session: s }) },
    );
    if (counter === null)
      throw new Error(`MongoOutboxStore: the ${this.collection} counter was not returned`);
    const first = counter.value - entries.length + 1;
    const createdAt = new Date();
    const active = traceCarrier();
    await this.outbox.insertMany(
      entries.map((entry, i) => {
        const traceContext = entry.traceContext ?? active;
        return {
          seq: first + i,
          topic: entry.topic,
          // A JSON copy: what Kafka will carry, without undefined fields that BSON would turn into null.
          event: JSON.parse(JSON.stringify(entry.event)) as EventEnvelope,
          ...(traceContext && { traceContext: { ...traceContext } }),
          published: false,
          createdAt,
        };
      }),
      s ? { session: s } : {},
    );
  }

  async pending(limit: number): Promise<readonly (OutboxEntry & { readonly seq: string })[]> {
    const docs = await this.outbox
      .find(
        { published: false },
        { sort: { seq: 1 }, limit, projection: { _id: 0, seq: 1, topic: 1, event: 1, traceContext: 1 } },
      )
      .toArray();
    return docs.map((doc) => ({
      seq: String(doc.seq),
      topic: doc.topic,
      event: doc.event,
      ...(doc.traceContext && { traceContext: doc.traceContext }),
    }));
  }

  async markPublished(seqs: readonly string[]): Promise<void> {
    if (seqs.length === 0) return;
    const numbers = seqs.map((seq) => {
      const n = Number(seq);
      if (!/^\d+$/.test(seq) || !Number.isSafeInteger(n)) {
        throw new RangeError(
          `MongoOutboxStore.markPublished: seq must be a decimal integer (got ${JSON.stringify(seq)})`,
        );
      }
      return n;
    });
    await this.outbox.updateMany(
      { seq: { $in: numbers }, published: false },
      { $set: { published: true, publishedAt: new Date() } },
    );
  }

  /**
   * Counts pending entries and reads the oldest one's createdAt, both on the `pending_by_seq` index
   * (`published` is its prefix, so the count is an index scan without reading documents). seq is commit order, so the lowest pending seq is the entry
   * waiting longest (its createdAt was taken just before its commit).
   */
  async stats(): Promise<OutboxStats> {
    const [pending, oldest] = await Promise.all([
      this.outbox.countDocuments({ published: false }),
      this.outbox.findOne({ published: false }, { sort: { seq: 1 }, projection: { _id: 0, createdAt: 1 } }),
    ]);
    return { pending, oldestPendingAt: oldest?.createdAt };
  }
}
