import { ConfigError } from '@platform/common';
import { loadProductConfig } from './product-config';

const SECRET = 'a-product-signing-key-of-32-bytes!!';

function problems(env: Record<string, string>, base: Record<string, string> = { JWT_SECRET: SECRET }) {
  try {
    loadProductConfig({ ...base, ...env });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('loadProductConfig', () => {
  it('defaults to the product name, every adapter in memory and a 60 s cache', () => {
    expect(loadProductConfig({ JWT_SECRET: SECRET })).toMatchObject({
      serviceName: 'product',
      JWT_SECRET: SECRET,
      JWT_ISSUER: 'platform',
      STORAGE: 'memory',
      EVENTS: 'memory',
      CACHE: 'memory',
      PRODUCT_CACHE_TTL_SECONDS: 60,
    });
  });

  it('reads the adapter switches with their connection settings, and the cache TTL', () => {
    expect(
      loadProductConfig({
        JWT_SECRET: SECRET,
        STORAGE: 'mongo',
        EVENTS: 'kafka',
        CACHE: 'redis',
        MONGODB_URI: 'mongodb://m1:27017/?replicaSet=rs0',
        MONGODB_DATABASE: 'product',
        KAFKA_BROKERS: 'kafka-0:9092',
        REDIS_SENTINELS: 's1:26379,s2:26379',
        PRODUCT_CACHE_TTL_SECONDS: '5',
      }),
    ).toMatchObject({
      STORAGE: 'mongo',
      EVENTS: 'kafka',
      CACHE: 'redis',
      MONGODB_DATABASE: 'product',
      KAFKA_BROKERS: [{ host: 'kafka-0', port: 9092 }],
      REDIS_MASTER_NAME: 'mymaster',
      PRODUCT_CACHE_TTL_SECONDS: 5,
    });
  });

  it('names every bad variable, its value and what is allowed', () => {
    expect(problems({ STORAGE: 'platform', CACHE: 'memcached', PRODUCT_CACHE_TTL_SECONDS: '0' })).toEqual([
      'PRODUCT_CACHE_TTL_SECONDS must be an integer 1-3600 (got "0")',
      'STORAGE must be one of memory|mongo (got "platform")',
      'CACHE must be one of memory|redis (got "memcached")',
    ]);
  });

  it('needs a JWT secret of at least 32 bytes, never echoing it, and takes the issuer', () => {
    expect(problems({}, {})).toEqual(['JWT_SECRET is required (at least 32 bytes)']);
    expect(problems({ JWT_SECRET: 'short-secret', JWT_ISSUER: 'has space' })).toEqual([
      'JWT_SECRET must be at least 32 bytes (got <redacted>)',
      'JWT_ISSUER must be 1-128 printable ASCII characters without spaces (got "has space")',
    ]);
    expect(loadProductConfig({ JWT_SECRET: SECRET, JWT_ISSUER: 'platform-prod' }).JWT_ISSUER).toBe(
      'platform-prod',
    );
  });

  it('stops at start naming each connection variable a selected adapter lacks', () => {
    expect(problems({ STORAGE: 'mongo' })).toEqual([
      'MONGODB_URI is required when STORAGE=mongo (a connection string starting with mongodb:// or mongodb+srv://)',
    ]);
    expect(problems({ EVENTS: 'kafka', CACHE: 'redis' })).toEqual([
      'KAFKA_BROKERS is required when EVENTS=kafka (a comma-separated list of host:port)',
      'REDIS_SENTINELS or REDIS_URL is required when CACHE=redis (sentinels in the cluster, a URL for a local Redis)',
    ]);
  });
});
