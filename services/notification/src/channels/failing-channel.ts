import type { ChannelMessage, NotificationChannel } from './notification-channel';

/**
 * A channel whose provider is down, for tests and failure drills: the first `failures` calls reject
 * (every call by default), later ones succeed. `calls` counts every call.
 */
export class FailingChannel implements NotificationChannel {
  calls = 0;

  constructor(private readonly failures = Number.POSITIVE_INFINITY) {}

  send(message: ChannelMessage): Promise<{ providerMessageId: string }> {
    this.calls += 1;
    if (this.calls <= this.failures) {
      return Promise.reject(
        new Error(`${message.channel} provider unavailable (FailingChannel, call ${this.calls})`),
      );
    }
    return Promise.resolve({ providerMessageId: `failing-channel-${this.calls}` });
  }
}
