/**
 * What the `platform-policy` ConfigMap holds, shared by the chart that renders it and the enforcement that
 * reads it (tools/policy/enforcement.ts). Pure data, so the CrossGuard pack can import it without cdk8s.
 */

/** How hard a platform policy rule bites: fail the plan and `pulumi up`, only print, or not report at all. */
export const POLICY_LEVELS = ['mandatory', 'advisory', 'disabled'] as const;
export type PolicyLevel = (typeof POLICY_LEVELS)[number];

/** Rule name -> level, as resolved from the stack file and its environment's defaults. */
export type PolicyLevels = Readonly<Record<string, PolicyLevel>>;

/** The ConfigMap's name; it lives in the platform namespace. */
export const POLICY_SETTINGS_NAME = 'platform-policy';
/** Data key holding the levels as a JSON object of rule -> level. */
export const POLICY_LEVELS_KEY = 'levels.json';
/** Data key holding the environment (stack) the levels were resolved for. */
export const POLICY_ENVIRONMENT_KEY = 'environment';

export function isPolicyLevel(value: unknown): value is PolicyLevel {
  return typeof value === 'string' && (POLICY_LEVELS as readonly string[]).includes(value);
}

/** Data key holding the EKS public endpoint's allowed networks (EKS stacks only), as JSON. */
export const POLICY_ENDPOINT_ACCESS_KEY = 'eks-endpoint-access.json';

/** What the stack file allows on the EKS public API endpoint (`cluster.publicAccessCidrs`, `...FromAnywhere`). */
export interface EndpointAccessSettings {
  readonly publicAccessCidrs: readonly string[];
  readonly allowPublicAccessFromAnywhere: boolean;
}
