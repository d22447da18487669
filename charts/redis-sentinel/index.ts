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
export { redisSnapshotScript } from './redis-snapshot-script';
export {
  REDIS_SNAPSHOT_COMPONENT,
  RedisSnapshotCronJob,
  redisSnapshotPodSelector,
  type RedisSnapshotCronJobProps,
} from './redis-snapshot-cronjob';
export { REDIS_EXPORTER_PORT, RedisSentinelChart, redisConnection } from './redis-sentinel-chart';
export type {
  RedisAuthSecret,
  RedisConnection,
  RedisSentinelProps,
  RedisSnapshotProps,
} from './redis-sentinel-props';
