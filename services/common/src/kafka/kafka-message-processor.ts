import type { EachMessagePayload, KafkaMessage } from 'kafkajs';
import type { Logger } from 'pino';
import { sleep } from '../abortable';
import { PermanentEventError } from '../events/permanent-event-error';
import type { EventHandler } from '../ports';
import { parseEventMessage } from './event-message';

/** Why a message went to the dead-letter topic. */
export interface DeadLetterReason {
  /** `permanent`: the handler threw a PermanentEventError, so the event was not retried. */
  readonly reason: 'malformed' | 'handler_failed' | 'permanent';
  /** The parse problem or the handler's last error message. */
  readonly error: string;
  /** Handler attempts made (0 for a malformed message, 1 for a permanent failure). */
  readonly attempts: number;
}

/** Writes the original message, with headers saying why and where from, to the dead-letter topic. */
export type DeadLetterSender = (
  source: { readonly topic: string; readonly partition: number; readonly message: KafkaMessage },
  why: DeadLetterReason,
) => Promise<void>;

export interface MessageProcessorOptions {
  readonly handler: EventHandler;
  readonly maxAttempts: number;
  /** Pause before attempt `attempt + 1`. */
  readonly backoffMs: (attempt: number) => number;
  readonly sendToDeadLetter: DeadLetterSender;
  readonly logger: Logger;
  /** Aborted when the consumer stops: a message in its retry pause is then left uncommitted. */
  readonly signal: AbortSignal;
}

/**
 * Handles one message for runKafkaConsumer: a malformed message, and one whose handler throws a
 * PermanentEventError, go to the dead-letter topic at once; a handler that throws anything else is retried
 * with backoff (heartbeating meanwhile) up to `maxAttempts`, then the message goes to the dead-letter topic.
 * Resolving lets kafkajs commit the offset; it rejects (so the message is delivered again) only when the
 * dead-letter write fails or the consumer is stopping.
 */
export async function processMessage(
  payload: EachMessagePayload,
  options: MessageProcessorOptions,
): Promise<void> {
  const { topic, partition, message, heartbeat } = payload;
  const where = { topic, partition, offset: message.offset };
  const parsed = parseEventMessage(message.value);
  if (!parsed.ok) {
    options.logger.warn(
      { ...where, reason: parsed.reason },
      'malformed event; sending it to the dead-letter topic',
    );
    await options.sendToDeadLetter(
      { topic, partition, message },
      { reason: 'malformed', error: parsed.reason, attempts: 0 },
    );
    return;
  }
  const { event } = parsed;
  const context = { ...where, eventId: event.id, eventType: event.type, requestId: event.requestId };
  let lastError = '';
  for (let attempt = 1; attempt <= options.maxAttempts; attempt++) {
    try {
      await options.handler(event, { topic, partition, offset: message.offset, attempt });
      return;
    } catch (err) {
      lastError = err instanceof Error ? err.message : String(err);
      if (err instanceof PermanentEventError) {
        options.logger.error(
          { ...context, err, attempt },
          'event failed permanently; sending it to the dead-letter topic without retrying',
        );
        await options.sendToDeadLetter(
          { topic, partition, message },
          { reason: 'permanent', error: lastError, attempts: attempt },
        );
        return;
      }
      options.logger.warn(
        { ...context, err, attempt, maxAttempts: options.maxAttempts },
        'event handler failed',
      );
    }
    if (attempt < options.maxAttempts) {
      await heartbeat();
      await sleep(options.backoffMs(attempt), options.signal);
      if (options.signal.aborted) throw new Error('consumer stopping; the event will be delivered again');
    }
  }
  options.logger.error(
    { ...context, attempts: options.maxAttempts },
    'event handler gave up; sending the event to the dead-letter topic',
  );
  await options.sendToDeadLetter(
    { topic, partition, message },
    { reason: 'handler_failed', error: lastError, attempts: options.maxAttempts },
  );
}
