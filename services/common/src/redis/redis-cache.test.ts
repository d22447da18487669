import type { Redis } from 'ioredis';
import { openTestRedis } from '../testing/test-redis-client';
import { describeCacheContract } from '../contracts/cache.contract';
import { RedisCache } from './redis-cache';

let fixture: Awaited<ReturnType<typeof openTestRedis>>;
let redis: Redis;

beforeAll(async () => {
  fixture = await openTestRedis();
  redis = fixture.redis;
});
afterAll(() => fixture.close());

describeCacheContract('RedisCache on a real redis-server', async () => {
  await redis.flushdb();
  return new RedisCache(redis, 'test');
});

describe('RedisCache', () => {
  beforeEach(() => redis.flushdb());

  it('stores JSON under <prefix>:<key> with the TTL in milliseconds', async () => {
    await new RedisCache(redis, 'product').set('p-1', { price: 5 }, 30);
    expect(await redis.get('product:p-1')).toBe('{"price":5}');
    const ttl = await redis.pttl('product:p-1');
    expect(ttl).toBeGreaterThan(29_000);
    expect(ttl).toBeLessThanOrEqual(30_000);
  });

  it('keeps prefixes apart', async () => {
    const a = new RedisCache(redis, 'product');
    const b = new RedisCache(redis, 'order:quotes');
    await a.set('k', 'from a', 60);
    await b.set('k', 'from b', 60);
    await b.delete('k');
    expect(await a.get('k')).toBe('from a');
    expect(await b.get('k')).toBeUndefined();
  });

  it('reads a value that is not JSON as a miss', async () => {
    await redis.set('product:bad', '{not json');
    expect(await new RedisCache(redis, 'product').get('bad')).toBeUndefined();
  });

  it('refuses a TTL that is not positive and a value JSON cannot hold, naming them', async () => {
    const cache = new RedisCache(redis, 'product');
    await expect(cache.set('k', 1, 0)).rejects.toThrow(
      'RedisCache.set: ttlSeconds must be a positive number (got 0)',
    );
    await expect(cache.set('k', 1, Number.NaN)).rejects.toThrow('(got NaN)');
    await expect(cache.set('k', undefined, 10)).rejects.toThrow(
      'RedisCache.set: value of "k" must be JSON-serialisable (got undefined)',
    );
    expect(await redis.exists('product:k')).toBe(0);
  });

  it('refuses an empty or spaced prefix', () => {
    expect(() => new RedisCache(redis, '')).toThrow('RedisCache: prefix must be 1-64 characters');
    expect(() => new RedisCache(redis, 'a b')).toThrow('(got "a b")');
  });
});
