import type { Role } from '@platform/common';
import type { NewUser, User } from './user';

export type CreateUserResult = { ok: true; user: User } | { ok: false; reason: 'email_taken' };

/**
 * Work that must commit or fail together with the new user, such as adding its event to the outbox.
 * `session` is the store's transaction handle (a MongoDB ClientSession; undefined in memory), to pass on
 * to OutboxStore.add.
 */
export type WithinCreate = (user: User, session: unknown) => Promise<void>;

/**
 * Storage of accounts. A duplicate email is a result, not an exception, so every implementation reports
 * it the same way; exceptions mean the store failed. Emails are compared exactly: callers normalise them.
 */
export interface UserRepository {
  /**
   * Stores the user and runs `within` in the same transaction: if `within` throws, the user is not stored
   * and the error propagates. The email check and the insert are one atomic step.
   */
  create(input: NewUser, within: WithinCreate): Promise<CreateUserResult>;
  findById(id: string): Promise<User | undefined>;
  findByEmail(email: string): Promise<User | undefined>;
  /** Adds `role` to the user's stored roles (idempotent); the updated user, or undefined for an unknown id. */
  grantRole(id: string, role: Role): Promise<User | undefined>;
  /** Removes `role` from the user's stored roles (idempotent); the updated user, or undefined for an unknown id. */
  revokeRole(id: string, role: Role): Promise<User | undefined>;
}
