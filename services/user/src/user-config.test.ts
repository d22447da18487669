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
      OUTBOX_RELAY_INTERVAL_MS: 1000,
      ADMIN_EMAILS: [],
      STORAGE: 'memory',
      EVENTS: 'memory',
      CACHE: 'memory',
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

  it('reads ADMIN_EMAILS as normalised emails, skipping empty entries and duplicates', () => {
    expect(
      loadUserConfig({
        JWT_SECRET: SECRET,
        ADMIN_EMAILS: ' Root@Example.com, ops@example.org,,root@example.com ',
      }).ADMIN_EMAILS,
    ).toEqual(['root@example.com', 'ops@example.org']);
  });

  it('refuses to start when an ADMIN_EMAILS entry is not an email, naming it by position', () => {
    let error: unknown;
    try {
      loadUserConfig({ JWT_SECRET: SECRET, ADMIN_EMAILS: 'root@example.com,,ops,grace@' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const [problem, ...others] = (error as ConfigError).problems;
    expect(others).toEqual([]);
    expect(problem).toMatch(/^ADMIN_EMAILS must be comma-separated email addresses \(entries 3, 4 are not\)/);
    // The part before each "@" is personal data: the quoted value leaves it out.
    expect(problem).not.toContain('root@');
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
        STORAGE: 'postgres',
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
      'STORAGE must be one of memory|mongo (got "postgres")',
    ]);
    expect((error as Error).message).not.toContain('short-secret');
  });

  it('reads the adapter switches and their connection settings', () => {
    const config = loadUserConfig({
      JWT_SECRET: SECRET,
      STORAGE: 'mongo',
      EVENTS: 'kafka',
      CACHE: 'redis',
      MONGODB_URI: 'mongodb://m1:27017,m2:27017/?replicaSet=rs0',
      MONGODB_DATABASE: 'user',
      KAFKA_BROKERS: 'kafka-0:9092',
      REDIS_SENTINELS: 's1:26379,s2:26379,s3:26379',
      REDIS_MASTER_NAME: 'mymaster',
    });
    expect(config).toMatchObject({
      STORAGE: 'mongo',
      EVENTS: 'kafka',
      CACHE: 'redis',
      MONGODB_DATABASE: 'user',
      KAFKA_BROKERS: [{ host: 'kafka-0', port: 9092 }],
    });
  });

  it('stops at start naming each connection variable a selected adapter lacks', () => {
    let error: unknown;
    try {
      loadUserConfig({ JWT_SECRET: SECRET, STORAGE: 'mongo', EVENTS: 'kafka', CACHE: 'redis' });
    } catch (err) {
      error = err;
    }
    expect((error as ConfigError).problems).toEqual([
      'MONGODB_URI is required when STORAGE=mongo (a connection string starting with mongodb:// or mongodb+srv://)',
      'KAFKA_BROKERS is required when EVENTS=kafka (a comma-separated list of host:port)',
      'REDIS_SENTINELS or REDIS_URL is required when CACHE=redis (sentinels in the cluster, a URL for a local Redis)',
    ]);
  });
});
