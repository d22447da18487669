import { randomUUID } from 'node:crypto';
import type { EventEnvelope, EventHandler } from '@platform/common';
import {
  EVENT_EXAMPLES,
  InMemoryEventBus,
  InMemoryOutboxStore,
  PermanentEventError,
  createLogger,
} from '@platform/common';
import { FailingChannel } from './channels/failing-channel';
import type { ChannelMessage, ChannelSet, NotificationChannel } from './channels/notification-channel';
import { createNotificationEventHandler } from './event-handler';
import { InMemoryNotificationRepository } from './in-memory-notification-repository';
import { InMemoryProcessedEventStore } from './in-memory-processed-event-store';
import { InvalidEventError } from './invalid-event-error';
import type { Notification } from './notification';
import { createSentCounter } from './notification-metrics';
import { NotificationSender } from './notification-sender';
import { CONSUMED_TOPICS, DEAD_LETTER_TOPIC } from './topics';

const logger = createLogger({
  serviceName: 'notification',
  serviceVersion: 't',
  track: 'stable',
  logLevel: 'silent',
});

class RecordingChannel implements NotificationChannel {
  readonly sent: ChannelMessage[] = [];
  send(message: ChannelMessage) {
    this.sent.push(message);
    return Promise.resolve({ providerMessageId: `prov-${this.sent.length}` });
  }
}

function setup(email: NotificationChannel = new RecordingChannel()) {
  const bus = new InMemoryEventBus();
  const outbox = new InMemoryOutboxStore();
  const repository = new InMemoryNotificationRepository(outbox);
  const channels: ChannelSet = { email, sms: new RecordingChannel(), push: new RecordingChannel() };
  const sender = new NotificationSender({
    repository,
    channels,
    policy: { maxAttempts: 3, retryBaseMs: 0, sendTimeoutMs: 1000 },
    sentTotal: createSentCounter(),
    logger,
  });
  const handler = createNotificationEventHandler({
    sender,
    processedEvents: new InMemoryProcessedEventStore(),
    logger,
  });
  bus.subscribe(CONSUMED_TOPICS, handler, { deadLetterTopic: DEAD_LETTER_TOPIC });

  /** The notifications stored so far, found through their outbox events. */
  const stored = async (): Promise<Notification[]> => {
    const entries = await outbox.pending(100);
    const ids = entries.map((e) => (e.event.data as { notificationId: string }).notificationId);
    const found = await Promise.all(ids.map((id) => repository.get(id)));
    return found.filter((n): n is Notification => n !== undefined);
  };
  return { bus, outbox, repository, handler, stored };
}

function event(type: string, data: unknown, overrides: Partial<EventEnvelope> = {}): EventEnvelope {
  return {
    id: randomUUID(),
    type,
    source: type.split('.')[0] ?? 'test',
    occurredAt: '2026-01-01T12:00:00.000Z',
    key: 'k',
    data,
    ...overrides,
  };
}

const userId = 'a0f1c2d3-0000-4000-8000-000000000001';

