import { randomUUID } from 'node:crypto';
import type { OutboxStore } from '@platform/common';
import { ConflictError, DependencyError, HttpError, NotFoundError, ValidationError } from '@platform/common';
import type { CallContext, ProductCatalog, UserDirectory } from './catalog-clients';
import type { IdempotencyAttempt } from './idempotency';
import { keyTakenOver } from './idempotency';
import type { Order, OrderItem } from './order';
import type { EventOrigin } from './order-events';
import { orderCreated, orderPaid } from './order-events';
import type {
  OrderFilter,
  OrderPage,
  OrderRepository,
  PageRequest,
  StoredResponse,
} from './order-repository';
import type { NewOrderInput, PayInput } from './order-schemas';
import { InvalidTransitionError, assertTransition } from './order-state-machine';

/** The signed-in user making the request, and what to pass on to the services called for it. */
export interface Caller extends CallContext {
  readonly userId: string;
  /** From the access token; carried on the order's events for the notification service. */
  readonly email: string;
}

export interface OrderServiceOptions {
  readonly repository: OrderRepository;
  readonly outbox: OutboxStore;
  readonly users: UserDirectory;
  readonly products: ProductCatalog;
  /** The service name: the `source` of its events. */
  readonly source: string;
  readonly now?: () => Date;
}

function unknownProducts(ids: readonly string[]): HttpError {
  const message =
    ids.length === 1 ? `Product ${ids[0]} does not exist` : `Products ${ids.join(', ')} do not exist`;
  return new HttpError(422, 'unknown_product', message);
}

/** Placing, reading and paying orders. Results are the responses to send (and to replay for a repeat). */
export class OrderService {
  private readonly repository: OrderRepository;
  private readonly outbox: OutboxStore;
  private readonly users: UserDirectory;
  private readonly products: ProductCatalog;
  private readonly source: string;
  private readonly now: () => Date;

  constructor(options: OrderServiceOptions) {
    this.repository = options.repository;
    this.outbox = options.outbox;
    this.users = options.users;
    this.products = options.products;
    this.source = options.source;
    this.now = options.now ?? (() => new Date());
  }

  /** The caller's order; someone else's is "not found" too, so order ids cannot be probed. */
  async get(id: string, userId: string): Promise<Order> {
    const order = await this.repository.get(id);
    if (order === undefined || order.userId !== userId) throw new NotFoundError(`Order ${id} not found`);
    return order;
  }

  list(userId: string, filter: OrderFilter, page: PageRequest): Promise<OrderPage> {
    return this.repository.listByUser(userId, filter, page);
  }

  /**
   * Prices the items, reserves their stock item by item (giving back what was taken when one fails), then
   * stores the order with its `order.created` event (and the idempotent response) in one transaction.
   */
  async place(input: NewOrderInput, caller: Caller, attempt?: IdempotencyAttempt): Promise<StoredResponse> {
    if (!(await this.users.exists(caller.userId, caller))) {
      throw new HttpError(422, 'unknown_user', `User ${caller.userId} does not exist`);
    }
    const { items, currency } = await this.price(input, caller);
    const total = items.reduce((sum, item) => sum + item.unitPrice * item.quantity, 0);
    if (!Number.isSafeInteger(total)) {
      throw new HttpError(422, 'total_too_large', 'The order total is too large; split the order');
    }

    const reserved: OrderItem[] = [];
    let inFlight: OrderItem | undefined;
    try {
      for (const item of items) {
        inFlight = item;
        const result = await this.products.reserve(item.productId, item.quantity, caller);
        inFlight = undefined;
        if (!result.ok) {
          if (result.reason === 'not_found') throw unknownProducts([item.productId]);
          throw new ConflictError(
            `Not enough stock of product ${item.productId} for quantity ${item.quantity}`,
            'insufficient_stock',
          );
        }
        reserved.push(item);
      }

      const createdAt = this.now().toISOString();
      const order: Order = {
        id: randomUUID(),
        userId: caller.userId,
        status: 'pending_payment',
        items,
        total,
        currency,
        createdAt,
        updatedAt: createdAt,
      };
      const response: StoredResponse = { status: 201, body: order, location: `/api/orders/${order.id}` };
      await this.repository.transaction(async (tx) => {
        await tx.insert(order);
        if (attempt && !(await tx.completeIdempotency(attempt.scope, attempt.token, response))) {
          throw keyTakenOver();
        }
        // Last, because an outbox that is not transactional (in memory) cannot take a write back.
        await this.outbox.add([orderCreated(order, this.origin(caller))], tx.session);
      });
      return response;
    } catch (err) {
      if (inFlight !== undefined && err instanceof DependencyError) {
        // The PATCH may have been applied before the connection failed; only the inventory can tell.
        caller.log.error(
          { productId: inFlight.productId, quantity: inFlight.quantity },
          'stock reservation outcome unknown; check the inventory',
        );
      }
      await this.release(reserved, caller);
      throw err;
    }
  }

