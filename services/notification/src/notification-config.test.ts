import { ConfigError } from '@platform/common';
import { loadNotificationConfig } from './notification-config';

const SECRET = 'a-test-secret-that-is-long-enough-32b';

describe('loadNotificationConfig', () => {
  it('defaults to in-memory storage, logging channels and three attempts', () => {
    const config = loadNotificationConfig({ JWT_SECRET: SECRET });
    expect(config).toMatchObject({
      serviceName: 'notification',
      JWT_ISSUER: 'platform',
      STORAGE: 'memory',
      EVENTS: 'memory',
      NOTIFICATION_CHANNELS: { email: 'logging', sms: 'logging', push: 'logging' },
      NOTIFICATION_MAX_ATTEMPTS: 3,
      NOTIFICATION_RETRY_BASE_MS: 200,
      NOTIFICATION_SEND_TIMEOUT_MS: 5000,
    });
  });

  it('reads the channel selection and delivery policy', () => {
    const config = loadNotificationConfig({
      JWT_SECRET: SECRET,
      NOTIFICATION_CHANNELS: 'sms=failing',
      NOTIFICATION_MAX_ATTEMPTS: '5',
    });
    expect(config.NOTIFICATION_CHANNELS.sms).toBe('failing');
    expect(config.NOTIFICATION_MAX_ATTEMPTS).toBe(5);
  });

  it('lists every bad variable without echoing the secret', () => {
    let error: unknown;
    try {
      loadNotificationConfig({
        JWT_SECRET: 'short-secret',
        NOTIFICATION_CHANNELS: 'pigeon=logging',
        NOTIFICATION_MAX_ATTEMPTS: '0',
        STORAGE: 'postgres',
      });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toEqual([
      'JWT_SECRET must be a secret of at least 32 bytes (got <redacted>)',
      expect.stringMatching(
        /^NOTIFICATION_CHANNELS must be a comma list .*"pigeon" is not a channel \(got "pigeon=logging"\)$/,
      ),
      'NOTIFICATION_MAX_ATTEMPTS must be an integer 1-10 (got "0")',
      'STORAGE must be one of memory|mongo (got "postgres")',
    ]);
    expect(problems.join('\n')).not.toContain('short-secret');
  });

  it('requires JWT_SECRET', () => {
    expect(() => loadNotificationConfig({})).toThrow(
      'JWT_SECRET is required (a secret of at least 32 bytes)',
    );
  });

  it('requires the connection settings of the chosen storage and event transport', () => {
    expect(() => loadNotificationConfig({ JWT_SECRET: SECRET, STORAGE: 'mongo', EVENTS: 'kafka' })).toThrow(
      expect.objectContaining({
        problems: [
          'MONGODB_URI is required when STORAGE=mongo (a connection string starting with mongodb:// or mongodb+srv://)',
          'KAFKA_BROKERS is required when EVENTS=kafka (a comma-separated list of host:port)',
        ],
      }),
    );
    const config = loadNotificationConfig({
      JWT_SECRET: SECRET,
      STORAGE: 'mongo',
      MONGODB_URI: 'mongodb://user:pw@mongo-0:27017/notification?replicaSet=rs0',
      EVENTS: 'kafka',
      KAFKA_BROKERS: 'kafka-0:9092,kafka-1:9092',
    });
    expect(config.KAFKA_BROKERS).toEqual([
      { host: 'kafka-0', port: 9092 },
      { host: 'kafka-1', port: 9092 },
    ]);
  });
});
