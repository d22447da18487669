import type { PlanResource } from '../release/run-plan';
import { checkPolicies, type K8sObject } from '../policy';
import { checkCloudResources } from '../policy/cloud-policies';
import { endpointAccessOf, enforce } from '../policy/enforcement';
import { CARRIERS, kubernetesObject } from './identity';

export interface PolicyFinding {
  readonly severity: 'error' | 'warning' | 'exempted';
  readonly rule: string;
  readonly object: string;
  readonly message: string;
}

/**
 * The policy findings of a written plan, recomputed from its objects and resources the way the plan checks
 * them (tools/plan/check-plan.ts): the Kubernetes policies, the cloud policies, then the environment's levels
 * and the objects' exemptions. Sorted, so two plans compare finding by finding.
 */
export function planFindings(resources: readonly PlanResource[], environment: string): PolicyFinding[] {
  const objects = resources
    .filter((r) => !CARRIERS.has(r.type) && kubernetesObject(r) !== undefined)
    .map((r) => r.inputs as unknown as K8sObject);
  const k8s = checkPolicies(objects, { environment });
  const cloud = checkCloudResources(
    resources.map((r) => {
      const parent = (r as { parent?: unknown }).parent;
      return { type: r.type, name: r.name, props: r.inputs, ...(typeof parent === 'string' && { parent }) };
    }),
    // The written plan has no stack file beside it: the endpoint access the program rendered, as the pack reads it.
    { ...endpointAccessOf(objects), environment },
  );
  const report = enforce({ errors: [...k8s.errors, ...cloud], warnings: k8s.warnings }, objects, environment);
  const all: PolicyFinding[] = [
    ...report.errors.map((f) => ({ severity: 'error' as const, ...pick(f) })),
    ...report.warnings.map((f) => ({ severity: 'warning' as const, ...pick(f) })),
    ...report.exempted.map((f) => ({ severity: 'exempted' as const, ...pick(f) })),
  ];
  return all.sort((a, b) => findingKey(a).localeCompare(findingKey(b)));
}

const pick = (f: { rule: string; object: string; message: string }) => ({
  rule: f.rule,
  object: f.object,
  message: f.message,
});

export const findingKey = (f: PolicyFinding): string => `${f.severity} ${f.rule} ${f.object} ${f.message}`;
