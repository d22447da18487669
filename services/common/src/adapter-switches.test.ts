import {
  cacheEnv,
  eventsEnv,
  requireAdapterSettings,
  requireKafkaBrokers,
  requireMongoUri,
  storageEnv,
} from './adapter-switches';
import { ConfigError, loadConfig } from './config';

function load(env: Record<string, string>) {
  return loadConfig({
    env: { SERVICE_NAME: 'demo', ...env },
    extend: { ...storageEnv, ...eventsEnv, ...cacheEnv },
  });
}

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    requireAdapterSettings(load(env));
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('adapter switches', () => {
  it('default to memory and need no connection settings then', () => {
    expect(requireAdapterSettings(load({}))).toMatchObject({
      STORAGE: 'memory',
      EVENTS: 'memory',
      CACHE: 'memory',
    });
  });

  it('take the platform adapters with their settings', () => {
    const config = requireAdapterSettings(
      load({
        STORAGE: 'mongo',
        EVENTS: 'kafka',
        CACHE: 'redis',
        MONGODB_URI: 'mongodb://m1:27017,m2:27017/?replicaSet=rs0',
        KAFKA_BROKERS: 'kafka-0:9092',
        REDIS_SENTINELS: 's1:26379,s2:26379',
      }),
    );
    expect(requireMongoUri(config)).toBe('mongodb://m1:27017,m2:27017/?replicaSet=rs0');
    expect(requireKafkaBrokers(config)).toEqual([{ host: 'kafka-0', port: 9092 }]);
  });

  it('name every connection variable a selected adapter lacks, and what it must be', () => {
    expect(problemsOf({ STORAGE: 'mongo', EVENTS: 'kafka', CACHE: 'redis' })).toEqual([
      'MONGODB_URI is required when STORAGE=mongo (a connection string starting with mongodb:// or mongodb+srv://)',
      'KAFKA_BROKERS is required when EVENTS=kafka (a comma-separated list of host:port)',
      'REDIS_SENTINELS or REDIS_URL is required when CACHE=redis (sentinels in the cluster, a URL for a local Redis)',
    ]);
  });

  it('refuse half-set Kafka credentials and two Redis addresses', () => {
    expect(
      problemsOf({
        EVENTS: 'kafka',
        KAFKA_BROKERS: 'kafka-0:9092',
        KAFKA_USERNAME: 'order',
        CACHE: 'redis',
        REDIS_SENTINELS: 's1:26379',
        REDIS_URL: 'redis://localhost:6379',
      }),
    ).toEqual([
      'KAFKA_PASSWORD is required when KAFKA_USERNAME is set',
      'REDIS_SENTINELS and REDIS_URL are both set: set only one',
    ]);
  });

  it('ignore the settings of adapters that are not selected', () => {
    expect(
      problemsOf({ KAFKA_USERNAME: 'order', REDIS_SENTINELS: 's1:26379', REDIS_URL: 'redis://r:6379' }),
    ).toEqual([]);
  });

  it('refuse an unknown kind, naming the allowed ones', () => {
    let error: unknown;
    try {
      load({ STORAGE: 'platform', EVENTS: 'rabbitmq', CACHE: 'memcached' });
    } catch (err) {
      error = err;
    }
    expect((error as ConfigError).problems).toEqual([
      'STORAGE must be one of memory|mongo (got "platform")',
      'EVENTS must be one of memory|kafka (got "rabbitmq")',
      'CACHE must be one of memory|redis (got "memcached")',
    ]);
  });

  it('throw the same message from the getters when the check was skipped', () => {
    expect(() => requireMongoUri({})).toThrow('MONGODB_URI is required when STORAGE=mongo');
    expect(() => requireKafkaBrokers({ KAFKA_BROKERS: [] })).toThrow(
      'KAFKA_BROKERS is required when EVENTS=kafka',
    );
  });
});
