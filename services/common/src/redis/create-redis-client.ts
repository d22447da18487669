import { Redis } from 'ioredis';
import type { RedisOptions } from 'ioredis';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { ConfigError } from '../config';
import type { HostPort } from '../host-port-list';
import { redactText, secretsInValue } from '../redact';
import { datastoreFailureRecorder } from '../store-metrics/datastore-failures';

/** What createRedisClient reads: the values of redisEnv (pass the loaded config) and the service name. */
export interface RedisSettings {
  readonly REDIS_SENTINELS?: readonly HostPort[] | undefined;
  readonly REDIS_MASTER_NAME?: string | undefined;
  /** For the data nodes and the sentinels; with REDIS_URL, used when the URL has no password. */
  readonly REDIS_PASSWORD?: string | undefined;
  readonly REDIS_URL?: string | undefined;
  /** Shown in CLIENT LIST, so an operator sees which service holds a connection. */
  readonly serviceName?: string | undefined;
}

export interface RedisClientOptions {
  /**
   * The service's registry: every `error` the client emits (a refused or timed-out connect, a reconnect
   * attempt that failed, unreachable sentinels) counts in `datastore_connection_failures_total{store="redis"}`,
   * which starts at 0 when the client is made.
   */
  readonly registry?: Registry;
}

/** Identical connection errors are logged once per this period, not on every reconnect attempt. */
const ERROR_LOG_INTERVAL_MS = 10_000;

function baseOptions(settings: RedisSettings): RedisOptions {
  return {
    ...(settings.serviceName !== undefined && { connectionName: settings.serviceName }),
    // Fail fast: while Redis is unreachable, commands reject at once instead of queueing up in memory.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 5_000,
    commandTimeout: 2_000,
    // Reconnect forever, with a short capped backoff: Redis coming back must not need a restart.
    retryStrategy: (times) => Math.min(100 * 2 ** Math.min(times, 5), 3_000),
    // After a failover a connection may still point at the demoted master: reconnect, asking the sentinels.
    reconnectOnError: (error) => error.message.startsWith('READONLY'),
  };
}

/** What is wrong with the addresses of `settings`, as ConfigError problems; empty when exactly one is set. */
export function redisAddressProblems(
  settings: Pick<RedisSettings, 'REDIS_SENTINELS' | 'REDIS_URL'>,
): string[] {
  const sentinels = settings.REDIS_SENTINELS ?? [];
  if (sentinels.length === 0 && settings.REDIS_URL === undefined) {
    return ['REDIS_SENTINELS or REDIS_URL is required (sentinels in the cluster, a URL for a local Redis)'];
  }
  if (sentinels.length > 0 && settings.REDIS_URL !== undefined) {
    return ['REDIS_SENTINELS and REDIS_URL are both set: set only one'];
  }
  return [];
}

/**
 * An ioredis client: in Sentinel mode from REDIS_SENTINELS + REDIS_MASTER_NAME (following failovers), or a
 * single node from REDIS_URL. It connects in the background and reconnects forever; commands reject at
 * once while it is not connected (no offline queue) and after 2 s without an answer. Connection errors
 * are logged (never the password) and never crash the process. Throws ConfigError unless exactly one of
 * REDIS_SENTINELS and REDIS_URL is set. Close it with `quit()` at shutdown.
 */
export function createRedisClient(
  settings: RedisSettings,
  logger: Logger,
  options: RedisClientOptions = {},
): Redis {
  const sentinels = settings.REDIS_SENTINELS ?? [];
  const url = settings.REDIS_URL;
  const problems = redisAddressProblems(settings);
  if (problems.length > 0) throw new ConfigError(problems);

  const password = settings.REDIS_PASSWORD;
  const base = baseOptions(settings);
  let redis: Redis;
  let target: Record<string, unknown>;
  if (url !== undefined) {
    try {
      redis = new Redis(url, { ...base, ...(password !== undefined && { password }) });
    } catch (error) {
      // ioredis' URL errors quote the whole URL (in `input`), password included: report the variable only.
      // Duck-typed: Node's URL errors may come from another realm (test runners), failing instanceof.
      const message = (error as { message?: unknown } | null)?.message;
      const reason = typeof message === 'string' ? `: ${redactText(message, secretsInValue(url))}` : '';
      throw new ConfigError([`REDIS_URL is not a Redis URL that ioredis can read${reason} (got <redacted>)`]);
    }
    target = { mode: 'single', host: redis.options.host, port: redis.options.port };
  } else {
    const masterName = settings.REDIS_MASTER_NAME ?? 'mymaster';
    redis = new Redis({
      ...base,
      sentinels: sentinels.map(({ host, port }) => ({ host, port })),
      name: masterName,
      role: 'master',
      ...(password !== undefined && { password, sentinelPassword: password }),
      // Asking the sentinels again is cheap, and a failover should be followed within a second.
      sentinelRetryStrategy: (times) => Math.min(200 * times, 1_000),
      sentinelCommandTimeout: 2_000,
      // Subscribes to the sentinels' +switch-master, so a failover is noticed before the next error.
      failoverDetector: true,
    });
    target = { mode: 'sentinel', masterName, sentinels: sentinels.map((s) => `${s.host}:${s.port}`) };
  }

  const recordFailure = datastoreFailureRecorder(options.registry, 'redis');
  let lastError = '';
  let lastErrorAt = 0;
  // The handler also keeps ioredis from treating errors as unhandled: every client made here has one.
  redis.on('error', (err: Error) => {
    // Counted every time, though logged once per period: the rate is what alerts.
    recordFailure();
    const now = Date.now();
    if (err.message === lastError && now - lastErrorAt < ERROR_LOG_INTERVAL_MS) return;
    lastError = err.message;
    lastErrorAt = now;
    logger.error({ err: { name: err.name, message: err.message }, ...target }, 'redis connection error');
  });
  redis.on('ready', () => {
    lastError = '';
    logger.info(target, 'redis ready');
  });
  redis.on('reconnecting', (delayMs: number) => logger.debug({ delayMs, ...target }, 'redis reconnecting'));
  return redis;
}
