import { randomUUID } from 'node:crypto';
import type { ClientSession, Collection, Db, Filter } from '@platform/common';
import { MongoServerError } from '@platform/common';
import type { Order, OrderStatus, Payment } from './order';
import type {
  BeginIdempotencyResult,
  IdempotencyScope,
  IdempotencyTimings,
  OrderFilter,
  OrderPage,
  OrderRepository,
  OrderTransaction,
  PageRequest,
  StoredResponse,
} from './order-repository';
import { DEFAULT_IDEMPOTENCY_LOCK_TIMEOUT_MS, DEFAULT_IDEMPOTENCY_RETENTION_MS } from './order-repository';

type OrderDocument = Omit<Order, 'id'> & { _id: string };

interface IdempotencyDocument {
  readonly userId: string;
  readonly key: string;
  readonly fingerprint: string;
  readonly token: string;
  readonly state: 'in_progress' | 'completed';
  readonly response?: StoredResponse;
  readonly startedAt: Date;
  /** A TTL index deletes the record after this time. */
  readonly expiresAt: Date;
}

export interface MongoOrderRepositoryOptions extends IdempotencyTimings {
  /** The service's database; transactions start sessions on its client (a replica set is required). */
  readonly db: Db;
  readonly now?: () => Date;
}

export const ORDERS_COLLECTION = 'orders';
export const IDEMPOTENCY_COLLECTION = 'order_idempotency_keys';

const DUPLICATE_KEY = 11000;
// A claim only loses to a record that expires or is freed in between; more than a few rounds means a bug.
const MAX_CLAIM_ROUNDS = 5;

function toOrder({ _id, ...rest }: OrderDocument): Order {
  return { id: _id, ...rest };
}

function toDocument({ id, ...rest }: Order): OrderDocument {
  return { _id: id, ...rest };
}

function isDuplicateKey(err: unknown): boolean {
  return err instanceof MongoServerError && err.code === DUPLICATE_KEY;
}

/**
 * Orders in MongoDB. Writes that must land together (order, outbox event, idempotent response) run in one
 * multi-document transaction; the (userId, key) unique index makes concurrent claims of an Idempotency-Key
 * safe across pods. Create it with `open`, which ensures the indexes before the first request.
 */
export class MongoOrderRepository implements OrderRepository {
  private readonly db: Db;
  private readonly orders: Collection<OrderDocument>;
  private readonly keys: Collection<IdempotencyDocument>;
  private readonly now: () => Date;
  private readonly retentionMs: number;
  private readonly lockTimeoutMs: number;

  constructor(options: MongoOrderRepositoryOptions) {
    this.db = options.db;
    this.orders = options.db.collection<OrderDocument>(ORDERS_COLLECTION);
    this.keys = options.db.collection<IdempotencyDocument>(IDEMPOTENCY_COLLECTION);
    this.now = options.now ?? (() => new Date());
    this.retentionMs = options.retentionMs ?? DEFAULT_IDEMPOTENCY_RETENTION_MS;
    this.lockTimeoutMs = options.lockTimeoutMs ?? DEFAULT_IDEMPOTENCY_LOCK_TIMEOUT_MS;
  }

  static async open(options: MongoOrderRepositoryOptions): Promise<MongoOrderRepository> {
    const repository = new MongoOrderRepository(options);
    await repository.ensureIndexes();
    return repository;
  }

  /** Idempotent; creating an index that exists with the same definition is a no-op. */
  async ensureIndexes(): Promise<void> {
    await this.orders.createIndexes([
      { key: { userId: 1, createdAt: -1, _id: -1 }, name: 'user_newest_first' },
      { key: { userId: 1, status: 1, createdAt: -1, _id: -1 }, name: 'user_status_newest_first' },
    ]);
    await this.keys.createIndexes([
      { key: { userId: 1, key: 1 }, name: 'user_key_unique', unique: true },
      { key: { expiresAt: 1 }, name: 'expire_at', expireAfterSeconds: 0 },
    ]);
  }

