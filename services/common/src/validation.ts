import { z } from 'zod';
import type { FieldError } from './errors';
import { ValidationError } from './errors';

type RawIssue = z.core.$ZodRawIssue;

function plural(n: number | bigint, word: string): string {
  return `${n} ${word}${Number(n) === 1 ? '' : 's'}`;
}

function bound(
  issue: { origin: string; inclusive?: boolean },
  limit: number | bigint,
  below: boolean,
): string {
  const atLeast = below ? 'at least' : 'at most';
  switch (issue.origin) {
    case 'string':
      return `must have ${atLeast} ${plural(limit, 'character')}`;
    case 'array':
    case 'set':
      return `must have ${atLeast} ${plural(limit, 'item')}`;
    default: {
      const op = below ? (issue.inclusive === false ? '>' : '>=') : issue.inclusive === false ? '<' : '<=';
      return `must be ${op} ${String(limit)}`;
    }
  }
}

const ARTICLE: Record<string, string> = { int: 'an integer', object: 'an object', array: 'an array' };

/**
 * Per-parse zod error map: says what is allowed ("must be ..."). Schema-level custom messages still win,
 * because zod prefers them over a per-parse map.
 */
export const issueMessage = (issue: RawIssue): string | undefined => {
  if (issue.input === undefined && (issue.code === 'invalid_type' || issue.code === 'invalid_value')) {
    return 'is required';
  }
  switch (issue.code) {
    case 'invalid_type':
      return `must be ${ARTICLE[issue.expected] ?? `a ${issue.expected}`}`;
    case 'too_small':
      return bound(issue, issue.minimum, true);
    case 'too_big':
      return bound(issue, issue.maximum, false);
    case 'invalid_format':
      if (issue.format === 'regex' && issue.pattern) return `must match ${issue.pattern}`;
      return `must be a valid ${issue.format}`;
    case 'invalid_value':
      return issue.values.length === 1
        ? `must be ${JSON.stringify(issue.values[0])}`
        : `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'not_multiple_of':
      return `must be a multiple of ${String(issue.divisor)}`;
    case 'unrecognized_keys':
      return 'is not an allowed field';
    case 'invalid_union':
      return 'does not match any allowed form';
    default:
      return undefined;
  }
};

/** A short, single-line rendering of what the client sent, for "(got ...)". */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  if (typeof value === 'bigint') return `${value}n`;
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/**
 * An integer given as a string (environment variable, query parameter). Stricter than z.coerce.number():
 * "8080abc", "1e3", "0x50" or "" are mistakes, not numbers. Messages name the range, so errors read
 * `PORT must be an integer 1-65535 (got "abc")`.
 */
export function intString(min: number, max: number): z.ZodType<number, string> {
  const allowed = `must be an integer ${min}-${max}`;
  return z
    .string({ error: allowed })
    .regex(/^-?\d+$/, { error: allowed })
    .transform(Number)
    .pipe(z.int({ error: allowed }).min(min, { error: allowed }).max(max, { error: allowed }));
}

/** Zod issues as field errors; `root` names the whole input (for example `body`) when the path is empty. */
export function toFieldErrors(error: z.ZodError, root = 'body'): FieldError[] {
  const out: FieldError[] = [];
  for (const issue of error.issues) {
    const field = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys)
        out.push({ field: field ? `${field}.${key}` : key, message: issue.message });
      continue;
    }
    const got = 'input' in issue && issue.input !== undefined ? ` (got ${describeValue(issue.input)})` : '';
    out.push({ field: field || root, message: `${issue.message}${got}` });
  }
  return out;
}

/** Parses untrusted input or throws a ValidationError (HTTP 400) naming each bad field. */
export function parseInput<T extends z.ZodType>(schema: T, input: unknown, root = 'body'): z.output<T> {
  const result = schema.safeParse(input, { error: issueMessage, reportInput: true });
  if (result.success) return result.data;
  throw new ValidationError(toFieldErrors(result.error, root));
}
