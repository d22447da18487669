import pino from 'pino';
import type { Logger } from 'pino';
import type { Env, ServiceConfig } from './config';
import { redactLogFields } from './log-field-redaction';
import { jsonLineRedactor, secretValues } from './redact';

export { REDACT_PATHS } from './log-field-redaction';

export type { Logger } from 'pino';

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
  const redactLine = jsonLineRedactor(secretValues(env));
  const stream = destination ?? bufferedStdout();
  const options: pino.LoggerOptions = {
    level: config.logLevel,
    base: { service: config.serviceName, version: config.serviceVersion, track: config.track },
    timestamp: pino.stdTimeFunctions.isoTime,
    // Level names instead of numbers, so Loki queries read `level="error"`.
    formatters: {
      level: (label) => ({ level: label }),
      log: redactLogFields,
      bindings: redactLogFields,
    },
    hooks: {
      streamWrite: (line) => {
        if (stream === ownStdout) ownStdoutPending = true;
        return redactLine(line);
      },
    },
  };
  return pino(options, stream);
}

/** Longest a line waits in the buffer before it is written. */
export const LOG_FLUSH_INTERVAL_MS = 200;
const LOG_BUFFER_BYTES = 4096;
let ownStdout: pino.DestinationStream | undefined;
let ownStdoutPending = false;

/**
 * stdout for every logger of the process, buffered: lines are written 4 KiB at a time, or at the latest
 * LOG_FLUSH_INTERVAL_MS after they were logged. One synchronous write per line was a system call on every
 * request's critical path (issue 17: the access log alone cost a tenth of the throughput). pino flushes
 * synchronously on process exit, so the shutdown lines right before process.exit are kept and in order;
 * only a SIGKILL can lose the last 200 ms.
 */
function bufferedStdout(): pino.DestinationStream {
  if (ownStdout !== undefined) return ownStdout;
  const stream = pino.destination({ dest: 1, sync: false, minLength: LOG_BUFFER_BYTES });
  setInterval(() => {
    if (!ownStdoutPending) return;
    ownStdoutPending = false;
    stream.flush();
  }, LOG_FLUSH_INTERVAL_MS).unref();
  ownStdout = stream;
  return stream;
}
