/** A stored account. `passwordHash` never leaves the service: responses and events use PublicUser. */
export interface User {
  readonly id: string;
  /** Normalised: trimmed and lowercase, unique across users. */
  readonly email: string;
  readonly name: string;
  /** `scrypt$N$r$p$salt$hash`, see password-hasher.ts. */
  readonly passwordHash: string;
  readonly createdAt: string;
}

export type NewUser = Omit<User, 'id' | 'createdAt'>;

export type PublicUser = Omit<User, 'passwordHash'>;

/** Picks the public fields (rather than omitting the hash) so a field added later is not exposed by accident. */
export function toPublicUser(user: User): PublicUser {
  return { id: user.id, email: user.email, name: user.name, createdAt: user.createdAt };
}
