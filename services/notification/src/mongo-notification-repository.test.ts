import { randomUUID } from 'node:crypto';
import type { MongoConnection } from '@platform/common';
import { MongoOutboxStore, connectMongo, createLogger } from '@platform/common';
import { MongoNotificationRepository } from './mongo-notification-repository';
import type { Notification } from './notification';
import { describeNotificationRepositoryContract } from './notification-repository.contract';

// Runs against a real server only when MONGO_URL names one (a replica set: the adapter uses transactions).
const mongoUrl = process.env.MONGO_URL;
const skipReason = mongoUrl === undefined ? 'set MONGO_URL to a MongoDB replica set to run' : undefined;
const database = `notification_test_${randomUUID().slice(0, 8)}`;
let mongo: MongoConnection | undefined;
let collections = 0;

async function connection(): Promise<MongoConnection> {
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
  return mongo;
}

afterAll(async () => {
  if (mongo === undefined) return;
  await mongo.db.dropDatabase();
  await mongo.close();
});

describeNotificationRepositoryContract(
  'MongoNotificationRepository',
  async (outbox) => {
    const { db } = await connection();
    collections += 1;
    const repository = new MongoNotificationRepository(db, outbox, `notifications_${collections}`);
    await repository.ensureIndexes();
    return repository;
  },
  { ...(skipReason !== undefined && { skipReason }) },
);

(skipReason === undefined ? describe : describe.skip)(
  `MongoNotificationRepository with MongoOutboxStore${skipReason === undefined ? '' : ` (skipped: ${skipReason})`}`,
  () => {
    it('commits the notification and its outbox entry in one transaction', async () => {
      const { db } = await connection();
      const outbox = new MongoOutboxStore(db, 'outbox_tx');
      await outbox.ensureIndexes();
      const repository = new MongoNotificationRepository(db, outbox, 'notifications_tx');
      await repository.ensureIndexes();
      const notification: Notification = {
        id: randomUUID(),
        ownerId: 'user-1',
        channel: 'sms',
        recipient: '+14155550123',
        body: 'Code 1234',
        status: 'sent',
        attempts: 1,
        providerMessageId: 'log-1',
        createdAt: '2026-01-01T10:00:00.000Z',
        sentAt: '2026-01-01T10:00:01.000Z',
      };
      const event = {
        id: randomUUID(),
        type: 'notification.sent',
        source: 'notification',
        occurredAt: notification.createdAt,
        key: notification.id,
        data: { notificationId: notification.id },
      };
      expect(await repository.create(notification, [{ topic: 'notification-events', event }])).toEqual({
        ok: true,
      });
      expect(await repository.get(notification.id)).toEqual(notification);
      expect((await outbox.pending(10)).map((e) => e.event)).toEqual([event]);
    });
  },
);
