import type { ReadinessCheck } from '../readiness';
import type { MongoConnection } from './connect-mongo';

/** A /ready check that pings MongoDB; aborts with the probe's signal. */
export function mongoReadiness(mongo: Pick<MongoConnection, 'ping'>): ReadinessCheck {
  return (signal) => mongo.ping(signal);
}
