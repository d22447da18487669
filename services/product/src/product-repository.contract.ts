import type { NewProduct } from './product';
import type { ProductRepository } from './product-repository';

/**
 * Behaviour every ProductRepository must have. The in-memory test runs it now; the MongoDB adapter will
 * run the same suite against a real server when MONGO_URL is set.
 */
export function describeProductRepositoryContract(
  name: string,
  create: () => Promise<ProductRepository>,
): void {
  describe(`${name} (ProductRepository contract)`, () => {
    let repository: ProductRepository;
    beforeEach(async () => {
      repository = await create();
    });

    const item = (sku: string, overrides: Partial<NewProduct> = {}): NewProduct => ({
      sku,
      name: `Item ${sku}`,
      price: 1000,
      currency: 'EUR',
      category: 'tools',
      stock: 5,
      ...overrides,
    });

    async function created(input: NewProduct) {
      const result = await repository.create(input);
      if (!result.ok) throw new Error(`could not create ${input.sku}: ${result.reason}`);
      return result.product;
    }

    it('creates a product with an id and timestamps, and gets it back', async () => {
      const product = await created(item('A-1'));
      expect(product).toMatchObject(item('A-1'));
      expect(product.id).toEqual(expect.any(String));
      expect(Date.parse(product.createdAt)).not.toBeNaN();
      expect(await repository.get(product.id)).toEqual(product);
    });

    it('returns undefined for an unknown id', async () => {
      expect(await repository.get('00000000-0000-4000-8000-000000000000')).toBeUndefined();
    });

    it('refuses a second product with the same sku', async () => {
      await created(item('DUP'));
      expect(await repository.create(item('DUP', { name: 'other' }))).toEqual({
        ok: false,
        reason: 'duplicate_sku',
      });
      expect((await repository.list({}, { offset: 0, limit: 10 })).total).toBe(1);
    });

    it('lists by sku with filters, an offset, a limit and the total before paging', async () => {
      await created(item('C', { price: 300, category: 'garden', name: 'Hose' }));
      await created(item('A', { price: 100, name: 'Hammer', description: 'steel claw hammer' }));
      await created(item('B', { price: 200, name: 'Saw' }));
      await created(item('D', { price: 400, name: 'Drill' }));

      const all = await repository.list({}, { offset: 0, limit: 10 });
      expect(all.items.map((p) => p.sku)).toEqual(['A', 'B', 'C', 'D']);
      const page = await repository.list({}, { offset: 1, limit: 2 });
      expect({ skus: page.items.map((p) => p.sku), total: page.total }).toEqual({
        skus: ['B', 'C'],
        total: 4,
      });
      const tools = await repository.list(
        { category: 'tools', minPrice: 150, maxPrice: 400 },
        { offset: 0, limit: 10 },
      );
      expect(tools.items.map((p) => p.sku)).toEqual(['B', 'D']);
      const text = await repository.list({ q: 'CLAW' }, { offset: 0, limit: 10 });
      expect(text.items.map((p) => p.sku)).toEqual(['A']);
    });

    it('adjusts stock up and down, never below zero', async () => {
      const product = await created(item('S', { stock: 3 }));
      const added = await repository.adjustStock(product.id, 2);
      expect(added.ok && added.product.stock).toBe(5);
      expect(await repository.adjustStock(product.id, -6)).toEqual({
        ok: false,
        reason: 'insufficient_stock',
        stock: 5,
      });
      const emptied = await repository.adjustStock(product.id, -5);
      expect(emptied.ok && emptied.product.stock).toBe(0);
      expect((await repository.get(product.id))?.stock).toBe(0);
    });

    it('reports not_found when adjusting an unknown product', async () => {
      expect(await repository.adjustStock('00000000-0000-4000-8000-000000000000', 1)).toEqual({
        ok: false,
        reason: 'not_found',
      });
    });

    it('applies concurrent decrements atomically', async () => {
      const product = await created(item('RACE', { stock: 10 }));
      const results = await Promise.all(
        Array.from({ length: 30 }, () => repository.adjustStock(product.id, -1)),
      );
      expect(results.filter((r) => r.ok)).toHaveLength(10);
      expect((await repository.get(product.id))?.stock).toBe(0);
    });

    it('hands out copies, so callers cannot change stored products', async () => {
      const product = await created(item('COPY'));
      (product as { stock: number }).stock = 999;
      const fetched = await repository.get(product.id);
      (fetched as { name: string }).name = 'changed';
      expect(await repository.get(product.id)).toMatchObject({ stock: 5, name: 'Item COPY' });
    });
  });
}
