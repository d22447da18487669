import { InMemoryProductRepository } from './in-memory-product-repository';
import { describeProductRepositoryContract } from './product-repository.contract';

describeProductRepositoryContract('InMemoryProductRepository', async () => new InMemoryProductRepository());

describe('InMemoryProductRepository', () => {
  it('stamps products with the injected clock', async () => {
    let now = new Date('2026-01-01T00:00:00.000Z');
    const repository = new InMemoryProductRepository(() => now);
    const result = await repository.create({
      sku: 'T',
      name: 't',
      price: 1,
      currency: 'EUR',
      category: 'c',
      stock: 1,
    });
    if (!result.ok) throw new Error('create failed');
    now = new Date('2026-01-02T00:00:00.000Z');
    const adjusted = await repository.adjustStock(result.product.id, 1);
    expect(result.product.createdAt).toBe('2026-01-01T00:00:00.000Z');
    expect(adjusted.ok && [adjusted.product.createdAt, adjusted.product.updatedAt]).toEqual([
      '2026-01-01T00:00:00.000Z',
      '2026-01-02T00:00:00.000Z',
    ]);
  });
});
