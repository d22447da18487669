import type { Collection, Db, Document } from '@platform/common';
import { MongoServerError } from '@platform/common';
import type {
  AnalyticsStore,
  BucketUnit,
  CurrencyAmounts,
  Fact,
  FactType,
  OrderBucket,
  OrderItem,
  RecordOutcome,
  Summary,
  TimeRange,
  TopProduct,
  TopProductsQuery,
} from './analytics-store';
import { FACT_TYPES, summaryOf } from './analytics-store';
import { BUCKET_MS, bucketFloor, emptyBuckets, toOrderBuckets } from './time-buckets';

/** One fact per document, keyed by the event id: the unique `_id` index is the processed-event record. */
interface FactDocument {
  readonly _id: string;
  readonly type: FactType;
  readonly occurredAt: Date;
  /** When analytics stored it; only for diagnosing lag. */
  readonly recordedAt: Date;
  readonly userId?: string;
  readonly orderId?: string;
  readonly currency?: string;
  readonly totalCents?: number;
  readonly amountCents?: number;
  readonly items?: readonly OrderItem[];
  readonly channel?: string;
  readonly productId?: string;
  readonly delta?: number;
}

interface SummaryRow {
  readonly byType: readonly { _id: FactType; n: number }[];
  readonly revenue: readonly { _id: string; cents: number }[];
  readonly channels: readonly { _id: { channel: string; type: FactType }; n: number }[];
}

interface BucketRow {
  readonly _id: { i: number; type: FactType; currency?: string };
  readonly n: number;
  readonly cents: number;
}

const DUPLICATE_KEY = 11000;

export interface MongoAnalyticsStoreOptions {
  readonly collection?: string;
  readonly now?: () => Date;
}

function inRange(range: TimeRange): Document {
  return { $gte: range.from, $lt: range.to };
}

/**
 * Facts in one collection with the reports as aggregation pipelines. Raw facts instead of pre-aggregated
 * buckets because the top-products report joins paid orders to their items, which only works at read time
 * when order.paid can arrive before order.created; at this service's volume (orders, not page views) the
 * indexed range scans stay cheap. Needs MongoDB 4.4 or later.
 */
export class MongoAnalyticsStore implements AnalyticsStore {
  private readonly facts: Collection<FactDocument>;
  private readonly now: () => Date;

  private constructor(db: Db, options: MongoAnalyticsStoreOptions) {
    this.facts = db.collection<FactDocument>(options.collection ?? 'analytics_facts');
    this.now = options.now ?? (() => new Date());
  }

  /** The store with its indexes in place (creating an existing index is a no-op). */
  static async create(db: Db, options: MongoAnalyticsStoreOptions = {}): Promise<MongoAnalyticsStore> {
    const store = new MongoAnalyticsStore(db, options);
    await store.facts.createIndexes([
      // Every report is a range scan over some types.
      { key: { type: 1, occurredAt: 1 }, name: 'type_occurredAt' },
      // Top products looks up each paid order's order.created.
      { key: { type: 1, orderId: 1, occurredAt: 1 }, name: 'type_orderId_occurredAt' },
    ]);
    return store;
  }

  async record(fact: Fact): Promise<RecordOutcome> {
    const { eventId, ...fields } = fact;
    try {
      const result = await this.facts.updateOne(
        { _id: eventId },
        { $setOnInsert: { ...fields, recordedAt: this.now() } },
        { upsert: true },
      );
      return result.upsertedCount === 1 ? 'recorded' : 'duplicate';
    } catch (err) {
      // Two deliveries of one event racing: the losing upsert hits the unique _id index.
      if (err instanceof MongoServerError && err.code === DUPLICATE_KEY) return 'duplicate';
      throw err;
    }
  }

