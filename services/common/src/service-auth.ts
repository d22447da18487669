import type { RequestHandler, Response } from 'express';
import { z } from 'zod';
import type { Env, EnvShape } from './config';
import { ConfigError } from './config';
import { UnauthorizedError, signHs256, verifyHs256 } from './hs256';
import { ForbiddenError } from './jwt';

/**
 * Service-to-service identity. The caller (e.g. order) holds SERVICE_TOKEN_KEY and sends
 * `X-Service-Token: <HS256 JWT {iss: caller, aud: callee, iat, exp}>`, valid for 60 s; each callee holds
 * SERVICE_KEY_<CALLER> (the same value) for every caller it accepts, and SERVICE_KEY_<CALLER>_PREVIOUS
 * during a rotation. Internal operations live under /internal/, which the gateway never routes, and take
 * only this header: a user's access token, stolen or not, is not a service token.
 */
export const SERVICE_TOKEN_HEADER = 'x-service-token';
/** How long a token the caller signs is valid. */
export const SERVICE_TOKEN_TTL_SECONDS = 60;
/** Longest lifetime (exp - iat) a callee accepts, whatever the caller signed. */
export const MAX_SERVICE_TOKEN_LIFETIME_SECONDS = 300;
/** How far a caller's clock may run ahead of the callee's. */
export const SERVICE_TOKEN_CLOCK_SKEW_SECONDS = 60;
/** Keys shorter than the HMAC output would make the signature guessable offline. */
export const MIN_SERVICE_KEY_BYTES = 32;

const SERVICE_NAME = /^[a-z][a-z0-9-]{0,62}$/;
const KEY_VARIABLE = /^SERVICE_KEY_([A-Z][A-Z0-9_]*?)(_PREVIOUS)?$/;
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/** SERVICE_TOKEN_KEY, for a service that calls others' /internal/ operations (from the Secret service-key-<name>). */
export const serviceTokenKeyEnv = {
  SERVICE_TOKEN_KEY: z
    .string({ error: `must be a key of at least ${MIN_SERVICE_KEY_BYTES} bytes` })
    .refine((key) => Buffer.byteLength(key) >= MIN_SERVICE_KEY_BYTES, {
      error: `must be a key of at least ${MIN_SERVICE_KEY_BYTES} bytes`,
    }),
} satisfies EnvShape;

/** What a verified service token says: who called (`iss`), for whom (`aud`), and when. */
export interface ServiceTokenClaims {
  readonly iss: string;
  readonly aud: string;
  readonly iat: number;
  readonly exp: number;
}

function checkServiceName(role: string, name: string): string {
  if (!SERVICE_NAME.test(name)) {
    throw new TypeError(`${role} must be a service name of a-z, 0-9 and "-" (got ${JSON.stringify(name)})`);
  }
  return name;
}

/** The variable a callee reads a caller's key from: `order` -> SERVICE_KEY_ORDER. */
export function serviceKeyVariable(caller: string): string {
  return `SERVICE_KEY_${checkServiceName('caller', caller).toUpperCase().replace(/-/g, '_')}`;
}

/** A compact HS256 service token from `caller` to `audience`, valid `ttlSeconds` (default 60) from `now`. */
export function signServiceToken(
  claims: { readonly caller: string; readonly audience: string },
  key: string,
  options: { readonly now?: number; readonly ttlSeconds?: number } = {},
): string {
  const iat = Math.floor((options.now ?? Date.now()) / 1000);
  return signHs256(
    {
      iss: checkServiceName('caller', claims.caller),
      aud: checkServiceName('audience', claims.audience),
      iat,
      exp: iat + (options.ttlSeconds ?? SERVICE_TOKEN_TTL_SECONDS),
    },
    key,
  );
}

/**
 * Signs the tokens of one caller (SERVICE_TOKEN_KEY), one per audience, reusing each for up to half its
 * lifetime: a token per request would cost an HMAC each time for nothing, and half the lifetime leaves the
 * callee the other half even with some clock skew.
 */
