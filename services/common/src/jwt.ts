import { createHmac, timingSafeEqual } from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import { HttpError } from './errors';

/** What a verified access token says about its caller. */
export interface AccessTokenClaims {
  /** The user id. */
  readonly sub: string;
  readonly email: string;
  readonly iss: string;
  /** Expiry and issue time, in seconds since the epoch. */
  readonly exp: number;
  readonly iat: number;
}

export interface JwtOptions {
  /** HMAC key, at least 32 bytes (from a Secret). */
  readonly secret: string;
  readonly issuer: string;
}

export class UnauthorizedError extends HttpError {
  constructor(message = 'Authentication required') {
    super(401, 'unauthorized', message);
  }
}

export class ForbiddenError extends HttpError {
  constructor(message = 'Not allowed') {
    super(403, 'forbidden', message);
  }
}

const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');
const HEADER = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));

function checkSecret(secret: string): void {
  if (Buffer.byteLength(secret) < 32) throw new Error('JWT secret must be at least 32 bytes');
}

function signature(input: string, secret: string): Buffer {
  return createHmac('sha256', secret).update(input).digest();
}

/** An HS256 access token for `sub`, valid for `ttlSeconds`. */
export function signAccessToken(
  claims: { readonly sub: string; readonly email: string },
  options: JwtOptions & { readonly ttlSeconds: number; readonly now?: number },
): string {
  checkSecret(options.secret);
  const iat = Math.floor((options.now ?? Date.now()) / 1000);
  const payload = b64url(
    JSON.stringify({
      sub: claims.sub,
      email: claims.email,
      iss: options.issuer,
      iat,
      exp: iat + options.ttlSeconds,
    }),
  );
  const input = `${HEADER}.${payload}`;
  return `${input}.${b64url(signature(input, options.secret))}`;
}

/**
 * Verifies an HS256 token: the header must name HS256 (no `none`, no algorithm switching), the signature must
 * match in constant time, the issuer must be ours and the token unexpired. Throws UnauthorizedError otherwise.
 */
export function verifyAccessToken(
  token: string,
  options: JwtOptions & { readonly now?: number },
): AccessTokenClaims {
  checkSecret(options.secret);
  const parts = token.split('.');
  if (parts.length !== 3) throw new UnauthorizedError('Malformed token');
  const [header, payload, sig] = parts as [string, string, string];
  let decodedHeader: unknown;
  let claims: Partial<AccessTokenClaims>;
  try {
    decodedHeader = JSON.parse(Buffer.from(header, 'base64url').toString('utf8'));
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Partial<AccessTokenClaims>;
  } catch {
    throw new UnauthorizedError('Malformed token');
  }
  const h = decodedHeader as { alg?: unknown; typ?: unknown } | null;
  if (h === null || typeof h !== 'object' || h.alg !== 'HS256')
    throw new UnauthorizedError('Unsupported token');
  const expected = signature(`${header}.${payload}`, options.secret);
  const given = Buffer.from(sig, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new UnauthorizedError('Invalid token');
  }
  const now = Math.floor((options.now ?? Date.now()) / 1000);
  if (
    typeof claims.sub !== 'string' ||
    typeof claims.email !== 'string' ||
    typeof claims.exp !== 'number' ||
    typeof claims.iat !== 'number' ||
    claims.iss !== options.issuer
  ) {
    throw new UnauthorizedError('Invalid token');
  }
  if (claims.exp <= now) throw new UnauthorizedError('Token expired');
  return claims as AccessTokenClaims;
}

/** Requires `Authorization: Bearer <token>`; the verified claims are then available through getAuth(res). */
export function requireAuth(options: JwtOptions): RequestHandler {
  checkSecret(options.secret);
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

/** The caller's verified claims, inside a route behind requireAuth. */
export function getAuth(res: Response): AccessTokenClaims {
  const auth = res.locals.auth as AccessTokenClaims | undefined;
  if (auth === undefined) throw new UnauthorizedError();
  return auth;
}
