import type { IHeaders, Message } from 'kafkajs';
import { z } from 'zod';
import type { EventEnvelope } from '../ports';

/** Kafka headers set on every event, so tools can filter and trace without parsing the value. */
export const EVENT_HEADERS = {
  id: 'event-id',
  type: 'event-type',
  source: 'event-source',
  requestId: 'x-request-id',
  contentType: 'content-type',
} as const;

/**
 * An event as a Kafka message: JSON value, the event key as message key (its partition), headers; with
 * `traceContext` also the W3C trace headers (traceparent, tracestate, baggage) the consumer continues.
 */
export function toKafkaMessage(
  event: EventEnvelope,
  traceContext?: Readonly<Record<string, string>>,
): Message {
  const headers: IHeaders = {
    ...traceContext,
    [EVENT_HEADERS.id]: event.id,
    [EVENT_HEADERS.type]: event.type,
    [EVENT_HEADERS.source]: event.source,
    [EVENT_HEADERS.contentType]: 'application/json',
    ...(event.requestId !== undefined && { [EVENT_HEADERS.requestId]: event.requestId }),
  };
  return { key: event.key, value: JSON.stringify(event), headers };
}

const text = z.string().min(1);
const envelopeSchema = z
  .object({
    id: text,
    type: text,
    source: text,
    occurredAt: text,
    key: text,
    data: z.unknown(),
    requestId: z.string().optional(),
  })
  .refine((e) => e.data !== undefined, { error: 'is required', path: ['data'] });

/** The outcome of reading a message value as an event. */
export type ParsedEvent =
  { readonly ok: true; readonly event: EventEnvelope } | { readonly ok: false; readonly reason: string };

/** Reads a message value as an EventEnvelope; a reason names what is wrong (never throws). */
export function parseEventMessage(value: Buffer | null): ParsedEvent {
  if (value === null) return { ok: false, reason: 'message has no value (tombstone)' };
  let json: unknown;
  try {
    json = JSON.parse(value.toString('utf8'));
  } catch {
    return { ok: false, reason: 'value is not JSON' };
  }
  const result = envelopeSchema.safeParse(json);
  if (!result.success) {
    const fields = result.error.issues.map((i) => i.path.join('.') || '(value)');
    return {
      ok: false,
      reason: `value is not an event envelope (bad fields: ${[...new Set(fields)].join(', ')})`,
    };
  }
  const { requestId, ...rest } = result.data;
  const event: EventEnvelope = { ...rest, ...(requestId !== undefined && { requestId }) };
  return { ok: true, event };
}
