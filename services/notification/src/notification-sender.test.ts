import { InMemoryOutboxStore, createLogger } from '@platform/common';
import { FailingChannel } from './channels/failing-channel';
import type { ChannelSet, NotificationChannel } from './channels/notification-channel';
import { InMemoryNotificationRepository } from './in-memory-notification-repository';
import type { Notification, NotificationRequest } from './notification';
import { createSentCounter } from './notification-metrics';
import type { NotificationRepository } from './notification-repository';
import type { DeliveryPolicy } from './notification-sender';
import { NotificationSender } from './notification-sender';

const logger = createLogger({
  serviceName: 'notification',
  serviceVersion: 't',
  track: 'stable',
  logLevel: 'silent',
});

/** A channel that records what it was given and answers like a provider. */
class RecordingChannel implements NotificationChannel {
  readonly sent: unknown[] = [];
  send(message: unknown) {
    this.sent.push(message);
    return Promise.resolve({ providerMessageId: `prov-${this.sent.length}` });
  }
}

function setup(options: { channels?: Partial<ChannelSet>; policy?: Partial<DeliveryPolicy> } = {}) {
  const outbox = new InMemoryOutboxStore();
  const repository = new InMemoryNotificationRepository(outbox);
  const email = new RecordingChannel();
  const channels: ChannelSet = {
    email,
    sms: new RecordingChannel(),
    push: new RecordingChannel(),
    ...options.channels,
  };
  const sleeps: number[] = [];
  const sentTotal = createSentCounter();
  let tick = 0;
  const sender = new NotificationSender({
    repository,
    channels,
    policy: { maxAttempts: 3, retryBaseMs: 200, sendTimeoutMs: 1000, ...options.policy },
    sentTotal,
    logger,
    now: () => new Date(Date.UTC(2026, 0, 1, 12, 0, tick++)),
    sleep: (ms) => {
      sleeps.push(ms);
      return Promise.resolve();
    },
  });
  return { sender, outbox, repository, email, sleeps, sentTotal };
}

const request = (overrides: Partial<NotificationRequest> = {}): NotificationRequest => ({
  ownerId: 'user-1',
  channel: 'email',
  recipient: 'jane@example.com',
  subject: 'Hello',
  body: 'Hi Jane',
  ...overrides,
});

async function sent(sender: NotificationSender, input: NotificationRequest): Promise<Notification> {
  const result = await sender.send(input);
  if (!result.ok) throw new Error(`send refused: ${result.reason}`);
  return result.notification;
}

async function counted(sentTotal: ReturnType<typeof createSentCounter>, channel: string, outcome: string) {
  const metric = await sentTotal.get();
  return metric.values.find((v) => v.labels.channel === channel && v.labels.outcome === outcome)?.value ?? 0;
}

