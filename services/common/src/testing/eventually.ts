import { setTimeout as delay } from 'node:timers/promises';

/**
 * Retries `assertion` until it stops throwing or `timeoutMs` passes (then rethrows its last error), for
 * effects that happen in the background (relays, consumers, expiry).
 */
export async function eventually<T>(
  assertion: () => T | Promise<T>,
  timeoutMs = 5000,
  stepMs = 10,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await assertion();
    } catch (error) {
      if (Date.now() >= deadline) throw error;
      await delay(stepMs);
    }
  }
}
