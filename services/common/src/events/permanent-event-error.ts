/**
 * Thrown by an event handler for an event it can never process, such as one whose payload is invalid:
 * retrying cannot change the outcome, so the consumers (runKafkaConsumer, InMemoryEventBus) send the event
 * to the dead-letter topic after this one attempt instead of retrying it. Anything else a handler throws
 * counts as transient and is retried. Subclass it for a service's own reasons (e.g. InvalidEventError).
 */
export class PermanentEventError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}
