import { ValidationError, intString, text, z } from '@platform/common';
import type { BucketUnit, TimeRange } from './analytics-store';
import { bucketCount } from './time-buckets';

const DAY_MS = 86_400_000;

/** Longest report range: a year, leap years included. */
export const MAX_RANGE_DAYS = 366;
/** Range when the caller gives none. */
export const DEFAULT_RANGE_DAYS = 30;
/** More buckets than a chart can show; also bounds the response size. */
export const MAX_BUCKETS = 1000;
export const MAX_TOP_PRODUCTS = 50;

const isoDate = z.iso.date();
const isoDateTime = z.iso.datetime({ offset: true });

/** A date (midnight UTC) or a date-time with a time zone; impossible dates such as 2026-02-30 are refused. */
const instant = z
  .string()
  .refine((s) => isoDate.safeParse(s).success || isoDateTime.safeParse(s).success, {
    error:
      'must be an ISO 8601 date or date-time with a time zone, such as 2026-01-31 or 2026-01-31T12:00:00Z',
  })
  .transform((s) => new Date(s));

const rangeShape = { from: instant.optional(), to: instant.optional() };

// Unknown parameters are usually typos ("form") that would silently report the default range.
export const summaryQuery = z.object(rangeShape).strict();

export const BUCKET_UNITS = ['hour', 'day', 'week'] as const satisfies readonly BucketUnit[];

export const ordersQuery = z.object({ ...rangeShape, bucket: z.enum(BUCKET_UNITS).default('day') }).strict();

export const topProductsQuery = z
  .object({
    ...rangeShape,
    limit: intString(1, MAX_TOP_PRODUCTS).default(10),
    by: z.enum(['quantity', 'revenue']).default('quantity'),
    // Through the shared text rule first (common's text.ts), like every string a client sends.
    currency: text({ max: 100 })
      .pipe(z.string().regex(/^[A-Z]{3}$/, { error: 'must be an ISO 4217 code such as "EUR"' }))
      .optional(),
  })
  .strict()
  // A custom issue on the field (not a refine of the object), so the error reads without "(got an object)".
  .check((ctx) => {
    if (ctx.value.by === 'revenue' && ctx.value.currency === undefined) {
      ctx.issues.push({
        code: 'custom',
        input: undefined,
        path: ['currency'],
        message: 'is required when by=revenue (amounts in different currencies cannot be ranked together)',
      });
    }
  });

/** The end of the current minute: a default range that stays the same for a minute can be cached. */
function defaultEnd(now: Date): Date {
  return new Date(Math.ceil((now.getTime() + 1) / 60_000) * 60_000);
}

/**
 * The report range from optional `from`/`to`: `to` defaults to now (the end of the current minute), `from`
 * to DEFAULT_RANGE_DAYS before `to`. Throws a ValidationError naming the parameter when the range is empty
 * or too long.
 */
export function resolveRange(
  query: { from?: Date | undefined; to?: Date | undefined },
  now: Date,
): TimeRange {
  const to = query.to ?? defaultEnd(now);
  const from = query.from ?? new Date(to.getTime() - DEFAULT_RANGE_DAYS * DAY_MS);
  // Name the parameter the caller gave: a defaulted one is not theirs to fix.
  const field = query.to === undefined ? 'from' : 'to';
  const shown = `from=${from.toISOString()}, to=${to.toISOString()}${query.to === undefined ? ' (now)' : ''}`;
  if (from.getTime() >= to.getTime()) {
    const message = field === 'to' ? 'must be after from' : 'must be before to';
    throw new ValidationError([{ field, message: `${message} (got ${shown})` }]);
  }
  if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * DAY_MS) {
    throw new ValidationError([
      {
        field,
        message: `must be at most ${MAX_RANGE_DAYS} days from the other end of the range (got ${shown})`,
      },
    ]);
  }
  return { from, to };
}

/** Refuses ranges that would give more than MAX_BUCKETS buckets, saying how to fix it. */
export function checkBucketCount(range: TimeRange, unit: BucketUnit): void {
  const count = bucketCount(range, unit);
  if (count > MAX_BUCKETS) {
    throw new ValidationError([
      {
        field: 'bucket',
        message:
          `would give ${count} buckets of one ${unit} for this range; at most ${MAX_BUCKETS} are allowed ` +
          '(use a larger bucket or a shorter range)',
      },
    ]);
  }
}
