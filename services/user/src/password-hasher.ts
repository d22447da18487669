import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

export interface ScryptParams {
  /** CPU/memory cost, a power of two. */
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

/** OWASP's scrypt baseline: about 32 MiB and ~100 ms per hash. Raising it later needs no migration. */
export const DEFAULT_SCRYPT_PARAMS: ScryptParams = { N: 2 ** 15, r: 8, p: 1 };

const SALT_BYTES = 16;
const KEY_BYTES = 32;

// Limits for parameters read back from storage: a tampered hash must not make us allocate gigabytes.
const MIN_LOG2_N = 14;
const MAX_LOG2_N = 20;
const MAX_R = 32;
const MAX_P = 16;

function derive(
  password: string,
  salt: Buffer,
  keyLength: number,
  { N, r, p }: ScryptParams,
): Promise<Buffer> {
  // scrypt needs 128 * N * r bytes; Node's default maxmem (32 MiB) is exactly that for N=2^15, r=8, too tight.
  const maxmem = 256 * N * r * Math.max(1, p);
  return new Promise((resolve, reject) => {
    // NFC, so the same password typed on systems that compose accents differently still matches.
    scrypt(password.normalize('NFC'), salt, keyLength, { N, r, p, maxmem }, (err, key) => {
      if (err) reject(err);
      else resolve(key);
    });
  });
}

/** `scrypt$N$r$p$salt$hash` with base64 salt and hash: the parameters travel with the hash. */
export async function hashPassword(
  password: string,
  params: ScryptParams = DEFAULT_SCRYPT_PARAMS,
): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, KEY_BYTES, params);
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64'), key.toString('base64')].join('$');
}

interface StoredHash {
  readonly params: ScryptParams;
  readonly salt: Buffer;
  readonly key: Buffer;
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const INTEGER = /^[1-9]\d{0,9}$/;

function parse(stored: string): StoredHash | undefined {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return undefined;
  const [, n, r, p, salt, key] = parts as [string, string, string, string, string, string];
  if (![n, r, p].every((v) => INTEGER.test(v)) || !BASE64.test(salt) || !BASE64.test(key)) return undefined;
  const params = { N: Number(n), r: Number(r), p: Number(p) };
  const log2N = Math.log2(params.N);
  if (!Number.isInteger(log2N) || log2N < MIN_LOG2_N || log2N > MAX_LOG2_N) return undefined;
  if (params.r > MAX_R || params.p > MAX_P) return undefined;
  const saltBytes = Buffer.from(salt, 'base64');
  const keyBytes = Buffer.from(key, 'base64');
  if (saltBytes.length < SALT_BYTES || keyBytes.length < KEY_BYTES || keyBytes.length > 64) return undefined;
  return { params, salt: saltBytes, key: keyBytes };
}

/**
 * True when `password` matches `stored`, compared in constant time. A malformed or out-of-range stored hash
 * never matches (the caller answers "invalid credentials", not a 500).
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parse(stored);
  if (parsed === undefined) return false;
  const key = await derive(password, parsed.salt, parsed.key.length, parsed.params);
  return timingSafeEqual(key, parsed.key);
}
