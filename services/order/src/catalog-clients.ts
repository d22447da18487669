import type { Logger, ServiceClient, ServiceRequest, ServiceResponse } from '@platform/common';
import { DependencyError } from '@platform/common';
import { catalogProduct } from './order-schemas';

/**
 * Who is asking: the request id is passed on so the other service's logs join up; the user's Authorization
 * only to public APIs. Internal operations (/internal/) authenticate as this service instead (asService).
 */
export interface CallContext {
  readonly requestId?: string;
  readonly authorization?: string;
  readonly log: Logger;
}

export interface CatalogProduct {
  readonly id: string;
  /** Integer minor units (cents). */
  readonly price: number;
  readonly currency: string;
}

export type ReserveResult = { ok: true } | { ok: false; reason: 'insufficient_stock' | 'not_found' };

type Call = Pick<ServiceRequest, 'method' | 'path' | 'body' | 'asService'>;

/**
 * One call through the port. Whatever makes the port reject (unreachable, timeout, 5xx, open breaker) is a
 * DependencyError: 503 `dependency_unavailable` for our client, never a 500.
 */
async function send(
  client: ServiceClient,
  dependency: string,
  call: Call,
  ctx: CallContext,
): Promise<ServiceResponse> {
  try {
    return await client.request({
      ...call,
      ...(ctx.requestId !== undefined && { requestId: ctx.requestId }),
      // Never both: the user's token has no business at an internal operation.
      ...(call.asService !== true && ctx.authorization !== undefined && { authorization: ctx.authorization }),
    });
  } catch (err) {
    ctx.log.warn({ err, dependency, method: call.method, path: call.path }, 'dependency call failed');
    if (err instanceof DependencyError) throw err;
    throw new DependencyError(dependency, 'network', undefined, { cause: err });
  }
}

/** An answer outside the other service's contract: its fault, not the client's, so also a 503. */
function unexpected(
  dependency: string,
  call: Call,
  response: ServiceResponse,
  ctx: CallContext,
): DependencyError {
  ctx.log.warn(
    { dependency, method: call.method, path: call.path, status: response.status },
    'unexpected answer from dependency',
  );
  return new DependencyError(dependency, 'invalid_response', response.status);
}

/** The user service, as far as orders need it. */
export class UserDirectory {
  constructor(private readonly client: ServiceClient) {}

  /** Whether the user still exists (the token may outlive a deleted account); asked as the order service. */
  async exists(userId: string, ctx: CallContext): Promise<boolean> {
    const call: Call = {
      method: 'GET',
      path: `/internal/users/${encodeURIComponent(userId)}`,
      asService: true,
    };
    const response = await send(this.client, 'user', call, ctx);
    if (response.status === 200) return true;
    if (response.status === 404) return false;
    throw unexpected('user', call, response, ctx);
  }
}

/** The product service: prices and stock reservations. */
export class ProductCatalog {
  constructor(private readonly client: ServiceClient) {}

  /** The product's price and currency, or undefined when it does not exist. */
  async get(productId: string, ctx: CallContext): Promise<CatalogProduct | undefined> {
    const call: Call = { method: 'GET', path: `/api/products/${encodeURIComponent(productId)}` };
    const response = await send(this.client, 'product', call, ctx);
    if (response.status === 404) return undefined;
    const parsed = response.status === 200 ? catalogProduct.safeParse(response.body) : undefined;
    if (!parsed?.success || parsed.data.id !== productId) throw unexpected('product', call, response, ctx);
    return parsed.data;
  }

  /** Takes `quantity` off the stock in one atomic step on the product service, as the order service. */
  async reserve(productId: string, quantity: number, ctx: CallContext): Promise<ReserveResult> {
    const response = await this.adjust(productId, -quantity, ctx, [409, 404]);
    if (response.status === 200) return { ok: true };
    return { ok: false, reason: response.status === 404 ? 'not_found' : 'insufficient_stock' };
  }

  /** Puts reserved stock back. Rejects when the product service does not take it. */
  async release(productId: string, quantity: number, ctx: CallContext): Promise<void> {
    await this.adjust(productId, quantity, ctx, []);
  }

  private async adjust(
    productId: string,
    delta: number,
    ctx: CallContext,
    expected: readonly number[],
  ): Promise<ServiceResponse> {
    const call: Call = {
      method: 'PATCH',
      path: `/internal/products/${encodeURIComponent(productId)}/stock`,
      body: { delta },
      asService: true,
    };
    const response = await send(this.client, 'product', call, ctx);
    if (response.status === 200) return response;
    const code = (response.body as { error?: unknown } | null)?.error;
    const known =
      expected.includes(response.status) && (response.status !== 409 || code === 'insufficient_stock');
    if (!known) throw unexpected('product', call, response, ctx);
    return response;
  }
}