describe('notification event handler', () => {
  it('sends a welcome email for user.registered, owned by the user and linked to the event', async () => {
    const email = new RecordingChannel();
    const { bus, stored } = setup(email);
    const registered = event(
      'user.registered',
      { userId, email: 'jane@example.com', name: 'Jane', plan: 'ignored extra field' },
      { requestId: 'req-7' },
    );
    await bus.publish('user-events', [registered]);
    await bus.settle();

    expect(email.sent).toEqual([
      expect.objectContaining({
        recipient: 'jane@example.com',
        subject: 'Welcome!',
        body: 'Hi Jane, your account is ready. Thank you for registering.',
      }),
    ]);
    const [notification] = await stored();
    expect(notification).toMatchObject({
      ownerId: userId,
      channel: 'email',
      status: 'sent',
      sourceEventId: registered.id,
    });
    expect(bus.events(DEAD_LETTER_TOPIC)).toEqual([]);
  });

  it('sends an order confirmation for order.created, with the total in its currency', async () => {
    const email = new RecordingChannel();
    const { bus } = setup(email);
    await bus.publish('order-events', [
      event('order.created', {
        orderId: 'ord-1',
        userId,
        email: 'jane@example.com',
        totalCents: 4599,
        currency: 'EUR',
      }),
      event('order.created', {
        orderId: 'ord-2',
        userId,
        email: 'ken@example.jp',
        totalCents: 1200,
        currency: 'JPY',
      }),
    ]);
    await bus.settle();
    expect(email.sent.map(({ subject, body }) => ({ subject, body }))).toEqual([
      {
        subject: 'Order ord-1 received',
        body: 'We received your order ord-1 of €45.99. We will let you know once the payment is confirmed.',
      },
      {
        subject: 'Order ord-2 received',
        body: 'We received your order ord-2 of ¥1,200. We will let you know once the payment is confirmed.',
      },
    ]);
  });

  it('sends a payment receipt for order.paid, in the minor units of its currency', async () => {
    const email = new RecordingChannel();
    const { bus } = setup(email);
    await bus.publish('order-events', [
      event('order.paid', {
        orderId: 'ord-3',
        userId,
        email: 'ken@example.jp',
        amountCents: 1200,
        currency: 'JPY',
      }),
    ]);
    await bus.settle();
    expect(email.sent).toEqual([
      expect.objectContaining({
        recipient: 'ken@example.jp',
        subject: 'Payment received for order ord-3',
        body: 'We received your payment of ¥1,200 for order ord-3. Thank you!',
      }),
    ]);
  });

  it('sends once when the same event is delivered again', async () => {
    const email = new RecordingChannel();
    const { bus, stored } = setup(email);
    const paid = event('order.paid', {
      orderId: 'ord-4',
      userId,
      email: 'jane@example.com',
      amountCents: 100,
      currency: 'EUR',
    });
    await bus.publish('order-events', [paid]);
    await bus.publish('order-events', [paid]);
    await bus.settle();
    expect(email.sent).toHaveLength(1);
    expect(await stored()).toHaveLength(1);
  });

  const order = { orderId: 'ord-5', userId, email: 'a@b.co', totalCents: 100, currency: 'EUR' };
  it.each([
    ['a missing email', { ...order, email: undefined }, 'data.email'],
    ['an invalid email', { ...order, email: 'not-an-email' }, 'data.email'],
    ['an order id with a line break', { ...order, orderId: 'ord-5\r\nBcc: x' }, 'data.orderId'],
    ['a total named `total`', { ...order, totalCents: undefined, total: 100 }, 'data.totalCents'],
    ['data that is not an object', 'ord-5', 'data'],
  ])('sends an event with %s to notification-dlq without sending anything', async (_what, data, field) => {
    const email = new RecordingChannel();
    const { bus, handler, outbox } = setup(email);
    const invalid = event('order.created', data);
    await bus.publish('order-events', [invalid]);
    await bus.settle();
    expect(bus.events(DEAD_LETTER_TOPIC)).toEqual([invalid]);
    expect(email.sent).toEqual([]);
    expect(await outbox.pending(10)).toEqual([]);

    const info = { topic: 'order-events', partition: 0, offset: '0', attempt: 1 };
    const error = await handler(invalid, info).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(InvalidEventError);
    expect(error).toBeInstanceOf(PermanentEventError);
    expect(error).toMatchObject({ eventId: invalid.id, eventType: 'order.created' });
    expect((error as InvalidEventError).problems).toEqual([expect.stringMatching(new RegExp(`^${field} `))]);
  });

  it('tries an invalid event once: it fails permanently, so it is not retried', async () => {
    const { handler } = setup();
    const attempts: string[] = [];
    const bus = new InMemoryEventBus();
    const counting: EventHandler = (e, info) => {
      attempts.push(`${e.type}#${info.attempt}`);
      return handler(e, info);
    };
    bus.subscribe(CONSUMED_TOPICS, counting, { deadLetterTopic: DEAD_LETTER_TOPIC, maxAttempts: 3 });
    const invalid = event('order.paid', { orderId: 'ord-7', userId });
    await bus.publish('order-events', [invalid]);
    await bus.settle();
    expect(attempts).toEqual(['order.paid#1']);
    expect(bus.events(DEAD_LETTER_TOPIC)).toEqual([invalid]);
  });

  it('sends for what the producers send: the shared example of each event it consumes', async () => {
    const email = new RecordingChannel();
    const { bus } = setup(email);
    await bus.publish('user-events', [event('user.registered', EVENT_EXAMPLES['user.registered'])]);
    await bus.publish('order-events', [
      event('order.created', EVENT_EXAMPLES['order.created']),
      event('order.paid', EVENT_EXAMPLES['order.paid']),
    ]);
    await bus.settle();
    expect(bus.events(DEAD_LETTER_TOPIC)).toEqual([]);
    expect(email.sent.map((m) => [m.recipient, m.subject])).toEqual([
      ['ada@example.com', 'Welcome!'],
      ['ada@example.com', `Order ${EVENT_EXAMPLES['order.created'].orderId} received`],
      ['ada@example.com', `Payment received for order ${EVENT_EXAMPLES['order.paid'].orderId}`],
    ]);
  });

  it('retries a failing channel, then records the notification as failed (not dead-lettered)', async () => {
    const down = new FailingChannel();
    const { bus, stored } = setup(down);
    const registered = event('user.registered', { userId, email: 'jane@example.com' });
    await bus.publish('user-events', [registered]);
    await bus.settle();

    expect(down.calls).toBe(3);
    const [notification, ...more] = await stored();
    expect(more).toEqual([]);
    expect(notification).toMatchObject({ status: 'failed', attempts: 3, failureReason: 'provider_error' });
    expect(bus.events(DEAD_LETTER_TOPIC)).toEqual([]);

    await bus.publish('user-events', [registered]);
    await bus.settle();
    expect(down.calls).toBe(3);
  });

  it('handles the event again on redelivery when storing failed, storing it once', async () => {
    const email = new RecordingChannel();
    const { bus, repository, stored } = setup(email);
    jest.spyOn(repository, 'create').mockRejectedValueOnce(new Error('mongo down'));
    await bus.publish('user-events', [event('user.registered', { userId, email: 'jane@example.com' })]);
    await bus.settle();
    expect(await stored()).toHaveLength(1);
    // The first attempt reached the channel before the store failed: at least once, not exactly once.
    expect(email.sent).toHaveLength(2);
    expect(bus.events(DEAD_LETTER_TOPIC)).toEqual([]);
  });

  it('skips event types that are not for this service', async () => {
    const email = new RecordingChannel();
    const { bus } = setup(email);
    await bus.publish('order-events', [event('order.cancelled', { orderId: 'ord-6' })]);
    await bus.settle();
    expect(email.sent).toEqual([]);
    expect(bus.events(DEAD_LETTER_TOPIC)).toEqual([]);
  });
});
