import type { EventEnvelope, EventHandler, FieldError, Logger, Metrics, z } from '@platform/common';
import { Counter, PermanentEventError, ValidationError, parseInput } from '@platform/common';
import type { AnalyticsStore, Fact, FactType } from './analytics-store';
import { eventData, eventEnvelope, isCountedType } from './event-schemas';

/** The topics analytics consumes (consumer group `analytics`) and where it parks events it cannot read. */
export const ANALYTICS_TOPICS = ['user-events', 'order-events', 'notification-events', 'analytics-events'];
export const ANALYTICS_DLQ = 'analytics-dlq';

/**
 * An event analytics can never process: retrying will not change it, so as a PermanentEventError the
 * consumer sends it to the dead-letter topic after this one attempt. Details name the fields.
 */
export class InvalidEventError extends PermanentEventError {
  constructor(
    readonly eventId: string | undefined,
    readonly details: readonly FieldError[],
  ) {
    super(
      `Invalid event ${eventId ?? '(no id)'}: ${details.map((d) => `${d.field} ${d.message}`).join('; ')}`,
    );
  }
}

function parse<T extends z.ZodType>(
  schema: T,
  input: unknown,
  prefix: string,
  eventId?: string,
): z.output<T> {
  try {
    return parseInput(schema, input, prefix);
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    const details = err.details.map((d) => ({
      field: d.field === prefix ? prefix : `${prefix}.${d.field}`,
      message: d.message,
    }));
    throw new InvalidEventError(eventId, details);
  }
}

function toFact(envelope: z.output<typeof eventEnvelope>, type: FactType): Fact {
  const base = { eventId: envelope.id, occurredAt: new Date(envelope.occurredAt) };
  const read = <S extends z.ZodType>(schema: S) => parse(schema, envelope.data, 'data', envelope.id);
  switch (type) {
    case 'user.registered':
      return { type, ...base, ...read(eventData[type]) };
    case 'order.created':
      return { type, ...base, ...read(eventData[type]) };
    case 'order.paid':
      return { type, ...base, ...read(eventData[type]) };
    case 'order.cancelled':
      return { type, ...base, ...read(eventData[type]) };
    case 'notification.sent':
    case 'notification.failed':
      return { type, ...base, ...read(eventData[type]) };
    case 'product.created':
      return { type, ...base, ...read(eventData[type]) };
    case 'inventory.changed':
      return { type, ...base, ...read(eventData[type]) };
  }
}

export interface AnalyticsEventHandlerOptions {
  readonly store: AnalyticsStore;
  readonly logger: Logger;
  /** Where `analytics_events_total` is registered (the app's registry, so /metrics shows it). */
  readonly registry?: Metrics['registry'];
}

/**
 * Turns consumed events into facts. Invalid events throw InvalidEventError (and end up in analytics-dlq);
 * store failures throw as they are, so the consumer retries; event types analytics does not count are
 * acknowledged and skipped, so new event types on a shared topic never block it.
 */
export function createAnalyticsEventHandler({
  store,
  logger,
  registry,
}: AnalyticsEventHandlerOptions): EventHandler {
  const consumed = new Counter({
    name: 'analytics_events_total',
    help: 'Consumed events by type and outcome (recorded, duplicate, ignored, invalid)',
    labelNames: ['type', 'outcome'] as const,
    registers: registry ? [registry] : [],
  });

  return async (event: EventEnvelope, info) => {
    const raw = event as unknown as Partial<Record<string, unknown>> | null;
    const rawType = typeof raw?.type === 'string' && isCountedType(raw.type) ? raw.type : 'other';
    const where = {
      topic: info.topic,
      partition: info.partition,
      offset: info.offset,
      attempt: info.attempt,
    };
    try {
      const envelope = parse(eventEnvelope, event, 'event', typeof raw?.id === 'string' ? raw.id : undefined);
      if (!isCountedType(envelope.type)) {
        consumed.inc({ type: 'other', outcome: 'ignored' });
        logger.debug({ ...where, eventId: envelope.id, type: envelope.type }, 'event type not counted');
        return;
      }
      const outcome = await store.record(toFact(envelope, envelope.type));
      consumed.inc({ type: envelope.type, outcome });
      logger.debug({ ...where, eventId: envelope.id, type: envelope.type, outcome }, 'event consumed');
    } catch (err) {
      if (err instanceof InvalidEventError) {
        // Permanent, so the consumer does not retry it: counted and logged once.
        consumed.inc({ type: rawType, outcome: 'invalid' });
        logger.warn({ ...where, eventId: err.eventId, details: err.details }, 'invalid event');
      }
      throw err;
    }
  };
}
