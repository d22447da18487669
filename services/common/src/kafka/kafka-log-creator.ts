import { logLevel } from 'kafkajs';
import type { logCreator } from 'kafkajs';
import type { Logger } from 'pino';

const SECRET_KEY = /password|passwd|secret|token|sasl|credential/i;

/** A copy of kafkajs' log extras without anything that looks like a credential (defence in depth). */
function scrub(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== 'object' || depth > 3) return value;
  if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value))
    out[key] = SECRET_KEY.test(key) ? '[redacted]' : scrub(v, depth + 1);
  return out;
}

/** The kafkajs level that lets through what the pino logger would print. */
export function kafkaLogLevel(logger: Logger): logLevel {
  switch (logger.level) {
    case 'trace':
    case 'debug':
      return logLevel.DEBUG;
    case 'info':
      return logLevel.INFO;
    case 'warn':
      return logLevel.WARN;
    case 'silent':
      return logLevel.NOTHING;
    default:
      return logLevel.ERROR;
  }
}

/** Writes kafkajs' log entries as pino lines (`component: kafkajs`, its namespace and extras). */
export function pinoLogCreator(logger: Logger): logCreator {
  const child = logger.child({ component: 'kafkajs' });
  return () =>
    ({ namespace, level, log }) => {
      const { message, timestamp: _timestamp, ...extra } = log;
      const fields = { namespace, ...(scrub(extra) as Record<string, unknown>) };
      // KafkaEventPublisher bounds retries on purpose and replaces its producer after a failure, so this
      // warning, repeated for every producer, is not actionable.
      if (message.startsWith('Limiting retries for the idempotent producer')) {
        child.debug(fields, message);
        return;
      }
      switch (level) {
        case logLevel.ERROR:
        case logLevel.NOTHING:
          child.error(fields, message);
          break;
        case logLevel.WARN:
          child.warn(fields, message);
          break;
        case logLevel.INFO:
          child.info(fields, message);
          break;
        default:
          child.debug(fields, message);
      }
    };
}
