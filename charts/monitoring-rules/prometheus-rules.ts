import type { AlertingRule, Rule, RuleGroup } from '../slo';
import { isAlertingRule, sloRuleGroups } from '../slo';
import { ALERT_NAMES, isAlertName } from './alert-catalogue';
import type { AlertName } from './alert-catalogue';
import { platformRuleGroups } from './platform-alerts';
import type { PrometheusRulesProps } from './prometheus-rules-props';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** The rule groups of one PrometheusRule object. */
export interface RuleSet {
  /** Suffix of the object's name, e.g. `slo-order` or `platform-kafka`. */
  readonly id: string;
  readonly groups: readonly RuleGroup[];
}

function fail(path: string, rule: string, got: unknown): never {
  throw new Error(`monitoringRules.${path} ${rule} (got ${JSON.stringify(got)})`);
}

function requireDnsLabel(path: string, value: string): void {
  if (!DNS_LABEL.test(value)) fail(path, 'must be a DNS-1123 label (lowercase letters, digits, -)', value);
}

function requirePositiveInteger(path: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) fail(path, 'must be an integer >= 1', value);
}

/** `<base>#alert-<lowercase name>`: the anchor of the alert's row in the README's alert table. */
export function runbookUrl(runbookBaseUrl: string, name: string): string {
  return `${runbookBaseUrl}#alert-${name.toLowerCase()}`;
}

function validate(props: PrometheusRulesProps): void {
  requireDnsLabel('namespace', props.namespace);
  requireDnsLabel('environment', props.environment);
  requireDnsLabel('appsNamespace', props.appsNamespace);
  if (!/^https?:\/\/[^\s#]+$/.test(props.runbookBaseUrl)) {
    fail('runbookBaseUrl', 'must be an http(s) URL without a #fragment', props.runbookBaseUrl);
  }
  if (props.services.length === 0) fail('services', 'must name at least one service', props.services);
  props.services.forEach((s, i) => requireDnsLabel(`services[${i}]`, s));
  if (new Set(props.services).size !== props.services.length)
    fail('services', 'must not repeat a name', props.services);
  const seen = new Set<string>();
  props.slos.forEach((slo, i) => {
    if (!props.services.includes(slo.service)) {
      fail(`slos[${i}].service`, `must be one of services (${props.services.join(', ')})`, slo.service);
    }
    if (seen.has(slo.service)) fail(`slos[${i}].service`, 'has a second SLO', slo.service);
    seen.add(slo.service);
  });
  const ds = props.datastores;
  requireDnsLabel('datastores.namespace', ds.namespace);
  requireDnsLabel('datastores.mongodb.cluster', ds.mongodb.cluster);
  requirePositiveInteger('datastores.mongodb.backupMaxAgeMinutes', ds.mongodb.backupMaxAgeMinutes);
  requireDnsLabel('datastores.redis.name', ds.redis.name);
  requirePositiveInteger('datastores.redis.sentinelQuorum', ds.redis.sentinelQuorum);
  const snapshot = ds.redis.snapshot;
  if (snapshot !== undefined) {
    requireDnsLabel('datastores.redis.snapshot.cronJob', snapshot.cronJob);
    requirePositiveInteger('datastores.redis.snapshot.maxAgeHours', snapshot.maxAgeHours);
  }
  requireDnsLabel('datastores.kafka.cluster', ds.kafka.cluster);
  const mirror = ds.kafka.mirrorMaker;
  if (mirror !== undefined) {
    requireDnsLabel('datastores.kafka.mirrorMaker.name', mirror.name);
    requirePositiveInteger(
      'datastores.kafka.mirrorMaker.replicationLagBudgetSeconds',
      mirror.replicationLagBudgetSeconds,
    );
    requirePositiveInteger(
      'datastores.kafka.mirrorMaker.checkpointLagBudgetSeconds',
      mirror.checkpointLagBudgetSeconds,
    );
  }
  (props.workloadNamespaces ?? []).forEach((n, i) => requireDnsLabel(`workloadNamespaces[${i}]`, n));
  (props.disabledAlerts ?? []).forEach((name: string, i) => {
    if (!isAlertName(name)) {
      fail(`disabledAlerts[${i}]`, `is not an alert; allowed: ${ALERT_NAMES.join(', ')}`, name);
    }
  });
}

function finish(rule: Rule, runbookBaseUrl: string): Rule {
  if (!isAlertingRule(rule)) return rule;
  const done: AlertingRule = {
    ...rule,
    annotations: { ...rule.annotations, runbook_url: runbookUrl(runbookBaseUrl, rule.alert) },
  };
  return done;
}

/**
 * Every rule group the platform's Prometheus evaluates, per PrometheusRule object: each service's SLO
 * recording rules and burn-rate alerts, then the platform alerts. Disabled alerts are left out; every alert
 * gets its runbook_url. Pure, so tests feed exactly these groups to promtool.
 */
export function prometheusRuleSets(props: PrometheusRulesProps): RuleSet[] {
  validate(props);
  const disabled = new Set<AlertName>(props.disabledAlerts ?? []);
  const keep = (rule: Rule) => !isAlertingRule(rule) || !disabled.has(rule.alert as AlertName);
  const sets: RuleSet[] = [
    ...props.slos.map((slo) => ({ id: `slo-${slo.service}`, groups: sloRuleGroups(slo) })),
    ...platformRuleGroups({
      appsNamespace: props.appsNamespace,
      services: props.services,
      workloadNamespaces: props.workloadNamespaces ?? [props.appsNamespace, props.datastores.namespace],
      datastores: props.datastores,
    }).map((group) => ({ id: group.name, groups: [group] })),
  ];
  return sets
    .map((set) => ({
      id: set.id,
      groups: set.groups
        .map((g) => ({ ...g, rules: g.rules.filter(keep).map((r) => finish(r, props.runbookBaseUrl)) }))
        .filter((g) => g.rules.length > 0),
    }))
    .filter((set) => set.groups.length > 0);
}
