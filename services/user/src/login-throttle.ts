import { createHash } from 'node:crypto';
import type { RateLimiter } from '@platform/common';

export interface LoginLimits {
  /** Attempts per normalised email per window; a successful login resets the count. */
  readonly maxFailuresPerEmail: number;
  /** Attempts per client IP per window, successful or not. */
  readonly maxAttemptsPerIp: number;
  readonly windowSeconds: number;
}

export const DEFAULT_LOGIN_LIMITS: LoginLimits = {
  maxFailuresPerEmail: 5,
  maxAttemptsPerIp: 20,
  windowSeconds: 900,
};

export type ThrottleDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * Brute-force protection for login. Every attempt is counted before the password is checked, so a burst
 * of parallel guesses cannot slip past the limit while earlier ones are still hashing. Per email it
 * guards one account against guessing; per IP it slows password spraying across many accounts.
 */
export class LoginThrottle {
  constructor(
    private readonly rateLimiter: RateLimiter,
    private readonly limits: LoginLimits = DEFAULT_LOGIN_LIMITS,
  ) {}

  async attempt(email: string, ip: string): Promise<ThrottleDecision> {
    const { maxFailuresPerEmail, maxAttemptsPerIp, windowSeconds } = this.limits;
    const decisions = await Promise.all([
      this.rateLimiter.hit(emailKey(email), maxFailuresPerEmail, windowSeconds),
      this.rateLimiter.hit(ipKey(ip), maxAttemptsPerIp, windowSeconds),
    ]);
    const refused = decisions.filter((d) => !d.allowed);
    if (refused.length === 0) return { allowed: true };
    return { allowed: false, retryAfterSeconds: Math.max(...refused.map((d) => d.retryAfterSeconds)) };
  }

  /**
   * Clears the email's count. The IP's count stays: otherwise an attacker could reset it by logging in to
   * an account of their own between guesses at other people's.
   */
  async succeeded(email: string): Promise<void> {
    await this.rateLimiter.reset(emailKey(email));
  }
}

// Hashed, so the shared store (Redis) holds no email addresses, and keys have a fixed length.
function emailKey(email: string): string {
  return `login:email:${createHash('sha256').update(email).digest('base64url')}`;
}

function ipKey(ip: string): string {
  return `login:ip:${ip}`;
}
