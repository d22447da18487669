export {
  redisBootstrapScript,
  redisConf,
  redisPreStopScript,
  resolveRedisTopology,
  sentinelBootstrapScript,
  sentinelConf,
  type RedisTopology,
  type ResolvedRedisTopology,
} from './redis-config';
export { RedisSentinelChart, redisConnection } from './redis-sentinel-chart';
export type { RedisAuthSecret, RedisConnection, RedisSentinelProps } from './redis-sentinel-props';
