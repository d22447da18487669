import { setTimeout as delay } from 'node:timers/promises';
import type { Cache } from '../ports';

/**
 * Behaviour every Cache must have; runs against InMemoryCache and RedisCache (on a real redis-server).
 * `create` returns an empty cache.
 */
export function describeCacheContract(name: string, create: () => Promise<Cache>): void {
  describe(`${name} (Cache contract)`, () => {
    let cache: Cache;
    beforeEach(async () => {
      cache = await create();
    });

    it('returns undefined for a key never set', async () => {
      expect(await cache.get('missing')).toBeUndefined();
    });

    it('returns JSON values as they were set', async () => {
      const values: Record<string, unknown> = {
        object: { id: 'p-1', price: 1999, tags: ['a', 'b'], nested: { ok: true } },
        array: [1, 'two', null],
        string: 'text with "quotes" and ünïcödé',
        number: 42.5,
        boolean: false,
        null: null,
      };
      for (const [key, value] of Object.entries(values)) await cache.set(key, value, 60);
      for (const [key, value] of Object.entries(values)) expect(await cache.get(key)).toEqual(value);
    });

    it('hands out copies, so changing a value read or set does not change the cached one', async () => {
      const value = { list: [1, 2] };
      await cache.set('k', value, 60);
      value.list.push(3);
      const read = await cache.get<{ list: number[] }>('k');
      read!.list.push(4);
      expect(await cache.get('k')).toEqual({ list: [1, 2] });
    });

    it('overwrites a value', async () => {
      await cache.set('k', 'first', 60);
      await cache.set('k', 'second', 60);
      expect(await cache.get('k')).toBe('second');
    });

    it('forgets a value after its time to live', async () => {
      await cache.set('short', 'v', 0.15);
      await cache.set('long', 'v', 60);
      expect(await cache.get('short')).toBe('v');
      await delay(250);
      expect(await cache.get('short')).toBeUndefined();
      expect(await cache.get('long')).toBe('v');
    });

    it('deletes a key, and deleting a missing key is no error', async () => {
      await cache.set('a', 1, 60);
      await cache.set('b', 2, 60);
      await cache.delete('a');
      await cache.delete('never-set');
      expect(await cache.get('a')).toBeUndefined();
      expect(await cache.get('b')).toBe(2);
    });
  });
}
