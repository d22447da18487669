import { randomUUID } from 'node:crypto';
import type { Logger } from '@platform/common';
import { maskRecipient } from './mask-recipient';
import type { ChannelMessage, NotificationChannel } from './notification-channel';

/**
 * The default for every channel until a provider is configured: writes a summary to the log and succeeds.
 * The body and subject never reach the log (they may hold personal data) and the recipient is masked.
 */
export class LoggingChannel implements NotificationChannel {
  constructor(private readonly logger: Logger) {}

  send(message: ChannelMessage): Promise<{ providerMessageId: string }> {
    const providerMessageId = `log-${randomUUID()}`;
    this.logger.info(
      {
        notificationId: message.notificationId,
        channel: message.channel,
        recipient: maskRecipient(message.channel, message.recipient),
        hasSubject: message.subject !== undefined,
        bodyLength: message.body.length,
        providerMessageId,
      },
      'notification handed to the logging channel',
    );
    return Promise.resolve({ providerMessageId });
  }
}
