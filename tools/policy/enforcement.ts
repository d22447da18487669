/**
 * How hard each rule bites in each environment, and exemptions of single objects. Shared by the offline plan
 * (tools/plan/check-plan.ts) and the CrossGuard pack (tools/policy-pack), so a rule's level is decided once.
 *
 * - A rule's level comes from the `platform-policy` ConfigMap among the objects (rendered from the stack
 *   file's `platform:policy.levels` by charts/policy-settings), else from the environment's defaults
 *   (stacks/spec/defaults.ts), else from its catalogue entry: mandatory findings fail the plan and block
 *   `pulumi up`, advisory ones are printed, disabled ones dropped. The pack and the plan see the same objects,
 *   so they read the same ConfigMap. Findings the checks themselves mark as warnings (e.g. "not checked
 *   without an environment") stay warnings unless a level is set for the rule.
 * - An object is exempt from a rule when it carries the annotation `policy.platform.io/exempt-<rule>` with a
 *   reason; the finding is then listed as exempted, with the reason, and does not fail anything.
 */
import type { Finding, K8sObject, PolicyReport } from './policies';
import { POLICY_EXEMPTION_PREFIX } from '../../charts/lib/labels';
import {
  POLICY_ENVIRONMENT_KEY,
  POLICY_LEVELS_KEY,
  POLICY_ENDPOINT_ACCESS_KEY,
  POLICY_SETTINGS_NAME,
  type PolicyLevel,
  type PolicyLevels,
} from '../../charts/policy-settings/policy-settings-contract';
import { catalogueLevel, checkPolicyLevels, defaultPolicyLevels } from '../../stacks/spec/policy-levels';

export type EnforcementLevel = PolicyLevel;

export const EXEMPTION_ANNOTATION_PREFIX = POLICY_EXEMPTION_PREFIX;

export interface ExemptedFinding extends Finding {
  readonly reason: string;
}

export interface EnforcedReport extends PolicyReport {
  readonly exempted: ExemptedFinding[];
}

/**
 * The levels the `platform-policy` ConfigMap among `objects` sets, or undefined when there is none. Throws,
 * naming the object and the field, when its `levels.json` is not a JSON object of known rules and levels, or
 * when there is more than one such ConfigMap (which one would apply is not clear).
 */
