import { ConfigError } from '@platform/common';
import { loadOrderConfig } from './order-config';

const validEnv = {
  JWT_SECRET: 'a-signing-key-that-is-at-least-32-bytes',
  USER_SERVICE_URL: 'http://user.apps.svc.cluster.local:8080',
  PRODUCT_SERVICE_URL: 'http://product.apps.svc.cluster.local:8080',
  SERVICE_TOKEN_KEY: 'order-service-key-of-at-least-32-bytes!!',
};

function problems(overrides: Record<string, string | undefined>): readonly string[] {
  try {
    loadOrderConfig({ ...validEnv, ...overrides });
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('loadOrderConfig', () => {
  it('defaults the service name, issuer and storage', () => {
    const config = loadOrderConfig(validEnv);
    expect([config.serviceName, config.JWT_ISSUER, config.STORAGE]).toEqual(['order', 'platform', 'memory']);
  });

  it('refuses a short JWT secret and bad service URLs without echoing them', () => {
    expect(
      problems({ JWT_SECRET: 'short', USER_SERVICE_URL: 'user:8080', PRODUCT_SERVICE_URL: undefined }),
    ).toEqual([
      'JWT_SECRET must be at least 32 bytes (got <redacted>)',
      'USER_SERVICE_URL must be an http(s) base URL without path such as http://user:8080 (got <redacted>)',
      'PRODUCT_SERVICE_URL is required (an http(s) base URL without path such as http://product:8080)',
    ]);
  });

  it('requires SERVICE_TOKEN_KEY of at least 32 bytes, without echoing it', () => {
    expect(problems({ SERVICE_TOKEN_KEY: undefined })).toEqual([
      'SERVICE_TOKEN_KEY is required (a key of at least 32 bytes)',
    ]);
    expect(problems({ SERVICE_TOKEN_KEY: 'short-Key-77' })).toEqual([
      'SERVICE_TOKEN_KEY must be a key of at least 32 bytes (got <redacted>)',
    ]);
  });

  it('refuses adapters it does not have', () => {
    expect(problems({ STORAGE: 'platform', EVENTS: 'rabbitmq' })).toEqual([
      'STORAGE must be one of memory|mongo (got "platform")',
      'EVENTS must be one of memory|kafka (got "rabbitmq")',
    ]);
  });

  it('defaults to in-memory storage and events, and reads MongoDB and Kafka settings', () => {
    expect(loadOrderConfig(validEnv)).toMatchObject({ STORAGE: 'memory', EVENTS: 'memory' });
    expect(
      loadOrderConfig({
        ...validEnv,
        STORAGE: 'mongo',
        EVENTS: 'kafka',
        MONGODB_URI: 'mongodb://m1:27017/?replicaSet=rs0',
        MONGODB_DATABASE: 'order',
        KAFKA_BROKERS: 'kafka-0:9092',
      }),
    ).toMatchObject({ STORAGE: 'mongo', EVENTS: 'kafka', MONGODB_DATABASE: 'order' });
  });

  it('stops at start naming each connection variable a selected adapter lacks', () => {
    expect(problems({ STORAGE: 'mongo', EVENTS: 'kafka' })).toEqual([
      'MONGODB_URI is required when STORAGE=mongo (a connection string starting with mongodb:// or mongodb+srv://)',
      'KAFKA_BROKERS is required when EVENTS=kafka (a comma-separated list of host:port)',
    ]);
  });
});
