import { randomUUID } from 'node:crypto';
import type { Collection, Db, Filter, IndexSpec } from '@platform/common';
import { MongoServerError, ensureIndexes } from '@platform/common';
import type { NewProduct, Product } from './product';
import type {
  AdjustStockResult,
  CreateProductResult,
  PageRequest,
  ProductFilter,
  ProductPage,
  ProductRepository,
} from './product-repository';

/** A product as stored: the UUID is the `_id`, times are BSON dates. */
export interface ProductDocument {
  _id: string;
  sku: string;
  name: string;
  description?: string;
  price: number;
  currency: string;
  category: string;
  stock: number;
  createdAt: Date;
  updatedAt: Date;
}

export const PRODUCTS_COLLECTION = 'products';

/**
 * The indexes the queries rely on. The unique sku index is what makes `duplicate_sku` atomic; category and
 * price serve the list filters, and category carries sku so a category page is read in sku order.
 */
export const PRODUCT_INDEXES: readonly IndexSpec[] = [
  { collection: PRODUCTS_COLLECTION, key: { sku: 1 }, name: 'sku_unique', unique: true },
  { collection: PRODUCTS_COLLECTION, key: { category: 1, sku: 1 }, name: 'category_sku' },
  { collection: PRODUCTS_COLLECTION, key: { price: 1 }, name: 'price' },
];

const DUPLICATE_KEY = 11000;

function toProduct(doc: ProductDocument): Product {
  return {
    id: doc._id,
    sku: doc.sku,
    name: doc.name,
    ...(doc.description !== undefined && { description: doc.description }),
    price: doc.price,
    currency: doc.currency,
    category: doc.category,
    stock: doc.stock,
    createdAt: doc.createdAt.toISOString(),
    updatedAt: doc.updatedAt.toISOString(),
  };
}

// q is user input: escaped, it can only ever match literally (no regex injection, no catastrophic pattern).
function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The MongoDB query for a list filter; exported for its tests. */
export function productQuery(filter: ProductFilter): Filter<ProductDocument> {
  const query: Filter<ProductDocument> = {};
  if (filter.category !== undefined) query.category = filter.category;
  if (filter.minPrice !== undefined || filter.maxPrice !== undefined) {
    query.price = {
      ...(filter.minPrice !== undefined && { $gte: filter.minPrice }),
      ...(filter.maxPrice !== undefined && { $lte: filter.maxPrice }),
    };
  }
  if (filter.q !== undefined) {
    const pattern = { $regex: escapeRegex(filter.q), $options: 'i' };
    query.$or = [{ sku: pattern }, { name: pattern }, { description: pattern }];
  }
  return query;
}

/**
 * The catalog in MongoDB. Call `ensureIndexes()` once at start, before serving: the unique sku index is
 * part of the contract. Stock changes are one conditional `findOneAndUpdate`, so concurrent decrements from
 * many replicas can never take stock below zero.
 */
export class MongoProductRepository implements ProductRepository {
  private readonly products: Collection<ProductDocument>;

  constructor(
    private readonly db: Db,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.products = db.collection<ProductDocument>(PRODUCTS_COLLECTION);
  }

  /** Creates the indexes; idempotent, and fails when an index exists under the same name with another key. */
  async ensureIndexes(): Promise<void> {
    await ensureIndexes(this.db, PRODUCT_INDEXES);
  }

  async list(filter: ProductFilter, page: PageRequest): Promise<ProductPage> {
    const query = productQuery(filter);
    const [docs, total] = await Promise.all([
      this.products.find(query).sort({ sku: 1 }).skip(page.offset).limit(page.limit).toArray(),
      this.products.countDocuments(query),
    ]);
    return { items: docs.map(toProduct), total };
  }

  async get(id: string): Promise<Product | undefined> {
    const doc = await this.products.findOne({ _id: id });
    return doc === null ? undefined : toProduct(doc);
  }

  async create(input: NewProduct): Promise<CreateProductResult> {
    const timestamp = this.now();
    const doc: ProductDocument = {
      _id: randomUUID(),
      sku: input.sku,
      name: input.name,
      ...(input.description !== undefined && { description: input.description }),
      price: input.price,
      currency: input.currency,
      category: input.category,
      stock: input.stock,
      createdAt: timestamp,
      updatedAt: timestamp,
    };
    try {
      await this.products.insertOne(doc);
    } catch (error) {
      // The only unique key besides the random UUID is the sku.
      if (error instanceof MongoServerError && error.code === DUPLICATE_KEY) {
        return { ok: false, reason: 'duplicate_sku' };
      }
      throw error;
    }
    return { ok: true, product: toProduct(doc) };
  }

  async adjustStock(id: string, delta: number): Promise<AdjustStockResult> {
    // The condition and the increment are one document operation, so no other writer can slip between.
    const updated = await this.products.findOneAndUpdate(
      { _id: id, stock: { $gte: -delta } },
      { $inc: { stock: delta }, $set: { updatedAt: this.now() } },
      { returnDocument: 'after' },
    );
    if (updated !== null) return { ok: true, product: toProduct(updated) };
    // Refused: tell apart a missing product from one without enough stock.
    const current = await this.products.findOne({ _id: id }, { projection: { stock: 1 } });
    if (current === null) return { ok: false, reason: 'not_found' };
    return { ok: false, reason: 'insufficient_stock', stock: current.stock };
  }
}
