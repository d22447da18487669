import type { Redis } from 'ioredis';

/**
 * Resolves once the client is connected (at once if it is), or rejects after `timeoutMs` naming its
 * status. For tests and for a start that prefers to wait briefly: commands fail fast before that.
 */
export function waitForRedis(redis: Redis, timeoutMs = 10_000): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onReady = (): void => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      redis.off('ready', onReady);
      reject(new Error(`redis not connected after ${timeoutMs} ms (status ${redis.status})`));
    }, timeoutMs);
    redis.once('ready', onReady);
  });
}
