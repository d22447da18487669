import type { Redis } from 'ioredis';

/**
 * Closes a client at shutdown (a CloseHook): QUIT after the replies in flight; while Redis is unreachable
 * QUIT cannot be sent, so the client just stops reconnecting. Never rejects.
 */
export async function closeRedisClient(redis: Pick<Redis, 'quit' | 'disconnect'>): Promise<void> {
  try {
    await redis.quit();
  } catch {
    redis.disconnect();
  }
}
