import { describeOutboxStoreContract } from '../contracts/outbox-store.contract';
import { InMemoryOutboxStore } from './in-memory-outbox';

describeOutboxStoreContract('InMemoryOutboxStore', async () => new InMemoryOutboxStore());
