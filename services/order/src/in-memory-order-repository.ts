import { randomUUID } from 'node:crypto';
import type { Order } from './order';
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

interface IdempotencyRecord {
  readonly fingerprint: string;
  readonly token: string;
  readonly state: 'in_progress' | 'completed';
  readonly response?: StoredResponse;
  readonly startedAt: number;
  readonly expiresAt: number;
}

const scopeId = (scope: IdempotencyScope): string => JSON.stringify([scope.userId, scope.key]);
// Responses go through JSON like they would through a database, so replays are byte-for-byte the same.
const jsonCopy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

function newestFirst(a: Order, b: Order): number {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? 1 : -1;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

/**
 * Process-local store for development and tests. Writes (transactions, idempotency claims) run one at a
 * time through a queue, which is what makes them atomic here: a transaction stages its writes and applies
 * them only after its work, including the outbox write, has succeeded. Copies go in and out so callers
 * cannot change stored orders behind the repository's back.
 */
export class InMemoryOrderRepository implements OrderRepository {
  private readonly byId = new Map<string, Order>();
  private readonly idempotency = new Map<string, IdempotencyRecord>();
  private readonly now: () => Date;
  private readonly retentionMs: number;
  private readonly lockTimeoutMs: number;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(options: IdempotencyTimings & { readonly now?: () => Date } = {}) {
    this.now = options.now ?? (() => new Date());
    this.retentionMs = options.retentionMs ?? DEFAULT_IDEMPOTENCY_RETENTION_MS;
    this.lockTimeoutMs = options.lockTimeoutMs ?? DEFAULT_IDEMPOTENCY_LOCK_TIMEOUT_MS;
  }

  async get(id: string): Promise<Order | undefined> {
    const order = this.byId.get(id);
    return order && structuredClone(order);
  }

  async listByUser(userId: string, filter: OrderFilter, page: PageRequest): Promise<OrderPage> {
    const found = [...this.byId.values()]
      .filter((o) => o.userId === userId && (filter.status === undefined || o.status === filter.status))
      .sort(newestFirst);
    return {
      items: found.slice(page.offset, page.offset + page.limit).map((o) => structuredClone(o)),
      total: found.length,
    };
  }

  transaction<T>(work: (tx: OrderTransaction) => Promise<T>): Promise<T> {
    return this.exclusive(async () => {
      const staged = new Map<string, Order>();
      const completions = new Map<string, IdempotencyRecord>();
      const tx: OrderTransaction = {
        session: undefined,
        insert: async (order) => {
          if (this.byId.has(order.id) || staged.has(order.id)) {
            throw new Error(`Order ${order.id} already exists`);
          }
          staged.set(order.id, structuredClone(order));
        },
        changeStatus: async (id, change) => {
          const current = staged.get(id) ?? this.byId.get(id);
          if (current === undefined || current.status !== change.from) return undefined;
          const next: Order = {
            ...current,
            status: change.to,
            updatedAt: change.at,
            ...(change.payment !== undefined && { payment: { ...change.payment } }),
          };
          staged.set(id, next);
          return structuredClone(next);
        },
        completeIdempotency: async (scope, token, response) => {
          const id = scopeId(scope);
          const record = this.idempotency.get(id);
          if (record === undefined || record.token !== token || record.state !== 'in_progress') return false;
          completions.set(id, {
            ...record,
            state: 'completed',
            response: jsonCopy(response),
            expiresAt: this.now().getTime() + this.retentionMs,
          });
          return true;
        },
      };
      const result = await work(tx);
      // Nothing above can be interleaved (the queue), so applying the staged writes cannot conflict.
      for (const [id, order] of staged) this.byId.set(id, order);
      for (const [id, record] of completions) this.idempotency.set(id, record);
      return result;
    });
  }

  beginIdempotent(scope: IdempotencyScope, fingerprint: string): Promise<BeginIdempotencyResult> {
    return this.exclusive(async () => {
      const now = this.now().getTime();
      const id = scopeId(scope);
      const existing = this.idempotency.get(id);
      const live =
        existing !== undefined &&
        existing.expiresAt > now &&
        (existing.state === 'completed' || existing.startedAt + this.lockTimeoutMs > now);
      if (live) {
        return existing.state === 'completed' && existing.response !== undefined
          ? { state: 'completed', fingerprint: existing.fingerprint, response: jsonCopy(existing.response) }
          : { state: 'in_progress', fingerprint: existing.fingerprint };
      }
      const token = randomUUID();
      this.idempotency.set(id, {
        fingerprint,
        token,
        state: 'in_progress',
        startedAt: now,
        expiresAt: now + this.retentionMs,
      });
      return { state: 'started', token };
    });
  }

  abandonIdempotent(scope: IdempotencyScope, token: string): Promise<void> {
    return this.exclusive(async () => {
      const id = scopeId(scope);
      const record = this.idempotency.get(id);
      if (record?.token === token && record.state === 'in_progress') this.idempotency.delete(id);
    });
  }

  /** Runs `fn` after every write queued before it; never call a queued method from inside `fn`. */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn);
    this.queue = run.catch(() => undefined);
    return run;
  }
}
