export { ALERT_NAMES, ALERTS, alertInfo, isAlertName } from './alert-catalogue';
export type { AlertInfo, AlertName, AlertSeverity } from './alert-catalogue';
export { alertTableMarkdown } from './alert-table';
export {
  BACKUP_COMPLETED_METRIC,
  KSM_BACKUP_CUSTOM_RESOURCE_STATE,
  KSM_BACKUP_RBAC_RULES,
} from './backup-age-metrics';
export type { KsmCustomResourceStateConfig } from './backup-age-metrics';
export { platformRuleGroups } from './platform-alerts';
export type { PlatformAlertTargets } from './platform-alerts';
export { prometheusRuleSets, runbookUrl } from './prometheus-rules';
export type { RuleSet } from './prometheus-rules';
export { PrometheusRulesChart } from './prometheus-rules-chart';
export type {
  DatastoreTargets,
  KafkaMirrorTarget,
  KafkaTarget,
  MongodbTarget,
  PrometheusRulesProps,
  RedisSnapshotTarget,
  RedisTarget,
} from './prometheus-rules-props';
