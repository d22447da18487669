import { ConfigError, loadConfig } from '../config';
import { kafkaEnv } from './kafka-env';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUX\n-----END CERTIFICATE-----';

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadConfig({ env: { SERVICE_NAME: 'order', ...env }, extend: kafkaEnv });
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('kafkaEnv', () => {
  it('reads what the platform sets for a service', () => {
    const config = loadConfig({
      env: {
        SERVICE_NAME: 'order',
        KAFKA_BROKERS: 'kafka-kafka-bootstrap.data.svc:9093',
        KAFKA_SASL_MECHANISM: 'scram-sha-512',
        KAFKA_USERNAME: 'order',
        KAFKA_PASSWORD: 'pw',
        KAFKA_CA_CERT: PEM,
        KAFKA_CLIENT_ID: 'order',
        KAFKA_CONSUMER_GROUP: 'order',
      },
      extend: kafkaEnv,
    });
    expect(config).toMatchObject({
      KAFKA_BROKERS: [{ host: 'kafka-kafka-bootstrap.data.svc', port: 9093 }],
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_USERNAME: 'order',
      KAFKA_CA_CERT: PEM,
      KAFKA_CLIENT_ID: 'order',
      KAFKA_CONSUMER_GROUP: 'order',
    });
  });

  it('accepts a PEM with escaped newlines, as single-line env files carry it', () => {
    const config = loadConfig({
      env: {
        SERVICE_NAME: 'order',
        KAFKA_BROKERS: 'localhost:9092',
        KAFKA_CA_CERT: PEM.replace(/\n/g, '\\n'),
      },
      extend: kafkaEnv,
    });
    expect(config.KAFKA_CA_CERT).toBe(PEM);
  });

  it('requires KAFKA_BROKERS and names bad entries', () => {
    expect(problemsOf({})).toEqual([
      'KAFKA_BROKERS is required (a comma-separated list of host:port (port 1-65535))',
    ]);
    expect(problemsOf({ KAFKA_BROKERS: 'b1:9092,b2' })).toEqual([
      'KAFKA_BROKERS must be a comma-separated list of host:port (port 1-65535); bad entries: "b2" (got "b1:9092,b2")',
    ]);
  });

  it('refuses other SASL mechanisms and a CA that is no PEM certificate, without echoing it', () => {
    expect(
      problemsOf({
        KAFKA_BROKERS: 'b:9092',
        KAFKA_SASL_MECHANISM: 'plain',
        KAFKA_CA_CERT: '-----BEGIN PRIVATE KEY-----x',
      }),
    ).toEqual([
      'KAFKA_SASL_MECHANISM must be one of scram-sha-512|scram-sha-256 (got "plain")',
      'KAFKA_CA_CERT must be a PEM certificate (-----BEGIN CERTIFICATE----- ... -----END CERTIFICATE-----) (got <redacted>)',
    ]);
  });
});
