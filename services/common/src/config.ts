import { z } from 'zod';
import { redactText, secretValues } from './redact';
import { intString, issueMessage } from './validation';

export const TRACKS = ['stable', 'canary', 'preview', 'blue', 'green'] as const;
export type Track = (typeof TRACKS)[number];

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** What every service knows about itself; the shared building blocks take this, never process.env. */
export interface ServiceConfig {
  readonly serviceName: string;
  readonly serviceVersion: string;
  readonly track: Track;
  readonly port: number;
  readonly logLevel: LogLevel;
  readonly shutdownGraceMs: number;
}

/** Schemas for single environment variables: they receive the raw string (or undefined when unset). */
export type EnvShape = Record<string, z.ZodType<unknown, string | undefined>>;
export type EnvValues<E extends EnvShape> = { readonly [K in keyof E]: z.output<E[K]> };

export type Env = Readonly<Record<string, string | undefined>>;

export function envEnum<const T extends readonly [string, ...string[]]>(
  values: T,
): z.ZodType<T[number], string> {
  return z.enum(values, { error: `must be one of ${values.join('|')}` });
}

export function envString(pattern: RegExp, allowed: string): z.ZodType<string, string> {
  return z.string({ error: `must be ${allowed}` }).regex(pattern, { error: `must be ${allowed}` });
}

/** The variables naming the service: what its metrics, logs and traces are labelled with. */
export const serviceIdentityEnv = {
  // Also a metric label and a DNS-ish name in Kubernetes, so keep it to a label-safe form.
  SERVICE_NAME: envString(/^[a-z][a-z0-9-]{0,62}$/, 'a lowercase name of a-z, 0-9 and "-" (max 63)'),
  SERVICE_VERSION: envString(
    /^[A-Za-z0-9][A-Za-z0-9._+-]{0,127}$/,
    'a version of A-Z, a-z, 0-9, ".", "_", "+", "-" (max 128)',
  ).default('0.0.0-dev'),
  TRACK: envEnum(TRACKS).default('stable'),
} satisfies EnvShape;

const commonShape = {
  ...serviceIdentityEnv,
  PORT: intString(1, 65535).default(8080),
  LOG_LEVEL: envEnum(LOG_LEVELS).default('info'),
  SHUTDOWN_GRACE_MS: intString(0, 600_000).default(10_000),
} satisfies EnvShape;

/** Thrown by loadConfig with every problem found, so one failed start shows everything to fix. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

// Values of these variables may carry credentials (or a private key pasted by mistake for a certificate),
// so errors must not echo them into logs.
const SECRET_NAME = /PASSWORD|SECRET|TOKEN|CREDENTIAL|KEY|CERT|URL|URI|DSN/i;

function describeProblem(name: string, raw: string | undefined, message: string): string {
  if (raw === undefined) {
    const allowed = message.replace(/^must be /, '');
    return allowed === message ? `${name} is required` : `${name} is required (${allowed})`;
  }
  // Before an "@" there may be credentials even in a harmless-sounding variable (`:pw@redis-0:26379`).
  const shown = SECRET_NAME.test(name)
    ? '<redacted>'
    : JSON.stringify(raw.replace(/[^\s,;]*@/g, '<redacted>@'));
  return `${name} ${message} (got ${shown})`;
}

/**
 * Reads and validates the variables of `shape` (keyed by variable name) from `env`. Empty strings count as
 * unset. Throws ConfigError listing every bad variable, values of secret-looking ones redacted.
 */
export function parseEnv<E extends EnvShape>(shape: E, env: Env = process.env): EnvValues<E> {
  const raw: Record<string, string | undefined> = {};
  for (const name of Object.keys(shape)) {
    const value = env[name];
    raw[name] = value === undefined || value.trim() === '' ? undefined : value;
  }

  const result = z.object(shape).safeParse(raw, { error: issueMessage });
  if (!result.success) {
    // Messages may quote parts of a value (bad list entries); no secret of the environment may be among them.
    const secrets = secretValues(env);
    const problems = result.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? '(environment)');
      return redactText(describeProblem(name, raw[name], issue.message), secrets);
    });
    throw new ConfigError(problems);
  }
  return result.data as EnvValues<E>;
}

/**
 * Reads and validates the common variables plus the service's own (`extend`, keyed by variable name),
 * once at start. Empty strings count as unset so `PORT=` in a manifest falls back to the default.
 * Throws ConfigError listing every bad variable.
 */
export function loadConfig<E extends EnvShape = Record<never, never>>(
  options: { env?: Env; extend?: E } = {},
): ServiceConfig & EnvValues<E> {
  const shape: EnvShape = { ...commonShape, ...options.extend };
  const values = parseEnv(shape, options.env ?? process.env) as Record<string, unknown> &
    z.output<z.ZodObject<typeof commonShape>>;
  const common: ServiceConfig = {
    serviceName: values.SERVICE_NAME,
    serviceVersion: values.SERVICE_VERSION,
    track: values.TRACK,
    port: values.PORT,
    logLevel: values.LOG_LEVEL,
    shutdownGraceMs: values.SHUTDOWN_GRACE_MS,
  };
  const extra: Record<string, unknown> = {};
  for (const name of Object.keys(options.extend ?? {})) extra[name] = values[name];
  return { ...extra, ...common } as ServiceConfig & EnvValues<E>;
}
