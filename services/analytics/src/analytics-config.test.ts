import { ConfigError } from '@platform/common';
import { loadAnalyticsConfig } from './analytics-config';

const SECRET = 'a-secret-of-at-least-thirty-two-bytes!';

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadAnalyticsConfig({ LOG_LEVEL: 'silent', ...env });
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('analytics configuration', () => {
  it('defaults to everything in memory, issuer "platform" and a 30 s summary cache', () => {
    expect(loadAnalyticsConfig({ JWT_SECRET: SECRET })).toMatchObject({
      serviceName: 'analytics',
      JWT_SECRET: SECRET,
      JWT_ISSUER: 'platform',
      STORAGE: 'memory',
      EVENTS: 'memory',
      CACHE: 'memory',
      SUMMARY_CACHE_SECONDS: 30,
    });
  });

  it('reads the platform connection settings', () => {
    const config = loadAnalyticsConfig({
      JWT_SECRET: SECRET,
      STORAGE: 'mongo',
      EVENTS: 'kafka',
      CACHE: 'redis',
      MONGODB_URI: 'mongodb://m1:27017,m2:27017/?replicaSet=rs0',
      MONGODB_DATABASE: 'analytics',
      KAFKA_BROKERS: 'kafka-0:9092,kafka-1:9092',
      KAFKA_CONSUMER_GROUP: 'analytics',
      REDIS_SENTINELS: 's1:26379,s2:26379',
      REDIS_PASSWORD: 'p',
    });
    expect(config).toMatchObject({
      STORAGE: 'mongo',
      EVENTS: 'kafka',
      CACHE: 'redis',
      MONGODB_DATABASE: 'analytics',
      KAFKA_BROKERS: [
        { host: 'kafka-0', port: 9092 },
        { host: 'kafka-1', port: 9092 },
      ],
      REDIS_MASTER_NAME: 'mymaster',
    });
  });

  it('names every bad variable without echoing the secret', () => {
    expect(
      problemsOf({
        JWT_SECRET: 'short-secret',
        STORAGE: 'postgres',
        EVENTS: 'rabbit',
        SUMMARY_CACHE_SECONDS: '-1',
      }),
    ).toEqual([
      'JWT_SECRET must be at least 32 bytes (got <redacted>)',
      'SUMMARY_CACHE_SECONDS must be an integer 0-3600 (got "-1")',
      'STORAGE must be one of memory|mongo (got "postgres")',
      'EVENTS must be one of memory|kafka (got "rabbit")',
    ]);
  });

  it('requires JWT_SECRET', () => {
    expect(problemsOf({})).toEqual(['JWT_SECRET is required (at least 32 bytes)']);
  });

  it('requires the connection settings the chosen adapters need', () => {
    expect(problemsOf({ JWT_SECRET: SECRET, STORAGE: 'mongo', EVENTS: 'kafka', CACHE: 'redis' })).toEqual([
      'MONGODB_URI is required when STORAGE=mongo (a connection string starting with mongodb:// or mongodb+srv://)',
      'KAFKA_BROKERS is required when EVENTS=kafka (a comma-separated list of host:port)',
      'REDIS_SENTINELS or REDIS_URL is required when CACHE=redis (sentinels in the cluster, a URL for a local Redis)',
    ]);
  });
});
