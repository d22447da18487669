import type { EventEnvelope } from '@platform/common';
import { PermanentEventError } from '@platform/common';

/**
 * An event whose data this service cannot use. Retrying cannot fix it, so as a PermanentEventError it goes
 * to the dead-letter topic after this one attempt. The problems name fields, never their values.
 */
export class InvalidEventError extends PermanentEventError {
  constructor(
    readonly eventId: string,
    readonly eventType: string,
    readonly problems: readonly string[],
  ) {
    super(`Event ${eventId} (${eventType}) has invalid data: ${problems.join('; ')}`);
  }
}

/** The envelope fields an invalid event is logged with: never its data, which may hold personal data. */
export function describeEvent(event: EventEnvelope): Record<string, string> {
  return { eventId: event.id, eventType: event.type, source: event.source };
}
