import type { RequestHandler, Response } from 'express';
import { z } from 'zod';
import type { EnvShape } from './config';
import { envString } from './config';
import { HttpError } from './errors';
import { UnauthorizedError, checkHs256Secret, signHs256, verifyHs256 } from './hs256';

export { UnauthorizedError };

/**
 * The roles an access token can carry. Least privilege: `admin` grants and revokes roles but holds none of
 * the others implicitly, so an administrator who manages the catalog grants itself `catalog-manager`.
 * Tokens naming a role outside this list are refused, so a new role must reach every service before any
 * user is given it.
 */
export const ROLES = ['admin', 'catalog-manager', 'analyst'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return (ROLES as readonly unknown[]).includes(value);
}

/** Roles without duplicates, in the order of ROLES, so tokens and responses list them the same way. */
export function sortRoles(roles: Iterable<Role>): Role[] {
  const held = new Set(roles);
  return ROLES.filter((role) => held.has(role));
}

/** What a verified access token says about its caller. */
export interface AccessTokenClaims {
  /** The user id, a UUID. */
  readonly sub: string;
  readonly email: string;
  readonly iss: string;
  /** Expiry and issue time, in seconds since the epoch. */
  readonly exp: number;
  readonly iat: number;
  /** Empty for tokens issued without the claim. */
  readonly roles: readonly Role[];
}

export interface JwtOptions {
  /** HMAC key, at least 32 bytes (from a Secret). */
  readonly secret: string;
  readonly issuer: string;
  /**
   * How far `iat` and `nbf` may lie in the future, for clocks of issuer and verifier that disagree a little
   * (default 60 s).
   */
  readonly clockSkewSeconds?: number;
}

export const DEFAULT_CLOCK_SKEW_SECONDS = 60;

/** JWT_SECRET and JWT_ISSUER, for every service that issues or verifies access tokens. */
export const jwtEnv = {
  JWT_SECRET: z
    .string({ error: 'must be at least 32 bytes' })
    .refine((secret) => Buffer.byteLength(secret) >= 32, { error: 'must be at least 32 bytes' }),
  JWT_ISSUER: envString(/^[\x21-\x7e]{1,128}$/, '1-128 printable ASCII characters without spaces').default(
    'platform',
  ),
} satisfies EnvShape;

export class ForbiddenError extends HttpError {
  constructor(message = 'Not allowed') {
    super(403, 'forbidden', message);
  }
}

/** An HS256 access token for `sub`, valid for `ttlSeconds`. */
export function signAccessToken(
  claims: { readonly sub: string; readonly email: string; readonly roles?: readonly Role[] },
  options: JwtOptions & { readonly ttlSeconds: number; readonly now?: number },
): string {
  const iat = Math.floor((options.now ?? Date.now()) / 1000);
  return signHs256(
    {
      sub: claims.sub,
      email: claims.email,
      roles: sortRoles(claims.roles ?? []),
      iss: options.issuer,
      iat,
      exp: iat + options.ttlSeconds,
    },
    options.secret,
  );
}

// User ids are randomUUID()s; anything else in `sub` would reach downstream calls and queries as an id.
const userId = z.uuid();
const isTime = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/**
 * Verifies an HS256 access token (signature and header through verifyHs256), then its claims: the issuer must
 * be ours, `sub` a user id, `roles` (when present) known roles, `iat` and `nbf` not later than now plus the
 * clock skew, `exp` after `iat` and not passed. Throws UnauthorizedError otherwise.
 */
export function verifyAccessToken(
  token: string,
  options: JwtOptions & { readonly now?: number },
): AccessTokenClaims {
  const claims = verifyHs256(token, options.secret);
  const now = Math.floor((options.now ?? Date.now()) / 1000);
  const skew = options.clockSkewSeconds ?? DEFAULT_CLOCK_SKEW_SECONDS;
  const { sub, email, iss, exp, iat, nbf, roles = [] } = claims;
  if (
    typeof sub !== 'string' ||
    !userId.safeParse(sub).success ||
    typeof email !== 'string' ||
    !isTime(exp) ||
    !isTime(iat) ||
    (nbf !== undefined && !isTime(nbf)) ||
    iss !== options.issuer ||
    // Unknown roles are refused rather than dropped: a token naming them was not issued by this platform.
    !Array.isArray(roles) ||
    !roles.every(isRole)
  ) {
    throw new UnauthorizedError('Invalid token');
  }
  // Expiry first: whatever else is wrong with an expired token, "log in again" is the useful answer.
  if (exp <= now) throw new UnauthorizedError('Token expired');
  if (iat > now + skew || (nbf !== undefined && nbf > now + skew)) {
    throw new UnauthorizedError('Token not yet valid');
  }
  if (exp <= iat) throw new UnauthorizedError('Invalid token');
  return { sub, email, iss, exp, iat, roles: sortRoles(roles) };
}

/** Requires `Authorization: Bearer <token>`; the verified claims are then available through getAuth(res). */
export function requireAuth(options: JwtOptions): RequestHandler {
  checkHs256Secret(options.secret);
  return (req, res, next) => {
    const header = req.headers.authorization;
    const match = header === undefined ? null : /^Bearer ([A-Za-z0-9_.-]+)$/.exec(header);
    if (match?.[1] === undefined) {
      next(new UnauthorizedError());
      return;
    }
    try {
      res.locals.auth = verifyAccessToken(match[1], options);
      next();
    } catch (err) {
      next(err);
    }
  };
}

/**
 * After requireAuth: lets the request through when the token holds at least one of `roles`, else 403.
 * Without a verified token (requireAuth missing or not passed) it answers 401, so it never fails open.
 */
export function requireRole(...roles: readonly [Role, ...Role[]]): RequestHandler {
  if (roles.length === 0) throw new Error('requireRole needs at least one role');
  const needed =
    roles.length === 1
      ? `the role "${roles[0]}"`
      : `one of the roles ${roles.map((r) => `"${r}"`).join(', ')}`;
  return (_req, res, next) => {
    const auth = res.locals.auth as AccessTokenClaims | undefined;
    if (auth === undefined) {
      next(new UnauthorizedError());
      return;
    }
    if (!roles.some((role) => auth.roles.includes(role))) {
      next(new ForbiddenError(`This request needs ${needed}`));
      return;
    }
    next();
  };
}

/** The caller's verified claims, inside a route behind requireAuth. */
export function getAuth(res: Response): AccessTokenClaims {
  const auth = res.locals.auth as AccessTokenClaims | undefined;
  if (auth === undefined) throw new UnauthorizedError();
  return auth;
}
