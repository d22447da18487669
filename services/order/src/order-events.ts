import { randomUUID } from 'node:crypto';
import type { OutboxEntry } from '@platform/common';
import type { Order, OrderItem, PaymentMethod } from './order';

export const ORDER_EVENTS_TOPIC = 'order-events';

export interface OrderCreatedData {
  readonly orderId: string;
  readonly userId: string;
  readonly items: readonly OrderItem[];
  readonly total: number;
  readonly currency: string;
  readonly createdAt: string;
}

export interface OrderPaidData {
  readonly orderId: string;
  readonly userId: string;
  readonly method: PaymentMethod;
  readonly amount: number;
  readonly currency: string;
  readonly paidAt: string;
}

/** Who emits and why: the service name and the request that caused the event. */
export interface EventOrigin {
  readonly source: string;
  readonly requestId?: string;
}

function entry<T>(type: string, order: Order, occurredAt: string, data: T, origin: EventOrigin): OutboxEntry {
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

export function orderCreated(order: Order, origin: EventOrigin): OutboxEntry {
  const data: OrderCreatedData = {
    orderId: order.id,
    userId: order.userId,
    items: order.items,
    total: order.total,
    currency: order.currency,
    createdAt: order.createdAt,
  };
  return entry('order.created', order, order.createdAt, data, origin);
}

/** For an order that has its payment; throws otherwise (a bug in the caller). */
export function orderPaid(order: Order, origin: EventOrigin): OutboxEntry {
  if (order.payment === undefined) throw new Error(`Order ${order.id} has no payment`);
  const data: OrderPaidData = {
    orderId: order.id,
    userId: order.userId,
    method: order.payment.method,
    amount: order.payment.amount,
    currency: order.currency,
    paidAt: order.payment.paidAt,
  };
  return entry('order.paid', order, order.payment.paidAt, data, origin);
}
