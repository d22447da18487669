import type { FailureRecorder } from '../store-metrics/datastore-failures';

/**
 * kafkajs errors that mean the brokers were not reached or did not answer (KafkaJSConnectionClosedError is
 * a KafkaJSConnectionError), as opposed to a broker refusing a request (an unknown topic, authorization).
 */
const CONNECTION_ERRORS = new Set([
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSRequestTimeoutError',
  'KafkaJSBrokerNotFound',
  'KafkaJSNoBrokerAvailableError',
  'KafkaJSSASLAuthenticationError',
]);

/**
 * Whether `error`, or an error it was caused by (kafkajs wraps retried failures in
 * KafkaJSNumberOfRetriesExceeded with the last one as `cause`), says the brokers could not be reached.
 */
export function isKafkaConnectionError(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    if (CONNECTION_ERRORS.has(current.name)) return true;
    current = current.cause;
  }
  return false;
}

/** What a kafkajs producer or consumer offers for instrumentation events, as far as used here. */
export interface KafkaInstrumented {
  readonly events: { readonly REQUEST_TIMEOUT: string };
  on(eventName: string, listener: () => void): () => void;
}

/**
 * Counts a producer's or consumer's request timeouts (REQUEST_TIMEOUT: a broker did not answer within
 * requestTimeout) into `record`. Crashes, connect and send failures are counted where they are handled
 * (runKafkaConsumer, KafkaEventPublisher), which know whether the process is stopping. DISCONNECT is
 * not counted: kafkajs emits it only when our code calls disconnect(), on shutdown or after a failure
 * already counted. Returns what removes the listener.
 */
export function monitorKafkaTimeouts(client: KafkaInstrumented, record: FailureRecorder): () => void {
  return client.on(client.events.REQUEST_TIMEOUT, () => record());
}