export function policyLevelsOf(objects: readonly K8sObject[]): PolicyLevels | undefined {
  const found = objects.filter((o) => o.kind === 'ConfigMap' && o.metadata.name === POLICY_SETTINGS_NAME);
  if (found.length === 0) return undefined;
  if (found.length > 1) {
    throw new Error(
      `policy levels: ${found.length} ConfigMaps named ${POLICY_SETTINGS_NAME} (${found.map(refOf).join(', ')}); ` +
        'the program must render exactly one (charts/policy-settings)',
    );
  }
  const [configMap] = found as [K8sObject];
  const field = `${refOf(configMap)} data.${POLICY_LEVELS_KEY}`;
  const data = (configMap as { data?: Record<string, unknown> }).data ?? {};
  const text = data[POLICY_LEVELS_KEY];
  if (typeof text !== 'string') {
    throw new Error(
      `${field}: must be a JSON object of rule -> level (got ${JSON.stringify(text) ?? 'nothing'})`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new Error(`${field}: is not valid JSON (${(err as Error).message})`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new Error(`${field}: must be a JSON object of rule -> level (got ${JSON.stringify(parsed)})`);
  }
  const problems: { path: string; message: string }[] = [];
  // The environment is checked by levelsIn; here only names and values.
  const levels = checkPolicyLevels(undefined, parsed as Record<string, unknown>, field, problems);
  if (problems.length > 0) throw new Error(problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  return levels;
}

/**
 * The levels that apply to `objects` in `environment`: the environment's defaults with the ConfigMap's levels
 * over them. Throws when the ConfigMap was rendered for another environment, or lowers a rule that is
 * mandatory in uat/prod: the stack config refuses that, and a program that skips the stack config must not
 * get further.
 */
export function levelsIn(objects: readonly K8sObject[], environment: string | undefined): PolicyLevels {
  const configured = policyLevelsOf(objects);
  const defaults = defaultPolicyLevels(environment);
  if (configured === undefined) return defaults;
  const configMap = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === POLICY_SETTINGS_NAME);
  const ref = configMap ? refOf(configMap) : POLICY_SETTINGS_NAME;
  const rendered = (configMap as { data?: Record<string, unknown> } | undefined)?.data?.[
    POLICY_ENVIRONMENT_KEY
  ];
  if (environment !== undefined && rendered !== undefined && rendered !== environment) {
    throw new Error(
      `${ref} data.${POLICY_ENVIRONMENT_KEY}: the levels were rendered for ${JSON.stringify(rendered)}, ` +
        `not for this stack ${JSON.stringify(environment)}`,
    );
  }
  const problems: { path: string; message: string }[] = [];
  checkPolicyLevels(environment, configured, `${ref} data.${POLICY_LEVELS_KEY}`, problems);
  if (problems.length > 0) throw new Error(problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  return { ...defaults, ...configured };
}

/**
 * The level of `rule` in `environment` for `objects` (their `platform-policy` ConfigMap, else the
 * environment's defaults), or the catalogue's; undefined when no one names the rule.
 */
export function levelFor(
  rule: string,
  environment: string | undefined,
  objects: readonly K8sObject[] = [],
): EnforcementLevel | undefined {
  return levelsIn(objects, environment)[rule] ?? catalogueLevel(rule);
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

/** Applies the levels (see levelsIn) and the objects' exemptions to what the checks found. */
export function enforce(
  report: PolicyReport,
  objects: readonly K8sObject[],
  environment: string | undefined,
): EnforcedReport {
  const exemptions = exemptionsOf(objects);
  const levels = levelsIn(objects, environment);
  const errors: Finding[] = [];
  const warnings: Finding[] = [];
  const exempted: ExemptedFinding[] = [];
  const place = (finding: Finding, severity: 'error' | 'warning') => {
    const reason = exemptions.get(finding.object)?.get(finding.rule);
    if (reason !== undefined) {
      exempted.push({ ...finding, reason });
      return;
    }
    const level = levels[finding.rule] ?? (severity === 'error' ? catalogueLevel(finding.rule) : 'advisory');
    if (level === 'disabled') return;
    (level === 'advisory' ? warnings : errors).push(finding);
  };
  for (const f of report.errors) place(f, 'error');
  for (const f of report.warnings) place(f, 'warning');
  return { errors, warnings, exempted };
}

/**
 * The EKS endpoint's allowed networks from the `platform-policy` ConfigMap (EKS stacks), so the pack holds the
 * cluster's endpoint to the stack file's CIDRs exactly as the plan does. Undefined without the key.
 */
export function endpointAccessOf(
  objects: readonly K8sObject[],
): { publicAccessCidrs: string[]; allowPublicAccessFromAnywhere: boolean } | undefined {
  const configMap = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === POLICY_SETTINGS_NAME);
  if (configMap === undefined) return undefined;
  const text = ((configMap as { data?: Record<string, unknown> }).data ?? {})[POLICY_ENDPOINT_ACCESS_KEY];
  if (text === undefined) return undefined;
  const field = `${refOf(configMap)} data.${POLICY_ENDPOINT_ACCESS_KEY}`;
  let parsed: unknown;
  try {
    parsed = typeof text === 'string' ? JSON.parse(text) : undefined;
  } catch (err) {
    throw new Error(`${field}: is not valid JSON (${(err as Error).message})`);
  }
  const value = parsed as
    { publicAccessCidrs?: unknown; allowPublicAccessFromAnywhere?: unknown } | undefined;
  const cidrs = value?.publicAccessCidrs;
  if (
    !Array.isArray(cidrs) ||
    !cidrs.every((c) => typeof c === 'string') ||
    typeof value?.allowPublicAccessFromAnywhere !== 'boolean'
  ) {
    throw new Error(
      `${field}: must be {"publicAccessCidrs": [<CIDR>...], "allowPublicAccessFromAnywhere": <bool>} (got ${JSON.stringify(text)})`,
    );
  }
  return {
    publicAccessCidrs: cidrs as string[],
    allowPublicAccessFromAnywhere: value.allowPublicAccessFromAnywhere,
  };
}
