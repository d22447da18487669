import { PAYMENT_METHODS } from '@platform/common';

export const ORDER_STATUSES = ['pending_payment', 'paid', 'cancelled', 'refunded'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

// The methods are part of the order.paid contract, so they are defined there.
export { PAYMENT_METHODS };
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

/** One line of an order, with the price the product had when the order was placed. */
export interface OrderItem {
  readonly productId: string;
  readonly quantity: number;
  /** Integer minor units (cents) in the order's currency. */
  readonly unitPrice: number;
}

export interface Payment {
  readonly method: PaymentMethod;
  /** Integer minor units (cents); always the order total. */
  readonly amount: number;
  readonly paidAt: string;
}

/** An order of one user. Amounts are integer minor units (cents) so arithmetic never rounds. */
export interface Order {
  readonly id: string;
  readonly userId: string;
  readonly status: OrderStatus;
  readonly items: readonly OrderItem[];
  readonly total: number;
  /** ISO 4217 code shared by every item. */
  readonly currency: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly payment?: Payment;
}
