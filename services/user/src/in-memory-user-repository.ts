import { randomUUID } from 'node:crypto';
import type { Role } from '@platform/common';
import { sortRoles } from '@platform/common';
import type { NewUser, User } from './user';
import type { CreateUserResult, UserRepository, WithinCreate } from './user-repository';

/**
 * Process-local store for development and tests. The email is reserved synchronously before `within` runs,
 * so concurrent registrations of one email cannot both succeed, and the user becomes visible only once
 * `within` has succeeded (like a committed transaction). Copies go in and out.
 */
export class InMemoryUserRepository implements UserRepository {
  private readonly byId = new Map<string, User>();
  private readonly idByEmail = new Map<string, string>();
  private readonly reservedEmails = new Set<string>();

  constructor(private readonly now: () => Date = () => new Date()) {}

  async create(input: NewUser, within: WithinCreate): Promise<CreateUserResult> {
    if (this.idByEmail.has(input.email) || this.reservedEmails.has(input.email)) {
      return { ok: false, reason: 'email_taken' };
    }
    this.reservedEmails.add(input.email);
    const user: User = { ...input, id: randomUUID(), createdAt: this.now().toISOString(), roles: [] };
    try {
      await within({ ...user }, undefined);
      this.byId.set(user.id, user);
      this.idByEmail.set(user.email, user.id);
    } finally {
      this.reservedEmails.delete(input.email);
    }
    return { ok: true, user: { ...user } };
  }

  async findById(id: string): Promise<User | undefined> {
    const user = this.byId.get(id);
    return user && { ...user, roles: [...user.roles] };
  }

  async findByEmail(email: string): Promise<User | undefined> {
    const id = this.idByEmail.get(email);
    return id === undefined ? undefined : this.findById(id);
  }

  async grantRole(id: string, role: Role): Promise<User | undefined> {
    return this.updateRoles(id, (roles) => [...roles, role]);
  }

  async revokeRole(id: string, role: Role): Promise<User | undefined> {
    return this.updateRoles(id, (roles) => roles.filter((held) => held !== role));
  }

  private updateRoles(id: string, change: (roles: readonly Role[]) => Role[]): User | undefined {
    const user = this.byId.get(id);
    if (user === undefined) return undefined;
    const updated: User = { ...user, roles: sortRoles(change(user.roles)) };
    this.byId.set(id, updated);
    return { ...updated, roles: [...updated.roles] };
  }
}
