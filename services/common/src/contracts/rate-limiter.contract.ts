import { setTimeout as delay } from 'node:timers/promises';
import type { RateLimiter } from '../ports';

/**
 * Behaviour every RateLimiter must have (fixed windows); runs against InMemoryRateLimiter and
 * RedisRateLimiter (on a real redis-server). `create` returns a limiter that has seen no hits.
 */
export function describeRateLimiterContract(name: string, create: () => Promise<RateLimiter>): void {
  describe(`${name} (RateLimiter contract)`, () => {
    let limiter: RateLimiter;
    beforeEach(async () => {
      limiter = await create();
    });

    it('allows `limit` hits per window counting down, then refuses with the time left', async () => {
      const decisions = [];
      for (let i = 0; i < 5; i++) decisions.push(await limiter.hit('login:ann', 3, 60));
      expect(decisions.map((d) => [d.allowed, d.remaining])).toEqual([
        [true, 2],
        [true, 1],
        [true, 0],
        [false, 0],
        [false, 0],
      ]);
      for (const d of decisions) {
        expect(d.retryAfterSeconds).toBeGreaterThanOrEqual(59);
        expect(d.retryAfterSeconds).toBeLessThanOrEqual(60);
      }
    });

    it('counts keys separately', async () => {
      await limiter.hit('a', 1, 60);
      expect((await limiter.hit('a', 1, 60)).allowed).toBe(false);
      expect(await limiter.hit('b', 1, 60)).toMatchObject({ allowed: true, remaining: 0 });
    });

    it('starts a new window once the old one is over', async () => {
      await limiter.hit('k', 1, 0.15);
      expect((await limiter.hit('k', 1, 0.15)).allowed).toBe(false);
      await delay(250);
      expect(await limiter.hit('k', 1, 0.15)).toMatchObject({ allowed: true, remaining: 0 });
    });

    it('keeps the window of the first hit instead of extending it with later hits', async () => {
      await limiter.hit('k', 10, 0.3);
      await delay(150);
      await limiter.hit('k', 10, 0.3);
      await delay(200);
      expect(await limiter.hit('k', 10, 0.3)).toMatchObject({ allowed: true, remaining: 9 });
    });

    it('reports at least one second to wait, also for sub-second windows', async () => {
      expect((await limiter.hit('k', 0, 0.2)).retryAfterSeconds).toBe(1);
    });

    it('forgets a key on reset', async () => {
      await limiter.hit('k', 1, 60);
      await limiter.reset('k');
      await limiter.reset('never-hit');
      expect(await limiter.hit('k', 1, 60)).toMatchObject({ allowed: true, remaining: 0 });
    });

    it('allows exactly `limit` of many concurrent hits', async () => {
      const decisions = await Promise.all(Array.from({ length: 50 }, () => limiter.hit('burst', 7, 60)));
      expect(decisions.filter((d) => d.allowed)).toHaveLength(7);
    });
  });
}
