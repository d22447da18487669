import type { Redis } from 'ioredis';
import { openTestRedis } from '../testing/test-redis-client';
import { describeRateLimiterContract } from '../contracts/rate-limiter.contract';
import { RedisRateLimiter } from './redis-rate-limiter';

let fixture: Awaited<ReturnType<typeof openTestRedis>>;
let redis: Redis;

beforeAll(async () => {
  fixture = await openTestRedis();
  redis = fixture.redis;
});
afterAll(() => fixture.close());

describeRateLimiterContract('RedisRateLimiter on a real redis-server', async () => {
  await redis.flushdb();
  return new RedisRateLimiter(redis, 'test');
});

describe('RedisRateLimiter', () => {
  beforeEach(() => redis.flushdb());

  it('counts under <prefix>:<key> with the expiry set by the first hit', async () => {
    const limiter = new RedisRateLimiter(redis, 'user:login');
    await limiter.hit('ann@example.com', 5, 60);
    await limiter.hit('ann@example.com', 5, 60);
    expect(await redis.get('user:login:ann@example.com')).toBe('2');
    expect(await redis.pttl('user:login:ann@example.com')).toBeGreaterThan(59_000);
  });

  it('gives a counter left without expiry one, so it cannot block a key forever', async () => {
    await redis.set('user:login:k', '100');
    const decision = await new RedisRateLimiter(redis, 'user:login').hit('k', 5, 10);
    expect(decision).toMatchObject({ allowed: false, retryAfterSeconds: 10 });
    expect(await redis.pttl('user:login:k')).toBeGreaterThan(9_000);
  });

  it('loads its script again after the server forgot it', async () => {
    const limiter = new RedisRateLimiter(redis, 'rl');
    await limiter.hit('k', 5, 60);
    await redis.script('FLUSH');
    expect(await limiter.hit('k', 5, 60)).toMatchObject({ allowed: true, remaining: 3 });
  });

  it('refuses a bad limit or window, naming the value', async () => {
    const limiter = new RedisRateLimiter(redis, 'rl');
    await expect(limiter.hit('k', 1.5, 60)).rejects.toThrow(
      'RedisRateLimiter.hit: limit must be an integer >= 0 (got 1.5)',
    );
    await expect(limiter.hit('k', 5, 0)).rejects.toThrow(
      'RedisRateLimiter.hit: windowSeconds must be a positive number (got 0)',
    );
  });
});
