import type { ProcessedEventStore } from './processed-event-store';

/** Event ids in a set, for development and tests; claim checks and adds without an await in between. */
export class InMemoryProcessedEventStore implements ProcessedEventStore {
  private readonly ids = new Set<string>();

  async claim(eventId: string): Promise<boolean> {
    if (this.ids.has(eventId)) return false;
    this.ids.add(eventId);
    return true;
  }

  async release(eventId: string): Promise<void> {
    this.ids.delete(eventId);
  }
}
