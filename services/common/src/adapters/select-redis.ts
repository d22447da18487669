import type { Redis } from 'ioredis';
import type { Registry } from 'prom-client';
import type { CacheKind } from '../adapter-switches';
import type { Logger } from '../logger';
import { closeRedisClient } from '../redis/close-redis-client';
import type { RedisSettings } from '../redis/create-redis-client';
import { createRedisClient } from '../redis/create-redis-client';
import type { AdapterPart } from './adapter-part';
import { memoryPart } from './adapter-part';

/** What selectRedis reads from a service's config: CACHE and the Redis settings. */
export type CacheSwitch = Omit<RedisSettings, 'serviceName'> & {
  readonly CACHE: CacheKind;
  readonly serviceName: string;
};

export interface SelectRedisOptions<T> {
  /** The in-process adapter for CACHE=memory. */
  readonly memory: () => T;
  /** Builds the adapter on the client, e.g. `new RedisCache(redis, config.serviceName)`. */
  readonly open: (redis: Redis) => T;
  /** Logged as a warning when CACHE=memory. */
  readonly memoryWarning?: string;
  /** The service's registry, for the client's `datastore_connection_failures_total{store="redis"}`. */
  readonly registry?: Registry;
}

/**
 * The adapter CACHE picks: `memory()` for CACHE=memory; for CACHE=redis, a client (through Sentinel or
 * REDIS_URL, connecting in the background) `open`ed into the adapter, with the close hook `redis`. Never a
 * readiness check: the services degrade without Redis instead. Throws ConfigError for a bad address.
 */
export function selectRedis<T>(
  config: CacheSwitch,
  logger: Logger,
  options: SelectRedisOptions<T>,
): AdapterPart<T> {
  if (config.CACHE === 'memory') {
    if (options.memoryWarning !== undefined) logger.warn(options.memoryWarning);
    return memoryPart(options.memory());
  }
  const redis = createRedisClient(
    { ...config, serviceName: config.serviceName },
    logger,
    options.registry === undefined ? {} : { registry: options.registry },
  );
  let value: T;
  try {
    value = options.open(redis);
  } catch (error) {
    // The client reconnects forever and would keep the process alive.
    redis.disconnect();
    throw error;
  }
  return {
    value,
    readinessChecks: {},
    closeHooks: [{ name: 'redis', close: () => closeRedisClient(redis) }],
  };
}
