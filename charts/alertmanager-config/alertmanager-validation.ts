/**
 * Field checks shared by the Alertmanager renderer. Each returns the value it accepted or throws an error that
 * names `<field>`, what is allowed and the value given, so a bad stack config is fixed without reading code.
 */

const DNS_LABEL = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;

// prometheus/common model.ParseDuration, which Alertmanager uses for every interval: units largest first.
const DURATION_PATTERN = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;
const UNIT_MS = [365 * 86_400_000, 7 * 86_400_000, 86_400_000, 3_600_000, 60_000, 1000, 1];
// Kubernetes: Secret names are DNS subdomains (RFC 1123), data keys are [-._a-zA-Z0-9]+.
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;
// Prometheus label names (Alertmanager 0.25 parses group_by with the classic rules).
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
// An HTTP Authorization scheme is an RFC 7230 token.
const AUTH_SCHEME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

export function fail(field: string, rule: string, got: unknown): never {
  throw new Error(`${field} ${rule} (got ${JSON.stringify(got)})`);
}

/** A stack name: any DNS label, so a new environment needs no change here. */
export function environment(field: string, value: string): string {
  if (typeof value !== 'string' || !DNS_LABEL.test(value))
    fail(field, 'must be a DNS label such as "prod"', value);
  return value;
}

/** Milliseconds of an Alertmanager duration such as '30s', '1h30m' or '0s'. */
export function durationMs(field: string, value: string, { positive }: { positive: boolean }): number {
  const match = typeof value === 'string' && value !== '' ? DURATION_PATTERN.exec(value) : null;
  if (match === null) {
    fail(
      field,
      "must be an Alertmanager duration such as '30s', '5m' or '1h30m' (units y w d h m s ms, largest first)",
      value,
    );
  }
  const ms = match
    .slice(1)
    .reduce((sum, part, i) => sum + (part === undefined ? 0 : Number(part) * (UNIT_MS[i] ?? 0)), 0);
  // Alertmanager refuses zero group_interval / repeat_interval.
  if (positive && ms === 0) fail(field, 'must be longer than zero', value);
  return ms;
}

export function duration(field: string, value: string, options: { positive: boolean }): string {
  durationMs(field, value, options);
  return value;
}

export function secretName(field: string, value: string): string {
  if (typeof value !== 'string' || value.length > 253 || !DNS_SUBDOMAIN.test(value)) {
    fail(
      field,
      'must be a DNS subdomain name (lowercase a-z, 0-9, "-" and ".", at most 253 characters)',
      value,
    );
  }
  return value;
}

export function secretKey(field: string, value: string): string {
  if (
    typeof value !== 'string' ||
    value.length > 253 ||
    !SECRET_KEY.test(value) ||
    value === '.' ||
    value === '..'
  ) {
    fail(field, 'must be a Secret key: 1..253 characters of [-._a-zA-Z0-9]', value);
  }
  return value;
}

export function labelName(field: string, value: string): string {
  if (typeof value !== 'string' || !LABEL_NAME.test(value))
    fail(field, 'must be a label name [a-zA-Z_][a-zA-Z0-9_]*', value);
  return value;
}

export function authScheme(field: string, value: string): string {
  // Basic is refused: http_config.authorization cannot carry it, basic_auth is the field for that.
  if (typeof value !== 'string' || !AUTH_SCHEME.test(value) || value.toLowerCase() === 'basic') {
    fail(field, "must be an HTTP authorization scheme token other than Basic, e.g. 'Bearer'", value);
  }
  return value;
}

/** An http(s) URL without user info: credentials belong in a Secret, not in the rendered config. */
export function webhookUrl(field: string, value: string): string {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    fail(field, 'must be an http or https URL', value);
  }
  if (url.username !== '' || url.password !== '') {
    fail(field, 'must not carry credentials; put them in the Secret', value);
  }
  return value;
}

/** A Slack channel ('#name', '@user') or channel id; no spaces, at most 80 characters. */
export function slackChannel(field: string, value: string): string {
  if (typeof value !== 'string' || !/^[#@]?[a-z0-9][a-z0-9._-]{0,79}$/i.test(value)) {
    fail(field, "must be a Slack channel such as '#alerts-prod' or a channel id", value);
  }
  return value;
}
