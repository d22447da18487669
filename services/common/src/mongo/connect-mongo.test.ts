import { randomUUID } from 'node:crypto';
import { ConfigError } from '../config';
import { captureLogger } from '../testing/capture-logger';
import { freePort } from '../testing/free-port';
import type { MongoConnection } from './connect-mongo';
import { connectMongo, databaseFromUri, mongoClientOptions, redactCredentials } from './connect-mongo';
import { ensureIndexes } from './ensure-indexes';
import { mongoReadiness } from './mongo-readiness';
import { withTransaction } from './with-transaction';

const MONGO_URL = process.env.MONGO_URL;

describe('mongoClientOptions', () => {
  it('acknowledges writes on a journaled majority and reads only majority-committed data', () => {
    const options = mongoClientOptions('order');
    expect(options).toMatchObject({
      appName: 'order',
      writeConcern: { w: 'majority', journal: true },
      readConcern: { level: 'majority' },
      readPreference: 'primary',
      retryWrites: true,
      retryReads: true,
      serverSelectionTimeoutMS: 10_000,
    });
    expect(options.writeConcern).toHaveProperty('wtimeoutMS');
    expect(options.socketTimeoutMS).toBeGreaterThan(0);
  });
});

describe('databaseFromUri', () => {
  it('reads the database from the path of single and multi-host URIs', () => {
    expect(databaseFromUri('mongodb://u:p@h1:27017,h2:27017/orders?replicaSet=rs0')).toBe('orders');
    expect(databaseFromUri('mongodb+srv://u:p@cluster.example/user')).toBe('user');
    expect(databaseFromUri('mongodb://h1:27017/?replicaSet=rs0')).toBeUndefined();
    expect(databaseFromUri('mongodb://h1:27017')).toBeUndefined();
  });
});

describe('redactCredentials', () => {
  it('removes the URI, its userinfo and its password in raw and decoded form', () => {
    const uri = 'mongodb://svc:p%40ss-word@h1:27017/orders';
    const text = `failed ${uri}; user svc:p%40ss-word; password p@ss-word`;
    const out = redactCredentials(text, uri);
    expect(out).not.toMatch(/p%40ss|p@ss/);
    expect(out).toBe('failed <redacted uri>; user <redacted>; password <redacted>');
  });
});

describe('connectMongo without a server', () => {
  it('rejects after the server selection timeout, never showing the password', async () => {
    const port = await freePort();
    const { logger, text } = captureLogger();
    const uri = `mongodb://svc:Sup3r-s3cret@127.0.0.1:${port}/orders?replicaSet=rs0&authSource=admin`;
    const started = Date.now();
    const error = await connectMongo({ uri, appName: 'order', logger, serverSelectionTimeoutMS: 300 }).then(
      () => undefined,
      (err: unknown) => err as Error,
    );
    expect(error).toBeInstanceOf(Error);
    expect(error!.name).toBe('MongoServerSelectionError');
    expect(Date.now() - started).toBeLessThan(5000);
    expect(`${error!.message} ${error!.stack ?? ''} ${text()}`).not.toContain('Sup3r-s3cret');
  });

  it('says how to name the database when neither option nor URI has one', async () => {
    const { logger } = captureLogger();
    await expect(
      connectMongo({ uri: 'mongodb://127.0.0.1:1/?replicaSet=rs0', appName: 'order', logger }),
    ).rejects.toThrow('set MONGODB_DATABASE or name one in the MONGODB_URI path');
  });

  it('refuses a malformed URI with a ConfigError naming MONGODB_URI, without echoing its password', async () => {
    const { logger } = captureLogger();
    const error = await connectMongo({
      uri: 'mongodb://svc:Sup3r-s3cret@h1:27017/orders?replicaSet=rs0&tls=maybe',
      appName: 'order',
      logger,
    }).then(
      () => undefined,
      (err: unknown) => err as Error,
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      'MONGODB_URI is not a connection string the driver can read: tls/ssl must be either "true" or "false" (got <redacted>)',
    ]);
    expect(`${error?.message} ${error?.stack}`).not.toContain('Sup3r-s3cret');
  });
});

describe('mongoReadiness', () => {
  it('passes the probe signal to ping', async () => {
    const signals: AbortSignal[] = [];
    const check = mongoReadiness({ ping: (signal) => (signals.push(signal!), Promise.resolve()) });
    const controller = new AbortController();
    await check(controller.signal);
    expect(signals).toEqual([controller.signal]);
  });
});

(MONGO_URL ? describe : describe.skip)(
  'connectMongo against MONGO_URL (a replica set; skipped without it)',
  () => {
    let mongo: MongoConnection;
    const database = `common_test_${randomUUID().slice(0, 8)}`;

    beforeAll(async () => {
      mongo = await connectMongo({
        uri: MONGO_URL!,
        database,
        appName: 'common-test',
        logger: captureLogger().logger,
      });
    });
    afterAll(async () => {
      await mongo.db.dropDatabase();
      await mongo.close();
    });

    it('pings, and rejects with the reason when the signal is already aborted', async () => {
      await mongo.ping();
      await mongoReadiness(mongo)(new AbortController().signal);
      const controller = new AbortController();
      controller.abort(new Error('probe timed out'));
      await expect(mongo.ping(controller.signal)).rejects.toThrow('probe timed out');
    });

    it('uses majority write concern for the database', () => {
      expect(mongo.db.writeConcern).toMatchObject({ w: 'majority', journal: true });
      expect(mongo.db.readConcern?.level).toBe('majority');
    });

    it('creates indexes idempotently and names the collection when a definition changed', async () => {
      const spec = { collection: 'things', name: 'sku_unique', key: { sku: 1 }, unique: true } as const;
      await ensureIndexes(mongo.db, [spec]);
      await ensureIndexes(mongo.db, [spec]);
      const names = (await mongo.db.collection('things').indexes()).map((i) => i.name);
      expect(names).toEqual(expect.arrayContaining(['_id_', 'sku_unique']));
      await expect(ensureIndexes(mongo.db, [{ ...spec, unique: false }])).rejects.toThrow(
        /^ensureIndexes: things \(sku_unique\): /,
      );
    });

    it('commits all writes of a transaction, or none when the function throws', async () => {
      const things = mongo.db.collection<{ _id: string }>('tx');
      await withTransaction(mongo.client, async (session) => {
        await things.insertOne({ _id: 'a' }, { session });
        await things.insertOne({ _id: 'b' }, { session });
      });
      await expect(
        withTransaction(mongo.client, async (session) => {
          await things.insertOne({ _id: 'c' }, { session });
          throw new Error('business rule failed');
        }),
      ).rejects.toThrow('business rule failed');
      expect((await things.find().toArray()).map((d) => d._id).sort()).toEqual(['a', 'b']);
    });
  },
);
