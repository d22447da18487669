import type { Request, Response } from 'express';
import { Router } from 'express';
import type { Cache, JwtOptions, Logger, RouteContext } from '@platform/common';
import { getRequestLogger, parseInput, requireAuth, requireRole } from '@platform/common';
import {
  checkBucketCount,
  ordersQuery,
  resolveRange,
  summaryQuery,
  topProductsQuery,
} from './analytics-schemas';
import type { AnalyticsStore, Summary, TimeRange } from './analytics-store';

export interface AnalyticsRoutesOptions {
  readonly store: AnalyticsStore;
  readonly jwt: JwtOptions;
  /** Caches summaries for `summaryCacheSeconds`; reports may then lag new events by that long. */
  readonly cache?: Cache;
  readonly summaryCacheSeconds?: number;
  readonly now?: () => Date;
}

type SummaryResponse = { from: string; to: string } & Summary;

/**
 * The cache is an optimisation: when it fails the report is computed as if it were empty, and the
 * failure only logged.
 */
async function cached(
  cache: Cache | undefined,
  ttlSeconds: number,
  key: string,
  log: Logger,
  compute: () => Promise<SummaryResponse>,
): Promise<SummaryResponse> {
  if (cache === undefined || ttlSeconds <= 0) return compute();
  try {
    const hit = await cache.get<SummaryResponse>(key);
    if (hit !== undefined) return hit;
  } catch (err) {
    log.warn({ err }, 'summary cache read failed');
  }
  const fresh = await compute();
  try {
    await cache.set(key, fresh, ttlSeconds);
  } catch (err) {
    log.warn({ err }, 'summary cache write failed');
  }
  return fresh;
}

function rangeOf(range: TimeRange): { from: string; to: string } {
  return { from: range.from.toISOString(), to: range.to.toISOString() };
}

/** The reporting API; every report needs an access token with the role `analyst`. */
export function analyticsRoutes(options: AnalyticsRoutesOptions, { logger }: RouteContext): Router {
  const { store, cache } = options;
  const ttlSeconds = options.summaryCacheSeconds ?? 0;
  const now = options.now ?? (() => new Date());
  const log = (res: Response) => getRequestLogger(res, logger);
  const router = Router();
  // On the whole prefix, so a report added later cannot be left open by forgetting the guard.
  router.use('/api/analytics', requireAuth(options.jwt), requireRole('analyst'));

  router.get('/api/analytics/summary', async (req: Request, res: Response) => {
    const range = resolveRange(parseInput(summaryQuery, req.query, 'query'), now());
    const { from, to } = rangeOf(range);
    const body = await cached(cache, ttlSeconds, `summary:${from}:${to}`, log(res), async () => ({
      from,
      to,
      ...(await store.summary(range)),
    }));
    res.json(body);
  });

  router.get('/api/analytics/orders', async (req: Request, res: Response) => {
    const { bucket, ...query } = parseInput(ordersQuery, req.query, 'query');
    const range = resolveRange(query, now());
    checkBucketCount(range, bucket);
    res.json({ ...rangeOf(range), bucket, items: await store.orderBuckets(range, bucket) });
  });

  router.get('/api/analytics/products/top', async (req: Request, res: Response) => {
    const { limit, by, currency, ...query } = parseInput(topProductsQuery, req.query, 'query');
    const range = resolveRange(query, now());
    const items = await store.topProducts(range, { limit, by, ...(currency !== undefined && { currency }) });
    res.json({ ...rangeOf(range), by, limit, ...(currency !== undefined && { currency }), items });
  });

  return router;
}