  async get(id: string): Promise<Order | undefined> {
    const doc = await this.orders.findOne({ _id: id });
    return doc === null ? undefined : toOrder(doc);
  }

  async listByUser(userId: string, filter: OrderFilter, page: PageRequest): Promise<OrderPage> {
    const query: Filter<OrderDocument> = {
      userId,
      ...(filter.status !== undefined && { status: filter.status }),
    };
    const [docs, total] = await Promise.all([
      this.orders.find(query).sort({ createdAt: -1, _id: -1 }).skip(page.offset).limit(page.limit).toArray(),
      this.orders.countDocuments(query),
    ]);
    return { items: docs.map(toOrder), total };
  }

  async transaction<T>(work: (tx: OrderTransaction) => Promise<T>): Promise<T> {
    const session = this.db.client.startSession();
    try {
      return await session.withTransaction(() => work(this.transactionOn(session)), {
        readConcern: { level: 'snapshot' },
        writeConcern: { w: 'majority' },
      });
    } finally {
      await session.endSession();
    }
  }

  async beginIdempotent(scope: IdempotencyScope, fingerprint: string): Promise<BeginIdempotencyResult> {
    const { userId, key } = scope;
    for (let round = 0; round < MAX_CLAIM_ROUNDS; round++) {
      const now = this.now();
      const token = randomUUID();
      try {
        // Creates the record, or takes over one that expired or whose attempt died; a live record makes
        // the upsert try an insert, which the unique index refuses.
        await this.keys.findOneAndUpdate(
          {
            userId,
            key,
            $or: [
              { expiresAt: { $lte: now } },
              { state: 'in_progress', startedAt: { $lte: new Date(now.getTime() - this.lockTimeoutMs) } },
            ],
          },
          {
            $set: {
              userId,
              key,
              fingerprint,
              token,
              state: 'in_progress',
              startedAt: now,
              expiresAt: new Date(now.getTime() + this.retentionMs),
            },
            $unset: { response: '' },
          },
          { upsert: true },
        );
        return { state: 'started', token };
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
      }
      const existing = await this.keys.findOne({ userId, key });
      // Freed or expired since the claim failed: claim again.
      if (existing === null || existing.expiresAt <= now) continue;
      if (existing.state === 'completed' && existing.response !== undefined) {
        return { state: 'completed', fingerprint: existing.fingerprint, response: existing.response };
      }
      if (existing.startedAt.getTime() + this.lockTimeoutMs > now.getTime()) {
        return { state: 'in_progress', fingerprint: existing.fingerprint };
      }
    }
    throw new Error(`Could not claim Idempotency-Key after ${MAX_CLAIM_ROUNDS} rounds`);
  }

  async abandonIdempotent(scope: IdempotencyScope, token: string): Promise<void> {
    await this.keys.deleteOne({ userId: scope.userId, key: scope.key, token, state: 'in_progress' });
  }

  private transactionOn(session: ClientSession): OrderTransaction {
    return {
      session,
      insert: async (order) => {
        await this.orders.insertOne(toDocument(order), { session });
      },
      changeStatus: async (id, change) => {
        const set: { status: OrderStatus; updatedAt: string; payment?: Payment } = {
          status: change.to,
          updatedAt: change.at,
          ...(change.payment !== undefined && { payment: change.payment }),
        };
        const doc = await this.orders.findOneAndUpdate(
          { _id: id, status: change.from },
          { $set: set },
          { session, returnDocument: 'after' },
        );
        return doc === null ? undefined : toOrder(doc);
      },
      completeIdempotency: async (scope, token, response) => {
        const result = await this.keys.updateOne(
          { userId: scope.userId, key: scope.key, token, state: 'in_progress' },
          {
            $set: {
              state: 'completed',
              response,
              expiresAt: new Date(this.now().getTime() + this.retentionMs),
            },
          },
          { session },
        );
        return result.matchedCount === 1;
      },
    };
  }
}
