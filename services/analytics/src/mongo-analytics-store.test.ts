import { randomUUID } from 'node:crypto';
import type { Db, MongoConnection } from '@platform/common';
import { connectMongo, createLogger } from '@platform/common';
import { describeAnalyticsStoreContract, facts } from './analytics-store.contract';
import { MongoAnalyticsStore } from './mongo-analytics-store';

// Only with a real server: there is none in CI, so these cases show up as skipped unless MONGO_URL is set.
const mongoUrl = process.env.MONGO_URL;
const run = mongoUrl !== undefined && mongoUrl !== '';
const suffix = run ? '' : ' [skipped: set MONGO_URL to run against a real MongoDB]';

let mongo: MongoConnection | undefined;
let db: Db | undefined;

/** A throw-away database per case, on one connection. */
async function freshDb(): Promise<Db> {
  const database = `analytics_test_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  mongo ??= await connectMongo({
    uri: mongoUrl ?? '',
    database,
    appName: 'analytics-test',
    logger: createLogger({
      serviceName: 'analytics',
      serviceVersion: 'test',
      track: 'stable',
      logLevel: 'silent',
    }),
    serverSelectionTimeoutMS: 5000,
  });
  db = mongo.client.db(database);
  return db;
}

async function dropDb(): Promise<void> {
  await db?.dropDatabase();
}

afterAll(async () => {
  await mongo?.close();
});

describeAnalyticsStoreContract(
  `MongoAnalyticsStore${suffix}`,
  async () => MongoAnalyticsStore.create(await freshDb()),
  {
    run,
    cleanup: dropDb,
  },
);

(run ? describe : describe.skip)(`MongoAnalyticsStore${suffix}`, () => {
  afterEach(dropDb);

  it('creates the range and order-lookup indexes, and keys facts by event id', async () => {
    const target = await freshDb();
    const store = await MongoAnalyticsStore.create(target, { collection: 'facts' });
    const fact = facts.userRegistered('2026-01-02T00:00:00Z');
    await store.record(fact);
    await store.record(fact);
    const names = (await target.collection('facts').indexes()).map((i) => i.name);
    expect(names).toEqual(expect.arrayContaining(['_id_', 'type_occurredAt', 'type_orderId_occurredAt']));
    expect(await target.collection('facts').countDocuments({ _id: fact.eventId as never })).toBe(1);
  });
});
