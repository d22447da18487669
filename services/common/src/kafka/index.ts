export type { KafkaSettings } from './create-kafka';
export { createKafka, kafkaCredentialProblems } from './create-kafka';
export { kafkaEnv } from './kafka-env';
export { KafkaEventPublisher } from './kafka-event-publisher';
export { isKafkaConnectionError, monitorKafkaTimeouts } from './monitor-kafka-failures';
export type { KafkaReadinessCheck } from './kafka-readiness';
export { kafkaReadiness } from './kafka-readiness';
export type { KafkaConsumer, KafkaConsumerOptions } from './run-kafka-consumer';
export { DEAD_LETTER_HEADERS, runKafkaConsumer } from './run-kafka-consumer';
