import type { OutboxEntry, OutboxStore } from '@platform/common';
import { InMemoryOutboxStore } from '@platform/common';
import type { Notification } from './notification';
import type { NotificationRepository } from './notification-repository';

/** Opt-in runs (MongoDB) are listed as skipped with their reason when the server is not configured. */
export interface ContractOptions {
  readonly skipReason?: string;
}

/**
 * Behaviour every NotificationRepository must have. InMemoryNotificationRepository runs it always,
 * MongoNotificationRepository when MONGO_URL is set. `create` gets the outbox the repository must write to.
 */
export function describeNotificationRepositoryContract(
  name: string,
  create: (outbox: OutboxStore) => Promise<NotificationRepository>,
  options: ContractOptions = {},
): void {
  const suite = options.skipReason === undefined ? describe : describe.skip;
  const title = options.skipReason === undefined ? name : `${name} (skipped: ${options.skipReason})`;

  suite(`${title} (NotificationRepository contract)`, () => {
    let outbox: InMemoryOutboxStore;
    let repository: NotificationRepository;
    beforeEach(async () => {
      outbox = new InMemoryOutboxStore();
      repository = await create(outbox);
    });

    let counter = 0;
    const notification = (overrides: Partial<Notification> = {}): Notification => {
      counter += 1;
      return {
        id: `7d3c1a2b-0000-4000-8000-${String(counter).padStart(12, '0')}`,
        ownerId: 'user-1',
        channel: 'email',
        recipient: 'jane@example.com',
        subject: 'Hello',
        body: 'Hi Jane',
        status: 'sent',
        attempts: 1,
        providerMessageId: 'log-1',
        createdAt: '2026-01-01T10:00:00.000Z',
        sentAt: '2026-01-01T10:00:01.000Z',
        ...overrides,
      };
    };
    const entry = (n: Notification): OutboxEntry => ({
      topic: 'notification-events',
      event: {
        id: `e-${n.id}`,
        type: 'notification.sent',
        source: 'notification',
        occurredAt: n.createdAt,
        key: n.id,
        data: { notificationId: n.id },
      },
    });

    it('stores a notification with its events, and gets it back unchanged', async () => {
      const n = notification({ idempotencyKey: 'k-1', sourceEventId: 'evt-1' });
      expect(await repository.create(n, [entry(n)])).toEqual({ ok: true });
      expect(await repository.get(n.id)).toEqual(n);
      expect((await outbox.pending(10)).map(({ topic, event }) => ({ topic, event }))).toEqual([entry(n)]);
    });

    it('keeps optional fields absent (a failed sms has no subject, sentAt or provider id)', async () => {
      const failed: Notification = {
        id: '7d3c1a2b-0000-4000-8000-ffffffffffff',
        ownerId: 'user-2',
        channel: 'sms',
        recipient: '+14155550123',
        body: 'Code 1234',
        status: 'failed',
        attempts: 3,
        failureReason: 'timeout',
        createdAt: '2026-01-01T10:00:00.000Z',
      };
      await repository.create(failed, [entry(failed)]);
      expect(await repository.get(failed.id)).toStrictEqual(failed);
    });

    it('returns undefined for an unknown id', async () => {
      expect(await repository.get('00000000-0000-4000-8000-000000000000')).toBeUndefined();
    });

    it("finds a notification by its owner's idempotency key, and only by that owner's", async () => {
      const n = notification({ idempotencyKey: 'order-42' });
      await repository.create(n, [entry(n)]);
      expect(await repository.findByIdempotencyKey('user-1', 'order-42')).toEqual(n);
      expect(await repository.findByIdempotencyKey('user-2', 'order-42')).toBeUndefined();
      expect(await repository.findByIdempotencyKey('user-1', 'order-43')).toBeUndefined();
    });

    it('refuses a second notification with a key its owner used, returning the first and adding no events', async () => {
      const first = notification({ idempotencyKey: 'dup' });
      await repository.create(first, [entry(first)]);
      const second = notification({ idempotencyKey: 'dup', body: 'other' });
      expect(await repository.create(second, [entry(second)])).toEqual({
        ok: false,
        reason: 'duplicate_idempotency_key',
        existing: first,
      });
      expect(await repository.get(second.id)).toBeUndefined();
      expect(await outbox.pending(10)).toHaveLength(1);
    });

    it('lets different owners use the same key, and notifications without a key repeat freely', async () => {
      const a = notification({ idempotencyKey: 'same', ownerId: 'user-a' });
      const b = notification({ idempotencyKey: 'same', ownerId: 'user-b' });
      const c = notification();
      const d = notification();
      for (const n of [a, b, c, d]) expect(await repository.create(n, [entry(n)])).toEqual({ ok: true });
      expect(await outbox.pending(10)).toHaveLength(4);
    });

    it('stores nothing when the outbox fails, so no notification exists without its event', async () => {
      const failing: OutboxStore = {
        add: () => Promise.reject(new Error('outbox down')),
        pending: () => Promise.resolve([]),
        markPublished: () => Promise.resolve(),
        stats: () => Promise.resolve({ pending: 0, oldestPendingAt: undefined }),
      };
      const failingRepository = await create(failing);
      const n = notification({ idempotencyKey: 'k-fail' });
      await expect(failingRepository.create(n, [entry(n)])).rejects.toThrow('outbox down');
      expect(await failingRepository.get(n.id)).toBeUndefined();
      expect(await failingRepository.findByIdempotencyKey(n.ownerId, 'k-fail')).toBeUndefined();
    });

    it('hands out copies, so callers cannot change stored notifications', async () => {
      const n = notification();
      await repository.create(n, [entry(n)]);
      const fetched = await repository.get(n.id);
      (fetched as { status: string }).status = 'failed';
      expect((await repository.get(n.id))?.status).toBe('sent');
    });
  });
}
