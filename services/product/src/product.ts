/** A catalog entry. Prices are integer minor units (cents) so arithmetic never rounds. */
export interface Product {
  readonly id: string;
  readonly sku: string;
  readonly name: string;
  readonly description?: string;
  readonly price: number;
  readonly currency: string;
  readonly category: string;
  readonly stock: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export type NewProduct = Omit<Product, 'id' | 'createdAt' | 'updatedAt'>;
