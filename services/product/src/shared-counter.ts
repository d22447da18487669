import type { Registry } from '@platform/common';
import { Counter } from '@platform/common';

/**
 * The counter `name` of `registry`, made on first use. The public and the internal routers of one app
 * count the same things (cache lookups, events, stock adjustments) and share one registry, where a name
 * can be registered only once.
 */
export function sharedCounter<T extends string>(
  registry: Registry,
  config: { readonly name: string; readonly help: string; readonly labelNames: readonly T[] },
): Counter<T> {
  const existing = registry.getSingleMetric(config.name);
  if (existing instanceof Counter) return existing as Counter<T>;
  return new Counter({ ...config, registers: [registry] });
}
