import { ValidationError, parseInput } from '@platform/common';
import {
  checkBucketCount,
  ordersQuery,
  resolveRange,
  summaryQuery,
  topProductsQuery,
} from './analytics-schemas';

const now = new Date('2026-03-10T12:34:56.789Z');

function detailsOf(fn: () => unknown): { field: string; message: string }[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof ValidationError) return [...err.details];
    throw err;
  }
  throw new Error('expected a ValidationError');
}

describe('report ranges', () => {
  it('defaults to the 30 days up to the end of the current minute', () => {
    const range = resolveRange({}, now);
    expect([range.from.toISOString(), range.to.toISOString()]).toEqual([
      '2026-02-08T12:35:00.000Z',
      '2026-03-10T12:35:00.000Z',
    ]);
  });

  it('takes dates as midnight UTC and date-times with their time zone', () => {
    const query = parseInput(summaryQuery, { from: '2026-01-01', to: '2026-01-02T01:00:00+02:00' }, 'query');
    const range = resolveRange(query, now);
    expect([range.from.toISOString(), range.to.toISOString()]).toEqual([
      '2026-01-01T00:00:00.000Z',
      '2026-01-01T23:00:00.000Z',
    ]);
  });

  it('defaults from to 30 days before a given to', () => {
    expect(resolveRange({ to: new Date('2026-01-31T00:00:00Z') }, now).from.toISOString()).toBe(
      '2026-01-01T00:00:00.000Z',
    );
  });

  it.each([
    [
      { from: '2026-01-02', to: '2026-01-01' },
      'to',
      'must be after from (got from=2026-01-02T00:00:00.000Z, to=2026-01-01T00:00:00.000Z)',
    ],
    [
      { from: '2026-01-01', to: '2026-01-01' },
      'to',
      'must be after from (got from=2026-01-01T00:00:00.000Z, to=2026-01-01T00:00:00.000Z)',
    ],
    [
      { from: '2026-04-01' },
      'from',
      'must be before to (got from=2026-04-01T00:00:00.000Z, to=2026-03-10T12:35:00.000Z (now))',
    ],
    [
      { from: '2025-01-01', to: '2026-01-03' },
      'to',
      'must be at most 366 days from the other end of the range (got from=2025-01-01T00:00:00.000Z, to=2026-01-03T00:00:00.000Z)',
    ],
  ])('refuses the range %j naming %s', (raw, field, message) => {
    const query = parseInput(summaryQuery, raw, 'query');
    expect(detailsOf(() => resolveRange(query, now))).toEqual([{ field, message }]);
  });

  it('accepts exactly 366 days', () => {
    const query = parseInput(summaryQuery, { from: '2024-01-01', to: '2025-01-01' }, 'query');
    expect(() => resolveRange(query, now)).not.toThrow();
  });

  it.each(['2026-02-30', '2026-13-01', '2026-01-01T10:00:00', 'yesterday', '1767225600000', ''])(
    'refuses the instant %j saying what is allowed',
    (from) => {
      expect(detailsOf(() => parseInput(summaryQuery, { from }, 'query'))).toEqual([
        {
          field: 'from',
          message: `must be an ISO 8601 date or date-time with a time zone, such as 2026-01-31 or 2026-01-31T12:00:00Z (got ${JSON.stringify(from)})`,
        },
      ]);
    },
  );
});

describe('report parameters', () => {
  it('defaults the bucket to day and top products to the 10 best by quantity', () => {
    expect(parseInput(ordersQuery, {}, 'query')).toEqual({ bucket: 'day' });
    expect(parseInput(topProductsQuery, {}, 'query')).toEqual({ limit: 10, by: 'quantity' });
  });

  it('needs a currency to rank by revenue', () => {
    expect(detailsOf(() => parseInput(topProductsQuery, { by: 'revenue' }, 'query'))).toEqual([
      {
        field: 'currency',
        message: 'is required when by=revenue (amounts in different currencies cannot be ranked together)',
      },
    ]);
    expect(parseInput(topProductsQuery, { by: 'revenue', currency: 'EUR' }, 'query')).toMatchObject({
      by: 'revenue',
      currency: 'EUR',
    });
  });

  it('caps the number of buckets, saying how to fix the request', () => {
    const range = { from: new Date('2026-01-01T00:00:00Z'), to: new Date('2026-03-01T00:00:00Z') };
    expect(() => checkBucketCount(range, 'day')).not.toThrow();
    expect(detailsOf(() => checkBucketCount(range, 'hour'))).toEqual([
      {
        field: 'bucket',
        message:
          'would give 1416 buckets of one hour for this range; at most 1000 are allowed (use a larger bucket or a shorter range)',
      },
    ]);
  });
});