  async summary(range: TimeRange): Promise<Summary> {
    const notifications = ['notification.sent', 'notification.failed'];
    const [row] = await this.facts
      .aggregate<SummaryRow>([
        { $match: { type: { $in: FACT_TYPES }, occurredAt: inRange(range) } },
        {
          $facet: {
            byType: [{ $group: { _id: '$type', n: { $sum: 1 } } }],
            revenue: [
              { $match: { type: 'order.paid' } },
              { $group: { _id: '$currency', cents: { $sum: '$amountCents' } } },
            ],
            channels: [
              { $match: { type: { $in: notifications } } },
              { $group: { _id: { channel: '$channel', type: '$type' }, n: { $sum: 1 } } },
            ],
          },
        },
      ])
      .toArray();

    const count = (type: FactType) => row?.byType.find((r) => r._id === type)?.n ?? 0;
    const revenueCents: CurrencyAmounts = {};
    for (const r of row?.revenue ?? []) revenueCents[r._id] = r.cents;
    const byChannel: Record<string, { sent: number; failed: number }> = {};
    for (const r of row?.channels ?? []) {
      const channel = (byChannel[r._id.channel] ??= { sent: 0, failed: 0 });
      if (r._id.type === 'notification.sent') channel.sent += r.n;
      else channel.failed += r.n;
    }
    return summaryOf(count, revenueCents, byChannel);
  }

  async orderBuckets(range: TimeRange, unit: BucketUnit): Promise<OrderBucket[]> {
    const first = bucketFloor(range.from, unit);
    const rows = await this.facts
      .aggregate<BucketRow>([
        { $match: { type: { $in: ['order.created', 'order.paid'] }, occurredAt: inRange(range) } },
        {
          $group: {
            _id: {
              // Date minus date is milliseconds; the same arithmetic as bucketIndex, so both stores agree.
              i: { $floor: { $divide: [{ $subtract: ['$occurredAt', first] }, BUCKET_MS[unit]] } },
              type: '$type',
              currency: '$currency',
            },
            n: { $sum: 1 },
            cents: { $sum: '$amountCents' },
          },
        },
      ])
      .toArray();

    const totals = emptyBuckets(range, unit);
    for (const row of rows) {
      const bucket = totals[row._id.i];
      if (bucket === undefined) continue;
      if (row._id.type === 'order.created') {
        bucket.created += row.n;
      } else {
        bucket.paid += row.n;
        const currency = row._id.currency ?? '';
        bucket.revenueCents[currency] = (bucket.revenueCents[currency] ?? 0) + row.cents;
      }
    }
    return toOrderBuckets(totals, range, unit);
  }

  async topProducts(range: TimeRange, query: TopProductsQuery): Promise<TopProduct[]> {
    const sort: Document =
      query.by === 'revenue' && query.currency !== undefined
        ? { [`revenueCents.${query.currency}`]: -1, quantity: -1, _id: 1 }
        : { quantity: -1, _id: 1 };
    return this.facts
      .aggregate<TopProduct>([
        { $match: { type: 'order.paid', occurredAt: inRange(range) } },
        // An order paid twice (two events) still sells its items once.
        { $group: { _id: '$orderId' } },
        {
          $lookup: {
            from: this.facts.collectionName,
            let: { orderId: '$_id' },
            pipeline: [
              {
                $match: {
                  $expr: { $and: [{ $eq: ['$type', 'order.created'] }, { $eq: ['$orderId', '$$orderId'] }] },
                },
              },
              { $sort: { occurredAt: 1, _id: 1 } },
              { $limit: 1 },
              { $project: { _id: 0, items: 1, currency: 1 } },
            ],
            as: 'order',
          },
        },
        // Paid orders whose order.created has not arrived yet have no known items.
        { $unwind: '$order' },
        ...(query.currency === undefined ? [] : [{ $match: { 'order.currency': query.currency } }]),
        { $unwind: '$order.items' },
        {
          $group: {
            _id: { productId: '$order.items.productId', currency: '$order.currency' },
            quantity: { $sum: '$order.items.quantity' },
            cents: { $sum: { $multiply: ['$order.items.quantity', '$order.items.unitPriceCents'] } },
            orders: { $addToSet: '$_id' },
          },
        },
        {
          $group: {
            _id: '$_id.productId',
            quantity: { $sum: '$quantity' },
            // An order has one currency, so the per-currency order sets never overlap.
            orders: { $sum: { $size: '$orders' } },
            revenue: { $push: { k: '$_id.currency', v: '$cents' } },
          },
        },
        { $addFields: { revenueCents: { $arrayToObject: '$revenue' } } },
        { $sort: sort },
        { $limit: query.limit },
        { $project: { _id: 0, productId: '$_id', quantity: 1, orders: 1, revenueCents: 1 } },
      ])
      .toArray();
  }
}
