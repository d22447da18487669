export * from './kafka-cluster-chart';
export * from './kafka-cluster-props';
export {
  DEFAULT_KAFKA_NAME,
  MIRROR_MAKER_LISTENER_PORT,
  kafkaConnection,
  type KafkaConnection,
} from './kafka-connection';
// Ports the monitoring namespace's Prometheus scrapes.
export { METRICS_PORT as KAFKA_METRICS_PORT, TOPIC_OPERATOR_PORT, USER_OPERATOR_PORT } from './strimzi-names';
