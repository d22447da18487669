import { InMemoryProcessedEventStore } from './in-memory-processed-event-store';
import { describeProcessedEventStoreContract } from './processed-event-store.contract';

describeProcessedEventStoreContract(
  'InMemoryProcessedEventStore',
  async () => new InMemoryProcessedEventStore(),
);
