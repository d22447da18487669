import { z } from 'zod';

/** One `host:port` entry of a list such as REDIS_SENTINELS or KAFKA_BROKERS. */
export interface HostPort {
  readonly host: string;
  readonly port: number;
}

// A DNS name or IPv4 address, or an IPv6 address in brackets (`[::1]:26379`).
const ENTRY = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?)):(\d{1,5})$/;

function parseEntry(entry: string): HostPort | undefined {
  const match = ENTRY.exec(entry);
  if (match === null) return undefined;
  const port = Number(match[3]);
  if (port < 1 || port > 65535) return undefined;
  return { host: (match[1] ?? match[2])!, port };
}

/** A bad entry as an error shows it; what comes before an "@" is credentials pasted by mistake, never shown. */
function describeEntry(entry: string): string {
  if (entry === '') return '(empty)';
  const at = entry.lastIndexOf('@');
  return JSON.stringify(at < 0 ? entry : `<redacted>@${entry.slice(at + 1)}`);
}

/**
 * An environment variable holding a comma-separated `host:port` list. Errors name each bad entry, e.g.
 * `must be a comma-separated list of host:port (port 1-65535); bad entries: "redis-0", "redis-1:0"`.
 */
export function hostPortList(): z.ZodType<readonly HostPort[], string> {
  const allowed = 'a comma-separated list of host:port (port 1-65535)';
  return z.string({ error: `must be ${allowed}` }).transform((raw, ctx) => {
    const entries = raw.split(',').map((e) => e.trim());
    const parsed = entries.map(parseEntry);
    const bad = entries.filter((_e, i) => parsed[i] === undefined);
    if (bad.length > 0) {
      const named = bad.map(describeEntry).join(', ');
      ctx.addIssue({ code: 'custom', message: `must be ${allowed}; bad entries: ${named}` });
      return z.NEVER;
    }
    return parsed as HostPort[];
  });
}
