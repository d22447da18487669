import { createHmac, timingSafeEqual } from 'node:crypto';
import { HttpError } from './errors';

/** 401: the caller is not (or no longer) authenticated. */
export class UnauthorizedError extends HttpError {
  constructor(message = 'Authentication required') {
    super(401, 'unauthorized', message);
  }
}

const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');
const HEADER = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));

/** Refuses HMAC keys shorter than the hash output: a short key makes the signature guessable offline. */
export function checkHs256Secret(secret: string): void {
  if (Buffer.byteLength(secret) < 32) throw new Error('JWT secret must be at least 32 bytes');
}

function signature(input: string, secret: string): Buffer {
  return createHmac('sha256', secret).update(input).digest();
}

/** A compact HS256 JWS of `payload` (JSON-serialised as given; claims are the caller's business). */
export function signHs256(payload: object, secret: string): string {
  checkHs256Secret(secret);
  const input = `${HEADER}.${b64url(JSON.stringify(payload))}`;
  return `${input}.${b64url(signature(input, secret))}`;
}

/**
 * Verifies a compact HS256 JWS and returns its decoded payload (a JSON object; claims are not checked here).
 * The header must name HS256 (no `none`, no algorithm switching) and the signature must match in constant time.
 * Throws UnauthorizedError otherwise; the messages say what kind of failure, never anything about the key.
 */
export function verifyHs256(token: string, secret: string): Record<string, unknown> {
  checkHs256Secret(secret);
  const parts = token.split('.');
  if (parts.length !== 3) throw new UnauthorizedError('Malformed token');
  const [header, payload, sig] = parts as [string, string, string];
  let decodedHeader: unknown;
  let decodedPayload: unknown;
  try {
    decodedHeader = JSON.parse(Buffer.from(header, 'base64url').toString('utf8'));
    decodedPayload = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    throw new UnauthorizedError('Malformed token');
  }
  const h = decodedHeader as { alg?: unknown } | null;
  if (h === null || typeof h !== 'object' || h.alg !== 'HS256')
    throw new UnauthorizedError('Unsupported token');
  const expected = signature(`${header}.${payload}`, secret);
  const given = Buffer.from(sig, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new UnauthorizedError('Invalid token');
  }
  if (decodedPayload === null || typeof decodedPayload !== 'object' || Array.isArray(decodedPayload)) {
    throw new UnauthorizedError('Invalid token');
  }
  return decodedPayload as Record<string, unknown>;
}
