/** A rendered PrometheusRule, as far as Prometheus reads it. */
export interface PrometheusRuleObject {
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string };
  readonly spec: { readonly groups: readonly unknown[] };
}

/**
 * The rule files the operator mounts into Prometheus for these PrometheusRules: `spec.groups` as they are
 * (no namespace enforcement, which our Prometheus does not configure), one file per object named
 * `<namespace>-<name>.yaml`. Two objects with one name would overwrite each other, so that is refused.
 */
export function ruleFilesFromPrometheusRules(
  rules: readonly PrometheusRuleObject[],
): Record<string, { groups: readonly unknown[] }> {
  const files: Record<string, { groups: readonly unknown[] }> = {};
  rules.forEach((rule, i) => {
    if (rule.kind !== 'PrometheusRule') {
      throw new Error(`rules[${i}].kind must be PrometheusRule (got ${JSON.stringify(rule.kind)})`);
    }
    if (!Array.isArray(rule.spec?.groups) || rule.spec.groups.length === 0) {
      throw new Error(`rules[${i}] (${rule.metadata.name}): spec.groups must be a non-empty list`);
    }
    const file = `${rule.metadata.namespace ?? 'default'}-${rule.metadata.name}.yaml`;
    if (files[file] !== undefined)
      throw new Error(`rules[${i}]: a second PrometheusRule would also be ${file}`);
    files[file] = { groups: rule.spec.groups };
  });
  return files;
}
