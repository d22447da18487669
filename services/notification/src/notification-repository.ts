import type { OutboxEntry } from '@platform/common';
import type { Notification } from './notification';

export type CreateNotificationResult =
  { ok: true } | { ok: false; reason: 'duplicate_idempotency_key'; existing: Notification };

/**
 * Storage of notifications. A notification is stored together with the events it causes (the transactional
 * outbox), so an event is never lost when Kafka is down and never published for a notification that was not
 * stored. An owner's idempotency keys are unique: a second notification with a key in use is a result,
 * not an exception; exceptions mean the store failed.
 */
export interface NotificationRepository {
  /** Stores `notification` and adds `events` to the outbox, both or neither. */
  create(notification: Notification, events: readonly OutboxEntry[]): Promise<CreateNotificationResult>;
  get(id: string): Promise<Notification | undefined>;
  findByIdempotencyKey(ownerId: string, idempotencyKey: string): Promise<Notification | undefined>;
}
