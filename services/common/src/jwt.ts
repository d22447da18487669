import type { RequestHandler, Response } from 'express';
import { HttpError } from './errors';
import { UnauthorizedError, checkHs256Secret, signHs256, verifyHs256 } from './hs256';

export { UnauthorizedError };

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

export class ForbiddenError extends HttpError {
  constructor(message = 'Not allowed') {
    super(403, 'forbidden', message);
  }
}

/** An HS256 access token for `sub`, valid for `ttlSeconds`. */
export function signAccessToken(
  claims: { readonly sub: string; readonly email: string },
  options: JwtOptions & { readonly ttlSeconds: number; readonly now?: number },
): string {
  const iat = Math.floor((options.now ?? Date.now()) / 1000);
  return signHs256(
    { sub: claims.sub, email: claims.email, iss: options.issuer, iat, exp: iat + options.ttlSeconds },
    options.secret,
  );
}

/**
 * Verifies an HS256 access token (signature and header through verifyHs256), then its claims: the issuer must be
 * ours and the token unexpired. Throws UnauthorizedError otherwise.
 */
export function verifyAccessToken(
  token: string,
  options: JwtOptions & { readonly now?: number },
): AccessTokenClaims {
  const claims = verifyHs256(token, options.secret) as Partial<AccessTokenClaims>;
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

/** The caller's verified claims, inside a route behind requireAuth. */
export function getAuth(res: Response): AccessTokenClaims {
  const auth = res.locals.auth as AccessTokenClaims | undefined;
  if (auth === undefined) throw new UnauthorizedError();
  return auth;
}
