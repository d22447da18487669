import { randomUUID } from 'node:crypto';
import type { EventEnvelope, NotificationOutcomePayload, OutboxEntry } from '@platform/common';
import type { Notification } from './notification';
import { NOTIFICATION_EVENTS_TOPIC } from './topics';

/**
 * The outbox entry announcing a stored notification's outcome on `notification-events`, as the shared
 * contract describes `notification.sent` / `notification.failed`: no recipient and no body (analytics needs
 * outcomes, not personal data).
 */
export function notificationOutcomeEvent(
  notification: Notification,
  options: { readonly requestId?: string; readonly occurredAt: string },
): OutboxEntry {
  const data: NotificationOutcomePayload = {
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
  const event: EventEnvelope<NotificationOutcomePayload> = {
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
