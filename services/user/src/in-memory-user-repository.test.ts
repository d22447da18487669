import { InMemoryUserRepository } from './in-memory-user-repository';
import { describeUserRepositoryContract } from './user-repository.contract';

describeUserRepositoryContract('InMemoryUserRepository', async () => new InMemoryUserRepository());

describe('InMemoryUserRepository', () => {
  it('stamps users with the injected clock', async () => {
    const repository = new InMemoryUserRepository(() => new Date('2026-01-01T00:00:00.000Z'));
    const result = await repository.create({ email: 'ada@example.com', name: 'Ada', passwordHash: 'x' }, () =>
      Promise.resolve(),
    );
    expect(result.ok && result.user.createdAt).toBe('2026-01-01T00:00:00.000Z');
  });

  it('does not show a user to readers while `within` is still running', async () => {
    const repository = new InMemoryUserRepository();
    let visibleDuring: unknown = 'not checked';
    await repository.create({ email: 'ada@example.com', name: 'Ada', passwordHash: 'x' }, async (user) => {
      visibleDuring = await repository.findById(user.id);
    });
    expect(visibleDuring).toBeUndefined();
  });
});
