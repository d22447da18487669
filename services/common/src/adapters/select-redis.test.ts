import type { Redis } from 'ioredis';
import { ConfigError } from '../config';
import { InMemoryCache } from '../in-memory';
import { RedisCache } from '../redis/redis-cache';
import { waitForRedis } from '../redis/wait-for-redis';
import type { Cache } from '../ports';
import { captureLogger } from '../testing/capture-logger';
import { eventually } from '../testing/eventually';
import type { RedisTestProcess } from '../testing/redis-server';
import { startRedisServer } from '../testing/redis-server';
import { selectRedis } from './select-redis';

describe('selectRedis with CACHE=memory', () => {
  it('builds the in-memory adapter, with nothing to check or close, and warns only when asked', () => {
    const { logger, lines } = captureLogger();
    const part = selectRedis({ CACHE: 'memory', serviceName: 'product' }, logger, {
      memory: (): Cache => new InMemoryCache(),
      open: () => {
        throw new Error('must not open');
      },
    });
    expect(part.value).toBeInstanceOf(InMemoryCache);
    expect(part.readinessChecks).toEqual({});
    expect(part.closeHooks).toEqual([]);
    expect(lines).toEqual([]);

    selectRedis({ CACHE: 'memory', serviceName: 'product' }, logger, {
      memory: (): Cache => new InMemoryCache(),
      open: (redis) => new RedisCache(redis, 'product'),
      memoryWarning: 'CACHE=memory: not shared between replicas',
    });
    expect(lines.map((l) => [l.level, l.msg])).toEqual([
      ['warn', 'CACHE=memory: not shared between replicas'],
    ]);
  });
});

describe('selectRedis with CACHE=redis on a real redis-server', () => {
  let server: RedisTestProcess;
  beforeAll(async () => {
    server = await startRedisServer({ password: 'test-password' });
  });
  afterAll(async () => {
    await server.stop();
  });

  it('opens the adapter on a client of REDIS_URL, keyed by the service, and closes it as `redis`', async () => {
    let client: Redis | undefined;
    const part = selectRedis(
      { CACHE: 'redis', REDIS_URL: server.url, REDIS_PASSWORD: 'test-password', serviceName: 'analytics' },
      captureLogger().logger,
      {
        memory: (): Cache => new InMemoryCache(),
        open: (redis) => {
          client = redis;
          return new RedisCache(redis, 'analytics');
        },
      },
    );
    expect(part.value).toBeInstanceOf(RedisCache);
    expect(part.readinessChecks).toEqual({});
    expect(part.closeHooks.map((h) => h.name)).toEqual(['redis']);
    await waitForRedis(client!);
    await part.value.set('summary', { orders: 3 }, 60);
    expect(await client!.get('analytics:summary')).toBe('{"orders":3}');
    expect(await client!.client('GETNAME')).toBe('analytics');

    await part.closeHooks[0]?.close();
    await eventually(() => expect(client!.status).toBe('end'));
  });

  it('disconnects the client when opening the adapter throws, and rethrows', async () => {
    let client: Redis | undefined;
    const failure = new Error('bad prefix');
    expect(() =>
      selectRedis(
        { CACHE: 'redis', REDIS_URL: server.url, serviceName: 'analytics' },
        captureLogger().logger,
        {
          memory: (): Cache => new InMemoryCache(),
          open: (redis) => {
            client = redis;
            throw failure;
          },
        },
      ),
    ).toThrow(failure);
    await eventually(() => expect(client!.status).toBe('end'));
  });

  it('refuses CACHE=redis without an address, before making a client', () => {
    expect(() =>
      selectRedis({ CACHE: 'redis', serviceName: 'analytics' }, captureLogger().logger, {
        memory: (): Cache => new InMemoryCache(),
        open: () => {
          throw new Error('must not open');
        },
      }),
    ).toThrow(ConfigError);
  });
});
