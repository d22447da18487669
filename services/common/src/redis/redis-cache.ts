import type { Redis } from 'ioredis';
import type { Cache } from '../ports';
import { checkPrefix } from './key-prefix';

/**
 * The Cache port on Redis: JSON values under `<prefix>:<key>` with a TTL (SET ... PX, so fractions of a
 * second work as in memory). The prefix keeps services (and uses within one) apart in the shared Redis. A
 * value that is not valid JSON (written by something else) reads as a miss. Rejects when Redis is
 * unreachable: callers decide whether a cache outage degrades to a miss.
 */
export class RedisCache implements Cache {
  private readonly prefix: string;

  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.prefix = checkPrefix('RedisCache', prefix);
  }

  async get<T>(key: string): Promise<T | undefined> {
    const raw = await this.redis.get(`${this.prefix}:${key}`);
    if (raw === null) return undefined;
    try {
      return JSON.parse(raw) as T;
    } catch {
      return undefined;
    }
  }

  async set(key: string, value: unknown, ttlSeconds: number): Promise<void> {
    if (!Number.isFinite(ttlSeconds) || ttlSeconds <= 0) {
      throw new RangeError(`RedisCache.set: ttlSeconds must be a positive number (got ${ttlSeconds})`);
    }
    const json = JSON.stringify(value) as string | undefined;
    if (json === undefined) {
      throw new TypeError(
        `RedisCache.set: value of ${JSON.stringify(key)} must be JSON-serialisable (got ${typeof value})`,
      );
    }
    await this.redis.set(`${this.prefix}:${key}`, json, 'PX', Math.max(1, Math.ceil(ttlSeconds * 1000)));
  }

  async delete(key: string): Promise<void> {
    await this.redis.del(`${this.prefix}:${key}`);
  }
}
