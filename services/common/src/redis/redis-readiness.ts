import { abortable } from '../abortable';
import type { ReadinessCheck } from '../readiness';

/** A /ready check: fails at once while the client is not connected, else PINGs (aborting with the probe). */
export function redisReadiness(redis: { readonly status: string; ping(): Promise<unknown> }): ReadinessCheck {
  return async (signal) => {
    if (redis.status !== 'ready') throw new Error(`redis is not connected (status ${redis.status})`);
    await abortable(redis.ping(), signal);
  };
}
