import { Kafka } from 'kafkajs';
import type { KafkaConfig, SASLOptions } from 'kafkajs';
import type { Logger } from 'pino';
import { ConfigError } from '../config';
import type { HostPort } from '../host-port-list';
import type { KAFKA_SASL_MECHANISMS } from './kafka-env';
import { kafkaLogLevel, pinoLogCreator } from './kafka-log-creator';

/** What createKafka reads: the values of kafkaEnv (pass the loaded config) and the service name. */
export interface KafkaSettings {
  readonly KAFKA_BROKERS: readonly HostPort[];
  readonly KAFKA_SASL_MECHANISM?: (typeof KAFKA_SASL_MECHANISMS)[number] | undefined;
  readonly KAFKA_USERNAME?: string | undefined;
  readonly KAFKA_PASSWORD?: string | undefined;
  /** PEM of the CA that signed the brokers' certificates; turns TLS on. */
  readonly KAFKA_CA_CERT?: string | undefined;
  /** Defaults to serviceName. */
  readonly KAFKA_CLIENT_ID?: string | undefined;
  readonly serviceName?: string | undefined;
}

function saslOptions(
  mechanism: KafkaSettings['KAFKA_SASL_MECHANISM'],
  username: string,
  password: string,
): SASLOptions {
  return mechanism === 'scram-sha-256'
    ? { mechanism, username, password }
    : { mechanism: 'scram-sha-512', username, password };
}

/** What is wrong with the credentials of `settings` (half set), as ConfigError problems; empty when fine. */
export function kafkaCredentialProblems(
  settings: Pick<KafkaSettings, 'KAFKA_SASL_MECHANISM' | 'KAFKA_USERNAME' | 'KAFKA_PASSWORD'>,
): string[] {
  const { KAFKA_USERNAME: username, KAFKA_PASSWORD: password } = settings;
  const problems: string[] = [];
  if (username !== undefined && password === undefined)
    problems.push('KAFKA_PASSWORD is required when KAFKA_USERNAME is set');
  if (password !== undefined && username === undefined)
    problems.push('KAFKA_USERNAME is required when KAFKA_PASSWORD is set');
  if (settings.KAFKA_SASL_MECHANISM !== undefined && username === undefined) {
    problems.push('KAFKA_USERNAME and KAFKA_PASSWORD are required when KAFKA_SASL_MECHANISM is set');
  }
  return problems;
}

/** The kafkajs configuration for `settings`; throws ConfigError when the credentials are half set. */
export function kafkaClientConfig(settings: KafkaSettings, logger: Logger): KafkaConfig {
  const { KAFKA_USERNAME: username, KAFKA_PASSWORD: password } = settings;
  const problems: string[] = [];
  if (settings.KAFKA_BROKERS.length === 0)
    problems.push('KAFKA_BROKERS is required (a comma-separated list of host:port)');
  problems.push(...kafkaCredentialProblems(settings));
  if (problems.length > 0) throw new ConfigError(problems);

  return {
    clientId: settings.KAFKA_CLIENT_ID ?? settings.serviceName ?? 'platform-service',
    brokers: settings.KAFKA_BROKERS.map(({ host, port }) =>
      host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`,
    ),
    ...(settings.KAFKA_CA_CERT !== undefined && {
      ssl: { ca: [settings.KAFKA_CA_CERT], rejectUnauthorized: true },
    }),
    ...(username !== undefined &&
      password !== undefined && { sasl: saslOptions(settings.KAFKA_SASL_MECHANISM, username, password) }),
    connectionTimeout: 5_000,
    authenticationTimeout: 10_000,
    requestTimeout: 30_000,
    retry: { initialRetryTime: 300, retries: 5 },
    logLevel: kafkaLogLevel(logger),
    logCreator: pinoLogCreator(logger),
  };
}

/**
 * A kafkajs client for `settings` (usually the loaded config): SASL/SCRAM when a username is set, TLS
 * trusting KAFKA_CA_CERT when given, kafkajs' logs as pino lines without credentials. Connects nothing
 * yet; producers, consumers and admins made from it connect on their own.
 */
export function createKafka(settings: KafkaSettings, logger: Logger): Kafka {
  const config = kafkaClientConfig(settings, logger);
  logger.info(
    {
      clientId: config.clientId,
      brokers: config.brokers,
      tls: config.ssl !== undefined,
      sasl:
        settings.KAFKA_USERNAME === undefined ? 'none' : (settings.KAFKA_SASL_MECHANISM ?? 'scram-sha-512'),
    },
    'kafka client configured',
  );
  return new Kafka(config);
}
