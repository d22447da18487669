import { setTimeout as delay } from 'node:timers/promises';
import { inspect } from 'node:util';
import type { DestinationStream } from 'pino';
import { runService } from '../run-service';
import { freePort } from './free-port';

/** Distinctive passwords planted in the connection settings; none may appear in any log line or error. */
export const PLANTED_PASSWORDS = {
  mongo: 'Pl4nted-Mongo-Pw-5c1f',
  redis: 'Pl4nted-Redis-Pw-8e2a',
  kafka: 'Pl4nted-Kafka-Pw-3d7b',
} as const;

/** One malformed connection setting, with the password it carries and the variable its error must name. */
export interface BrokenSetting {
  /** What is wrong, for the test's name. */
  readonly shape: string;
  /** The adapter switch the setting belongs to; a service without it does not read the setting. */
  readonly switchName: 'STORAGE' | 'EVENTS' | 'CACHE';
  readonly variable: string;
  readonly password: string;
  /** The adapter and connection variables to set (all others of the adapters are unset). */
  readonly env: Readonly<Record<string, string>>;
}

const M = PLANTED_PASSWORDS.mongo;
const R = PLANTED_PASSWORDS.redis;
const K = PLANTED_PASSWORDS.kafka;

function mongo(shape: string, uri: string): BrokenSetting {
  return {
    shape,
    switchName: 'STORAGE',
    variable: 'MONGODB_URI',
    password: M,
    env: { STORAGE: 'mongo', MONGODB_URI: uri, MONGODB_DATABASE: 'shop' },
  };
}

function redis(shape: string, variable: string, env: Record<string, string>): BrokenSetting {
  return { shape, switchName: 'CACHE', variable, password: R, env: { CACHE: 'redis', ...env } };
}

function kafka(shape: string, variable: string, env: Record<string, string>): BrokenSetting {
  return { shape, switchName: 'EVENTS', variable, password: K, env: { EVENTS: 'kafka', ...env } };
}

/**
 * Malformed MONGODB_URI, REDIS_URL / REDIS_SENTINELS and KAFKA_* settings, several shapes each: caught by
 * the config schemas, by the drivers' own parsers (whose messages and `input` fields quote the value), or by
 * the cross-checks of requireAdapterSettings. Every one stops the start without connecting anywhere.
 */
export const BROKEN_CONNECTION_SETTINGS: readonly BrokenSetting[] = [
  mongo('another scheme', `mongo://svc:${M}@mongo-0:27017/shop`),
  mongo('a space in the host list', `mongodb://svc:${M}@mongo-0 :27017/shop`),
  mongo('a port that is not a number', `mongodb://svc:${M}@mongo-0:port/shop?replicaSet=rs0`),
  mongo('a port out of range', `mongodb://svc:${M}@mongo-0:99999/shop`),
  mongo('no host (the driver quotes the URI)', `mongodb://svc:${M}@/shop`),
  mongo('a bad percent escape in the password', `mongodb://svc:${M}%zz@mongo-0/shop`),
  mongo('an unescaped ":" in the password', `mongodb://svc:${M}:x@mongo-0/shop`),
  mongo('a port on mongodb+srv', `mongodb+srv://svc:${M}@cluster.example:27017/shop`),
  mongo('a bad option value', `mongodb://svc:${M}@mongo-0/shop?tls=maybe`),
  mongo('the password as an unsupported option', `mongodb://mongo-0/shop?password=${M}`),
  redis('REDIS_URL of another scheme', 'REDIS_URL', { REDIS_URL: `http://:${R}@redis:6379` }),
  redis('REDIS_URL with a port that is not a number', 'REDIS_URL', { REDIS_URL: `redis://:${R}@redis:port` }),
  redis('REDIS_URL with a port out of range', 'REDIS_URL', { REDIS_URL: `redis://user:${R}@redis:99999` }),
  redis('REDIS_URL with a broken IPv6 host', 'REDIS_URL', { REDIS_URL: `redis://:${R}@[::1` }),
  redis('REDIS_URL with a bad percent escape', 'REDIS_URL', { REDIS_URL: `redis://:${R}%zz@redis:6379` }),
  redis('REDIS_URL with a database name', 'REDIS_URL', { REDIS_URL: `redis://:${R}@redis:6379/cache` }),
  redis('REDIS_URL without a host', 'REDIS_URL', { REDIS_URL: `redis://:${R}@` }),
  redis('REDIS_URL and REDIS_SENTINELS both set', 'REDIS_SENTINELS', {
    REDIS_URL: `redis://:${R}@redis:6379`,
    REDIS_SENTINELS: 'redis-0:26379',
  }),
  redis('credentials in REDIS_SENTINELS', 'REDIS_SENTINELS', { REDIS_SENTINELS: `:${R}@redis-0:26379` }),
  redis('a URL in REDIS_SENTINELS', 'REDIS_SENTINELS', { REDIS_SENTINELS: `redis://:${R}@redis-0:26379` }),
  redis('the password as a sentinel entry', 'REDIS_SENTINELS', {
    REDIS_SENTINELS: `redis-0:26379,${R}`,
    REDIS_PASSWORD: R,
  }),
  redis('REDIS_PASSWORD without an address', 'REDIS_URL', { REDIS_PASSWORD: R }),
  kafka('credentials in KAFKA_BROKERS', 'KAFKA_BROKERS', { KAFKA_BROKERS: `svc:${K}@kafka-0:9092` }),
  kafka('a URL in KAFKA_BROKERS', 'KAFKA_BROKERS', { KAFKA_BROKERS: `kafka://svc:${K}@kafka-0:9092` }),
  kafka('a password= parameter in KAFKA_BROKERS', 'KAFKA_BROKERS', {
    KAFKA_BROKERS: `kafka-0:9092?password=${K}`,
  }),
  kafka('the password as a broker entry', 'KAFKA_BROKERS', {
    KAFKA_BROKERS: `kafka-0:9092,${K}`,
    KAFKA_USERNAME: 'svc',
    KAFKA_PASSWORD: K,
  }),
  kafka('KAFKA_PASSWORD without KAFKA_USERNAME', 'KAFKA_USERNAME', {
    KAFKA_BROKERS: 'kafka-0:9092',
    KAFKA_PASSWORD: K,
  }),
  kafka('the password in KAFKA_SASL_MECHANISM', 'KAFKA_SASL_MECHANISM', {
    KAFKA_BROKERS: 'kafka-0:9092',
    KAFKA_SASL_MECHANISM: K,
    KAFKA_USERNAME: 'svc',
    KAFKA_PASSWORD: K,
  }),
  kafka('the password in KAFKA_CA_CERT', 'KAFKA_CA_CERT', {
    KAFKA_BROKERS: 'kafka-0:9092',
    KAFKA_CA_CERT: K,
    KAFKA_USERNAME: 'svc',
    KAFKA_PASSWORD: K,
  }),
  kafka('the password in KAFKA_USERNAME', 'KAFKA_USERNAME', {
    KAFKA_BROKERS: 'kafka-0:9092',
    KAFKA_USERNAME: `svc ${K}`,
    KAFKA_PASSWORD: K,
  }),
];

