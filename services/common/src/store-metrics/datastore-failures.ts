import { Counter } from 'prom-client';
import type { Registry } from 'prom-client';
import { metricOn } from './metric-on';

/** The stores a service's clients connect to, as the `store` label says them. */
export const DATASTORES = ['mongodb', 'redis', 'kafka'] as const;
export type Datastore = (typeof DATASTORES)[number];

export const DATASTORE_FAILURES_METRIC = 'datastore_connection_failures_total';

/** `datastore_connection_failures_total{store}` on `registry` (one per registry, shared by every client). */
export function datastoreFailureCounter(registry: Registry): Counter<'store'> {
  return metricOn(
    registry,
    DATASTORE_FAILURES_METRIC,
    () =>
      new Counter({
        name: DATASTORE_FAILURES_METRIC,
        help: 'Failed attempts of this service to reach a store: connection errors, failed heartbeats, timeouts',
        labelNames: ['store'],
        registers: [registry],
      }),
  );
}

/** Counts one failure to reach a store. */
export type FailureRecorder = () => void;

/**
 * What a client of `store` calls on each failure to reach it. The series starts at 0 here, when the client
 * is made, so `rate()` and `increase()` see the first failure instead of a series appearing at 1. Without
 * a registry (clients made outside a service, e.g. in tests), failures are not counted.
 */
export function datastoreFailureRecorder(registry: Registry | undefined, store: Datastore): FailureRecorder {
  if (registry === undefined) return () => undefined;
  const counter = datastoreFailureCounter(registry);
  counter.inc({ store }, 0);
  return () => counter.inc({ store });
}