describe('NotificationSender', () => {
  it('sends through the channel, stores the sent notification and its notification.sent event', async () => {
    const { sender, outbox, repository, email, sentTotal } = setup();
    const notification = await sent(sender, request({ requestId: 'req-1' }));

    expect(email.sent).toEqual([
      {
        notificationId: notification.id,
        channel: 'email',
        recipient: 'jane@example.com',
        subject: 'Hello',
        body: 'Hi Jane',
      },
    ]);
    expect(notification).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      ownerId: 'user-1',
      channel: 'email',
      recipient: 'jane@example.com',
      subject: 'Hello',
      body: 'Hi Jane',
      status: 'sent',
      attempts: 1,
      providerMessageId: 'prov-1',
      createdAt: '2026-01-01T12:00:00.000Z',
      sentAt: '2026-01-01T12:00:01.000Z',
    });
    expect(await repository.get(notification.id)).toEqual(notification);
    const [entry, ...more] = await outbox.pending(10);
    expect(more).toEqual([]);
    expect(entry).toMatchObject({
      topic: 'notification-events',
      event: {
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        type: 'notification.sent',
        source: 'notification',
        key: notification.id,
        occurredAt: '2026-01-01T12:00:01.000Z',
        requestId: 'req-1',
        data: {
          notificationId: notification.id,
          ownerId: 'user-1',
          channel: 'email',
          status: 'sent',
          attempts: 1,
          providerMessageId: 'prov-1',
          createdAt: '2026-01-01T12:00:00.000Z',
          sentAt: '2026-01-01T12:00:01.000Z',
        },
      },
    });
    // Events go to analytics: no recipient, no message text.
    expect(JSON.stringify(entry?.event)).not.toMatch(/jane@example.com|Hi Jane|Hello/);
    expect(await counted(sentTotal, 'email', 'sent')).toBe(1);
  });

  it('retries a failing channel with doubling backoff and records the attempts', async () => {
    const flaky = new FailingChannel(2);
    const { sender, sleeps } = setup({ channels: { sms: flaky } });
    const notification = await sent(
      sender,
      request({ channel: 'sms', recipient: '+14155550123', subject: undefined }),
    );
    expect(notification).toMatchObject({
      status: 'sent',
      attempts: 3,
      providerMessageId: 'failing-channel-3',
    });
    expect(sleeps).toEqual([200, 400]);
  });

  it('records a notification as failed after the last attempt, with a notification.failed event', async () => {
    const down = new FailingChannel();
    const { sender, outbox, sentTotal } = setup({ channels: { push: down }, policy: { maxAttempts: 2 } });
    const notification = await sent(
      sender,
      request({ channel: 'push', recipient: 'a'.repeat(64), subject: undefined }),
    );
    expect(down.calls).toBe(2);
    expect(notification).toMatchObject({ status: 'failed', attempts: 2, failureReason: 'provider_error' });
    expect(notification.sentAt).toBeUndefined();
    expect(notification.providerMessageId).toBeUndefined();
    const [entry] = await outbox.pending(10);
    expect(entry?.event).toMatchObject({
      type: 'notification.failed',
      data: { status: 'failed', attempts: 2, failureReason: 'provider_error' },
    });
    expect(await counted(sentTotal, 'push', 'failed')).toBe(1);
  });

  it('counts a channel that does not answer in time as a timeout', async () => {
    const silent: NotificationChannel = { send: () => new Promise(() => undefined) };
    const { sender } = setup({ channels: { email: silent }, policy: { maxAttempts: 2, sendTimeoutMs: 100 } });
    expect(await sent(sender, request())).toMatchObject({
      status: 'failed',
      attempts: 2,
      failureReason: 'timeout',
    });
  });

  it('counts a channel that throws instead of rejecting as a failed attempt', async () => {
    const broken: NotificationChannel = {
      send: () => {
        throw new Error('bug in provider client');
      },
    };
    const { sender } = setup({ channels: { email: broken }, policy: { maxAttempts: 1 } });
    expect(await sent(sender, request())).toMatchObject({
      status: 'failed',
      failureReason: 'provider_error',
    });
  });

  describe('with an idempotency key', () => {
    it('returns the stored notification for a repeat, without sending again', async () => {
      const { sender, email, outbox } = setup();
      const first = await sender.send(request({ idempotencyKey: 'k-1' }));
      const repeat = await sender.send(request({ idempotencyKey: 'k-1' }));
      expect(first).toMatchObject({ ok: true, created: true });
      expect(repeat).toEqual({ ok: true, created: false, notification: first.ok && first.notification });
      expect(email.sent).toHaveLength(1);
      expect(await outbox.pending(10)).toHaveLength(1);
    });

    it('refuses the key for a different message', async () => {
      const { sender, email } = setup();
      const first = await sent(sender, request({ idempotencyKey: 'k-2' }));
      expect(await sender.send(request({ idempotencyKey: 'k-2', body: 'Something else' }))).toEqual({
        ok: false,
        reason: 'idempotency_key_reused',
        existing: first,
      });
      expect(email.sent).toHaveLength(1);
    });

    it('sends once for concurrent repeats', async () => {
      const { sender, email } = setup();
      const results = await Promise.all(
        Array.from({ length: 10 }, () => sender.send(request({ idempotencyKey: 'k-race' }))),
      );
      expect(email.sent).toHaveLength(1);
      expect(results.filter((r) => r.ok && r.created)).toHaveLength(1);
      expect(new Set(results.map((r) => r.ok && r.notification.id)).size).toBe(1);
    });

    it("keeps owners' keys apart", async () => {
      const { sender, email } = setup();
      await sent(sender, request({ idempotencyKey: 'shared' }));
      const other = await sender.send(request({ idempotencyKey: 'shared', ownerId: 'user-2' }));
      expect(other).toMatchObject({ ok: true, created: true });
      expect(email.sent).toHaveLength(2);
    });

    it('returns what the store kept when another pod stored the key first', async () => {
      const { sender, repository } = setup();
      const winner = await sent(sender, request({ idempotencyKey: 'k-pods', ownerId: 'user-9' }));
      // This pod's lookup ran before the other pod stored: it sends, and the store refuses the duplicate.
      const racing: NotificationRepository = {
        get: (id) => repository.get(id),
        findByIdempotencyKey: () => Promise.resolve(undefined),
        create: (n, events) => repository.create(n, events),
      };
      const pod = new NotificationSender({
        repository: racing,
        channels: {
          email: new RecordingChannel(),
          sms: new RecordingChannel(),
          push: new RecordingChannel(),
        },
        policy: { maxAttempts: 1, retryBaseMs: 0, sendTimeoutMs: 1000 },
        sentTotal: createSentCounter(),
        logger,
      });
      expect(await pod.send(request({ idempotencyKey: 'k-pods', ownerId: 'user-9' }))).toEqual({
        ok: true,
        created: false,
        notification: winner,
      });
    });
  });

  it('rejects when the store fails, so callers can retry (nothing is half-stored)', async () => {
    const { sender, repository, outbox } = setup();
    jest.spyOn(repository, 'create').mockRejectedValueOnce(new Error('mongo down'));
    await expect(sender.send(request())).rejects.toThrow('mongo down');
    expect(await outbox.pending(10)).toEqual([]);
  });
});
