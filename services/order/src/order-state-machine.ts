import { ConflictError } from '@platform/common';
import type { OrderStatus } from './order';

/**
 * Every transition an order may make; anything not listed is refused. Cancelled and refunded are final,
 * and money only goes back through a refund, so a paid order cannot simply be cancelled.
 */
export const ORDER_TRANSITIONS: { readonly [From in OrderStatus]: readonly OrderStatus[] } = {
  pending_payment: ['paid', 'cancelled'],
  paid: ['refunded'],
  cancelled: [],
  refunded: [],
};

export class InvalidTransitionError extends ConflictError {
  constructor(
    readonly from: OrderStatus,
    readonly to: OrderStatus,
  ) {
    const allowed = ORDER_TRANSITIONS[from];
    super(
      `Cannot move an order from ${from} to ${to}; allowed from ${from}: ${
        allowed.length > 0 ? allowed.join(', ') : 'nothing (final state)'
      }`,
      'invalid_transition',
    );
  }
}

export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return ORDER_TRANSITIONS[from].includes(to);
}

/** Throws InvalidTransitionError (409 `invalid_transition`) unless `from -> to` is allowed. */
export function assertTransition(from: OrderStatus, to: OrderStatus): void {
  if (!canTransition(from, to)) throw new InvalidTransitionError(from, to);
}
