import { bucketCount, bucketFloor, bucketIndex } from './time-buckets';

const at = (iso: string) => new Date(iso);

describe('time buckets (UTC)', () => {
  it.each([
    ['2026-01-07T13:45:12.345Z', 'hour', '2026-01-07T13:00:00.000Z'],
    ['2026-01-07T13:45:12.345Z', 'day', '2026-01-07T00:00:00.000Z'],
    ['2026-01-07T13:45:12.345Z', 'week', '2026-01-05T00:00:00.000Z'], // Wednesday -> Monday
    ['2026-01-05T00:00:00.000Z', 'week', '2026-01-05T00:00:00.000Z'], // Monday stays
    ['2026-01-04T23:59:59.999Z', 'week', '2025-12-29T00:00:00.000Z'], // Sunday -> previous Monday
    ['1969-12-31T12:00:00.000Z', 'day', '1969-12-31T00:00:00.000Z'], // before the epoch
  ] as const)('floors %s to the %s starting %s', (date, unit, start) => {
    expect(bucketFloor(at(date), unit).toISOString()).toBe(start);
  });

  it('counts the buckets touched by a half-open range', () => {
    const day = { from: at('2026-01-01T00:00:00Z'), to: at('2026-01-02T00:00:00Z') };
    expect(bucketCount(day, 'hour')).toBe(24);
    expect(bucketCount(day, 'day')).toBe(1);
    expect(bucketCount({ from: at('2026-01-01T10:30:00Z'), to: at('2026-01-01T12:00:01Z') }, 'hour')).toBe(3);
    expect(bucketCount({ from: at('2026-01-01T00:00:00Z'), to: at('2027-01-02T00:00:00Z') }, 'week')).toBe(
      53,
    );
  });

  it('indexes an instant from the first bucket of the range', () => {
    const range = { from: at('2026-01-01T10:30:00Z'), to: at('2026-01-02T00:00:00Z') };
    expect(bucketIndex(at('2026-01-01T10:59:59Z'), range, 'hour')).toBe(0);
    expect(bucketIndex(at('2026-01-01T11:00:00Z'), range, 'hour')).toBe(1);
    expect(bucketIndex(at('2026-01-01T23:59:59Z'), range, 'hour')).toBe(13);
  });
});
