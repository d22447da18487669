export * from './kafka-cluster-chart';
export * from './kafka-cluster-props';
export { kafkaConnection, type KafkaConnection } from './kafka-connection';
