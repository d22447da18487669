import type { ChannelName } from '../notification';

/** What a channel delivers: already validated for the channel (address format, subject only for email). */
export interface ChannelMessage {
  readonly notificationId: string;
  readonly channel: ChannelName;
  readonly recipient: string;
  readonly subject?: string;
  readonly body: string;
}

/**
 * One way of reaching people (an email, SMS or push provider). Resolves once the provider accepted the
 * message; rejects when it did not, and the sender decides whether to try again.
 */
export interface NotificationChannel {
  send(message: ChannelMessage): Promise<{ readonly providerMessageId: string }>;
}

/** The channel behind each channel name. */
export type ChannelSet = Readonly<Record<ChannelName, NotificationChannel>>;
