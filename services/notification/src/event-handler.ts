import type { EventHandler, Logger } from '@platform/common';
import { EVENT_MESSAGES } from './event-messages';
import { InvalidEventError, describeEvent } from './invalid-event-error';
import type { NotificationSender } from './notification-sender';
import type { ProcessedEventStore } from './processed-event-store';

export interface NotificationEventHandlerOptions {
  readonly sender: NotificationSender;
  readonly processedEvents: ProcessedEventStore;
  readonly logger: Logger;
}

/**
 * Turns `user.registered`, `order.created` and `order.paid` into an email to the user; other event types on
 * the consumed topics are not for us and are skipped. Invalid data throws InvalidEventError (it ends in the
 * dead-letter topic). Each event id is claimed before sending, so a redelivery sends nothing; when handling
 * throws, the claim is released so the retry can send. A channel failure is not an error here: the sender
 * retries it and records the notification as failed.
 */
export function createNotificationEventHandler({
  sender,
  processedEvents,
  logger,
}: NotificationEventHandlerOptions): EventHandler {
  return async (event, info) => {
    const log = logger.child({ ...describeEvent(event), topic: info.topic, attempt: info.attempt });
    const message = EVENT_MESSAGES[event.type];
    if (message === undefined) {
      log.debug('event type not handled by this service; skipped');
      return;
    }
    const parsed = message.schema.safeParse(event.data);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((issue) => {
        const field = ['data', ...issue.path.map(String)].join('.');
        return `${field} ${issue.message}`;
      });
      const err = new InvalidEventError(event.id, event.type, problems);
      log.warn({ problems }, 'event has invalid data; it goes to the dead-letter topic');
      throw err;
    }
    if (!(await processedEvents.claim(event.id))) {
      log.info('event already processed; not sending again');
      return;
    }
    try {
      const result = await sender.send({
        ...message.compose(parsed.data),
        sourceEventId: event.id,
        ...(event.requestId !== undefined && { requestId: event.requestId }),
      });
      if (result.ok) log.info({ notificationId: result.notification.id }, 'event notification handled');
    } catch (err) {
      await processedEvents.release(event.id);
      throw err;
    }
  };
}
