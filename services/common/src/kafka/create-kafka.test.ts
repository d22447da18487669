import { logLevel } from 'kafkajs';
import { ConfigError } from '../config';
import { captureLogger } from '../testing/capture-logger';
import { createKafka, kafkaClientConfig } from './create-kafka';
import { pinoLogCreator } from './kafka-log-creator';

const brokers = [
  { host: 'kafka-0.kafka', port: 9093 },
  { host: 'kafka-1.kafka', port: 9093 },
];

describe('kafkaClientConfig', () => {
  it('uses SCRAM-SHA-512 and TLS with the given CA, and the service name as client id', () => {
    const config = kafkaClientConfig(
      {
        KAFKA_BROKERS: brokers,
        KAFKA_USERNAME: 'order',
        KAFKA_PASSWORD: 'pw',
        KAFKA_CA_CERT: 'PEM',
        serviceName: 'order',
      },
      captureLogger().logger,
    );
    expect(config).toMatchObject({
      clientId: 'order',
      brokers: ['kafka-0.kafka:9093', 'kafka-1.kafka:9093'],
      sasl: { mechanism: 'scram-sha-512', username: 'order', password: 'pw' },
      ssl: { ca: ['PEM'], rejectUnauthorized: true },
      logLevel: logLevel.DEBUG,
    });
  });

  it('prefers KAFKA_CLIENT_ID and speaks plaintext without credentials or CA (local Kafka)', () => {
    const config = kafkaClientConfig(
      {
        KAFKA_BROKERS: [{ host: 'localhost', port: 9092 }],
        KAFKA_CLIENT_ID: 'order-1',
        serviceName: 'order',
      },
      captureLogger().logger,
    );
    expect(config.clientId).toBe('order-1');
    expect(config.sasl).toBeUndefined();
    expect(config.ssl).toBeUndefined();
  });

  it('refuses half-set credentials, naming the missing variable', () => {
    const { logger } = captureLogger();
    expect(() => kafkaClientConfig({ KAFKA_BROKERS: brokers, KAFKA_USERNAME: 'order' }, logger)).toThrow(
      ConfigError,
    );
    expect(() => kafkaClientConfig({ KAFKA_BROKERS: brokers, KAFKA_USERNAME: 'order' }, logger)).toThrow(
      'KAFKA_PASSWORD is required when KAFKA_USERNAME is set',
    );
    expect(() =>
      kafkaClientConfig({ KAFKA_BROKERS: brokers, KAFKA_SASL_MECHANISM: 'scram-sha-512' }, logger),
    ).toThrow('KAFKA_USERNAME and KAFKA_PASSWORD are required when KAFKA_SASL_MECHANISM is set');
  });
});

describe('createKafka', () => {
  it('logs what it connects to without the password', () => {
    const { logger, lines, text } = captureLogger();
    createKafka(
      {
        KAFKA_BROKERS: brokers,
        KAFKA_USERNAME: 'order',
        KAFKA_PASSWORD: 'Kafka-s3cret',
        serviceName: 'order',
      },
      logger,
    );
    expect(lines.find((l) => l.msg === 'kafka client configured')).toMatchObject({
      clientId: 'order',
      brokers: ['kafka-0.kafka:9093', 'kafka-1.kafka:9093'],
      tls: false,
      sasl: 'scram-sha-512',
    });
    expect(text()).not.toContain('Kafka-s3cret');
  });
});

describe('pinoLogCreator', () => {
  it('writes kafkajs entries as pino lines at the matching level, with credentials removed', () => {
    const { logger, lines, text } = captureLogger();
    const log = pinoLogCreator(logger)(logLevel.DEBUG);
    const entry = (level: logLevel, message: string, extra: Record<string, unknown> = {}) =>
      log({ namespace: 'Connection', level, label: 'x', log: { timestamp: 't', message, ...extra } });
    entry(logLevel.ERROR, 'Connection error', { broker: 'b:9093', sasl: { password: 'Kafka-s3cret' } });
    entry(logLevel.WARN, 'slow', { nested: { auth: { password: 'Kafka-s3cret' } } });
    entry(logLevel.INFO, 'Starting');
    entry(logLevel.DEBUG, 'Request Metadata');
    expect(lines.map((l) => [l.level, l.msg, l.component, l.namespace])).toEqual([
      ['error', 'Connection error', 'kafkajs', 'Connection'],
      ['warn', 'slow', 'kafkajs', 'Connection'],
      ['info', 'Starting', 'kafkajs', 'Connection'],
      ['debug', 'Request Metadata', 'kafkajs', 'Connection'],
    ]);
    expect(lines[0]).toMatchObject({ broker: 'b:9093', sasl: '[redacted]' });
    expect(text()).not.toContain('Kafka-s3cret');
  });

  it('turns the warning about bounded idempotent retries into a debug line', () => {
    const { logger, lines } = captureLogger();
    pinoLogCreator(logger)(logLevel.WARN)({
      namespace: 'Producer',
      level: logLevel.WARN,
      label: 'WARN',
      log: {
        timestamp: 't',
        message: 'Limiting retries for the idempotent producer may invalidate EoS guarantees',
      },
    });
    expect(lines.map((l) => l.level)).toEqual(['debug']);
  });
});
