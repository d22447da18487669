import { intString, text, z } from '@platform/common';

export const productId = z.uuid({ error: 'must be a product id (UUID)' });

// Every string a client sends goes through the shared text rule first (see common's text.ts), so a bad
// character gets the same answer here as in every other field of every service.
const sku = text({ max: 100 }).pipe(
  z
    .string()
    .regex(/^[A-Z0-9][A-Z0-9._-]{0,63}$/, { error: 'must be 1-64 characters of A-Z, 0-9, ".", "_", "-"' }),
);
const category = text({ max: 100 }).pipe(
  z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,63}$/, { error: 'must be a slug of 1-64 characters of a-z, 0-9, "-"' }),
);

export const newProductBody = z
  .object({
    sku,
    name: text({ max: 200 }),
    description: text({ max: 2000, min: 0, multiline: true }).optional(),
    price: z.int().min(0), // minor units (cents); z.int() also caps at the largest safe integer
    currency: text({ max: 100 }).pipe(
      z.string().regex(/^[A-Z]{3}$/, { error: 'must be an ISO 4217 code such as "EUR"' }),
    ),
    category,
    stock: z.int().min(0),
  })
  .strict();

// Larger moves are imports, not shop-floor adjustments; the cap also keeps typos from going through.
export const MAX_STOCK_DELTA = 1_000_000;

export const inventoryBody = z
  .object({
    delta: z
      .int()
      .min(-MAX_STOCK_DELTA)
      .max(MAX_STOCK_DELTA)
      .refine((delta) => delta !== 0, { error: 'must not be 0' }),
  })
  .strict();

export const MAX_PAGE_SIZE = 100;

export const listQuery = z
  .object({
    page: intString(1, 10_000).default(1),
    limit: intString(1, MAX_PAGE_SIZE).default(20),
    category: category.optional(),
    minPrice: intString(0, Number.MAX_SAFE_INTEGER).optional(),
    maxPrice: intString(0, Number.MAX_SAFE_INTEGER).optional(),
    q: text({ max: 100 }).optional(),
  })
  // Unknown parameters are usually typos ("catgory") that would silently return unfiltered results.
  .strict()
  .refine(
    (query) =>
      query.minPrice === undefined || query.maxPrice === undefined || query.minPrice <= query.maxPrice,
    {
      error: 'must be >= minPrice',
      path: ['maxPrice'],
    },
  );
