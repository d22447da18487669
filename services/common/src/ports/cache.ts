/** A shared cache of JSON values with a time to live (Redis in production). */
export interface Cache {
  get<T>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown, ttlSeconds: number): Promise<void>;
  delete(key: string): Promise<void>;
}

export interface RateLimitDecision {
  readonly allowed: boolean;
  /** Hits left in the current window (0 when refused). */
  readonly remaining: number;
  /** Seconds until the window resets; send as Retry-After when refused. */
  readonly retryAfterSeconds: number;
}

/** Counts hits per key in fixed windows (Redis INCR + EXPIRE in production). */
export interface RateLimiter {
  hit(key: string, limit: number, windowSeconds: number): Promise<RateLimitDecision>;
  /** Forgets a key, e.g. after a successful login. */
  reset(key: string): Promise<void>;
}