export class ServiceTokenIssuer {
  readonly caller: string;
  private readonly key: string;
  private readonly ttlSeconds: number;
  private readonly now: () => number;
  private readonly cached = new Map<string, { token: string; iatMs: number }>();

  constructor(options: {
    readonly caller: string;
    /** SERVICE_TOKEN_KEY, at least 32 bytes. */
    readonly key: string;
    readonly ttlSeconds?: number;
    /** Injected in tests. */
    readonly now?: () => number;
  }) {
    this.caller = checkServiceName('caller', options.caller);
    if (Buffer.byteLength(options.key) < MIN_SERVICE_KEY_BYTES) {
      throw new TypeError(`key must be at least ${MIN_SERVICE_KEY_BYTES} bytes`);
    }
    this.key = options.key;
    this.ttlSeconds = options.ttlSeconds ?? SERVICE_TOKEN_TTL_SECONDS;
    if (
      !Number.isInteger(this.ttlSeconds) ||
      this.ttlSeconds < 2 ||
      this.ttlSeconds > MAX_SERVICE_TOKEN_LIFETIME_SECONDS
    ) {
      throw new RangeError(`ttlSeconds must be an integer 2-${MAX_SERVICE_TOKEN_LIFETIME_SECONDS}`);
    }
    this.now = options.now ?? Date.now;
  }

  /** A token for calling `audience`, fresh or reused. */
  token(audience: string): string {
    const now = this.now();
    const hit = this.cached.get(audience);
    if (hit !== undefined && now - hit.iatMs < (this.ttlSeconds * 1000) / 2 && now >= hit.iatMs)
      return hit.token;
    const token = signServiceToken({ caller: this.caller, audience }, this.key, {
      now,
      ttlSeconds: this.ttlSeconds,
    });
    // iat is whole seconds: age the cache entry from there, so a reused token never has less than half left.
    this.cached.set(audience, { token, iatMs: Math.floor(now / 1000) * 1000 });
    return token;
  }
}

/** The keys a callee accepts, by caller name: the current key first, then the previous one during a rotation. */
export type ServiceKeys = ReadonlyMap<string, readonly string[]>;

/**
 * The callers a callee accepts, from its environment: one per SERVICE_KEY_<CALLER> variable that is set
 * (`SERVICE_KEY_ORDER` -> caller `order`, `_` read as `-`), plus SERVICE_KEY_<CALLER>_PREVIOUS while a
 * rotation is under way. No such variable: no caller is accepted. Throws ConfigError (values never shown)
 * for keys under 32 bytes and for a _PREVIOUS key without its current one.
 */
