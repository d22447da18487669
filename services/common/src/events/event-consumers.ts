import type { z } from 'zod';
import type { EventType } from './event-payloads';
import {
  inventoryChangedPayload,
  notificationOutcomePayload,
  orderCancelledPayload,
  orderCreatedPayload,
  orderPaidPayload,
  productCreatedPayload,
  userRegisteredPayload,
} from './event-payloads';

// What each consuming service reads of the events it handles: picks of the payload schemas, so a consumer
// checks exactly the fields it uses (with their shared formats) and keeps working when a producer adds
// fields or stops sending one the consumer never read. Other types on its topics are skipped.

type ConsumerSchemas = Partial<Record<EventType, z.ZodType>>;

/** notification (group `notification`, from user-events and order-events): an email to the user. */
export const NOTIFICATION_CONSUMES = {
  // The name only personalises the greeting, so a welcome email goes out without one.
  'user.registered': userRegisteredPayload
    .pick({ userId: true, email: true, name: true })
    .partial({ name: true }),
  'order.created': orderCreatedPayload.pick({
    orderId: true,
    userId: true,
    email: true,
    totalCents: true,
    currency: true,
  }),
  'order.paid': orderPaidPayload.pick({
    orderId: true,
    userId: true,
    email: true,
    amountCents: true,
    currency: true,
  }),
} satisfies ConsumerSchemas;

/** analytics (group `analytics`, from all four event topics): facts for its reports, no personal data. */
export const ANALYTICS_CONSUMES = {
  'user.registered': userRegisteredPayload.pick({ userId: true }),
  'order.created': orderCreatedPayload.pick({
    orderId: true,
    userId: true,
    items: true,
    totalCents: true,
    currency: true,
  }),
  'order.paid': orderPaidPayload.pick({ orderId: true, amountCents: true, currency: true }),
  'order.cancelled': orderCancelledPayload.pick({ orderId: true }),
  'notification.sent': notificationOutcomePayload.pick({ channel: true }),
  'notification.failed': notificationOutcomePayload.pick({ channel: true }),
  'product.created': productCreatedPayload.pick({ productId: true }),
  'inventory.changed': inventoryChangedPayload.pick({ productId: true, delta: true }),
} satisfies ConsumerSchemas;

/** Every consuming service with the schemas it validates `data` with, for the compatibility test. */
export const EVENT_CONSUMERS: Readonly<Record<string, ConsumerSchemas>> = {
  notification: NOTIFICATION_CONSUMES,
  analytics: ANALYTICS_CONSUMES,
};
