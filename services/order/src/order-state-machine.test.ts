import type { OrderStatus } from './order';
import { ORDER_STATUSES } from './order';
import {
  InvalidTransitionError,
  ORDER_TRANSITIONS,
  assertTransition,
  canTransition,
} from './order-state-machine';

// Written out by hand on purpose: a change to the machine must change this list too.
const ALLOWED: readonly (readonly [OrderStatus, OrderStatus])[] = [
  ['pending_payment', 'paid'],
  ['pending_payment', 'cancelled'],
  ['paid', 'refunded'],
];

const allPairs = ORDER_STATUSES.flatMap((from) => ORDER_STATUSES.map((to) => [from, to] as const));
const isAllowed = (from: OrderStatus, to: OrderStatus) => ALLOWED.some(([f, t]) => f === from && t === to);
const refused = allPairs.filter(([from, to]) => !isAllowed(from, to));

describe('order state machine', () => {
  it('covers every status, and only known statuses, as a source state', () => {
    expect(Object.keys(ORDER_TRANSITIONS).sort()).toEqual([...ORDER_STATUSES].sort());
  });

  it('refuses 13 of the 16 status pairs', () => {
    expect(allPairs).toHaveLength(16);
    expect(refused).toHaveLength(13);
  });

  it.each(ALLOWED)('allows %s -> %s', (from, to) => {
    expect(canTransition(from, to)).toBe(true);
    expect(() => assertTransition(from, to)).not.toThrow();
  });

  it.each(refused)('refuses %s -> %s with 409 invalid_transition naming both states', (from, to) => {
    expect(canTransition(from, to)).toBe(false);
    let thrown: unknown;
    try {
      assertTransition(from, to);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(InvalidTransitionError);
    const error = thrown as InvalidTransitionError;
    expect({ status: error.status, code: error.code, from: error.from, to: error.to }).toEqual({
      status: 409,
      code: 'invalid_transition',
      from,
      to,
    });
    expect(error.message).toContain(`from ${from} to ${to}`);
  });

  it('never allows staying in the same state', () => {
    for (const status of ORDER_STATUSES) expect(canTransition(status, status)).toBe(false);
  });

  it('says what is allowed instead, or that the state is final', () => {
    expect(new InvalidTransitionError('paid', 'paid').message).toBe(
      'Cannot move an order from paid to paid; allowed from paid: refunded',
    );
    expect(new InvalidTransitionError('pending_payment', 'refunded').message).toBe(
      'Cannot move an order from pending_payment to refunded; allowed from pending_payment: paid, cancelled',
    );
    expect(new InvalidTransitionError('cancelled', 'paid').message).toBe(
      'Cannot move an order from cancelled to paid; allowed from cancelled: nothing (final state)',
    );
  });
});
