import { z } from 'zod';

// The one description of what travels on the event topics: producers type the `data` they build with these
// types, consumers validate it with these schemas (or a pick of them, see event-consumers.ts), so field
// names and formats cannot drift between services. Conventions: ids are 1-128 characters of A-Z, a-z,
// 0-9, ".", "_", ":", "-" (the producers use UUIDs; no spaces or line breaks, since ids end up in mail
// subjects); money is integer minor units in fields ending in `Cents`, with an ISO 4217 `currency`; times
// are ISO 8601 date-times with a time zone. Objects are not strict: a producer may add a field before every
// consumer knows it, but never rename or drop one without a new event type.

const id = (what: string) =>
  z.string().regex(/^[A-Za-z0-9_-][A-Za-z0-9._:-]{0,127}$/, {
    error: `must be ${what} of 1-128 characters of A-Z, a-z, 0-9, ".", "_", ":", "-"`,
  });
const cents = z.int({ error: 'must be an integer number of minor units (cents)' }).min(0);
const currency = z.string().regex(/^[A-Z]{3}$/, { error: 'must be an ISO 4217 code such as "EUR"' });
const timestamp = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time with a time zone' });
const email = z.email({ error: 'must be an email address' }).max(254);
const count = z.int().min(0);

/** `user.registered` on user-events, key = user id. */
export const userRegisteredPayload = z.object({
  userId: id('a user id'),
  email,
  name: z.string().trim().min(1).max(200),
});

/** One line of an order, priced when the order was placed. */
export const orderItemPayload = z.object({
  productId: id('a product id'),
  quantity: z.int().min(1),
  unitPriceCents: cents,
});

/** `order.created` on order-events, key = order id. `email` is the customer's (from the access token). */
export const orderCreatedPayload = z.object({
  orderId: id('an order id'),
  userId: id('a user id'),
  email,
  items: z.array(orderItemPayload).min(1).max(1000),
  totalCents: cents,
  currency,
  createdAt: timestamp,
});

export const PAYMENT_METHODS = ['card', 'paypal', 'bank_transfer'] as const;

/** `order.paid` on order-events, key = order id; `amountCents` is always the order's `totalCents`. */
export const orderPaidPayload = z.object({
  orderId: id('an order id'),
  userId: id('a user id'),
  email,
  method: z.enum(PAYMENT_METHODS),
  amountCents: cents,
  currency,
  paidAt: timestamp,
});

/** `order.cancelled` on order-events, key = order id. */
export const orderCancelledPayload = z.object({
  orderId: id('an order id'),
  userId: id('a user id'),
  cancelledAt: timestamp,
});

/**
 * `notification.sent` and `notification.failed` on notification-events, key = notification id. No recipient
 * and no body: consumers get outcomes, not personal data.
 */
export const notificationOutcomePayload = z.object({
  notificationId: id('a notification id'),
  ownerId: id('a user id'),
  channel: z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, {
    error: 'must be a channel name of 1-32 characters of a-z, 0-9, "-"',
  }),
  status: z.enum(['sent', 'failed']),
  attempts: z.int().min(1),
  providerMessageId: z.string().min(1).max(500).optional(),
  failureReason: z.enum(['provider_error', 'timeout']).optional(),
  sourceEventId: id('an event id').optional(),
  createdAt: timestamp,
  sentAt: timestamp.optional(),
});

/** `product.created` on analytics-events, key = product id. */
export const productCreatedPayload = z.object({
  productId: id('a product id'),
  sku: z.string().min(1).max(64),
  name: z.string().min(1).max(200),
  category: z.string().min(1).max(100),
  priceCents: cents,
  currency,
  stock: count,
});

/** `inventory.changed` on analytics-events, key = product id: the applied `delta` and the stock after it. */
export const inventoryChangedPayload = z.object({
  productId: id('a product id'),
  sku: z.string().min(1).max(64),
  category: z.string().min(1).max(100),
  delta: z.int(),
  stock: count,
});

/** Every event type with the schema of its `data`. */
export const EVENT_PAYLOADS = {
  'user.registered': userRegisteredPayload,
  'order.created': orderCreatedPayload,
  'order.paid': orderPaidPayload,
  'order.cancelled': orderCancelledPayload,
  'notification.sent': notificationOutcomePayload,
  'notification.failed': notificationOutcomePayload,
  'product.created': productCreatedPayload,
  'inventory.changed': inventoryChangedPayload,
} as const;

export type EventType = keyof typeof EVENT_PAYLOADS;
export const EVENT_TYPES = Object.keys(EVENT_PAYLOADS) as EventType[];

/** The `data` of an event of type `T`, as producers build it. */
export type EventPayload<T extends EventType> = z.output<(typeof EVENT_PAYLOADS)[T]>;

export type UserRegisteredPayload = EventPayload<'user.registered'>;
export type OrderItemPayload = z.output<typeof orderItemPayload>;
export type OrderCreatedPayload = EventPayload<'order.created'>;
export type OrderPaidPayload = EventPayload<'order.paid'>;
export type OrderCancelledPayload = EventPayload<'order.cancelled'>;
export type NotificationOutcomePayload = EventPayload<'notification.sent'>;
export type ProductCreatedPayload = EventPayload<'product.created'>;
export type InventoryChangedPayload = EventPayload<'inventory.changed'>;

/** The topic each event type is published to (created by the platform, never auto-created). */
export const EVENT_TOPICS: Readonly<Record<EventType, string>> = {
  'user.registered': 'user-events',
  'order.created': 'order-events',
  'order.paid': 'order-events',
  'order.cancelled': 'order-events',
  'notification.sent': 'notification-events',
  'notification.failed': 'notification-events',
  'product.created': 'analytics-events',
  'inventory.changed': 'analytics-events',
};

export function isEventType(type: string): type is EventType {
  return Object.hasOwn(EVENT_PAYLOADS, type);
}
