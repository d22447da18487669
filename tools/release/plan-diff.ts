/**
 * The plan diff the release prints: the one implementation in tools/plan-diff (issue 16), imported from its
 * building blocks rather than its index so a release does not load the policy and reachability checks.
 */
export { diffPlans, diffResource, diffValues } from '../plan-diff/object-diff';
export type { ChangedObject, FieldChange, PlanDiff } from '../plan-diff/object-diff';
export { resourceIdentity } from '../plan-diff/identity';
export { formatPlanDiff } from '../plan-diff/format-lines';