/** Every variable of the three adapters: unset around each start, so only the case's settings count. */
const ADAPTER_VARIABLE = /^(STORAGE|EVENTS|CACHE|MONGODB_.*|REDIS_.*|KAFKA_.*)$/;

/** What a failed start left behind: everything logged, and the error the build threw. */
export interface FailedStart {
  /** Every line runService and the service's logger wrote. */
  readonly output: string;
  /** What the build threw (undefined when it did not fail). */
  readonly error: unknown;
  /** The error as any log or crash report could show it: message, stack, own properties, causes. */
  readonly errorText: string;
}

/**
 * Starts a service the way its main does, through runService with `env` added to process.env (restored
 * afterwards): `build` loads the config from process.env and builds the dependencies, logging to the
 * `destination` it gets; runService reports the failure there too. Resolves once the start failed, or after
 * `timeoutMs` (then `error` is undefined, or a start that did not finish).
 */
export async function startWithEnv(
  name: string,
  env: Readonly<Record<string, string>>,
  build: (destination: DestinationStream) => Promise<unknown>,
  timeoutMs = 10_000,
): Promise<FailedStart> {
  const saved = { ...process.env };
  const exitCode = process.exitCode;
  const raw: string[] = [];
  const destination: DestinationStream = { write: (line: string) => void raw.push(line) };
  let error: unknown;
  let failed = false;
  for (const key of Object.keys(process.env)) if (ADAPTER_VARIABLE.test(key)) delete process.env[key];
  // A free port, should a start get as far as listening.
  Object.assign(process.env, { PORT: String(await freePort()), LOG_LEVEL: 'debug' }, env);
  try {
    runService(
      name,
      async () => {
        try {
          await build(destination);
        } catch (err) {
          error = err;
          throw err;
        } finally {
          failed = true;
        }
        throw new Error(`${name} started although a connection setting is broken`);
      },
      { destination },
    );
    const deadline = Date.now() + timeoutMs;
    while (!(failed && raw.some((line) => line.includes('"level":"fatal"'))) && Date.now() < deadline) {
      await delay(10);
    }
  } finally {
    for (const key of Object.keys(process.env)) delete process.env[key];
    Object.assign(process.env, saved);
    process.exitCode = exitCode;
  }
  const errorText =
    error === undefined
      ? ''
      : [String(error), (error as Error).stack, inspect(error, { depth: 10 }), JSON.stringify(error)].join(
          '\n',
        );
  return { output: raw.join(''), error, errorText };
}