  /** Moves the order to `paid` if the state machine allows it and the amount is the total. */
  async pay(
    id: string,
    input: PayInput,
    caller: Caller,
    attempt?: IdempotencyAttempt,
  ): Promise<StoredResponse> {
    const order = await this.get(id, caller.userId);
    assertTransition(order.status, 'paid');
    if (input.amount !== order.total) {
      throw new ValidationError([
        {
          field: 'amount',
          message: `must equal the order total of ${order.total} (${order.currency} cents) (got ${input.amount})`,
        },
      ]);
    }
    const paidAt = this.now().toISOString();
    const payment = { method: input.method, amount: input.amount, paidAt };
    const response = await this.repository.transaction(async (tx) => {
      const paid = await tx.changeStatus(id, { from: order.status, to: 'paid', at: paidAt, payment });
      if (paid === undefined) return undefined;
      const stored: StoredResponse = { status: 200, body: paid };
      if (attempt && !(await tx.completeIdempotency(attempt.scope, attempt.token, stored))) {
        throw keyTakenOver();
      }
      await this.outbox.add([orderPaid(paid, this.origin(caller))], tx.session);
      return stored;
    });
    if (response === undefined) {
      // Another request changed the order since it was read; report the state it is in now.
      const current = await this.repository.get(id);
      throw new InvalidTransitionError(current?.status ?? order.status, 'paid');
    }
    return response;
  }

  /** Looks up each product's price and currency; all items must share one currency. */
  private async price(
    input: NewOrderInput,
    caller: Caller,
  ): Promise<{ items: OrderItem[]; currency: string }> {
    const products = await Promise.all(input.items.map((item) => this.products.get(item.productId, caller)));
    const missing = input.items.filter((_, i) => products[i] === undefined).map((item) => item.productId);
    if (missing.length > 0) throw unknownProducts(missing);
    const priced = input.items.map((item, i) => {
      const product = products[i] as NonNullable<(typeof products)[number]>;
      return { ...item, unitPrice: product.price, currency: product.currency };
    });

    // Prices are never converted: an order is in one currency, which every product must be priced in.
    const currency = input.currency ?? priced[0]?.currency ?? '';
    const other = priced.find((item) => item.currency !== currency);
    if (other !== undefined) {
      const message =
        input.currency !== undefined
          ? `Product ${other.productId} is priced in ${other.currency}, not ${input.currency}`
          : `The products are priced in different currencies (${[...new Set(priced.map((p) => p.currency))].join(', ')}); order them separately`;
      throw new HttpError(422, 'currency_mismatch', message);
    }
    return {
      items: priced.map(({ productId, quantity, unitPrice }) => ({ productId, quantity, unitPrice })),
      currency,
    };
  }

  /** Gives reserved stock back; failures are logged for the inventory to be corrected, never thrown. */
  private async release(items: readonly OrderItem[], caller: Caller): Promise<void> {
    for (const item of items) {
      try {
        await this.products.release(item.productId, item.quantity, caller);
      } catch (err) {
        caller.log.error(
          { err, productId: item.productId, quantity: item.quantity },
          'could not release reserved stock; correct the inventory',
        );
      }
    }
  }

  private origin(caller: Caller): EventOrigin {
    return {
      source: this.source,
      email: caller.email,
      ...(caller.requestId !== undefined && { requestId: caller.requestId }),
    };
  }
}
