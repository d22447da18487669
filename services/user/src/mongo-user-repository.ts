import { randomUUID } from 'node:crypto';
import type { Collection, Db, Role } from '@platform/common';
import { MongoServerError, isRole, sortRoles } from '@platform/common';
import type { NewUser, User } from './user';
import type { CreateUserResult, UserRepository, WithinCreate } from './user-repository';

export const USERS_COLLECTION = 'users';
export const EMAIL_INDEX = 'email_unique';

interface UserDocument {
  readonly _id: string;
  readonly email: string;
  readonly name: string;
  readonly passwordHash: string;
  readonly createdAt: Date;
  /** Absent in documents written before roles existed. */
  readonly roles?: readonly string[];
}

const DUPLICATE_KEY = 11000;

function isDuplicateEmail(err: unknown): boolean {
  if (!(err instanceof MongoServerError) || err.code !== DUPLICATE_KEY) return false;
  // Only the email index means "taken"; a duplicate elsewhere (e.g. in the outbox) is a real failure.
  const keyPattern = err.keyPattern as Record<string, unknown> | undefined;
  return keyPattern === undefined ? err.message.includes(EMAIL_INDEX) : 'email' in keyPattern;
}

function toUser(doc: UserDocument): User {
  return {
    id: doc._id,
    email: doc.email,
    name: doc.name,
    passwordHash: doc.passwordHash,
    createdAt: doc.createdAt.toISOString(),
    // A role removed from ROLES since it was granted is dropped: every service would refuse a token naming it.
    roles: sortRoles((doc.roles ?? []).filter(isRole)),
  };
}

/**
 * The unique email index the repository relies on for `email_taken`. Idempotent: run it at start (or from
 * a migration job) before serving.
 */
export async function ensureIndexes(db: Db): Promise<void> {
  await db
    .collection<UserDocument>(USERS_COLLECTION)
    .createIndex({ email: 1 }, { unique: true, name: EMAIL_INDEX });
}

/**
 * Users in MongoDB. `create` runs the insert and `within` (the outbox write) in one transaction, so it needs
 * a replica set; the unique index makes the email check atomic across replicas of the service.
 */
export class MongoUserRepository implements UserRepository {
  private readonly users: Collection<UserDocument>;

  constructor(
    private readonly db: Db,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.users = db.collection<UserDocument>(USERS_COLLECTION);
  }

  async create(input: NewUser, within: WithinCreate): Promise<CreateUserResult> {
    const doc: UserDocument = { ...input, _id: randomUUID(), createdAt: this.now(), roles: [] };
    const user = toUser(doc);
    const session = this.db.client.startSession();
    try {
      // withTransaction retries the whole callback on transient errors, so it must only write through `session`.
      await session.withTransaction(
        async () => {
          await this.users.insertOne(doc, { session });
          await within({ ...user }, session);
        },
        // Majority, so a registration acknowledged to the client survives a primary failover.
        { readConcern: { level: 'majority' }, writeConcern: { w: 'majority' }, readPreference: 'primary' },
      );
      return { ok: true, user };
    } catch (err) {
      if (isDuplicateEmail(err)) return { ok: false, reason: 'email_taken' };
      throw err;
    } finally {
      await session.endSession();
    }
  }

  async findById(id: string): Promise<User | undefined> {
    const doc = await this.users.findOne({ _id: id });
    return doc === null ? undefined : toUser(doc);
  }

  async findByEmail(email: string): Promise<User | undefined> {
    const doc = await this.users.findOne({ email });
    return doc === null ? undefined : toUser(doc);
  }

  // $addToSet and $pull are atomic on the document, so concurrent grants and revokes never lose each other.
  async grantRole(id: string, role: Role): Promise<User | undefined> {
    const doc = await this.users.findOneAndUpdate(
      { _id: id },
      { $addToSet: { roles: role } },
      { returnDocument: 'after', writeConcern: { w: 'majority' } },
    );
    return doc === null ? undefined : toUser(doc);
  }

  async revokeRole(id: string, role: Role): Promise<User | undefined> {
    const doc = await this.users.findOneAndUpdate(
      { _id: id },
      { $pull: { roles: role } },
      { returnDocument: 'after', writeConcern: { w: 'majority' } },
    );
    return doc === null ? undefined : toUser(doc);
  }
}
