export { closeRedisClient } from './close-redis-client';
export type { RedisClientOptions, RedisSettings } from './create-redis-client';
export { createRedisClient, redisAddressProblems } from './create-redis-client';
export { RedisCache } from './redis-cache';
export { redisEnv } from './redis-env';
export { RedisRateLimiter } from './redis-rate-limiter';
export { redisReadiness } from './redis-readiness';
export { waitForRedis } from './wait-for-redis';
