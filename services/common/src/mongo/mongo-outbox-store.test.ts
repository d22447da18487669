import { randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { describeOutboxStoreContract } from '../contracts/outbox-store.contract';
import { captureLogger } from '../testing/capture-logger';
import type { MongoConnection } from './connect-mongo';
import { connectMongo } from './connect-mongo';
import { MongoOutboxStore } from './mongo-outbox-store';
import { withTransaction } from './with-transaction';

const MONGO_URL = process.env.MONGO_URL;

const event = {
  id: randomUUID(),
  type: 'user.registered',
  source: 'user',
  occurredAt: '2026-01-01T00:00:00.000Z',
  key: 'u-1',
  data: { email: 'a@example.com' },
};

describe('MongoOutboxStore without a server', () => {
  // Not connected: the checks below must fail before any I/O.
  const client = new MongoClient('mongodb://127.0.0.1:1/?serverSelectionTimeoutMS=100');
  const store = new MongoOutboxStore(client.db('unused'));
  afterAll(() => client.close());

  it('refuses a session that is not a MongoDB ClientSession', async () => {
    await expect(store.add([{ topic: 'user-events', event }], { id: 'not a session' })).rejects.toThrow(
      'MongoOutboxStore.add: session must be the ClientSession of the transaction (got object)',
    );
  });

  it('refuses seqs that are not decimal integers', async () => {
    await expect(store.markPublished(['12', 'abc'])).rejects.toThrow(
      'MongoOutboxStore.markPublished: seq must be a decimal integer (got "abc")',
    );
  });
});

(MONGO_URL ? describe : describe.skip)(
  'MongoOutboxStore against MONGO_URL (a replica set; skipped without it)',
  () => {
    let mongo: MongoConnection;
    let collections = 0;

    beforeAll(async () => {
      mongo = await connectMongo({
        uri: MONGO_URL!,
        database: `common_test_${randomUUID().slice(0, 8)}`,
        appName: 'common-test',
        logger: captureLogger().logger,
      });
    });
    afterAll(async () => {
      await mongo.db.dropDatabase();
      await mongo.close();
    });

    const fresh = async (): Promise<MongoOutboxStore> => {
      collections += 1;
      const store = new MongoOutboxStore(mongo.db, `outbox_${collections}`);
      await store.ensureIndexes();
      return store;
    };

    describeOutboxStoreContract('MongoOutboxStore', fresh);

    it('stores entries only when the transaction that added them commits', async () => {
      const store = await fresh();
      await expect(
        withTransaction(mongo.client, async (session) => {
          await store.add([{ topic: 'user-events', event }], session);
          throw new Error('rolled back');
        }),
      ).rejects.toThrow('rolled back');
      expect(await store.pending(10)).toEqual([]);

      await withTransaction(mongo.client, (session) => store.add([{ topic: 'user-events', event }], session));
      expect((await store.pending(10)).map((p) => p.event)).toEqual([event]);
    });

    it('numbers entries of concurrent transactions in commit order', async () => {
      const store = await fresh();
      const keys = Array.from({ length: 8 }, (_v, i) => `k${i}`);
      await Promise.all(
        keys.map((key) =>
          withTransaction(mongo.client, (session) =>
            store.add([{ topic: 't', event: { ...event, id: randomUUID(), key } }], session),
          ),
        ),
      );
      const seqs = (await store.pending(100)).map((p) => Number(p.seq));
      expect(seqs).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    });

    it('can run ensureIndexes again at the next start', async () => {
      const store = await fresh();
      await expect(store.ensureIndexes()).resolves.toBeUndefined();
    });
  },
);
