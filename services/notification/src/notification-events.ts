import { randomUUID } from 'node:crypto';
import type { EventEnvelope, OutboxEntry } from '@platform/common';
import type { ChannelName, FailureReason, Notification, NotificationStatus } from './notification';
import { NOTIFICATION_EVENTS_TOPIC } from './topics';

/**
 * The data of `notification.sent` and `notification.failed`. No recipient and no body: the events go to
 * analytics, which needs outcomes, not personal data.
 */
export interface NotificationEventData {
  readonly notificationId: string;
  readonly ownerId: string;
  readonly channel: ChannelName;
  readonly status: NotificationStatus;
  readonly attempts: number;
  readonly providerMessageId?: string;
  readonly failureReason?: FailureReason;
  readonly sourceEventId?: string;
  readonly createdAt: string;
  readonly sentAt?: string;
}

/** The outbox entry announcing a stored notification's outcome on `notification-events`. */
export function notificationOutcomeEvent(
  notification: Notification,
  options: { readonly requestId?: string; readonly occurredAt: string },
): OutboxEntry {
  const data: NotificationEventData = {
    notificationId: notification.id,
    ownerId: notification.ownerId,
    channel: notification.channel,
    status: notification.status,
    attempts: notification.attempts,
    ...(notification.providerMessageId !== undefined && {
      providerMessageId: notification.providerMessageId,
    }),
    ...(notification.failureReason !== undefined && { failureReason: notification.failureReason }),
    ...(notification.sourceEventId !== undefined && { sourceEventId: notification.sourceEventId }),
    createdAt: notification.createdAt,
    ...(notification.sentAt !== undefined && { sentAt: notification.sentAt }),
  };
  const event: EventEnvelope<NotificationEventData> = {
    id: randomUUID(),
    type: notification.status === 'sent' ? 'notification.sent' : 'notification.failed',
    source: 'notification',
    occurredAt: options.occurredAt,
    key: notification.id,
    data,
    ...(options.requestId !== undefined && { requestId: options.requestId }),
  };
  return { topic: NOTIFICATION_EVENTS_TOPIC, event };
}
