import type { EventEnvelope } from '@platform/common';

/**
 * An event whose data this service cannot use. Retrying cannot fix it, so `permanent` tells a consumer
 * that honours it to send the event to the dead-letter topic at once (one that does not retries first).
 */
export class InvalidEventError extends Error {
  readonly permanent = true;

  constructor(
    readonly eventId: string,
    readonly eventType: string,
    readonly problems: readonly string[],
  ) {
    super(`Event ${eventId} (${eventType}) has invalid data: ${problems.join('; ')}`);
    this.name = 'InvalidEventError';
  }
}

/** The envelope fields an invalid event is logged with: never its data, which may hold personal data. */
export function describeEvent(event: EventEnvelope): Record<string, string> {
  return { eventId: event.id, eventType: event.type, source: event.source };
}
