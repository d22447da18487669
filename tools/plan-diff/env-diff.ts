import type { PlanResource } from '../release/run-plan';
import { headlines, type Headline } from './headlines';
import { indexResources } from './identity';
import { diffPlans, type PlanDiff } from './object-diff';
import { planFindings } from './policy-findings';
import { reachabilityChanges } from './reachability-edges';

export interface EnvironmentDiff {
  readonly env: string;
  /** `added`/`removed`: the environment has a plan on one side only. */
  readonly status: 'changed' | 'unchanged' | 'added' | 'removed';
  readonly diff: PlanDiff;
  readonly headlines: readonly Headline[];
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** The diff of one environment's plans; `undefined` for a side without a plan of it. */
export function diffEnvironment(
  env: string,
  base: readonly PlanResource[] | undefined,
  head: readonly PlanResource[] | undefined,
): EnvironmentDiff {
  const diff = diffPlans(base ?? [], head ?? []);
  const both = base !== undefined && head !== undefined;
  const total = diff.added.length + diff.removed.length + diff.changed.length;
  let edges;
  let findings;
  if (both && total > 0) {
    try {
      edges = reachabilityChanges(base, head);
    } catch (err) {
      edges = message(err);
    }
    try {
      findings = { base: planFindings(base, env), head: planFindings(head, env) };
    } catch (err) {
      findings = message(err);
    }
  }
  const status =
    base === undefined ? 'added' : head === undefined ? 'removed' : total > 0 ? 'changed' : 'unchanged';
  return {
    env,
    status,
    diff,
    headlines:
      status === 'changed'
        ? headlines({
            diff,
            base: indexResources(base ?? []),
            head: indexResources(head ?? []),
            ...(edges !== undefined && { edges }),
            ...(findings !== undefined && { findings }),
          })
        : [],
  };
}

/** The promotion order of the environments; other stacks follow alphabetically. */
const ORDER = ['dev', 'qat', 'uat', 'prod'];
export const byPromotionOrder = (a: string, b: string): number => {
  const rank = (e: string) => (ORDER.includes(e) ? ORDER.indexOf(e) : ORDER.length);
  return rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0);
};
