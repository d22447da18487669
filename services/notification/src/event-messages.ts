import { z } from '@platform/common';
import type { NotificationRequest } from './notification';

// The fields this service needs from each event; producers may send more, which is ignored.
// Ids end up in subjects (mail headers), so only id characters: no spaces, no line breaks.
const id = (what: string) =>
  z.string().regex(/^[A-Za-z0-9_-][A-Za-z0-9._:-]{0,127}$/, {
    error: `must be ${what} of 1-128 characters of A-Z, a-z, 0-9, ".", "_", ":", "-"`,
  });
const userId = id('a user id');
const orderId = id('an order id');
const email = z.email().max(254);
const amount = z.int().min(0); // minor units (cents)
const currency = z.string().regex(/^[A-Z]{3}$/, { error: 'must be an ISO 4217 code such as "EUR"' });

export const userRegisteredData = z.object({
  userId,
  email,
  name: z.string().trim().min(1).max(200).optional(),
});

export const orderCreatedData = z.object({
  orderId,
  userId,
  email,
  total: amount.optional(),
  currency: currency.optional(),
});

export const orderPaidData = z.object({
  orderId,
  userId,
  email,
  amount: amount.optional(),
  currency: currency.optional(),
});

function money(minorUnits: number | undefined, code: string | undefined): string | undefined {
  if (minorUnits === undefined || code === undefined) return undefined;
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
  'user.registered': define(userRegisteredData, (data) => ({
    ownerId: data.userId,
    channel: 'email',
    recipient: data.email,
    subject: 'Welcome!',
    body: `Hi ${data.name ?? 'there'}, your account is ready. Thank you for registering.`,
  })),
  'order.created': define(orderCreatedData, (data) => {
    const total = money(data.total, data.currency);
    return {
      ownerId: data.userId,
      channel: 'email',
      recipient: data.email,
      subject: `Order ${data.orderId} received`,
      body: `We received your order ${data.orderId}${total === undefined ? '' : ` of ${total}`}. We will let you know once the payment is confirmed.`,
    };
  }),
  'order.paid': define(orderPaidData, (data) => {
    const paid = money(data.amount, data.currency);
    return {
      ownerId: data.userId,
      channel: 'email',
      recipient: data.email,
      subject: `Payment received for order ${data.orderId}`,
      body: `We received your payment${paid === undefined ? '' : ` of ${paid}`} for order ${data.orderId}. Thank you!`,
    };
  }),
};
