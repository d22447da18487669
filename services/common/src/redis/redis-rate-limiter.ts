import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { RateLimitDecision, RateLimiter } from '../ports';
import { checkPrefix } from './key-prefix';

// One atomic step: count the hit and, on the window's first hit, start its expiry. A key that somehow has
// no expiry (PTTL -1) gets one too, so a counter can never stick forever.
const HIT_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}
`;
const HIT_SHA = createHash('sha1').update(HIT_SCRIPT).digest('hex');

/**
 * The RateLimiter port on Redis: fixed windows counted under `<prefix>:<key>` by a Lua script (INCR, and
 * PEXPIRE on the first hit), so concurrent hits from every pod share one exact count. Rejects when Redis is
 * unreachable: callers decide whether to fail open or closed.
 */
export class RedisRateLimiter implements RateLimiter {
  private readonly prefix: string;

  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.prefix = checkPrefix('RedisRateLimiter', prefix);
  }

  async hit(key: string, limit: number, windowSeconds: number): Promise<RateLimitDecision> {
    if (!Number.isInteger(limit) || limit < 0) {
      throw new RangeError(`RedisRateLimiter.hit: limit must be an integer >= 0 (got ${limit})`);
    }
    if (!Number.isFinite(windowSeconds) || windowSeconds <= 0) {
      throw new RangeError(
        `RedisRateLimiter.hit: windowSeconds must be a positive number (got ${windowSeconds})`,
      );
    }
    const windowMs = Math.max(1, Math.ceil(windowSeconds * 1000));
    const [count, ttlMs] = (await this.run(`${this.prefix}:${key}`, windowMs)) as [number, number];
    return {
      allowed: count <= limit,
      remaining: Math.max(0, limit - count),
      retryAfterSeconds: Math.max(1, Math.ceil(ttlMs / 1000)),
    };
  }

  async reset(key: string): Promise<void> {
    await this.redis.del(`${this.prefix}:${key}`);
  }

  private async run(key: string, windowMs: number): Promise<unknown> {
    try {
      return await this.redis.evalsha(HIT_SHA, 1, key, windowMs);
    } catch (error) {
      // First use on this server (or after a restart / failover): load the script by sending it whole.
      if (error instanceof Error && error.message.startsWith('NOSCRIPT')) {
        return this.redis.eval(HIT_SCRIPT, 1, key, windowMs);
      }
      throw error;
    }
  }
}
