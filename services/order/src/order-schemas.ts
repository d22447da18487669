import { intString, text, z } from '@platform/common';
import { ORDER_STATUSES, PAYMENT_METHODS } from './order';

export const orderId = z.uuid({ error: 'must be an order id (UUID)' });
const productId = z.uuid({ error: 'must be a product id (UUID)' });

export const MAX_ORDER_ITEMS = 50;
export const MAX_ITEM_QUANTITY = 1000;

// Through the shared text rule first (common's text.ts), so a bad character gets the answer it gets everywhere.
const currency = text({ max: 100 }).pipe(
  z.string().regex(/^[A-Z]{3}$/, { error: 'must be an ISO 4217 code such as "EUR"' }),
);

export const newOrderBody = z
  .object({
    items: z
      .array(
        z
          .object({
            productId,
            quantity: z.int().min(1).max(MAX_ITEM_QUANTITY),
          })
          .strict(),
      )
      .min(1)
      .max(MAX_ORDER_ITEMS)
      // One line per product keeps reservations and totals unambiguous; the client adds quantities up.
      .superRefine((items, ctx) => {
        const seen = new Map<string, number>();
        items.forEach((item, index) => {
          const first = seen.get(item.productId);
          if (first === undefined) {
            seen.set(item.productId, index);
            return;
          }
          ctx.addIssue({
            code: 'custom',
            path: [index, 'productId'],
            message: `duplicates items.${first}.productId; list each product once`,
            input: item.productId,
          });
        });
      }),
    /** When given, every product must be priced in it; otherwise the products' common currency is used. */
    currency: currency.optional(),
  })
  .strict();

export type NewOrderInput = z.output<typeof newOrderBody>;

export const payBody = z
  .object({
    method: z.enum(PAYMENT_METHODS),
    amount: z.int().min(1), // minor units (cents); must equal the order total, checked against the order
  })
  .strict();

export type PayInput = z.output<typeof payBody>;

export const MAX_PAGE_SIZE = 100;

export const listQuery = z
  .object({
    page: intString(1, 10_000).default(1),
    limit: intString(1, MAX_PAGE_SIZE).default(20),
    status: z.enum(ORDER_STATUSES).optional(),
  })
  // Unknown parameters are usually typos ("staus") that would silently return unfiltered results.
  .strict();

// Visible ASCII only: the key ends up in logs and database indexes, and spaces would hide mistakes.
export const idempotencyKey = z
  .string()
  .regex(/^[\x21-\x7e]{1,200}$/, { error: 'must be 1-200 visible ASCII characters (no spaces)' });

/** The product fields the order service relies on, as the product service answers them. */
export const catalogProduct = z.object({
  id: z.string(),
  price: z.int().min(0),
  currency,
});
