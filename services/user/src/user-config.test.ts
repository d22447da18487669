import { ConfigError } from '@platform/common';
import { loadUserConfig } from './user-config';

const SECRET = 'an-hmac-key-of-at-least-32-bytes!!';

describe('loadUserConfig', () => {
  it('needs only JWT_SECRET and fills in the rest', () => {
    expect(loadUserConfig({ JWT_SECRET: SECRET })).toMatchObject({
      serviceName: 'user',
      JWT_SECRET: SECRET,
      JWT_ISSUER: 'platform',
      JWT_TTL_SECONDS: 900,
      LOGIN_MAX_FAILURES_PER_EMAIL: 5,
      LOGIN_MAX_ATTEMPTS_PER_IP: 20,
      LOGIN_WINDOW_SECONDS: 900,
      TRUST_PROXY_HOPS: 0,
      STORAGE: 'memory',
    });
  });

  it('takes overrides from the environment', () => {
    const config = loadUserConfig({
      JWT_SECRET: SECRET,
      JWT_ISSUER: 'shop',
      JWT_TTL_SECONDS: '300',
      LOGIN_MAX_FAILURES_PER_EMAIL: '3',
      LOGIN_MAX_ATTEMPTS_PER_IP: '100',
      LOGIN_WINDOW_SECONDS: '60',
      TRUST_PROXY_HOPS: '2',
      SERVICE_NAME: 'user-canary',
    });
    expect(config).toMatchObject({
      serviceName: 'user-canary',
      JWT_ISSUER: 'shop',
      JWT_TTL_SECONDS: 300,
      LOGIN_MAX_FAILURES_PER_EMAIL: 3,
      LOGIN_MAX_ATTEMPTS_PER_IP: 100,
      LOGIN_WINDOW_SECONDS: 60,
      TRUST_PROXY_HOPS: 2,
    });
  });

  it('refuses to start without a JWT secret', () => {
    expect(() => loadUserConfig({})).toThrow('JWT_SECRET is required (at least 32 bytes)');
  });

  it('names every bad variable and never echoes the secret', () => {
    let error: unknown;
    try {
      loadUserConfig({
        JWT_SECRET: 'short-secret',
        JWT_TTL_SECONDS: '10',
        STORAGE: 'mongo',
        JWT_ISSUER: 'has space',
      });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      'JWT_SECRET must be at least 32 bytes (got <redacted>)',
      'JWT_ISSUER must be 1-128 printable ASCII characters without spaces (got "has space")',
      'JWT_TTL_SECONDS must be an integer 60-86400 (got "10")',
      'STORAGE must be one of memory (got "mongo")',
    ]);
    expect((error as Error).message).not.toContain('short-secret');
  });
});
