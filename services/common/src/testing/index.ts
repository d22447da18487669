export type { RedisTestProcess } from './redis-server';
export { startRedisServer, startRedisSentinel } from './redis-server';
export type { BrokenSetting, FailedStart } from './broken-connection-settings';
export { BROKEN_CONNECTION_SETTINGS, PLANTED_PASSWORDS, startWithEnv } from './broken-connection-settings';
export { textRefusal } from './text-refusal';
export type { RefusedServiceToken } from './refused-service-tokens';
export { refusedServiceTokens } from './refused-service-tokens';
export type { MetricSample } from './metric-samples';
export { declaresMetric, metricSamples, sampleValue } from './metric-samples';
