import type { Env } from './config';

/** What a redacted secret reads as, in error messages and log lines. */
export const REDACTED = '<redacted>';

/** Variables whose whole value is a secret wherever it shows up (JWT_SECRET, REDIS_PASSWORD, SERVICE_TOKEN_KEY, ...). */
export const SECRET_ENV_NAME = /PASSWORD|PASSWD|SECRET|KEY|TOKEN|CREDENTIAL/i;

/**
 * Shorter values are not searched for by value: `KEY=on` would otherwise turn every "on" in the logs into
 * <redacted>. Passwords inside URLs and `password=` parameters are redacted by shape, whatever their length.
 */
export const MIN_SECRET_LENGTH = 6;

// `scheme://userinfo@`: the userinfo ends at the last "@" before the path; "/" and quotes end the search.
const URL_USERINFO = /([a-z][a-z0-9+.-]*:\/\/)([^\s/?#"'<>]*)@/gi;
// `password=...` in a query string or a `key=value` text; `db_password=` counts too.
const SECRET_PARAM =
  /(?<![a-z0-9])((?:password|passwd|pwd|secret|token|access_token|api[_-]?key|access[_-]?key)=)[^&#\s"'<>,;]*/gi;

function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The passwords a connection string carries: its userinfo password (raw and decoded) and secret parameters. */
export function secretsInValue(value: string): string[] {
  const out: string[] = [];
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(value);
  if (scheme !== null) {
    const rest = value.slice(scheme[0].length);
    // A password with an unescaped "@" leaves parsers disagreeing about where it ends: take both readings.
    for (const at of [rest.indexOf('@'), rest.lastIndexOf('@')]) {
      if (at < 0) continue;
      const userinfo = rest.slice(0, at);
      const colon = userinfo.indexOf(':');
      const password = colon < 0 ? userinfo : userinfo.slice(colon + 1);
      if (password !== '') out.push(password, decoded(password));
    }
  }
  for (const match of value.matchAll(SECRET_PARAM)) {
    const secret = match[0].slice(match[1]!.length);
    if (secret !== '') out.push(secret, decoded(secret));
  }
  return [...new Set(out)];
}

/**
 * Every secret `env` holds, longest first: the values of variables named like SECRET_ENV_NAME (also
 * percent-encoded, as they may sit in a URL) and the passwords inside any value (REDIS_URL, MONGODB_URI, ...).
 * Values shorter than MIN_SECRET_LENGTH are left out (see there).
 */
export function secretValues(env: Env): string[] {
  const found = new Set<string>();
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || value === '') continue;
    if (SECRET_ENV_NAME.test(name)) {
      found.add(value).add(value.trim()).add(encodeURIComponent(value));
    }
    for (const secret of secretsInValue(value)) found.add(secret);
  }
  return [...found].filter((s) => s.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
}

/**
 * `text` without secrets: URL userinfo passwords (`redis://:<redacted>@host`; a userinfo without ":" is
 * redacted whole, it may be a token), `password=`-style parameters, and every value of `secrets`
 * (see secretValues).
 */
export function redactText(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) if (secret !== '') out = out.split(secret).join(REDACTED);
  return redactShapes(out);
}

function redactShapes(text: string): string {
  return text
    .replace(URL_USERINFO, (_m, scheme: string, userinfo: string) => {
      const colon = userinfo.indexOf(':');
      return colon < 0 ? `${scheme}${REDACTED}@` : `${scheme}${userinfo.slice(0, colon)}:${REDACTED}@`;
    })
    .replace(SECRET_PARAM, `$1${REDACTED}`);
}

/** Replaces `needle` in a JSON text, except where a backslash escape of the text would be cut in two. */
function replaceOutsideEscapes(json: string, needle: string): string {
  let out = '';
  let from = 0;
  for (let at = json.indexOf(needle); at >= 0; at = json.indexOf(needle, at + 1)) {
    if (at < from) continue;
    let backslashes = 0;
    while (at - backslashes - 1 >= 0 && json[at - backslashes - 1] === '\\') backslashes += 1;
    if (backslashes % 2 === 1) continue;
    out += json.slice(from, at) + REDACTED;
    from = at + needle.length;
  }
  return out + json.slice(from);
}

/**
 * One JSON log line without secrets, for the logger's last step before the stream: the same shapes as
 * redactText, and `secrets` in the escaped form JSON gives them. The result stays valid JSON.
 */
export function redactJsonLine(line: string, secrets: readonly string[]): string {
  return jsonLineRedactor(secrets)(line);
}

/** redactJsonLine for a logger: the secrets' escaped forms are computed once, not per line. */
export function jsonLineRedactor(secrets: readonly string[]): (line: string) => string {
  const escaped = secrets.map((secret) => JSON.stringify(secret).slice(1, -1));
  return (line) => {
    let out = line;
    for (const needle of escaped) if (out.includes(needle)) out = replaceOutsideEscapes(out, needle);
    // Most lines have no "://" and no "=": the two regular expressions need not run over them.
    return out.includes('://') || out.includes('=') ? redactShapes(out) : out;
  };
}

/** A loggable error: name, code, message, stack and cause, redacted; other properties dropped (they may echo input). */
export interface RedactedError {
  readonly type: string;
  readonly message: string;
  readonly stack?: string;
  readonly code?: string | number;
  readonly cause?: RedactedError | string;
}

function isErrorLike(
  value: unknown,
): value is { message: string; name?: unknown; stack?: unknown; code?: unknown; cause?: unknown } {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { message?: unknown }).message === 'string'
  );
}

/**
 * For logging an error whose text may quote a connection setting, e.g. `TypeError: Invalid URL` whose
 * `input` is the whole REDIS_URL: only the fields of RedactedError, each through redactText.
 */
export function redactError(error: unknown, secrets: readonly string[] = [], depth = 0): RedactedError {
  // Duck-typed: errors made by Node itself may come from another realm (test runners), failing instanceof.
  if (!isErrorLike(error)) return { type: typeof error, message: redactText(String(error), secrets) };
  const code = error.code;
  const cause = error.cause;
  return {
    type: typeof error.name === 'string' ? error.name : 'Error',
    message: redactText(error.message, secrets),
    ...(typeof error.stack === 'string' && { stack: redactText(error.stack, secrets) }),
    ...((typeof code === 'string' || typeof code === 'number') && { code }),
    ...(cause !== undefined &&
      (depth < 3
        ? { cause: redactError(cause, secrets, depth + 1) }
        : { cause: redactText(String(cause), secrets) })),
  };
}
