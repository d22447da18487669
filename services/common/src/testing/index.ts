export type { RedisTestProcess } from './redis-server';
export { startRedisServer, startRedisSentinel } from './redis-server';
