export interface BackoffOptions {
  /** Upper bound of the first wait; each retry doubles it. */
  readonly baseMs?: number;
  /** Upper bound of any single wait. */
  readonly capMs?: number;
}

export const DEFAULT_BACKOFF: Required<BackoffOptions> = { baseMs: 100, capMs: 1000 };

/**
 * The wait before retry number `retry` (0 for the first): exponential with full jitter, a random time
 * between 0 and min(cap, base * 2^retry), so clients that failed together do not retry together.
 */
export function backoffDelay(
  retry: number,
  options: Required<BackoffOptions> = DEFAULT_BACKOFF,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(options.capMs, options.baseMs * 2 ** retry);
  return Math.floor(random() * ceiling);
}
