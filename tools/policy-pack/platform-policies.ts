/**
 * The platform's policies as CrossGuard policies: one StackValidationPolicy per rule of tools/policy, all
 * running the same checkPolicies the offline plan runs, on the same objects (the Kubernetes resources of the
 * stack, whose inputs are the objects). Nothing is written twice: a rule exists once, in tools/policy.
 */
import type { PolicyResource, ReportViolation, StackValidationPolicy } from '@pulumi/policy';
import { checkPolicies, type Finding, type K8sObject } from '../policy';
import { checkCloudResources } from '../policy/cloud-policies';
import { endpointAccessOf, enforce, type EnforcedReport } from '../policy/enforcement';
import { POLICY_RULES, type RuleName } from '../policy/rule-catalog';

/** The Kubernetes objects of a stack: custom resources of the kubernetes provider whose inputs are an object. */
export function kubernetesObjects<R extends { readonly type: string }>(
  resources: readonly R[],
  propsOf: (r: R) => Record<string, unknown>,
): { resource: R; object: K8sObject }[] {
  return resources
    .filter((r) => r.type.startsWith('kubernetes:') && typeof propsOf(r).kind === 'string')
    .filter((r) => typeof (propsOf(r).metadata as { name?: unknown } | undefined)?.name === 'string')
    .map((r) => ({ resource: r, object: propsOf(r) as unknown as K8sObject }));
}

/** The stack of a URN (`urn:pulumi:<stack>::<project>::<type>::<name>`), which selects per-environment rules. */
export function stackOfUrn(urn: string): string | undefined {
  const match = /^urn:pulumi:([^:]+)::/.exec(urn);
  return match?.[1];
}

const objectKey = (o: K8sObject) =>
  o.metadata.namespace
    ? `${o.metadata.namespace}/${o.kind}/${o.metadata.name}`
    : `${o.kind}/${o.metadata.name}`;

/** One report per set of resources: every rule's policy reads the same run of the checks. */
const reports = new WeakMap<
  readonly PolicyResource[],
  { report: EnforcedReport; urns: Map<string, string> }
>();

function reportFor(resources: readonly PolicyResource[]): {
  report: EnforcedReport;
  urns: Map<string, string>;
} {
  const cached = reports.get(resources);
  if (cached) return cached;
  const objects = kubernetesObjects(resources, (r) => r.props as Record<string, unknown>);
  const environment = resources.map((r) => stackOfUrn(r.urn)).find((s) => s !== undefined);
  const all = objects.map((o) => o.object);
  // The same levels and exemptions as the offline plan (tools/policy/enforcement.ts).
  const k8s = checkPolicies(all, environment === undefined ? {} : { environment });
  // The EKS endpoint's allowed networks come from the platform-policy ConfigMap, as the plan's do.
  const cloud = checkCloudResources(
    resources.map((r) => ({
      type: r.type,
      name: r.name,
      props: r.props as Record<string, unknown>,
      ...(r.parent !== undefined && { parent: r.parent.name }),
    })),
    { ...endpointAccessOf(all), ...(environment !== undefined && { environment }) },
  );
  const report = enforce({ errors: [...k8s.errors, ...cloud], warnings: k8s.warnings }, all, environment);
  // Kubernetes findings name the object, cloud findings `<type>/<name>` of the resource.
  const urns = new Map([
    ...resources.map((r): [string, string] => [`${r.type}/${r.name}`, r.urn]),
    ...objects.map((o): [string, string] => [objectKey(o.object), o.resource.urn]),
  ]);
  const entry = { report, urns };
  reports.set(resources, entry);
  return entry;
}

/** What the pack prints for a finding: the object, the field and the fix, as the plan prints it. */
export function violationMessage(finding: Finding): string {
  return `${finding.object}: ${finding.message}`;
}

/** Suffix of the policy that carries a rule's findings where the environment makes the rule advisory. */
export const ADVISORY_SUFFIX = '-advisory';

/**
 * The pack's policies: per rule, a mandatory policy (the findings that fail the plan) and an advisory one
 * (those the plan prints as warnings), so the environment's level decides per finding, as in the plan.
 */
export function platformPolicies(): StackValidationPolicy[] {
  return (Object.entries(POLICY_RULES) as [RuleName, (typeof POLICY_RULES)[RuleName]][]).flatMap(
    ([name, rule]) =>
      (['mandatory', 'advisory'] as const).map((level): StackValidationPolicy => ({
        name: level === 'mandatory' ? name : `${name}${ADVISORY_SUFFIX}`,
        description: level === 'mandatory' ? rule.description : `${rule.description} (where it is advisory)`,
        enforcementLevel: level,
        validateStack: (args, reportViolation: ReportViolation) => {
          const { report, urns } = reportFor(args.resources);
          for (const finding of level === 'mandatory' ? report.errors : report.warnings) {
            if (finding.rule !== name) continue;
            reportViolation(violationMessage(finding), urns.get(finding.object));
          }
        },
      })),
  );
}
