import type { z } from '@platform/common';
import { NOTIFICATION_CONSUMES } from '@platform/common';
import type { NotificationRequest } from './notification';

// What this service reads of each event comes from the shared contract (@platform/common's
// NOTIFICATION_CONSUMES): the fields it needs, with the formats every producer and consumer agree on.
// Producers may send more, which is ignored. Ids are id characters only (no spaces, no line breaks),
// because they end up in subjects (mail headers).

function money(minorUnits: number, code: string): string {
  const format = new Intl.NumberFormat('en', { style: 'currency', currency: code });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(minorUnits / 10 ** digits);
}

type Message = Omit<NotificationRequest, 'sourceEventId' | 'requestId' | 'idempotencyKey'>;

interface EventMessage<S extends z.ZodType> {
  readonly schema: S;
  compose(data: z.output<S>): Message;
}

const define = <S extends z.ZodType>(
  schema: S,
  compose: (data: z.output<S>) => Message,
): EventMessage<S> => ({
  schema,
  compose,
});

/** What each consumed event type becomes: an email to the user the event is about. */
export const EVENT_MESSAGES: Readonly<Record<string, EventMessage<z.ZodType>>> = {
  'user.registered': define(NOTIFICATION_CONSUMES['user.registered'], (data) => ({
    ownerId: data.userId,
    channel: 'email',
    recipient: data.email,
    subject: 'Welcome!',
    body: `Hi ${data.name ?? 'there'}, your account is ready. Thank you for registering.`,
  })),
  'order.created': define(NOTIFICATION_CONSUMES['order.created'], (data) => ({
    ownerId: data.userId,
    channel: 'email',
    recipient: data.email,
    subject: `Order ${data.orderId} received`,
    body: `We received your order ${data.orderId} of ${money(data.totalCents, data.currency)}. We will let you know once the payment is confirmed.`,
  })),
  'order.paid': define(NOTIFICATION_CONSUMES['order.paid'], (data) => ({
    ownerId: data.userId,
    channel: 'email',
    recipient: data.email,
    subject: `Payment received for order ${data.orderId}`,
    body: `We received your payment of ${money(data.amountCents, data.currency)} for order ${data.orderId}. Thank you!`,
  })),
};
