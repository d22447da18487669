import { randomUUID } from 'node:crypto';
import type { MongoConnection } from '@platform/common';
import { connectMongo, createLogger } from '@platform/common';
import { MongoProcessedEventStore } from './mongo-processed-event-store';
import { describeProcessedEventStoreContract } from './processed-event-store.contract';

// Runs against a real server only when MONGO_URL names one.
const mongoUrl = process.env.MONGO_URL;
const skipReason = mongoUrl === undefined ? 'set MONGO_URL to a MongoDB server to run' : undefined;
const database = `notification_test_${randomUUID().slice(0, 8)}`;
let mongo: MongoConnection | undefined;
let collections = 0;

afterAll(async () => {
  if (mongo === undefined) return;
  await mongo.db.dropDatabase();
  await mongo.close();
});

describeProcessedEventStoreContract(
  'MongoProcessedEventStore',
  async () => {
    mongo ??= await connectMongo({
      uri: mongoUrl ?? '',
      database,
      appName: 'notification-test',
      logger: createLogger({
        serviceName: 'notification',
        serviceVersion: 't',
        track: 'stable',
        logLevel: 'silent',
      }),
      serverSelectionTimeoutMS: 5000,
    });
    collections += 1;
    const store = new MongoProcessedEventStore(mongo.db, 3600, `processed_events_${collections}`);
    await store.ensureIndexes();
    return store;
  },
  { ...(skipReason !== undefined && { skipReason }) },
);
