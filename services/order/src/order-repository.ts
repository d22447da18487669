import type { Order, OrderStatus, Payment } from './order';

export interface OrderFilter {
  readonly status?: OrderStatus;
}

export interface PageRequest {
  readonly offset: number;
  readonly limit: number;
}

export interface OrderPage {
  readonly items: readonly Order[];
  readonly total: number;
}

/** Idempotency keys belong to the user who sent them: two users may use the same key. */
export interface IdempotencyScope {
  readonly userId: string;
  readonly key: string;
}

/** What an idempotent request answered; a repeat of the request gets exactly this back. */
export interface StoredResponse {
  readonly status: number;
  readonly body: unknown;
  readonly location?: string;
}

/**
 * `started`: this attempt holds the key (`token`) until it completes or abandons it.
 * `completed`: an earlier request with the key finished; `fingerprint` tells whether it was the same request.
 * `in_progress`: another attempt holds the key right now.
 */
export type BeginIdempotencyResult =
  | { readonly state: 'started'; readonly token: string }
  | { readonly state: 'completed'; readonly fingerprint: string; readonly response: StoredResponse }
  | { readonly state: 'in_progress'; readonly fingerprint: string };

export interface StatusChange {
  readonly from: OrderStatus;
  readonly to: OrderStatus;
  /** ISO-8601 time of the change; becomes `updatedAt`. */
  readonly at: string;
  readonly payment?: Payment;
}

/**
 * The writes of one database transaction. Everything done through it, and every OutboxStore.add given
 * its `session`, commits together or not at all.
 */
export interface OrderTransaction {
  /** The database session (a MongoDB ClientSession) to pass to OutboxStore.add; opaque here. */
  readonly session: unknown;
  insert(order: Order): Promise<void>;
  /** Applies the change only while the order is still in `change.from`; undefined when it is not (or gone). */
  changeStatus(id: string, change: StatusChange): Promise<Order | undefined>;
  /**
   * Records the response of the attempt that began with `token`. False when that attempt no longer holds
   * the key (it timed out and another took over); the caller must then abort the transaction.
   */
  completeIdempotency(scope: IdempotencyScope, token: string, response: StoredResponse): Promise<boolean>;
}

/**
 * Storage of orders and of idempotency records. Expected outcomes are results, not exceptions;
 * exceptions mean the store failed. Lists are newest first (ties by id) so pages are stable.
 */
export interface OrderRepository {
  get(id: string): Promise<Order | undefined>;
  listByUser(userId: string, filter: OrderFilter, page: PageRequest): Promise<OrderPage>;
  /** Runs `work` in one transaction; it may run more than once when the database asks for a retry. */
  transaction<T>(work: (tx: OrderTransaction) => Promise<T>): Promise<T>;
  /**
   * Claims the key for a new attempt, atomically: of concurrent callers exactly one gets `started`.
   * An attempt that held the key longer than the lock timeout without finishing (a crashed pod) is taken
   * over; records expire after the retention period.
   */
  beginIdempotent(scope: IdempotencyScope, fingerprint: string): Promise<BeginIdempotencyResult>;
  /** Frees the key of a failed attempt, so the client may retry with it; a no-op once it is not ours. */
  abandonIdempotent(scope: IdempotencyScope, token: string): Promise<void>;
}

export interface IdempotencyTimings {
  /** How long a finished request's response is replayed. Default 24 hours. */
  readonly retentionMs?: number;
  /** After this long an unfinished attempt is presumed dead and its key may be taken over. Default 60 s. */
  readonly lockTimeoutMs?: number;
}

export const DEFAULT_IDEMPOTENCY_RETENTION_MS = 24 * 60 * 60 * 1000;
export const DEFAULT_IDEMPOTENCY_LOCK_TIMEOUT_MS = 60 * 1000;
