export const CHANNEL_NAMES = ['email', 'sms', 'push'] as const;
export type ChannelName = (typeof CHANNEL_NAMES)[number];

export const NOTIFICATION_STATUSES = ['sent', 'failed'] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

/** Why a send failed, as a code: provider error texts stay in the log, they may carry internals. */
export type FailureReason = 'provider_error' | 'timeout';

/** One message to one recipient, stored once its delivery has an outcome. */
export interface Notification {
  readonly id: string;
  /**
   * The user who may read it: the caller for API sends, the addressed user for notifications caused by
   * an event.
   */
  readonly ownerId: string;
  readonly channel: ChannelName;
  /** Email address, E.164 phone number or device token, depending on the channel. */
  readonly recipient: string;
  /** Email only. */
  readonly subject?: string;
  readonly body: string;
  readonly status: NotificationStatus;
  /** Channel calls made, including the successful one. */
  readonly attempts: number;
  readonly providerMessageId?: string;
  readonly failureReason?: FailureReason;
  /** The caller's key for safe retries of POST /send; unique per owner. */
  readonly idempotencyKey?: string;
  /** The event that caused it, for notifications sent by the consumer. */
  readonly sourceEventId?: string;
  readonly createdAt: string;
  /** When the channel accepted it; absent for failed notifications. */
  readonly sentAt?: string;
}

/** What a sender asks for; the rest is decided while sending. */
export interface NotificationRequest {
  readonly ownerId: string;
  readonly channel: ChannelName;
  readonly recipient: string;
  readonly subject?: string;
  readonly body: string;
  readonly idempotencyKey?: string;
  readonly sourceEventId?: string;
  /** The request id of whatever caused it, carried onto the emitted event. */
  readonly requestId?: string;
}