export function serviceKeysFromEnv(env: Env): ServiceKeys {
  const current = new Map<string, string>();
  const previous = new Map<string, string>();
  const problems: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    const match = KEY_VARIABLE.exec(name);
    if (match === null || value === undefined || value.trim() === '') continue;
    const caller = match[1]!.toLowerCase().replace(/_/g, '-');
    if (!SERVICE_NAME.test(caller) || caller.endsWith('-')) {
      problems.push(`${name} does not name a service (SERVICE_KEY_<CALLER>, e.g. SERVICE_KEY_ORDER)`);
      continue;
    }
    if (Buffer.byteLength(value) < MIN_SERVICE_KEY_BYTES) {
      problems.push(`${name} must be at least ${MIN_SERVICE_KEY_BYTES} bytes (got <redacted>)`);
      continue;
    }
    (match[2] === undefined ? current : previous).set(caller, value);
  }
  for (const caller of previous.keys()) {
    if (!current.has(caller)) {
      problems.push(`${serviceKeyVariable(caller)}_PREVIOUS is set without ${serviceKeyVariable(caller)}`);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  const keys = new Map<string, readonly string[]>();
  for (const [caller, key] of [...current].sort(([a], [b]) => a.localeCompare(b))) {
    const old = previous.get(caller);
    keys.set(caller, old === undefined || old === key ? [key] : [key, old]);
  }
  return keys;
}

export interface ServiceTokenVerification {
  /** The callee's own service name: `aud` must equal it. */
  readonly audience: string;
  readonly keys: ServiceKeys;
  /** Milliseconds since the epoch; injected in tests. */
  readonly now?: number;
  readonly clockSkewSeconds?: number;
}

const isTime = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/** The claims without their signature checked: only to pick the caller's key by `iss`. */
function unverifiedIssuer(token: string): unknown {
  try {
    const payload: unknown = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8'));
    return typeof payload === 'object' && payload !== null ? (payload as { iss?: unknown }).iss : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Verifies a service token: a known caller (`iss` with a key), its signature with that caller's key (or
 * the previous one), `aud` equal to our name, `iat` not beyond the clock skew in the future, not expired,
 * and a lifetime of at most 300 s. Throws UnauthorizedError (401) otherwise.
 */
export function verifyServiceToken(token: string, options: ServiceTokenVerification): ServiceTokenClaims {
  if (!COMPACT_JWS.test(token)) throw new UnauthorizedError('Malformed service token');
  const issuer = unverifiedIssuer(token);
  const keys = typeof issuer === 'string' ? options.keys.get(issuer) : undefined;
  if (keys === undefined) throw new UnauthorizedError('Unknown calling service');
  let claims: Record<string, unknown> | undefined;
  for (const key of keys) {
    try {
      claims = verifyHs256(token, key);
      break;
    } catch {
      // the next key, if a rotation is under way
    }
  }
  if (claims === undefined) throw new UnauthorizedError('Invalid service token');
  const { iss, aud, iat, exp } = claims;
  if (iss !== issuer || !isTime(iat) || !isTime(exp) || exp <= iat) {
    throw new UnauthorizedError('Invalid service token');
  }
  if (aud !== options.audience) throw new UnauthorizedError('Service token is for another service');
  if (exp - iat > MAX_SERVICE_TOKEN_LIFETIME_SECONDS) {
    throw new UnauthorizedError(`Service token lives longer than ${MAX_SERVICE_TOKEN_LIFETIME_SECONDS} s`);
  }
  const now = Math.floor((options.now ?? Date.now()) / 1000);
  if (iat > now + (options.clockSkewSeconds ?? SERVICE_TOKEN_CLOCK_SKEW_SECONDS)) {
    throw new UnauthorizedError('Service token not yet valid');
  }
  if (exp <= now) throw new UnauthorizedError('Service token expired');
  return { iss: issuer as string, aud, iat, exp };
}

export interface ServiceCallerOptions {
  /** The callee's own service name (config.serviceName). */
  readonly audience: string;
  /** serviceKeysFromEnv(env): the callers accepted at all. */
  readonly keys: ServiceKeys;
  /** Milliseconds since the epoch; injected in tests. */
  readonly now?: () => number;
}

/**
 * For /internal/ routes: requires a valid X-Service-Token (401 when missing or invalid) from one of
 * `allowed` (403 for another valid caller). The verified claims are then available through
 * getServiceCaller(res).
 */
export function requireServiceCaller(
  options: ServiceCallerOptions,
  ...allowed: readonly [string, ...string[]]
): RequestHandler {
  for (const caller of allowed) checkServiceName('allowed caller', caller);
  checkServiceName('audience', options.audience);
  return (req, res, next) => {
    const token = req.headers[SERVICE_TOKEN_HEADER];
    if (typeof token !== 'string' || token === '') {
      next(new UnauthorizedError('Service token required (X-Service-Token)'));
      return;
    }
    let claims: ServiceTokenClaims;
    try {
      claims = verifyServiceToken(token, {
        audience: options.audience,
        keys: options.keys,
        ...(options.now !== undefined && { now: options.now() }),
      });
    } catch (err) {
      next(err);
      return;
    }
    if (!allowed.includes(claims.iss)) {
      next(new ForbiddenError(`Service "${claims.iss}" may not call this operation`));
      return;
    }
    res.locals.serviceCaller = claims;
    next();
  };
}

/** The verified caller, inside a route behind requireServiceCaller. */
export function getServiceCaller(res: Response): ServiceTokenClaims {
  const caller = res.locals.serviceCaller as ServiceTokenClaims | undefined;
  if (caller === undefined) throw new UnauthorizedError('Service token required (X-Service-Token)');
  return caller;
}
