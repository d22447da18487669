import { randomUUID } from 'node:crypto';
import type { Logger } from '@platform/common';
import type { ChannelMessage, ChannelSet } from './channels/notification-channel';
import type { FailureReason, Notification, NotificationRequest } from './notification';
import { notificationOutcomeEvent } from './notification-events';
import type { SentCounter } from './notification-metrics';
import type { NotificationRepository } from './notification-repository';

/** How hard to try one channel before recording the notification as failed. */
export interface DeliveryPolicy {
  /** Channel calls per notification, the first included. */
  readonly maxAttempts: number;
  /** Wait before the second call; doubles for each later one. */
  readonly retryBaseMs: number;
  /** A call that has not answered by then counts as failed. */
  readonly sendTimeoutMs: number;
}

export interface NotificationSenderOptions {
  readonly repository: NotificationRepository;
  readonly channels: ChannelSet;
  readonly policy: DeliveryPolicy;
  readonly sentTotal: SentCounter;
  readonly logger: Logger;
  readonly now?: () => Date;
  readonly sleep?: (ms: number) => Promise<void>;
}

export type SendResult =
  | { readonly ok: true; readonly notification: Notification; readonly created: boolean }
  | { readonly ok: false; readonly reason: 'idempotency_key_reused'; readonly existing: Notification };

type Delivery =
  | { readonly ok: true; readonly attempts: number; readonly providerMessageId: string }
  | { readonly ok: false; readonly attempts: number; readonly reason: FailureReason };

class ChannelTimeoutError extends Error {
  constructor(ms: number) {
    super(`channel did not answer within ${ms} ms`);
    this.name = 'ChannelTimeoutError';
  }
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new ChannelTimeoutError(ms)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

const sleepFor = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function sameMessage(a: NotificationRequest, b: Notification): boolean {
  return (
    a.channel === b.channel && a.recipient === b.recipient && a.subject === b.subject && a.body === b.body
  );
}

/**
 * Sends a notification through its channel (retrying with backoff), then stores it with its outcome event
 * in one step, so the record exists before anything is published. With an idempotency key, a repeated
 * request gets the stored notification back instead of a second message; concurrent repeats in this process
 * wait for the first one. (Two pods racing on one key may both send; the store keeps the first.)
 */
export class NotificationSender {
  private readonly inFlight = new Map<string, Promise<{ notification: Notification; created: boolean }>>();
  private readonly now: () => Date;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: NotificationSenderOptions) {
    this.now = options.now ?? (() => new Date());
    this.sleep = options.sleep ?? sleepFor;
  }

  async send(request: NotificationRequest): Promise<SendResult> {
    const key = request.idempotencyKey;
    if (key === undefined) return { ok: true, ...(await this.deliverAndStore(request)) };

    const flightKey = JSON.stringify([request.ownerId, key]);
    const running = this.inFlight.get(flightKey);
    if (running) return this.replay(request, (await running).notification);

    const flight = this.sendOnce(request, key);
    this.inFlight.set(flightKey, flight);
    try {
      const outcome = await flight;
      return outcome.created ? { ok: true, ...outcome } : this.replay(request, outcome.notification);
    } finally {
      this.inFlight.delete(flightKey);
    }
  }

  private replay(request: NotificationRequest, existing: Notification): SendResult {
    return sameMessage(request, existing)
      ? { ok: true, notification: existing, created: false }
      : { ok: false, reason: 'idempotency_key_reused', existing };
  }

  private async sendOnce(
    request: NotificationRequest,
    key: string,
  ): Promise<{ notification: Notification; created: boolean }> {
    const existing = await this.options.repository.findByIdempotencyKey(request.ownerId, key);
    if (existing) return { notification: existing, created: false };
    return this.deliverAndStore(request);
  }

  private async deliverAndStore(
    request: NotificationRequest,
  ): Promise<{ notification: Notification; created: boolean }> {
    const { repository, sentTotal } = this.options;
    const id = randomUUID();
    const log = this.options.logger.child({
      notificationId: id,
      channel: request.channel,
      ...(request.requestId !== undefined && { requestId: request.requestId }),
      ...(request.sourceEventId !== undefined && { sourceEventId: request.sourceEventId }),
    });
    const createdAt = this.now().toISOString();
    const delivery = await this.deliver(
      {
        notificationId: id,
        channel: request.channel,
        recipient: request.recipient,
        ...(request.subject !== undefined && { subject: request.subject }),
        body: request.body,
      },
      log,
    );
    const finishedAt = this.now().toISOString();
    sentTotal.inc({ channel: request.channel, outcome: delivery.ok ? 'sent' : 'failed' });

    const notification: Notification = {
      id,
      ownerId: request.ownerId,
      channel: request.channel,
      recipient: request.recipient,
      ...(request.subject !== undefined && { subject: request.subject }),
      body: request.body,
      status: delivery.ok ? 'sent' : 'failed',
      attempts: delivery.attempts,
      ...(delivery.ok
        ? { providerMessageId: delivery.providerMessageId }
        : { failureReason: delivery.reason }),
      ...(request.idempotencyKey !== undefined && { idempotencyKey: request.idempotencyKey }),
      ...(request.sourceEventId !== undefined && { sourceEventId: request.sourceEventId }),
      createdAt,
      ...(delivery.ok && { sentAt: finishedAt }),
    };
    const event = notificationOutcomeEvent(notification, {
      occurredAt: finishedAt,
      ...(request.requestId !== undefined && { requestId: request.requestId }),
    });
    const stored = await repository.create(notification, [event]);
    if (!stored.ok) {
      log.warn(
        { existingId: stored.existing.id },
        'idempotency key was taken by a concurrent request elsewhere; this send is not stored',
      );
      return { notification: stored.existing, created: false };
    }
    log.info({ status: notification.status, attempts: notification.attempts }, 'notification stored');
    return { notification, created: true };
  }

  private async deliver(message: ChannelMessage, log: Logger): Promise<Delivery> {
    const { channels, policy } = this.options;
    const channel = channels[message.channel];
    for (let attempt = 1; ; attempt++) {
      try {
        // Through a promise chain, so a channel that throws synchronously counts as a failed attempt.
        const work = Promise.resolve().then(() => channel.send(message));
        const { providerMessageId } = await withTimeout(work, policy.sendTimeoutMs);
        return { ok: true, attempts: attempt, providerMessageId };
      } catch (err) {
        const reason: FailureReason = err instanceof ChannelTimeoutError ? 'timeout' : 'provider_error';
        log.warn({ err, attempt, maxAttempts: policy.maxAttempts, reason }, 'channel send failed');
        if (attempt >= policy.maxAttempts) return { ok: false, attempts: attempt, reason };
        await this.sleep(policy.retryBaseMs * 2 ** (attempt - 1));
      }
    }
  }
}
