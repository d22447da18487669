/** One line of an order as the order service announced it; prices are integer minor units (cents). */
export interface OrderItem {
  readonly productId: string;
  readonly quantity: number;
  readonly unitPriceCents: number;
}

interface FactBase {
  /** The event's id: a fact is stored at most once per id, whatever the number of deliveries. */
  readonly eventId: string;
  /** When it happened (the event's occurredAt), not when it arrived: reports stay right when events lag. */
  readonly occurredAt: Date;
}

/** What analytics keeps of one consumed event: only the fields the reports need (no e-mail addresses). */
export type Fact = FactBase &
  (
    | { readonly type: 'user.registered'; readonly userId: string }
    | {
        readonly type: 'order.created';
        readonly orderId: string;
        readonly userId: string;
        readonly currency: string;
        readonly totalCents: number;
        readonly items: readonly OrderItem[];
      }
    | {
        readonly type: 'order.paid';
        readonly orderId: string;
        readonly currency: string;
        readonly amountCents: number;
      }
    | { readonly type: 'order.cancelled'; readonly orderId: string }
    | { readonly type: 'notification.sent' | 'notification.failed'; readonly channel: string }
    | { readonly type: 'product.created'; readonly productId: string }
    | { readonly type: 'inventory.changed'; readonly productId: string; readonly delta: number }
  );

export type FactType = Fact['type'];

export const FACT_TYPES: readonly FactType[] = [
  'user.registered',
  'order.created',
  'order.paid',
  'order.cancelled',
  'notification.sent',
  'notification.failed',
  'product.created',
  'inventory.changed',
];

/** Half-open: `from` is included, `to` is not, so adjacent ranges never count an event twice. */
export interface TimeRange {
  readonly from: Date;
  readonly to: Date;
}

/** Amounts per ISO 4217 currency, e.g. `{ EUR: 1999 }`: amounts in different currencies never add up. */
export type CurrencyAmounts = Record<string, number>;

export interface Summary {
  readonly orders: { readonly created: number; readonly paid: number; readonly cancelled: number };
  /** Sum of order.paid amounts. */
  readonly revenueCents: CurrencyAmounts;
  readonly users: { readonly registered: number };
  readonly notifications: {
    readonly sent: number;
    readonly failed: number;
    readonly byChannel: Record<string, { readonly sent: number; readonly failed: number }>;
  };
  readonly products: { readonly created: number; readonly inventoryChanges: number };
}

/**
 * The summary from per-type counts, revenue per currency and notifications per channel: both stores gather
 * those their own way (a scan in memory, an aggregation in MongoDB) and shape the answer here.
 */
export function summaryOf(
  count: (type: FactType) => number,
  revenueCents: CurrencyAmounts,
  byChannel: Summary['notifications']['byChannel'],
): Summary {
  return {
    orders: {
      created: count('order.created'),
      paid: count('order.paid'),
      cancelled: count('order.cancelled'),
    },
    revenueCents,
    users: { registered: count('user.registered') },
    notifications: { sent: count('notification.sent'), failed: count('notification.failed'), byChannel },
    products: { created: count('product.created'), inventoryChanges: count('inventory.changed') },
  };
}

export type BucketUnit = 'hour' | 'day' | 'week';

export interface OrderBucket {
  /** ISO start of the bucket (UTC; weeks start on Monday). */
  readonly start: string;
  readonly created: number;
  readonly paid: number;
  readonly revenueCents: CurrencyAmounts;
}

export interface TopProductsQuery {
  readonly limit: number;
  readonly by: 'quantity' | 'revenue';
  /** Only orders in this currency; required to rank by revenue. */
  readonly currency?: string;
}

export interface TopProduct {
  readonly productId: string;
  /** Units sold in paid orders. */
  readonly quantity: number;
  /** Paid orders that contained the product. */
  readonly orders: number;
  readonly revenueCents: CurrencyAmounts;
}

export type RecordOutcome = 'recorded' | 'duplicate';

/**
 * Storage of facts and the reports over them. Reports are computed from the facts at read time, so an
 * order.paid that arrives before its order.created still counts, and its items join in once they arrive.
 * Every report covers a TimeRange by the facts' occurredAt.
 */
export interface AnalyticsStore {
  /** Stores the fact unless a fact with its eventId exists; the id check and the write are one step. */
  record(fact: Fact): Promise<RecordOutcome>;
  summary(range: TimeRange): Promise<Summary>;
  /** Orders created, paid and revenue per bucket, every bucket of the range present (zeros when empty). */
  orderBuckets(range: TimeRange, unit: BucketUnit): Promise<OrderBucket[]>;
  /**
   * Best sellers among orders paid in the range (each paid order once), with items from their
   * order.created; ties are broken by productId so the order is stable.
   */
  topProducts(range: TimeRange, query: TopProductsQuery): Promise<TopProduct[]>;
}
