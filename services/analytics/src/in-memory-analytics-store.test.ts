import { describeAnalyticsStoreContract, facts } from './analytics-store.contract';
import { InMemoryAnalyticsStore } from './in-memory-analytics-store';

describeAnalyticsStoreContract('InMemoryAnalyticsStore', async () => new InMemoryAnalyticsStore());

describe('InMemoryAnalyticsStore', () => {
  it('answers reports with copies, so callers cannot change what the next report sees', async () => {
    const store = new InMemoryAnalyticsStore();
    await store.record(facts.orderPaid('2026-01-05T10:00:00Z', 'o1', 1000));
    const range = { from: new Date('2026-01-01T00:00:00Z'), to: new Date('2026-02-01T00:00:00Z') };
    const first = await store.summary(range);
    (first.revenueCents as Record<string, number>).EUR = 1;
    expect((await store.summary(range)).revenueCents).toEqual({ EUR: 1000 });
  });
});
