import type { z } from '@platform/common';
import { ANALYTICS_CONSUMES, eventEnvelopeSchema } from '@platform/common';
import type { FactType } from './analytics-store';

// Both schemas come from the shared event contract in @platform/common, so producers and analytics agree on
// field names and formats. Consumers accept fields they do not know (objects are not strict): producers add
// fields without coordinating a release with every consumer. What analytics needs is checked strictly.

export const eventEnvelope = eventEnvelopeSchema;

/** The `data` of every event type analytics counts; other types on its topics are skipped. */
export const eventData = ANALYTICS_CONSUMES satisfies Record<FactType, z.ZodType>;

export function isCountedType(type: string): type is FactType {
  return Object.hasOwn(eventData, type);
}
