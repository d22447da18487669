import { DEFAULT_BACKOFF, backoffDelay } from './backoff';

describe('backoffDelay', () => {
  it('doubles the ceiling per retry up to the cap', () => {
    const half = (): number => 0.5;
    const delays = [0, 1, 2, 3, 4, 5].map((retry) => backoffDelay(retry, DEFAULT_BACKOFF, half));
    expect(delays).toEqual([50, 100, 200, 400, 500, 500]);
  });

  it('picks anywhere between 0 and the ceiling (full jitter)', () => {
    expect(backoffDelay(3, { baseMs: 100, capMs: 1000 }, () => 0)).toBe(0);
    expect(backoffDelay(3, { baseMs: 100, capMs: 1000 }, () => 0.9999)).toBe(799);
  });

  it('stays within bounds with the real random source', () => {
    for (let retry = 0; retry < 20; retry += 1) {
      const delay = backoffDelay(retry);
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThan(Math.min(1000, 100 * 2 ** retry));
    }
  });
});
