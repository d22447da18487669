import type { NewProduct, Product } from './product';

export interface ProductFilter {
  readonly category?: string;
  readonly minPrice?: number;
  readonly maxPrice?: number;
  /** Case-insensitive text search over sku, name and description. */
  readonly q?: string;
}

export interface PageRequest {
  readonly offset: number;
  readonly limit: number;
}

export interface ProductPage {
  readonly items: readonly Product[];
  readonly total: number;
}

export type CreateProductResult = { ok: true; product: Product } | { ok: false; reason: 'duplicate_sku' };

export type AdjustStockResult =
  | { ok: true; product: Product }
  | { ok: false; reason: 'not_found' }
  | { ok: false; reason: 'insufficient_stock'; stock: number };

/**
 * Storage of the catalog. Expected outcomes (duplicate sku, not enough stock) are results, not
 * exceptions, so every implementation reports them the same way; exceptions mean the store failed.
 * Lists are ordered by sku so pages are stable.
 */
export interface ProductRepository {
  list(filter: ProductFilter, page: PageRequest): Promise<ProductPage>;
  get(id: string): Promise<Product | undefined>;
  create(input: NewProduct): Promise<CreateProductResult>;
  /** Adds `delta` (may be negative) in one atomic step; stock never goes below zero. */
  adjustStock(id: string, delta: number): Promise<AdjustStockResult>;
}
