import { z } from '@platform/common';
import type { FactType } from './analytics-store';

// Consumers accept fields they do not know (objects are not strict): producers add fields without
// coordinating a release with every consumer. What analytics needs is checked strictly.

export const eventEnvelope = z.object({
  id: z.uuid({ error: 'must be an event id (UUID)' }),
  type: z.string().min(1).max(100),
  source: z.string().min(1).max(100),
  occurredAt: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time with a time zone' }),
  key: z.string().max(200),
  data: z.unknown(),
});

const id = z.string().trim().min(1, { error: 'must not be blank' }).max(128);
const currency = z.string().regex(/^[A-Z]{3}$/, { error: 'must be an ISO 4217 code such as "EUR"' });
const cents = z.int().min(0);
const channel = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,31}$/, { error: 'must be a channel name of 1-32 characters of a-z, 0-9, "-"' });

const orderItem = z.object({
  productId: id,
  quantity: z.int().min(1),
  unitPriceCents: cents,
});

/** The `data` of every event type analytics counts; other types on its topics are skipped. */
export const eventData = {
  'user.registered': z.object({ userId: id }),
  'order.created': z.object({
    orderId: id,
    userId: id,
    items: z.array(orderItem).min(1).max(1000),
    totalCents: cents,
    currency,
  }),
  'order.paid': z.object({ orderId: id, amountCents: cents, currency }),
  'order.cancelled': z.object({ orderId: id }),
  'notification.sent': z.object({ channel }),
  'notification.failed': z.object({ channel }),
  'product.created': z.object({ productId: id }),
  'inventory.changed': z.object({ productId: id, delta: z.int() }),
} satisfies Record<FactType, z.ZodType>;

export function isCountedType(type: string): type is FactType {
  return Object.hasOwn(eventData, type);
}
