/**
 * Which consumed events were handled, so a redelivered event (Kafka delivers at least once) sends nothing
 * twice. A claim is taken before handling and released when handling fails, so the retry can handle it.
 */
export interface ProcessedEventStore {
  /** Records `eventId`; false when it was recorded already (a redelivery or a concurrent delivery). */
  claim(eventId: string): Promise<boolean>;
  /** Forgets `eventId` after its handling failed. */
  release(eventId: string): Promise<void>;
}
