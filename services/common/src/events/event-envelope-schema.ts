import { z } from 'zod';

/**
 * An EventEnvelope as consumers may rely on it: a UUID id (what they deduplicate by) and an `occurredAt`
 * with a time zone. The Kafka consumer already refuses values that are no envelope at all; this is the
 * stricter check of a consumer that stores or orders by these fields.
 */
export const eventEnvelopeSchema = z.object({
  id: z.uuid({ error: 'must be an event id (UUID)' }),
  type: z.string().min(1).max(100),
  source: z.string().min(1).max(100),
  occurredAt: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time with a time zone' }),
  key: z.string().max(200),
  data: z.unknown(),
  requestId: z.string().max(200).optional(),
});
