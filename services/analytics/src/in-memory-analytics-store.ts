import type {
  AnalyticsStore,
  BucketUnit,
  CurrencyAmounts,
  Fact,
  OrderBucket,
  RecordOutcome,
  Summary,
  TimeRange,
  TopProduct,
  TopProductsQuery,
} from './analytics-store';
import { summaryOf } from './analytics-store';
import { bucketIndex, emptyBuckets, toOrderBuckets } from './time-buckets';

type FactOf<T extends Fact['type']> = Extract<Fact, { type: T }>;

function within(fact: Fact, range: TimeRange): boolean {
  return fact.occurredAt >= range.from && fact.occurredAt < range.to;
}

function earlier(a: Fact, b: Fact): boolean {
  const diff = a.occurredAt.getTime() - b.occurredAt.getTime();
  return diff < 0 || (diff === 0 && a.eventId < b.eventId);
}

function add(amounts: CurrencyAmounts, currency: string, cents: number): void {
  amounts[currency] = (amounts[currency] ?? 0) + cents;
}

/**
 * Process-local store for development and tests. Facts are kept by event id, so the processed-id set and
 * the data are the same map and a redelivered event cannot be counted twice. Each method runs without
 * awaiting in between, so on Node's single thread every call is atomic.
 */
export class InMemoryAnalyticsStore implements AnalyticsStore {
  private readonly facts = new Map<string, Fact>();

  async record(fact: Fact): Promise<RecordOutcome> {
    if (this.facts.has(fact.eventId)) return 'duplicate';
    // A copy, so the caller cannot change a stored fact afterwards.
    this.facts.set(fact.eventId, structuredClone(fact));
    return 'recorded';
  }

  async summary(range: TimeRange): Promise<Summary> {
    const counts = new Map<Fact['type'], number>();
    const revenueCents: CurrencyAmounts = {};
    const byChannel: Record<string, { sent: number; failed: number }> = {};
    for (const fact of this.facts.values()) {
      if (!within(fact, range)) continue;
      counts.set(fact.type, (counts.get(fact.type) ?? 0) + 1);
      if (fact.type === 'order.paid') add(revenueCents, fact.currency, fact.amountCents);
      if (fact.type === 'notification.sent' || fact.type === 'notification.failed') {
        const channel = (byChannel[fact.channel] ??= { sent: 0, failed: 0 });
        if (fact.type === 'notification.sent') channel.sent += 1;
        else channel.failed += 1;
      }
    }
    const count = (type: Fact['type']) => counts.get(type) ?? 0;
    return summaryOf(count, revenueCents, byChannel);
  }

  async orderBuckets(range: TimeRange, unit: BucketUnit): Promise<OrderBucket[]> {
    const totals = emptyBuckets(range, unit);
    for (const fact of this.facts.values()) {
      if (!within(fact, range)) continue;
      if (fact.type !== 'order.created' && fact.type !== 'order.paid') continue;
      const bucket = totals[bucketIndex(fact.occurredAt, range, unit)];
      if (bucket === undefined) continue;
      if (fact.type === 'order.created') {
        bucket.created += 1;
      } else {
        bucket.paid += 1;
        add(bucket.revenueCents, fact.currency, fact.amountCents);
      }
    }
    return toOrderBuckets(totals, range, unit);
  }

  async topProducts(range: TimeRange, query: TopProductsQuery): Promise<TopProduct[]> {
    const paidOrders = new Set<string>();
    // Should an order be announced twice, the earliest order.created wins, as in the MongoDB adapter.
    const created = new Map<string, FactOf<'order.created'>>();
    for (const fact of this.facts.values()) {
      if (fact.type === 'order.paid' && within(fact, range)) paidOrders.add(fact.orderId);
      if (fact.type === 'order.created') {
        const known = created.get(fact.orderId);
        if (known === undefined || earlier(fact, known)) created.set(fact.orderId, fact);
      }
    }

    const products = new Map<
      string,
      { quantity: number; orders: Set<string>; revenueCents: CurrencyAmounts }
    >();
    for (const orderId of paidOrders) {
      const order = created.get(orderId);
      if (order === undefined) continue;
      if (query.currency !== undefined && order.currency !== query.currency) continue;
      for (const item of order.items) {
        let product = products.get(item.productId);
        if (product === undefined) {
          product = { quantity: 0, orders: new Set(), revenueCents: {} };
          products.set(item.productId, product);
        }
        product.quantity += item.quantity;
        product.orders.add(orderId);
        add(product.revenueCents, order.currency, item.quantity * item.unitPriceCents);
      }
    }

    const score = (p: TopProduct): number =>
      query.by === 'quantity' ? p.quantity : (p.revenueCents[query.currency ?? ''] ?? 0);
    return [...products]
      .map(([productId, p]) => ({
        productId,
        quantity: p.quantity,
        orders: p.orders.size,
        revenueCents: p.revenueCents,
      }))
      .sort(
        (a, b) =>
          score(b) - score(a) ||
          b.quantity - a.quantity ||
          (a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : 0),
      )
      .slice(0, query.limit);
  }
}
