import type { Role } from '@platform/common';
import type { NewUser, User } from './user';
import type { UserRepository, WithinCreate } from './user-repository';

const noop: WithinCreate = () => Promise.resolve();

/**
 * Behaviour every UserRepository must have. The in-memory test always runs it; the MongoDB test runs it
 * against a real replica set when MONGO_URL is set and passes `describe.skip` otherwise.
 */
export function describeUserRepositoryContract(
  name: string,
  create: () => Promise<UserRepository>,
  describeFn: jest.Describe = describe,
): void {
  describeFn(`${name} (UserRepository contract)`, () => {
    let repository: UserRepository;
    beforeEach(async () => {
      repository = await create();
    });

    const input = (email: string, overrides: Partial<NewUser> = {}): NewUser => ({
      email,
      name: `User ${email}`,
      passwordHash: 'scrypt$32768$8$1$c2FsdA==$aGFzaA==',
      ...overrides,
    });

    async function created(newUser: NewUser): Promise<User> {
      const result = await repository.create(newUser, noop);
      if (!result.ok) throw new Error(`could not create ${newUser.email}: ${result.reason}`);
      return result.user;
    }

    it('creates a user with an id and a timestamp, and finds it by id and by email', async () => {
      const user = await created(input('ada@example.com'));
      expect(user).toMatchObject(input('ada@example.com'));
      expect(user.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(Date.parse(user.createdAt)).not.toBeNaN();
      expect(await repository.findById(user.id)).toEqual(user);
      expect(await repository.findByEmail('ada@example.com')).toEqual(user);
    });

    it('returns undefined for an unknown id or email', async () => {
      await created(input('ada@example.com'));
      expect(await repository.findById('00000000-0000-4000-8000-000000000000')).toBeUndefined();
      expect(await repository.findByEmail('grace@example.com')).toBeUndefined();
    });

    it('refuses a second user with the same email, keeping the first and skipping `within`', async () => {
      const first = await created(input('dup@example.com'));
      const within = jest.fn(noop);
      expect(await repository.create(input('dup@example.com', { name: 'Other' }), within)).toEqual({
        ok: false,
        reason: 'email_taken',
      });
      expect(within).not.toHaveBeenCalled();
      expect(await repository.findByEmail('dup@example.com')).toEqual(first);
    });

    it('runs `within` with the new user before committing', async () => {
      const seen: User[] = [];
      const result = await repository.create(input('within@example.com'), async (user) => {
        seen.push(user);
      });
      expect(result.ok && seen).toEqual([result.ok && result.user]);
    });

    it('stores nothing when `within` fails, and the email stays free', async () => {
      const failure = new Error('outbox unavailable');
      await expect(
        repository.create(input('rollback@example.com'), () => Promise.reject(failure)),
      ).rejects.toBe(failure);
      expect(await repository.findByEmail('rollback@example.com')).toBeUndefined();
      const retried = await created(input('rollback@example.com'));
      expect(await repository.findById(retried.id)).toEqual(retried);
    });

    it('lets exactly one of many concurrent registrations of one email succeed', async () => {
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          repository.create(input('race@example.com', { name: `R${i}` }), noop),
        ),
      );
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(results.filter((r) => !r.ok && r.reason === 'email_taken')).toHaveLength(9);
    });

    it('creates users without roles', async () => {
      const user = await created(input('new@example.com'));
      expect(user.roles).toEqual([]);
      expect((await repository.findByEmail('new@example.com'))?.roles).toEqual([]);
    });

    it('grants roles idempotently, keeping them in the order of ROLES, and finds them by id and email', async () => {
      const user = await created(input('roles@example.com'));
      expect((await repository.grantRole(user.id, 'analyst'))?.roles).toEqual(['analyst']);
      expect((await repository.grantRole(user.id, 'admin'))?.roles).toEqual(['admin', 'analyst']);
      expect((await repository.grantRole(user.id, 'analyst'))?.roles).toEqual(['admin', 'analyst']);
      expect((await repository.findById(user.id))?.roles).toEqual(['admin', 'analyst']);
      expect((await repository.findByEmail('roles@example.com'))?.roles).toEqual(['admin', 'analyst']);
    });

    it('revokes roles idempotently, leaving the others and the rest of the user alone', async () => {
      const user = await created(input('revoke@example.com'));
      await repository.grantRole(user.id, 'catalog-manager');
      await repository.grantRole(user.id, 'analyst');
      const revoked = await repository.revokeRole(user.id, 'catalog-manager');
      expect(revoked).toEqual({ ...user, roles: ['analyst'] });
      expect((await repository.revokeRole(user.id, 'catalog-manager'))?.roles).toEqual(['analyst']);
      expect((await repository.revokeRole(user.id, 'admin'))?.roles).toEqual(['analyst']);
      expect(await repository.findById(user.id)).toEqual({ ...user, roles: ['analyst'] });
    });

    it('answers undefined when granting or revoking for an unknown id', async () => {
      const unknown = '00000000-0000-4000-8000-000000000000';
      expect(await repository.grantRole(unknown, 'admin')).toBeUndefined();
      expect(await repository.revokeRole(unknown, 'admin')).toBeUndefined();
      expect(await repository.findById(unknown)).toBeUndefined();
    });

    it('keeps every one of concurrent grants of different roles', async () => {
      const user = await created(input('concurrent@example.com'));
      await Promise.all([
        repository.grantRole(user.id, 'admin'),
        repository.grantRole(user.id, 'catalog-manager'),
        repository.grantRole(user.id, 'analyst'),
      ]);
      expect((await repository.findById(user.id))?.roles).toEqual(['admin', 'catalog-manager', 'analyst']);
    });

    it('changes the roles of one user only', async () => {
      const ada = await created(input('ada@example.com'));
      const grace = await created(input('grace@example.com'));
      await repository.grantRole(ada.id, 'admin');
      expect((await repository.findById(grace.id))?.roles).toEqual([]);
    });

    it('hands out copies, so callers cannot change stored users', async () => {
      const user = await created(input('copy@example.com'));
      (user as { name: string }).name = 'changed';
      const found = await repository.findById(user.id);
      (found as { email: string }).email = 'changed@example.com';
      (found?.roles as Role[]).push('admin');
      const granted = await repository.grantRole(user.id, 'analyst');
      (granted?.roles as Role[]).push('admin');
      expect(await repository.findById(user.id)).toMatchObject({
        name: 'User copy@example.com',
        email: 'copy@example.com',
        roles: ['analyst'],
      });
    });
  });
}
