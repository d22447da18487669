import { randomUUID } from 'node:crypto';
import type { EventType, OrderCreatedPayload, OrderPaidPayload, OutboxEntry } from '@platform/common';
import { EVENT_TOPICS } from '@platform/common';
import type { Order } from './order';

export const ORDER_EVENTS_TOPIC = EVENT_TOPICS['order.created'];

/** Who emits and why: the service name, the request that caused the event, and whose order it is. */
export interface EventOrigin {
  readonly source: string;
  readonly requestId?: string;
  /** The customer's email from the access token: notification writes to it. */
  readonly email: string;
}

function entry(
  type: EventType,
  order: Order,
  occurredAt: string,
  data: OrderCreatedPayload | OrderPaidPayload,
  origin: EventOrigin,
): OutboxEntry {
  return {
    topic: ORDER_EVENTS_TOPIC,
    event: {
      id: randomUUID(),
      type,
      source: origin.source,
      occurredAt,
      // Keyed by order: all events of one order land in one partition, in order.
      key: order.id,
      data,
      ...(origin.requestId !== undefined && { requestId: origin.requestId }),
    },
  };
}

/** `order.created` as the shared event contract describes it (amounts in cents, the customer's email). */
export function orderCreated(order: Order, origin: EventOrigin): OutboxEntry {
  const data: OrderCreatedPayload = {
    orderId: order.id,
    userId: order.userId,
    email: origin.email,
    items: order.items.map((item) => ({
      productId: item.productId,
      quantity: item.quantity,
      unitPriceCents: item.unitPrice,
    })),
    totalCents: order.total,
    currency: order.currency,
    createdAt: order.createdAt,
  };
  return entry('order.created', order, order.createdAt, data, origin);
}

/** `order.paid`, for an order that has its payment; throws otherwise (a bug in the caller). */
export function orderPaid(order: Order, origin: EventOrigin): OutboxEntry {
  if (order.payment === undefined) throw new Error(`Order ${order.id} has no payment`);
  const data: OrderPaidPayload = {
    orderId: order.id,
    userId: order.userId,
    email: origin.email,
    method: order.payment.method,
    amountCents: order.payment.amount,
    currency: order.currency,
    paidAt: order.payment.paidAt,
  };
  return entry('order.paid', order, order.payment.paidAt, data, origin);
}
