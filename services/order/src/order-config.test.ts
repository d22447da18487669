import { ConfigError } from '@platform/common';
import { loadOrderConfig } from './order-config';

const validEnv = {
  JWT_SECRET: 'a-signing-key-that-is-at-least-32-bytes',
  USER_SERVICE_URL: 'http://user.apps.svc.cluster.local:8080',
  PRODUCT_SERVICE_URL: 'http://product.apps.svc.cluster.local:8080',
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

  it('refuses a storage it does not have', () => {
    expect(problems({ STORAGE: 'mongo' })).toEqual(['STORAGE must be one of memory (got "mongo")']);
  });
});
