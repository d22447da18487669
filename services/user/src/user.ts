import type { Role } from '@platform/common';
import { sortRoles } from '@platform/common';

/** A stored account. `passwordHash` never leaves the service: responses and events use PublicUser. */
export interface User {
  readonly id: string;
  /** Normalised: trimmed and lowercase, unique across users. */
  readonly email: string;
  readonly name: string;
  /** `scrypt$N$r$p$salt$hash`, see password-hasher.ts. */
  readonly passwordHash: string;
  readonly createdAt: string;
  /**
   * Roles granted through the API, in the order of ROLES. Not the whole story: a configured administrator
   * (ADMIN_EMAILS) also holds `admin`, see effectiveRoles.
   */
  readonly roles: readonly Role[];
}

/** New users hold no roles; they are granted afterwards by an administrator. */
export type NewUser = Omit<User, 'id' | 'createdAt' | 'roles'>;

export type PublicUser = Omit<User, 'passwordHash' | 'roles'>;

/** Picks the public fields (rather than omitting the hash) so a field added later is not exposed by accident. */
export function toPublicUser(user: User): PublicUser {
  return { id: user.id, email: user.email, name: user.name, createdAt: user.createdAt };
}

/** The roles a user's access token carries: the stored ones, plus `admin` for a configured administrator. */
export function effectiveRoles(user: User, adminEmails: ReadonlySet<string>): Role[] {
  return sortRoles(adminEmails.has(user.email) ? [...user.roles, 'admin'] : user.roles);
}
