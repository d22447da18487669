import type { OutboxEntry, OutboxStore } from '@platform/common';
import type { Notification } from './notification';
import type { CreateNotificationResult, NotificationRepository } from './notification-repository';

const keyOf = (ownerId: string, idempotencyKey: string): string => JSON.stringify([ownerId, idempotencyKey]);

/**
 * Process-local store for development and tests. The duplicate check and the insert happen without an
 * await in between, so on Node's single thread they are atomic; a failing outbox undoes the insert.
 * Copies go in and out so callers cannot change stored notifications.
 */
export class InMemoryNotificationRepository implements NotificationRepository {
  private readonly byId = new Map<string, Notification>();
  private readonly byKey = new Map<string, string>();

  constructor(private readonly outbox: OutboxStore) {}

  async create(
    notification: Notification,
    events: readonly OutboxEntry[],
  ): Promise<CreateNotificationResult> {
    const key =
      notification.idempotencyKey === undefined
        ? undefined
        : keyOf(notification.ownerId, notification.idempotencyKey);
    const existingId = key === undefined ? undefined : this.byKey.get(key);
    const existing = existingId === undefined ? undefined : this.byId.get(existingId);
    if (existing) return { ok: false, reason: 'duplicate_idempotency_key', existing: { ...existing } };

    this.byId.set(notification.id, { ...notification });
    if (key !== undefined) this.byKey.set(key, notification.id);
    try {
      await this.outbox.add(events);
    } catch (err) {
      this.byId.delete(notification.id);
      if (key !== undefined) this.byKey.delete(key);
      throw err;
    }
    return { ok: true };
  }

  async get(id: string): Promise<Notification | undefined> {
    const notification = this.byId.get(id);
    return notification && { ...notification };
  }

  async findByIdempotencyKey(ownerId: string, idempotencyKey: string): Promise<Notification | undefined> {
    const id = this.byKey.get(keyOf(ownerId, idempotencyKey));
    return id === undefined ? undefined : this.get(id);
  }
}
