import { Histogram } from 'prom-client';
import type { Registry } from 'prom-client';
import type { DependencyFailure } from './dependency-error';

export type DependencyLabel = 'dependency' | 'method' | 'outcome';

/** How a call ended: answered (2xx/3xx or 4xx) or why it failed. */
export type DependencyOutcome = 'success' | 'client_error' | DependencyFailure;

const NAME = 'dependency_request_duration_seconds';

/**
 * The latency callers saw per call to another service, retries included. Every client on a registry
 * shares one histogram (prom-client refuses a second metric of the same name).
 */
export function dependencyDurationHistogram(registry: Registry): Histogram<DependencyLabel> {
  const existing = registry.getSingleMetric(NAME);
  if (existing) return existing as Histogram<DependencyLabel>;
  return new Histogram({
    name: NAME,
    help: 'Calls to other services from first attempt to final answer, by dependency, method and outcome',
    labelNames: ['dependency', 'method', 'outcome'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
}
