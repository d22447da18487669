import type { Cache, Counter, Logger, RouteContext } from '@platform/common';
import type { Product } from './product';
import { sharedCounter } from './shared-counter';
import { within } from './within';

export interface ProductCacheOptions {
  /** How long a cached product may be served; bounds how stale a read can be after a lost invalidation. */
  readonly ttlSeconds: number;
  /** A cache call slower than this counts as failed, so a hung cache cannot hang requests. */
  readonly timeoutMs?: number;
}

/**
 * A logger, or how to get one: the read path passes the request's logger lazily, since it is needed only
 * when the cache fails and making it costs on every request.
 */
export type LogSource = Logger | (() => Logger);

export const DEFAULT_PRODUCT_CACHE_TTL_SECONDS = 60;
const DEFAULT_TIMEOUT_MS = 250;

type Operation = 'get' | 'set' | 'delete';

/**
 * Cache-aside for single products over the Cache port, made fail-safe: every call is bounded by a
 * timeout and never throws. A failed read is a miss (the caller goes to the repository), a failed write or
 * invalidation is logged and counted, and the TTL bounds how long a stale entry can live.
 */
export class ProductCache {
  private readonly lookups: Counter<'outcome'>;
  private readonly failures: Counter<'operation'>;
  private readonly timeoutMs: number;
  private readonly logger: Logger;

  constructor(
    private readonly cache: Cache,
    private readonly options: ProductCacheOptions,
    { registry, logger }: RouteContext,
  ) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.logger = logger;
    this.lookups = sharedCounter(registry, {
      name: 'product_cache_lookups_total',
      help: 'Product reads by cache outcome (hit, miss, error: served from the repository)',
      labelNames: ['outcome'] as const,
    });
    this.failures = sharedCounter(registry, {
      name: 'product_cache_failures_total',
      help: 'Cache calls that failed or timed out; the request was served without the cache',
      labelNames: ['operation'] as const,
    });
  }

  /**
   * Key per product; the version lets a change of the cached shape start from an empty cache. The Redis
   * adapter adds the service's prefix (`product:item:v1:<id>`).
   */
  static key(id: string): string {
    return `item:v1:${id}`;
  }

  /** The cached product, or undefined on a miss and when the cache fails. */
  async get(id: string, log: LogSource = this.logger): Promise<Product | undefined> {
    const outcome = await this.attempt('get', id, log, () => this.cache.get<Product>(ProductCache.key(id)));
    if (!outcome.ok) {
      this.lookups.inc({ outcome: 'error' });
      return undefined;
    }
    this.lookups.inc({ outcome: outcome.value === undefined ? 'miss' : 'hit' });
    return outcome.value;
  }

  async put(product: Product, log: LogSource = this.logger): Promise<void> {
    await this.attempt('set', product.id, log, () =>
      this.cache.set(ProductCache.key(product.id), product, this.options.ttlSeconds),
    );
  }

  /** Drops the entry after a write, so the next read sees the repository's value. */
  async invalidate(id: string, log: LogSource = this.logger): Promise<void> {
    await this.attempt('delete', id, log, () => this.cache.delete(ProductCache.key(id)));
  }

  private async attempt<T>(
    operation: Operation,
    id: string,
    log: LogSource,
    call: () => Promise<T>,
  ): Promise<{ ok: true; value: T } | { ok: false }> {
    try {
      return { ok: true, value: await within(this.timeoutMs, `cache ${operation}`, call) };
    } catch (err) {
      this.failures.inc({ operation });
      const logger = typeof log === 'function' ? log() : log;
      logger.warn({ err, operation, productId: id }, 'product cache unavailable; serving without it');
      return { ok: false };
    }
  }
}
