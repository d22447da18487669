import type { PlanResource } from '../release/run-plan';
import { edgeKey, planReachabilityInput, reachability } from '../reachability';

export interface EdgeChanges {
  /** `from -> to:port/protocol`, sorted. */
  readonly added: readonly string[];
  readonly removed: readonly string[];
}

/** The connections the NetworkPolicies of `head` allow that those of `base` did not, and the reverse. */
export function reachabilityChanges(
  base: readonly PlanResource[],
  head: readonly PlanResource[],
): EdgeChanges {
  const edges = (resources: readonly PlanResource[]) =>
    new Set(reachability(planReachabilityInput(resources)).map(edgeKey));
  const before = edges(base);
  const after = edges(head);
  return {
    added: [...after].filter((e) => !before.has(e)).sort(),
    removed: [...before].filter((e) => !after.has(e)).sort(),
  };
}
