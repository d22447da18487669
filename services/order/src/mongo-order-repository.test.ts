import { randomUUID } from 'node:crypto';
import type { ClientSession, Collection, Db, OutboxEntry, OutboxStats, OutboxStore } from '@platform/common';
import { ObjectId } from '@platform/common';
// The driver itself only to open a test connection; the repository gets a Db from @platform/common types.
import { MongoClient } from 'mongodb';
import { IDEMPOTENCY_COLLECTION, MongoOrderRepository } from './mongo-order-repository';
import { describeOrderRepositoryContract } from './order-repository.contract';

const MONGO_URL = process.env.MONGO_URL;

/** A minimal session-aware outbox for these tests, so order and event share the transaction. */
class CollectionOutbox implements OutboxStore {
  private readonly entries: Collection<OutboxEntry & { published: boolean }>;

  constructor(db: Db) {
    this.entries = db.collection('outbox');
  }

  async add(entries: readonly OutboxEntry[], session?: unknown): Promise<void> {
    await this.entries.insertMany(
      entries.map((e) => ({ ...e, published: false })),
      { session: session as ClientSession | undefined },
    );
  }

  async pending(limit: number): Promise<readonly (OutboxEntry & { readonly seq: string })[]> {
    const docs = await this.entries.find({ published: false }).sort({ _id: 1 }).limit(limit).toArray();
    return docs.map((d) => ({ topic: d.topic, event: d.event, seq: d._id.toHexString() }));
  }

  async markPublished(seqs: readonly string[]): Promise<void> {
    await this.entries.updateMany(
      { _id: { $in: seqs.map((s) => new ObjectId(s)) } },
      { $set: { published: true } },
    );
  }

  async stats(): Promise<OutboxStats> {
    const pending = await this.entries.countDocuments({ published: false });
    const oldest = await this.entries.findOne({ published: false }, { sort: { _id: 1 } });
    return { pending, oldestPendingAt: oldest?._id.getTimestamp() };
  }
}

// Runs against a real replica set (transactions need one) only when MONGO_URL is set.
const describeWithMongo = MONGO_URL === undefined ? describe.skip : describe;

describeWithMongo(
  `MongoOrderRepository against ${MONGO_URL === undefined ? 'MongoDB (skipped: set MONGO_URL to run)' : 'MONGO_URL'}`,
  () => {
    let client: MongoClient;
    const databases: Db[] = [];

    beforeAll(async () => {
      client = await new MongoClient(MONGO_URL ?? '', { serverSelectionTimeoutMS: 5000 }).connect();
    });

    afterAll(async () => {
      for (const db of databases) await db.dropDatabase();
      await client.close();
    });

    async function freshDb(): Promise<Db> {
      const db = client.db(`order_test_${randomUUID().slice(0, 8)}`);
      databases.push(db);
      return db;
    }

    describeOrderRepositoryContract('MongoOrderRepository', async (options) => {
      const db = await freshDb();
      return {
        repository: await MongoOrderRepository.open({ db, ...options }),
        outbox: new CollectionOutbox(db),
      };
    });

    it('rolls the outbox write back with the order when the transaction fails after it', async () => {
      const db = await freshDb();
      const repository = await MongoOrderRepository.open({ db });
      const outbox = new CollectionOutbox(db);
      const id = randomUUID();
      const failure = repository.transaction(async (tx) => {
        await tx.insert({
          id,
          userId: 'u',
          status: 'pending_payment',
          items: [],
          total: 0,
          currency: 'EUR',
          createdAt: new Date().toISOString(),
          updatedAt: new Date().toISOString(),
        });
        await outbox.add(
          [
            {
              topic: 'order-events',
              event: {
                id: randomUUID(),
                type: 'order.created',
                source: 'order',
                occurredAt: '',
                key: id,
                data: {},
              },
            },
          ],
          tx.session,
        );
        throw new Error('after the outbox');
      });
      await expect(failure).rejects.toThrow('after the outbox');
      expect(await repository.get(id)).toBeUndefined();
      expect(await outbox.pending(10)).toEqual([]);
    });

    it('ensures a unique (userId, key) index and a TTL index for idempotency records', async () => {
      const db = await freshDb();
      await MongoOrderRepository.open({ db });
      const indexes = await db.collection(IDEMPOTENCY_COLLECTION).indexes();
      expect(indexes).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ name: 'user_key_unique', key: { userId: 1, key: 1 }, unique: true }),
          expect.objectContaining({ name: 'expire_at', expireAfterSeconds: 0 }),
        ]),
      );
    });
  },
);
