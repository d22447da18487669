import { ConfigError } from '@platform/common';
import { loadProductConfig } from './product-config';

function problems(env: Record<string, string>): readonly string[] {
  try {
    loadProductConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('loadProductConfig', () => {
  it('defaults to the product name, in-memory storage and a 60 s cache', () => {
    expect(loadProductConfig({})).toMatchObject({
      serviceName: 'product',
      STORAGE: 'memory',
      PRODUCT_CACHE_TTL_SECONDS: 60,
    });
  });

  it('reads the storage kind and the cache TTL', () => {
    expect(loadProductConfig({ STORAGE: 'platform', PRODUCT_CACHE_TTL_SECONDS: '5' })).toMatchObject({
      STORAGE: 'platform',
      PRODUCT_CACHE_TTL_SECONDS: 5,
    });
  });

  it('names every bad variable, its value and what is allowed', () => {
    expect(problems({ STORAGE: 'mongo', PRODUCT_CACHE_TTL_SECONDS: '0' })).toEqual([
      'STORAGE must be one of memory|platform (got "mongo")',
      'PRODUCT_CACHE_TTL_SECONDS must be an integer 1-3600 (got "0")',
    ]);
  });
});
