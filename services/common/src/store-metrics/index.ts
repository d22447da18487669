export type { Datastore, FailureRecorder } from './datastore-failures';
export {
  DATASTORES,
  DATASTORE_FAILURES_METRIC,
  datastoreFailureCounter,
  datastoreFailureRecorder,
} from './datastore-failures';
export { DEAD_LETTERS_METRIC, deadLetterCounter, deadLetterRecorder } from './dead-letter-metrics';
export type { OutboxGauges } from './outbox-metrics';
export { OUTBOX_OLDEST_AGE_METRIC, OUTBOX_PENDING_METRIC, outboxGauges } from './outbox-metrics';
