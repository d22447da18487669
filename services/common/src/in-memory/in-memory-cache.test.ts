import { describeCacheContract } from '../contracts/cache.contract';
import { describeRateLimiterContract } from '../contracts/rate-limiter.contract';
import { InMemoryCache, InMemoryRateLimiter } from './in-memory-cache';

describeCacheContract('InMemoryCache', async () => new InMemoryCache());
describeRateLimiterContract('InMemoryRateLimiter', async () => new InMemoryRateLimiter());
