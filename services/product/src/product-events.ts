import { randomUUID } from 'node:crypto';
import type {
  EventEnvelope,
  EventPublisher,
  EventType,
  InventoryChangedPayload,
  Logger,
  ProductCreatedPayload,
  RouteContext,
} from '@platform/common';
import type { Counter } from '@platform/common';
import { EVENT_TOPICS } from '@platform/common';
import type { Product } from './product';
import { sharedCounter } from './shared-counter';
import { within } from './within';

/** The topic analytics reads product facts from (created by the platform, never auto-created). */
export const ANALYTICS_TOPIC = EVENT_TOPICS['product.created'];

export const PRODUCT_CREATED = 'product.created';
export const INVENTORY_CHANGED = 'inventory.changed';

export interface ProductEventsOptions {
  /** The emitting service (config.serviceName). */
  readonly source: string;
  /** How long a write waits for the broker's acknowledgement before it answers anyway. */
  readonly timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 1000;

/**
 * Publishes product facts for analytics, best effort: after the write has succeeded, never failing or
 * holding the request beyond the timeout. A lost event (broker down, timeout, crash right after the write)
 * is logged and counted, not retried: analytics reports tolerate a missing data point, and the product's
 * own state stays correct in the repository. Events are keyed by product id, so per product they keep
 * their order within the topic.
 */
export class ProductEvents {
  private readonly published: Counter<'type' | 'outcome'>;
  private readonly timeoutMs: number;

  constructor(
    private readonly publisher: EventPublisher,
    private readonly options: ProductEventsOptions,
    { registry }: RouteContext,
  ) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.published = sharedCounter(registry, {
      name: 'product_events_total',
      help: 'Events sent to analytics by type and outcome (failed: logged and dropped)',
      labelNames: ['type', 'outcome'] as const,
    });
  }

  productCreated(product: Product, log: Logger, requestId?: string): Promise<void> {
    const data: ProductCreatedPayload = {
      productId: product.id,
      sku: product.sku,
      name: product.name,
      category: product.category,
      priceCents: product.price,
      currency: product.currency,
      stock: product.stock,
    };
    return this.emit(PRODUCT_CREATED, product.id, product.createdAt, data, log, requestId);
  }

  inventoryChanged(product: Product, delta: number, log: Logger, requestId?: string): Promise<void> {
    const data: InventoryChangedPayload = {
      productId: product.id,
      sku: product.sku,
      category: product.category,
      delta,
      stock: product.stock,
    };
    return this.emit(INVENTORY_CHANGED, product.id, product.updatedAt, data, log, requestId);
  }

  /** Resolves when the broker acknowledged, failed or timed out; never rejects. */
  private async emit(
    type: EventType,
    key: string,
    occurredAt: string,
    data: unknown,
    log: Logger,
    requestId: string | undefined,
  ): Promise<void> {
    const event: EventEnvelope = {
      id: randomUUID(),
      type,
      source: this.options.source,
      occurredAt,
      key,
      data,
      ...(requestId !== undefined && { requestId }),
    };
    try {
      await within(this.timeoutMs, `publishing ${type}`, () =>
        this.publisher.publish(ANALYTICS_TOPIC, [event]),
      );
      this.published.inc({ type, outcome: 'published' });
    } catch (err) {
      this.published.inc({ type, outcome: 'failed' });
      log.error(
        { err, eventId: event.id, eventType: type, topic: ANALYTICS_TOPIC, productId: key },
        'analytics event not published; dropped (best effort)',
      );
    }
  }
}
