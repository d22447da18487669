/** The recommended Kubernetes labels, so dashboards, policies and selectors agree on names. */
export interface StandardLabels {
  readonly 'app.kubernetes.io/name': string;
  readonly 'app.kubernetes.io/part-of': string;
  readonly 'app.kubernetes.io/managed-by': string;
  readonly 'app.kubernetes.io/component'?: string;
  readonly 'app.kubernetes.io/version'?: string;
}

export const MANAGED_BY = 'platform';
export const NAME_LABEL = 'app.kubernetes.io/name';
/** Which copy of a service a pod belongs to: stable, canary, blue or green. */
export const TRACK_LABEL = 'platform.io/track';

export function standardLabels(
  name: string,
  partOf: string,
  extra: { component?: string; version?: string } = {},
): Record<string, string> {
  return {
    [NAME_LABEL]: name,
    'app.kubernetes.io/part-of': partOf,
    'app.kubernetes.io/managed-by': MANAGED_BY,
    ...(extra.component !== undefined && { 'app.kubernetes.io/component': extra.component }),
    ...(extra.version !== undefined && { 'app.kubernetes.io/version': extra.version }),
  };
}

/** A label value must be <= 63 characters of [A-Za-z0-9._-], starting and ending alphanumeric. */
export function labelValue(text: string): string {
  const cleaned = text.replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 63);
  return cleaned.replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '') || 'none';
}

/**
 * The platform's Prometheus selects ServiceMonitors, PodMonitors and PrometheusRules (and the monitoring stack's
 * own) by this label, so objects of other teams or charts are not picked up by accident.
 */
export const MONITORING_LABEL = 'platform.io/monitoring';
export const MONITORING_LABEL_VALUE = 'platform';
export const MONITORING_SELECTOR: Readonly<Record<string, string>> = {
  [MONITORING_LABEL]: MONITORING_LABEL_VALUE,
};

/**
 * Prefix of the annotation that exempts one object from one platform policy: `<prefix><rule>: <reason>`
 * (tools/policy/enforcement.ts). The reason is printed with the finding in every plan.
 */
export const POLICY_EXEMPTION_PREFIX = 'policy.platform.io/exempt-';
