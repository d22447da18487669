import type { Metric, Registry } from 'prom-client';

/**
 * The metric `name` on `registry`, made by `create` the first time: every client of a service records into
 * one metric per name, and prom-client refuses to register a second one.
 */
export function metricOn<M extends Metric>(registry: Registry, name: string, create: () => M): M {
  return (registry.getSingleMetric(name) as M | undefined) ?? create();
}
