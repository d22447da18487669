import type { CloseHook } from '../server';
import { closeAll, openOrClose } from './close-all';

/** Close hooks that record their names in `closed`; `failing` ones reject after recording. */
function hooks(closed: string[], names: string[], failing: string[] = []): CloseHook[] {
  return names.map((name) => ({
    name,
    close: () => {
      closed.push(name);
      return failing.includes(name) ? Promise.reject(new Error(`${name} failed`)) : Promise.resolve();
    },
  }));
}

describe('closeAll', () => {
  it('closes every hook in order, going on past failures', async () => {
    const closed: string[] = [];
    await closeAll(hooks(closed, ['kafka-producer', 'redis', 'mongodb'], ['kafka-producer']));
    expect(closed).toEqual(['kafka-producer', 'redis', 'mongodb']);
  });
});

describe('openOrClose', () => {
  it('returns what was opened and closes nothing', async () => {
    const closed: string[] = [];
    await expect(openOrClose(hooks(closed, ['redis']), () => Promise.resolve('storage'))).resolves.toBe(
      'storage',
    );
    expect(closed).toEqual([]);
  });

  it('closes the opened hooks in order when opening fails and rethrows its error, not theirs', async () => {
    const closed: string[] = [];
    const failure = new Error('mongodb unreachable');
    await expect(
      openOrClose(hooks(closed, ['kafka-producer', 'redis'], ['redis']), () => Promise.reject(failure)),
    ).rejects.toBe(failure);
    expect(closed).toEqual(['kafka-producer', 'redis']);
  });
});
