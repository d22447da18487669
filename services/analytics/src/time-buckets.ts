import type { BucketUnit, CurrencyAmounts, OrderBucket, TimeRange } from './analytics-store';

const HOUR_MS = 3_600_000;

/** In UTC every hour, day and week has a fixed length, so bucket arithmetic needs no calendar. */
export const BUCKET_MS: Readonly<Record<BucketUnit, number>> = {
  hour: HOUR_MS,
  day: 24 * HOUR_MS,
  week: 7 * 24 * HOUR_MS,
};

// 1970-01-05 was a Monday: weeks are aligned to it so they start on Monday like ISO weeks.
const ALIGNMENT_MS: Readonly<Record<BucketUnit, number>> = { hour: 0, day: 0, week: 4 * 24 * HOUR_MS };

/** Start of the bucket containing `date`. */
export function bucketFloor(date: Date, unit: BucketUnit): Date {
  const size = BUCKET_MS[unit];
  const shifted = date.getTime() - ALIGNMENT_MS[unit];
  return new Date(shifted - (((shifted % size) + size) % size) + ALIGNMENT_MS[unit]);
}

/** How many buckets cover the range: from the one containing `from` to the one containing the last instant. */
export function bucketCount(range: TimeRange, unit: BucketUnit): number {
  const first = bucketFloor(range.from, unit).getTime();
  return Math.max(0, Math.ceil((range.to.getTime() - first) / BUCKET_MS[unit]));
}

/** Per-bucket totals under construction; stores fill them by bucket index, then call `toOrderBuckets`. */
export interface BucketTotals {
  created: number;
  paid: number;
  revenueCents: CurrencyAmounts;
}

export function emptyBuckets(range: TimeRange, unit: BucketUnit): BucketTotals[] {
  return Array.from({ length: bucketCount(range, unit) }, () => ({ created: 0, paid: 0, revenueCents: {} }));
}

/** Index of the bucket holding `date` in `emptyBuckets(range, unit)`. */
export function bucketIndex(date: Date, range: TimeRange, unit: BucketUnit): number {
  return Math.floor((date.getTime() - bucketFloor(range.from, unit).getTime()) / BUCKET_MS[unit]);
}

export function toOrderBuckets(
  totals: readonly BucketTotals[],
  range: TimeRange,
  unit: BucketUnit,
): OrderBucket[] {
  const first = bucketFloor(range.from, unit).getTime();
  return totals.map((t, i) => ({
    start: new Date(first + i * BUCKET_MS[unit]).toISOString(),
    created: t.created,
    paid: t.paid,
    revenueCents: t.revenueCents,
  }));
}
