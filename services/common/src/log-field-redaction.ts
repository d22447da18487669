/**
 * Defence in depth for log lines: request handlers never log headers or bodies wholesale, but if someone
 * does, these never reach Loki. The same paths pino's `redact` option took (REDACT_PATHS), applied by hand:
 * pino's path redaction cost about 9 µs per line with these wildcards (issue 17's profile, a third of an
 * access-log line), this a few hundred nanoseconds. The caller's objects are never changed: a censored
 * object is copied.
 */
export const CENSOR = '[redacted]';

/** Paths in pino's notation, for the docs and the tests: what `redactLogFields` censors. */
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
] as const;

const SENSITIVE = ['authorization', 'cookie', 'password', 'token', 'secret'];
const HEADERS_OF_ANY = ['authorization', 'cookie', 'set-cookie', 'x-api-key'];
const HEADERS_AT_TOP = ['x-api-key'];

type Fields = Record<string, unknown>;

function isObject(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A copy keeping the prototype and every own property (an Error keeps message and stack). */
function copyOf<T extends object>(value: T): T {
  const copy = Object.defineProperties(
    Object.create(Object.getPrototypeOf(value) as object | null) as T,
    Object.getOwnPropertyDescriptors(value),
  );
  // V8 keeps an error's stack behind an accessor bound to the original: copy the text itself.
  if (value instanceof Error) {
    Object.defineProperty(copy, 'stack', { value: value.stack, writable: true, configurable: true });
  }
  return copy;
}

/** `value` with the present keys of `keys` censored: itself when none is present. */
function censored(value: Fields, keys: readonly string[]): Fields {
  let out = value;
  for (const key of keys) {
    if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
    if (out === value) out = copyOf(value);
    Object.defineProperty(out, key, { value: CENSOR, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** `fields` with REDACT_PATHS censored; the same object when nothing matched. */
export function redactLogFields<T extends object>(fields: T): T {
  let out = fields as unknown as Fields;
  for (const key of Object.keys(fields)) {
    const value = (fields as Fields)[key];
    let replaced: unknown = value;
    if (SENSITIVE.includes(key)) replaced = CENSOR;
    else if (isObject(value)) {
      let inner = censored(value, SENSITIVE);
      if (key === 'headers') inner = censored(inner, HEADERS_AT_TOP);
      const headers = inner.headers;
      if (isObject(headers)) {
        const clean = censored(headers, HEADERS_OF_ANY);
        if (clean !== headers) {
          if (inner === value) inner = copyOf(value);
          inner.headers = clean;
        }
      }
      replaced = inner;
    }
    if (replaced !== value) {
      if (out === (fields as unknown)) out = { ...(fields as Fields) };
      out[key] = replaced;
    }
  }
  return out as unknown as T;
}
