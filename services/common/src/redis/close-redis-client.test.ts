import type { RedisTestProcess } from '../testing/redis-server';
import { startRedisServer } from '../testing/redis-server';
import { captureLogger } from '../testing/capture-logger';
import { eventually } from '../testing/eventually';
import { freePort } from '../testing/free-port';
import { closeRedisClient } from './close-redis-client';
import { createRedisClient } from './create-redis-client';
import { waitForRedis } from './wait-for-redis';

describe('closeRedisClient', () => {
  let server: RedisTestProcess | undefined;
  afterAll(async () => {
    await server?.stop();
  });

  it('quits a connected client', async () => {
    server = await startRedisServer();
    const redis = createRedisClient({ REDIS_URL: server.url }, captureLogger().logger);
    await waitForRedis(redis);
    await closeRedisClient(redis);
    await eventually(() => expect(redis.status).toBe('end'));
  });

  it('resolves and stops reconnecting while Redis is unreachable', async () => {
    const redis = createRedisClient(
      { REDIS_URL: `redis://127.0.0.1:${await freePort()}` },
      captureLogger().logger,
    );
    await expect(closeRedisClient(redis)).resolves.toBeUndefined();
    await eventually(() => expect(redis.status).toBe('end'));
  });
});
