import { randomUUID } from 'node:crypto';
import type { NewProduct, Product } from './product';
import type {
  AdjustStockResult,
  CreateProductResult,
  PageRequest,
  ProductFilter,
  ProductPage,
  ProductRepository,
} from './product-repository';

function matches(product: Product, filter: ProductFilter, q: string | undefined): boolean {
  if (filter.category !== undefined && product.category !== filter.category) return false;
  if (filter.minPrice !== undefined && product.price < filter.minPrice) return false;
  if (filter.maxPrice !== undefined && product.price > filter.maxPrice) return false;
  if (q === undefined) return true;
  return [product.sku, product.name, product.description ?? ''].some((text) =>
    text.toLowerCase().includes(q),
  );
}

/**
 * Process-local store for development and tests. Each method reads and writes without awaiting in
 * between, so on Node's single thread every call is atomic. Copies go in and out so callers cannot
 * change stored products behind the repository's back.
 */
export class InMemoryProductRepository implements ProductRepository {
  private readonly byId = new Map<string, Product>();
  private readonly skus = new Set<string>();

  constructor(
    private readonly now: () => Date = () => new Date(),
    private readonly newId: () => string = randomUUID,
  ) {}

  async list(filter: ProductFilter, page: PageRequest): Promise<ProductPage> {
    const q = filter.q?.toLowerCase();
    const found = [...this.byId.values()]
      .filter((product) => matches(product, filter, q))
      .sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0));
    return {
      items: found.slice(page.offset, page.offset + page.limit).map((p) => ({ ...p })),
      total: found.length,
    };
  }

  async get(id: string): Promise<Product | undefined> {
    const product = this.byId.get(id);
    return product && { ...product };
  }

  async create(input: NewProduct): Promise<CreateProductResult> {
    if (this.skus.has(input.sku)) return { ok: false, reason: 'duplicate_sku' };
    const timestamp = this.now().toISOString();
    const product: Product = { ...input, id: this.newId(), createdAt: timestamp, updatedAt: timestamp };
    this.byId.set(product.id, product);
    this.skus.add(product.sku);
    return { ok: true, product: { ...product } };
  }

  async adjustStock(id: string, delta: number): Promise<AdjustStockResult> {
    const current = this.byId.get(id);
    if (!current) return { ok: false, reason: 'not_found' };
    if (current.stock + delta < 0) return { ok: false, reason: 'insufficient_stock', stock: current.stock };
    const product: Product = {
      ...current,
      stock: current.stock + delta,
      updatedAt: this.now().toISOString(),
    };
    this.byId.set(id, product);
    return { ok: true, product: { ...product } };
  }
}
