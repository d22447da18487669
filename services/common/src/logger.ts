import pino from 'pino';
import type { Logger } from 'pino';
import type { Env, ServiceConfig } from './config';
import { redactJsonLine, secretValues } from './redact';

export type { Logger } from 'pino';

/**
 * Defence in depth: request handlers never log headers or bodies wholesale, but if someone does, these
 * never reach Loki. Pino paths match one level per `*`.
 */
export const REDACT_PATHS = [
  'authorization',
  'cookie',
  'password',
  'token',
  'secret',
  '*.authorization',
  '*.cookie',
  '*.password',
  '*.token',
  '*.secret',
  'headers["x-api-key"]',
  '*.headers.authorization',
  '*.headers.cookie',
  '*.headers["set-cookie"]',
  '*.headers["x-api-key"]',
];

/**
 * JSON lines on stdout (or `destination` in tests) with service, version and track on every line. Every
 * line is scrubbed of the secrets in `env` (default process.env, read once here): values of variables named
 * like PASSWORD/SECRET/KEY/TOKEN, passwords inside connection strings, and `scheme://user:pass@` or
 * `password=` shapes (see redact.ts), so a library error quoting a setting cannot leak it.
 */
export function createLogger(
  config: Pick<ServiceConfig, 'serviceName' | 'serviceVersion' | 'track' | 'logLevel'>,
  destination?: pino.DestinationStream,
  env: Env = process.env,
): Logger {
  const secrets = secretValues(env);
  const options: pino.LoggerOptions = {
    level: config.logLevel,
    base: { service: config.serviceName, version: config.serviceVersion, track: config.track },
    timestamp: pino.stdTimeFunctions.isoTime,
    // Level names instead of numbers, so Loki queries read `level="error"`.
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    hooks: { streamWrite: (line) => redactJsonLine(line, secrets) },
  };
  // Synchronous writes: shutdown logs right before process.exit must neither get lost nor reorder.
  return pino(options, destination ?? pino.destination({ dest: 1, sync: true }));
}
