import type { z } from 'zod';
import { ValidationError } from '../errors';
import { parseInput } from '../validation';
import { ANALYTICS_CONSUMES, EVENT_CONSUMERS, NOTIFICATION_CONSUMES } from './event-consumers';
import { EVENT_EXAMPLES } from './event-examples';
import type { EventType } from './event-payloads';
import { EVENT_PAYLOADS, EVENT_TOPICS, EVENT_TYPES, isEventType } from './event-payloads';

/** The fields a parse refuses, as `data.<path>`; [] when it passes. */
function refused(schema: z.ZodType, data: unknown): string[] {
  try {
    parseInput(schema, data, 'data');
    return [];
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    return err.details.map((d) => (d.field === 'data' ? 'data' : `data.${d.field}`));
  }
}

const consumed = Object.entries(EVENT_CONSUMERS).flatMap(([consumer, schemas]) =>
  Object.entries(schemas).map(([type, schema]) => [consumer, type, schema] as const),
);

describe('event payloads', () => {
  it.each(EVENT_TYPES)("the producer's example of %s is exactly its payload schema", (type) => {
    // strict: the example (typed like the producer's payload) carries no field the contract lacks.
    expect(refused(EVENT_PAYLOADS[type].strict(), EVENT_EXAMPLES[type])).toEqual([]);
  });

  it.each(consumed)("%s accepts the producer's example of %s", (_consumer, type, schema) => {
    expect(isEventType(type)).toBe(true);
    expect(refused(schema, EVENT_EXAMPLES[type as EventType])).toEqual([]);
  });

  it('gives every consumed type a topic of the platform', () => {
    const topics = ['user-events', 'order-events', 'notification-events', 'analytics-events'];
    for (const [, type] of consumed) expect(topics).toContain(EVENT_TOPICS[type as EventType]);
    expect(Object.keys(EVENT_TOPICS).sort()).toEqual([...EVENT_TYPES].sort());
  });

  it('makes order events carry the customer email that notification needs', () => {
    const { email: _email, ...created } = EVENT_EXAMPLES['order.created'];
    const { email: _paidEmail, ...paid } = EVENT_EXAMPLES['order.paid'];
    expect(refused(NOTIFICATION_CONSUMES['order.created'], created)).toEqual(['data.email']);
    expect(refused(NOTIFICATION_CONSUMES['order.paid'], paid)).toEqual(['data.email']);
    expect(refused(EVENT_PAYLOADS['order.created'], { ...created, email: 'not-an-email' })).toEqual([
      'data.email',
    ]);
  });

  it('names money in cents everywhere, so a producer sending `total` or `amount` is refused', () => {
    const { totalCents, ...created } = EVENT_EXAMPLES['order.created'];
    const { amountCents, ...paid } = EVENT_EXAMPLES['order.paid'];
    expect(refused(ANALYTICS_CONSUMES['order.created'], { ...created, total: totalCents })).toEqual([
      'data.totalCents',
    ]);
    expect(refused(ANALYTICS_CONSUMES['order.paid'], { ...paid, amount: amountCents })).toEqual([
      'data.amountCents',
    ]);
    const item = { productId: 'p-1', quantity: 1, unitPrice: 100 };
    expect(refused(ANALYTICS_CONSUMES['order.created'], { ...created, totalCents, items: [item] })).toEqual([
      'data.items.0.unitPriceCents',
    ]);
  });

  it('reads only what each consumer uses: extra fields pass, fields it never reads may be missing', () => {
    const { name: _name, email: _email, ...withoutPersonalData } = EVENT_EXAMPLES['user.registered'];
    expect(refused(ANALYTICS_CONSUMES['user.registered'], withoutPersonalData)).toEqual([]);
    expect(
      refused(NOTIFICATION_CONSUMES['user.registered'], { ...EVENT_EXAMPLES['user.registered'], plan: 'x' }),
    ).toEqual([]);
    expect(refused(NOTIFICATION_CONSUMES['user.registered'], withoutPersonalData)).toEqual(['data.email']);
  });

  it('refuses ids that could break a mail header, amounts that are not whole cents, and bad codes', () => {
    const created = EVENT_EXAMPLES['order.created'];
    expect(refused(EVENT_PAYLOADS['order.created'], { ...created, orderId: 'o-1\r\nBcc: x' })).toEqual([
      'data.orderId',
    ]);
    expect(refused(EVENT_PAYLOADS['order.created'], { ...created, totalCents: 29.99 })).toEqual([
      'data.totalCents',
    ]);
    expect(refused(EVENT_PAYLOADS['order.created'], { ...created, currency: 'euro' })).toEqual([
      'data.currency',
    ]);
    expect(
      refused(EVENT_PAYLOADS['order.created'], { ...created, createdAt: '2026-03-01T09:30:00' }),
    ).toEqual(['data.createdAt']);
  });
});
