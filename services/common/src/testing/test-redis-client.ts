import type { Redis } from 'ioredis';
import { createRedisClient } from '../redis/create-redis-client';
import { waitForRedis } from '../redis/wait-for-redis';
import { captureLogger } from './capture-logger';
import { startRedisServer } from './redis-server';

/** A real redis-server on loopback and a connected client, for tests; `close` quits both. */
export async function openTestRedis(): Promise<{ readonly redis: Redis; close(): Promise<void> }> {
  const server = await startRedisServer();
  const redis = createRedisClient({ REDIS_URL: server.url, serviceName: 'test' }, captureLogger().logger);
  await waitForRedis(redis);
  return {
    redis,
    close: async () => {
      await redis.quit();
      await server.stop();
    },
  };
}
