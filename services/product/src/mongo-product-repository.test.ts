import { randomUUID } from 'node:crypto';
// Test-only: the service reaches MongoDB through @platform/common, whose driver this is (hoisted).
import { MongoClient } from 'mongodb';
import {
  MongoProductRepository,
  PRODUCTS_COLLECTION,
  PRODUCT_INDEXES,
  productQuery,
} from './mongo-product-repository';
import { describeProductRepositoryContract } from './product-repository.contract';

// e.g. MONGO_URL=mongodb://127.0.0.1:27017/?replicaSet=rs0 (a single mongod works too).
const MONGO_URL = process.env.MONGO_URL;
const withMongo = MONGO_URL !== undefined && MONGO_URL !== '';
const describeMongo = withMongo ? describe : describe.skip;
const label = withMongo ? 'MongoProductRepository' : 'MongoProductRepository (skipped: MONGO_URL is not set)';

let client: MongoClient | undefined;
// One database per run, so parallel runs against a shared server do not see each other's products.
const databaseName = `product_test_${randomUUID().replaceAll('-', '')}`;

async function database() {
  client ??= await new MongoClient(MONGO_URL ?? '', { serverSelectionTimeoutMS: 5000 }).connect();
  return client.db(databaseName);
}

afterAll(async () => {
  if (client === undefined) return;
  await client.db(databaseName).dropDatabase();
  await client.close();
});

describeMongo(label, () => {
  describeProductRepositoryContract('MongoProductRepository', async () => {
    const db = await database();
    await db.collection(PRODUCTS_COLLECTION).deleteMany({});
    const repository = new MongoProductRepository(db);
    await repository.ensureIndexes();
    return repository;
  });

  it('creates the sku, category and price indexes, and creating them again changes nothing', async () => {
    const db = await database();
    const repository = new MongoProductRepository(db);
    await repository.ensureIndexes();
    await repository.ensureIndexes();
    const indexes = await db.collection(PRODUCTS_COLLECTION).indexes();
    expect(indexes.map(({ name, key, unique }) => ({ name, key, unique }))).toEqual(
      expect.arrayContaining([
        { name: 'sku_unique', key: { sku: 1 }, unique: true },
        { name: 'category_sku', key: { category: 1, sku: 1 }, unique: undefined },
        { name: 'price', key: { price: 1 }, unique: undefined },
      ]),
    );
  });

  it('stores the id as _id and times as dates, and reads them back as the API shows them', async () => {
    const db = await database();
    await db.collection(PRODUCTS_COLLECTION).deleteMany({});
    const now = new Date('2026-03-01T12:00:00.000Z');
    const repository = new MongoProductRepository(db, () => now);
    const created = await repository.create({
      sku: 'DOC-1',
      name: 'Doc',
      price: 5,
      currency: 'EUR',
      category: 'tools',
      stock: 1,
    });
    if (!created.ok) throw new Error('create failed');
    const stored = await db.collection(PRODUCTS_COLLECTION).findOne({ sku: 'DOC-1' });
    expect(stored).toMatchObject({ _id: created.product.id, createdAt: now, updatedAt: now });
    expect(created.product).toMatchObject({ createdAt: now.toISOString(), updatedAt: now.toISOString() });
    expect(created.product).not.toHaveProperty('description');
  });
});

describe('productQuery', () => {
  it('matches the search text literally, case-insensitively, over sku, name and description', () => {
    const pattern = { $regex: 'a\\.b\\(\\*\\$', $options: 'i' };
    expect(productQuery({ q: 'a.b(*$' })).toEqual({
      $or: [{ sku: pattern }, { name: pattern }, { description: pattern }],
    });
  });

  it('combines category and an inclusive price range', () => {
    expect(productQuery({ category: 'tools', minPrice: 100, maxPrice: 200 })).toEqual({
      category: 'tools',
      price: { $gte: 100, $lte: 200 },
    });
    expect(productQuery({ maxPrice: 50 })).toEqual({ price: { $lte: 50 } });
    expect(productQuery({})).toEqual({});
  });

  it('declares the unique sku index the duplicate check relies on', () => {
    expect(PRODUCT_INDEXES).toContainEqual({
      collection: PRODUCTS_COLLECTION,
      key: { sku: 1 },
      name: 'sku_unique',
      unique: true,
    });
  });
});
