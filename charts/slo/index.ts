export { LATENCY_BUCKETS } from './latency-buckets';
export type { AlertingRule, RecordingRule, Rule, RuleGroup } from './rule-types';
export { isAlertingRule } from './rule-types';
export {
  errorRatioQuery,
  leMatcher,
  NON_SLI_ROUTES,
  OBJECTIVE_AVAILABILITY,
  OBJECTIVE_LATENCY,
  promString,
  recordedErrorRatio,
  recordedSlowRatio,
  SLO_PERIOD_DAYS,
  SLO_WINDOWS,
  slowRatioQuery,
} from './sli-queries';
export type { SliMatch, SloWindow } from './sli-queries';
export { BURN_RATE_FOR, BURN_RATE_WINDOWS, SLO_ALERT_TEXT, sloRuleGroups } from './slo-rule-groups';
export type { BurnRateWindow, BurnSeverity, SloAlertName } from './slo-rule-groups';
export type { LatencyObjective, ServiceSlo, SloObjectives } from './slo-types';
export { validateSlo } from './validate-slo';
