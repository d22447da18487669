import type { ContractOptions } from './notification-repository.contract';
import type { ProcessedEventStore } from './processed-event-store';

/**
 * Behaviour every ProcessedEventStore must have: InMemoryProcessedEventStore always,
 * MongoProcessedEventStore when MONGO_URL is set. `create` returns an empty store.
 */
export function describeProcessedEventStoreContract(
  name: string,
  create: () => Promise<ProcessedEventStore>,
  options: ContractOptions = {},
): void {
  const suite = options.skipReason === undefined ? describe : describe.skip;
  const title = options.skipReason === undefined ? name : `${name} (skipped: ${options.skipReason})`;

  suite(`${title} (ProcessedEventStore contract)`, () => {
    let store: ProcessedEventStore;
    beforeEach(async () => {
      store = await create();
    });

    it('claims an event id once; a redelivery cannot claim it again', async () => {
      expect(await store.claim('evt-1')).toBe(true);
      expect(await store.claim('evt-1')).toBe(false);
      expect(await store.claim('evt-2')).toBe(true);
    });

    it('lets a released id be claimed again (handling failed and is retried)', async () => {
      await store.claim('evt-3');
      await store.release('evt-3');
      expect(await store.claim('evt-3')).toBe(true);
    });

    it('gives a concurrently delivered id to exactly one claimant', async () => {
      const claims = await Promise.all(Array.from({ length: 20 }, () => store.claim('evt-race')));
      expect(claims.filter(Boolean)).toHaveLength(1);
    });

    it('treats releasing an unclaimed id as nothing to do', async () => {
      await store.release('never-claimed');
      expect(await store.claim('never-claimed')).toBe(true);
    });
  });
}
