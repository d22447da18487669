import { setTimeout as delay } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { ConfigError } from '../config';
import { captureLogger } from '../testing/capture-logger';
import { eventually } from '../testing/eventually';
import { freePort } from '../testing/free-port';
import type { RedisTestProcess } from '../testing/redis-server';
import { startRedisSentinel, startRedisServer } from '../testing/redis-server';
import { createRedisClient } from './create-redis-client';
import { redisReadiness } from './redis-readiness';
import { waitForRedis } from './wait-for-redis';

const PASSWORD = 'Test-Passw0rd-42';
const clients: Redis[] = [];
const processes: RedisTestProcess[] = [];

afterEach(async () => {
  // disconnect, not quit: some of these clients never connected.
  for (const client of clients.splice(0)) client.disconnect();
  await Promise.all(processes.splice(0).map((p) => p.stop()));
});

function client(settings: Parameters<typeof createRedisClient>[0]) {
  const capture = captureLogger();
  const redis = createRedisClient({ serviceName: 'test', ...settings }, capture.logger);
  clients.push(redis);
  return { redis, ...capture };
}

async function server(options: { port?: number; password?: string } = {}): Promise<RedisTestProcess> {
  const started = await startRedisServer(options);
  processes.push(started);
  return started;
}

describe('createRedisClient settings', () => {
  it('requires REDIS_SENTINELS or REDIS_URL', () => {
    expect(() => createRedisClient({}, captureLogger().logger)).toThrow(ConfigError);
    expect(() => createRedisClient({ REDIS_SENTINELS: [] }, captureLogger().logger)).toThrow(
      'REDIS_SENTINELS or REDIS_URL is required (sentinels in the cluster, a URL for a local Redis)',
    );
  });

  it('refuses a URL ioredis cannot parse with a ConfigError naming REDIS_URL, without its password', () => {
    let error: unknown;
    try {
      createRedisClient({ REDIS_URL: 'redis://:Url-Passw0rd-7@redis:notaport' }, captureLogger().logger);
    } catch (err) {
      error = err;
    }
    expect(error).toEqual(
      new ConfigError(['REDIS_URL is not a Redis URL that ioredis can read: Invalid URL (got <redacted>)']),
    );
    expect(JSON.stringify(error)).not.toContain('Url-Passw0rd-7');
  });

  it('refuses both at once', () => {
    expect(() =>
      createRedisClient(
        { REDIS_URL: 'redis://127.0.0.1:1', REDIS_SENTINELS: [{ host: '127.0.0.1', port: 2 }] },
        captureLogger().logger,
      ),
    ).toThrow('REDIS_SENTINELS and REDIS_URL are both set: set only one');
  });
});

describe('createRedisClient with a single node (REDIS_URL)', () => {
  it('authenticates with REDIS_PASSWORD when the URL has none and names the connection', async () => {
    const redis6 = await server({ password: PASSWORD });
    const { redis } = client({ REDIS_URL: `redis://127.0.0.1:${redis6.port}`, REDIS_PASSWORD: PASSWORD });
    await waitForRedis(redis);
    await redis.set('k', 'v');
    expect(await redis.get('k')).toBe('v');
    expect(await redis.client('GETNAME')).toBe('test');
  });

  it('logs a wrong password as an error without the password, and keeps the process up', async () => {
    const redis6 = await server({ password: PASSWORD });
    const { redis, lines, text } = client({
      REDIS_URL: `redis://127.0.0.1:${redis6.port}`,
      REDIS_PASSWORD: 'Wrong-Passw0rd-99',
    });
    await eventually(() => expect(lines.some((l) => l.msg === 'redis connection error')).toBe(true));
    expect(lines.find((l) => l.msg === 'redis connection error')?.level).toBe('error');
    expect(text()).not.toContain('Wrong-Passw0rd-99');
    expect(redis.status).not.toBe('ready');
  });

  it('fails commands fast while Redis is down, logs the errors sparsely, and recovers when it is back', async () => {
    const port = await freePort();
    const { redis, lines } = client({ REDIS_URL: `redis://127.0.0.1:${port}` });
    const check = redisReadiness(redis);

    const started = Date.now();
    await expect(redis.get('k')).rejects.toThrow(/enableOfflineQueue/);
    expect(Date.now() - started).toBeLessThan(200);
    await expect(check(new AbortController().signal)).rejects.toThrow('redis is not connected');

    // Several reconnect attempts fail meanwhile; the identical error is logged once.
    await eventually(() =>
      expect(lines.filter((l) => l.msg === 'redis reconnecting').length).toBeGreaterThan(2),
    );
    expect(lines.filter((l) => l.msg === 'redis connection error')).toHaveLength(1);

    await server({ port });
    await waitForRedis(redis, 10_000);
    await redis.set('k', 'back');
    expect(await redis.get('k')).toBe('back');
    await check(new AbortController().signal);
    expect(lines.some((l) => l.msg === 'redis ready' && l.mode === 'single')).toBe(true);
  });
});

describe('createRedisClient in Sentinel mode (REDIS_SENTINELS)', () => {
  it('finds the master through a real redis-sentinel and reads and writes on it', async () => {
    const master = await server({ password: PASSWORD });
    const sentinel = await startRedisSentinel({ master, masterName: 'mymaster', password: PASSWORD });
    processes.push(sentinel);

    const { redis, lines, text } = client({
      REDIS_SENTINELS: [{ host: sentinel.host, port: sentinel.port }],
      REDIS_MASTER_NAME: 'mymaster',
      REDIS_PASSWORD: PASSWORD,
    });
    await waitForRedis(redis);
    await redis.set('through-sentinel', 'yes');
    expect(await redis.get('through-sentinel')).toBe('yes');

    // The value really is on the master the sentinel monitors.
    const direct = client({ REDIS_URL: master.url });
    await waitForRedis(direct.redis);
    expect(await direct.redis.get('through-sentinel')).toBe('yes');
    expect(lines.find((l) => l.msg === 'redis ready')).toMatchObject({
      mode: 'sentinel',
      masterName: 'mymaster',
      sentinels: [`127.0.0.1:${sentinel.port}`],
    });
    expect(text()).not.toContain(PASSWORD);
  });

  it('does not connect to a master name the sentinel does not know, and says so in the log', async () => {
    const master = await server({ password: PASSWORD });
    const sentinel = await startRedisSentinel({ master, password: PASSWORD });
    processes.push(sentinel);
    const { redis, lines } = client({
      REDIS_SENTINELS: [{ host: sentinel.host, port: sentinel.port }],
      REDIS_MASTER_NAME: 'other',
      REDIS_PASSWORD: PASSWORD,
    });
    await eventually(() => expect(lines.some((l) => l.msg === 'redis connection error')).toBe(true));
    expect(redis.status).not.toBe('ready');
    await expect(redis.get('k')).rejects.toThrow();
    // ioredis finishes the sentinel retry it has scheduled (at most 1 s) even after disconnect; let it.
    redis.disconnect();
    await delay(1100);
  });
});
