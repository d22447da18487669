export * from './kafka-mirror-maker-chart';
export * from './kafka-mirror-maker-props';
export * from './kafka-mirror-source-chart';
export { KAFKA_MIRROR_MAKER2_SCHEMA } from './kafka-mirror-maker2-schema';
export { MIRROR_JMX_RULES, MIRROR_METRICS_CONFIG_KEY, mirrorMetricsConfig } from './mirror-metrics-config';
export { mirroredTopics } from './mirror-validation';
