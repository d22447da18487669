/**
 * How hard each rule bites in each environment, and exemptions of single objects. Shared by the offline plan
 * (tools/plan/check-plan.ts) and the CrossGuard pack (tools/policy-pack), so a rule's level is decided once.
 *
 * - A rule's level comes from ENVIRONMENT_LEVELS for the environment, else from its catalogue entry:
 *   mandatory findings fail the plan and block `pulumi up`, advisory ones are printed, disabled ones dropped.
 *   Findings the checks themselves mark as warnings (e.g. "not checked without an environment") stay warnings
 *   unless the environment's level for the rule says otherwise.
 * - An object is exempt from a rule when it carries the annotation `policy.platform.io/exempt-<rule>` with a
 *   reason; the finding is then listed as exempted, with the reason, and does not fail anything.
 */
import type { Finding, K8sObject, PolicyReport } from './policies';
import { POLICY_EXEMPTION_PREFIX } from '../../charts/lib/labels';
import { POLICY_RULES } from './rule-catalog';

export type EnforcementLevel = 'mandatory' | 'advisory' | 'disabled';

/** Per-environment overrides of the catalogue's levels: stricter in prod than in dev. */
export const ENVIRONMENT_LEVELS: Readonly<Record<string, Readonly<Record<string, EnforcementLevel>>>> = {
  // Probes are a recommendation while a service is being built, required where users are.
  'container-probes': { uat: 'mandatory', prod: 'mandatory' },
};

export const EXEMPTION_ANNOTATION_PREFIX = POLICY_EXEMPTION_PREFIX;

export interface ExemptedFinding extends Finding {
  readonly reason: string;
}

export interface EnforcedReport extends PolicyReport {
  readonly exempted: ExemptedFinding[];
}

/** The level of `rule` in `environment`, or undefined when neither the table nor the catalogue names it. */
export function levelFor(rule: string, environment: string | undefined): EnforcementLevel | undefined {
  const override = environment === undefined ? undefined : ENVIRONMENT_LEVELS[rule]?.[environment];
  if (override !== undefined) return override;
  return (POLICY_RULES as Readonly<Record<string, { level: EnforcementLevel }>>)[rule]?.level;
}

const refOf = (o: K8sObject) =>
  o.metadata.namespace
    ? `${o.metadata.namespace}/${o.kind}/${o.metadata.name}`
    : `${o.kind}/${o.metadata.name}`;

/** The exemption reasons objects declare, by `<object ref>` and rule. Empty reasons do not exempt. */
export function exemptionsOf(objects: readonly K8sObject[]): Map<string, Map<string, string>> {
  const found = new Map<string, Map<string, string>>();
  for (const o of objects) {
    const annotations = (o.metadata as { annotations?: Record<string, unknown> }).annotations ?? {};
    for (const [key, value] of Object.entries(annotations)) {
      if (!key.startsWith(EXEMPTION_ANNOTATION_PREFIX)) continue;
      if (typeof value !== 'string' || value.trim() === '') continue;
      const rules = found.get(refOf(o)) ?? new Map<string, string>();
      rules.set(key.slice(EXEMPTION_ANNOTATION_PREFIX.length), value.trim());
      found.set(refOf(o), rules);
    }
  }
  return found;
}

/** Applies the environment's levels and the objects' exemptions to what the checks found. */
export function enforce(
  report: PolicyReport,
  objects: readonly K8sObject[],
  environment: string | undefined,
): EnforcedReport {
  const exemptions = exemptionsOf(objects);
  const errors: Finding[] = [];
  const warnings: Finding[] = [];
  const exempted: ExemptedFinding[] = [];
  const place = (finding: Finding, severity: 'error' | 'warning') => {
    const reason = exemptions.get(finding.object)?.get(finding.rule);
    if (reason !== undefined) {
      exempted.push({ ...finding, reason });
      return;
    }
    const override = environment === undefined ? undefined : ENVIRONMENT_LEVELS[finding.rule]?.[environment];
    const level = override ?? (severity === 'error' ? levelFor(finding.rule, undefined) : 'advisory');
    if (level === 'disabled') return;
    (level === 'advisory' ? warnings : errors).push(finding);
  };
  for (const f of report.errors) place(f, 'error');
  for (const f of report.warnings) place(f, 'warning');
  return { errors, warnings, exempted };
}
