import type { Collection, Db, IndexSpec, OutboxEntry, OutboxStore } from '@platform/common';
import { ensureIndexes, withTransaction } from '@platform/common';
import { isDuplicateKey } from './is-duplicate-key';
import type { Notification } from './notification';
import type { CreateNotificationResult, NotificationRepository } from './notification-repository';

interface NotificationDocument extends Omit<Notification, 'id' | 'createdAt' | 'sentAt'> {
  readonly _id: string;
  readonly createdAt: Date;
  readonly sentAt?: Date;
}

// Built field by field: the driver would store an undefined optional field as null.
function toDocument(n: Notification): NotificationDocument {
  return {
    _id: n.id,
    ownerId: n.ownerId,
    channel: n.channel,
    recipient: n.recipient,
    ...(n.subject !== undefined && { subject: n.subject }),
    body: n.body,
    status: n.status,
    attempts: n.attempts,
    ...(n.providerMessageId !== undefined && { providerMessageId: n.providerMessageId }),
    ...(n.failureReason !== undefined && { failureReason: n.failureReason }),
    ...(n.idempotencyKey !== undefined && { idempotencyKey: n.idempotencyKey }),
    ...(n.sourceEventId !== undefined && { sourceEventId: n.sourceEventId }),
    createdAt: new Date(n.createdAt),
    ...(n.sentAt !== undefined && { sentAt: new Date(n.sentAt) }),
  };
}

function fromDocument({ _id, createdAt, sentAt, ...rest }: NotificationDocument): Notification {
  return {
    id: _id,
    ...rest,
    createdAt: createdAt.toISOString(),
    ...(sentAt !== undefined && { sentAt: sentAt.toISOString() }),
  };
}

/**
 * Notifications in MongoDB. The insert and the outbox entries share one transaction (MongoDB needs a replica
 * set for that, which the platform runs), so `outbox` must store into the same database with the session it
 * is given. Call ensureIndexes() once at start.
 */
export class MongoNotificationRepository implements NotificationRepository {
  private readonly collection: Collection<NotificationDocument>;

  constructor(
    private readonly db: Db,
    private readonly outbox: OutboxStore,
    private readonly collectionName = 'notifications',
  ) {
    this.collection = db.collection<NotificationDocument>(collectionName);
  }

  async ensureIndexes(): Promise<void> {
    const specs: IndexSpec[] = [
      {
        collection: this.collectionName,
        name: 'owner_idempotency_key_unique',
        key: { ownerId: 1, idempotencyKey: 1 },
        unique: true,
        // Only notifications that carry a key take part; the rest may repeat freely.
        partialFilterExpression: { idempotencyKey: { $exists: true } },
      },
    ];
    await ensureIndexes(this.db, specs);
  }

  async create(
    notification: Notification,
    events: readonly OutboxEntry[],
  ): Promise<CreateNotificationResult> {
    try {
      await withTransaction(this.db.client, async (session) => {
        await this.collection.insertOne(toDocument(notification), { session });
        await this.outbox.add(events, session);
      });
      return { ok: true };
    } catch (err) {
      if (isDuplicateKey(err) && notification.idempotencyKey !== undefined) {
        const existing = await this.findByIdempotencyKey(notification.ownerId, notification.idempotencyKey);
        if (existing) return { ok: false, reason: 'duplicate_idempotency_key', existing };
      }
      throw err;
    }
  }

  async get(id: string): Promise<Notification | undefined> {
    const doc = await this.collection.findOne({ _id: id });
    return doc === null ? undefined : fromDocument(doc);
  }

  async findByIdempotencyKey(ownerId: string, idempotencyKey: string): Promise<Notification | undefined> {
    const doc = await this.collection.findOne({ ownerId, idempotencyKey });
    return doc === null ? undefined : fromDocument(doc);
  }
}
