import type { EnvShape } from './config';
import { ConfigError, envEnum } from './config';
import type { HostPort } from './host-port-list';
import { kafkaCredentialProblems } from './kafka/create-kafka';
import type { KAFKA_SASL_MECHANISMS } from './kafka/kafka-env';
import { kafkaEnv } from './kafka/kafka-env';
import { mongoEnv } from './mongo/mongo-env';
import { redisAddressProblems } from './redis/create-redis-client';
import { redisEnv } from './redis/redis-env';

// Every service picks its adapters with the same three switches, each defaulting to `memory` (in this
// process: local runs and tests, nothing shared or kept). The platform's data layer sets them for the stores
// a service uses, next to the connection settings; a service reads only the switches it has.

/** STORAGE: where the service keeps its data (and its outbox). */
export const STORAGE_KINDS = ['memory', 'mongo'] as const;
/** EVENTS: how events leave (publisher, outbox relay) and arrive (consumer). */
export const EVENT_TRANSPORTS = ['memory', 'kafka'] as const;
/** CACHE: where caches and rate-limit counters live. */
export const CACHE_KINDS = ['memory', 'redis'] as const;

export type StorageKind = (typeof STORAGE_KINDS)[number];
export type EventTransport = (typeof EVENT_TRANSPORTS)[number];
export type CacheKind = (typeof CACHE_KINDS)[number];

/** STORAGE and the MongoDB settings for loadConfig's `extend`; MONGODB_URI is checked by requireAdapterSettings. */
export const storageEnv = {
  STORAGE: envEnum(STORAGE_KINDS).default('memory'),
  ...mongoEnv,
  MONGODB_URI: mongoEnv.MONGODB_URI.optional(),
} satisfies EnvShape;

/** EVENTS and the Kafka settings; KAFKA_BROKERS and the credentials are checked by requireAdapterSettings. */
export const eventsEnv = {
  EVENTS: envEnum(EVENT_TRANSPORTS).default('memory'),
  ...kafkaEnv,
  KAFKA_BROKERS: kafkaEnv.KAFKA_BROKERS.optional(),
} satisfies EnvShape;

/** CACHE and the Redis settings; the address (sentinels or URL) is checked by requireAdapterSettings. */
export const cacheEnv = {
  CACHE: envEnum(CACHE_KINDS).default('memory'),
  ...redisEnv,
} satisfies EnvShape;

/** The switches a loaded config may have, with the connection settings they need. */
export interface AdapterSettings {
  readonly STORAGE?: StorageKind;
  readonly MONGODB_URI?: string | undefined;
  readonly EVENTS?: EventTransport;
  readonly KAFKA_BROKERS?: readonly HostPort[] | undefined;
  readonly KAFKA_SASL_MECHANISM?: (typeof KAFKA_SASL_MECHANISMS)[number] | undefined;
  readonly KAFKA_USERNAME?: string | undefined;
  readonly KAFKA_PASSWORD?: string | undefined;
  readonly CACHE?: CacheKind;
  readonly REDIS_SENTINELS?: readonly HostPort[] | undefined;
  readonly REDIS_URL?: string | undefined;
}

const MONGODB_URI_MISSING =
  'MONGODB_URI is required when STORAGE=mongo (a connection string starting with mongodb:// or mongodb+srv://)';
const KAFKA_BROKERS_MISSING =
  'KAFKA_BROKERS is required when EVENTS=kafka (a comma-separated list of host:port)';

/** The connection settings that the selected adapters need but lack (or have half), one line each. */
export function adapterSettingsProblems(config: AdapterSettings): string[] {
  const problems: string[] = [];
  if (config.STORAGE === 'mongo' && config.MONGODB_URI === undefined) problems.push(MONGODB_URI_MISSING);
  if (config.EVENTS === 'kafka') {
    if (config.KAFKA_BROKERS === undefined || config.KAFKA_BROKERS.length === 0) {
      problems.push(KAFKA_BROKERS_MISSING);
    }
    problems.push(...kafkaCredentialProblems(config));
  }
  if (config.CACHE === 'redis') {
    problems.push(
      ...redisAddressProblems(config).map((p) =>
        p.replace(/^REDIS_SENTINELS or REDIS_URL is required/, '$& when CACHE=redis'),
      ),
    );
  }
  return problems;
}

/**
 * Call after loadConfig: throws ConfigError naming every connection variable a selected adapter needs but
 * lacks (e.g. `MONGODB_URI is required when STORAGE=mongo (...)`), so the service stops at start with one
 * message instead of failing on its first request. Returns the config.
 */
export function requireAdapterSettings<C extends AdapterSettings>(config: C): C {
  const problems = adapterSettingsProblems(config);
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/** MONGODB_URI of a config with STORAGE=mongo; throws the ConfigError requireAdapterSettings would. */
export function requireMongoUri(config: Pick<AdapterSettings, 'MONGODB_URI'>): string {
  if (config.MONGODB_URI === undefined) throw new ConfigError([MONGODB_URI_MISSING]);
  return config.MONGODB_URI;
}

/** KAFKA_BROKERS of a config with EVENTS=kafka; throws the ConfigError requireAdapterSettings would. */
export function requireKafkaBrokers(config: Pick<AdapterSettings, 'KAFKA_BROKERS'>): readonly HostPort[] {
  if (config.KAFKA_BROKERS === undefined || config.KAFKA_BROKERS.length === 0) {
    throw new ConfigError([KAFKA_BROKERS_MISSING]);
  }
  return config.KAFKA_BROKERS;
}
