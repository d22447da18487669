import type { Logger } from 'pino';
import type { LogLevel } from '../config';
import { createLogger } from '../logger';

/** One parsed log line. */
export type LogLine = Record<string, unknown> & { level: string; msg?: string };

/** A real pino logger (with the platform's redaction) whose lines land in `lines`, for assertions in tests. */
export function captureLogger(level: LogLevel = 'debug'): {
  logger: Logger;
  lines: LogLine[];
  text: () => string;
} {
  const lines: LogLine[] = [];
  const raw: string[] = [];
  const logger = createLogger(
    { serviceName: 'test', serviceVersion: '0.0.0', track: 'stable', logLevel: level },
    {
      write: (line: string) => {
        raw.push(line);
        lines.push(JSON.parse(line) as LogLine);
      },
    },
  );
  return { logger, lines, text: () => raw.join('') };
}
