export * from './kafka-mirror-maker-chart';
export * from './kafka-mirror-maker-props';
export * from './kafka-mirror-source-chart';
export { MIRROR_JMX_RULES, MIRROR_METRICS_CONFIG_KEY, mirrorMetricsConfig } from './mirror-metrics-config';
export { mirroredTopics } from './mirror-validation';
