import type { AlertingRule, RecordingRule, RuleGroup } from './rule-types';
import {
  errorRatioQuery,
  OBJECTIVE_AVAILABILITY,
  OBJECTIVE_LATENCY,
  promString,
  recordedErrorRatio,
  recordedSlowRatio,
  SLO_PERIOD_DAYS,
  SLO_WINDOWS,
  slowRatioQuery,
} from './sli-queries';
import type { SloWindow } from './sli-queries';
import type { ServiceSlo } from './slo-types';
import { validateSlo } from './validate-slo';

export type SloAlertName =
  | 'SLOAvailabilityBurnRateHigh'
  | 'SLOAvailabilityBurnRateElevated'
  | 'SLOLatencyBurnRateHigh'
  | 'SLOLatencyBurnRateElevated';

export type BurnSeverity = 'critical' | 'warning';

/** One window pair of the multi-window multi-burn-rate alerts (Google SRE workbook, chapter 5). */
export interface BurnRateWindow {
  readonly severity: BurnSeverity;
  readonly long: SloWindow;
  /** A twelfth of the long window: the alert stops soon after the burn stops. */
  readonly short: SloWindow;
  /** Share of the period's error budget spent in `long` at which to alert. */
  readonly budgetShare: number;
  /** How many times faster than "exactly on budget" the budget burns: budgetShare * period / long. */
  readonly factor: number;
}

const HOURS: Readonly<Record<SloWindow, number>> = {
  '5m': 5 / 60,
  '30m': 0.5,
  '1h': 1,
  '2h': 2,
  '6h': 6,
  '1d': 24,
  '3d': 72,
};

function burnWindow(
  severity: BurnSeverity,
  long: SloWindow,
  short: SloWindow,
  budgetShare: number,
): BurnRateWindow {
  // Rounded so 0.02 * 720 renders as 14.4, not 14.399999999999999.
  const factor = Math.round(((budgetShare * SLO_PERIOD_DAYS * 24) / HOURS[long]) * 1e6) / 1e6;
  return { severity, long, short, budgetShare, factor };
}

/** 14.4x over 1h+5m and 6x over 6h+30m page; 3x over 1d+2h and 1x over 3d+6h open a ticket. */
export const BURN_RATE_WINDOWS: readonly BurnRateWindow[] = [
  burnWindow('critical', '1h', '5m', 0.02),
  burnWindow('critical', '6h', '30m', 0.05),
  burnWindow('warning', '1d', '2h', 0.1),
  burnWindow('warning', '3d', '6h', 0.1),
];

/**
 * How long each burn-rate condition must hold. The short window already makes the alert reset quickly; a
 * short `for` rides out one bad scrape, a longer one keeps tickets for sustained burns only.
 */
export const BURN_RATE_FOR: Readonly<Record<BurnSeverity, string>> = { critical: '2m', warning: '15m' };

/** Annotation texts of the SLO alerts (Go templates over the alert's labels and value). */
export const SLO_ALERT_TEXT: Readonly<Record<SloAlertName, { summary: string; description: string }>> = {
  SLOAvailabilityBurnRateHigh: {
    summary: '{{ $labels.service }} in {{ $labels.namespace }} is burning its availability error budget fast',
    description:
      '{{ $value | humanizePercentage }} of requests fail (5xx) over 1h and 5m, or over 6h and 30m: at this rate the 30-day error budget is gone in about two days or less.',
  },
  SLOAvailabilityBurnRateElevated: {
    summary: '{{ $labels.service }} in {{ $labels.namespace }} is using up its availability error budget',
    description:
      '{{ $value | humanizePercentage }} of requests fail (5xx) over 1d and 2h, or over 3d and 6h: the 30-day error budget runs out before the period ends if this continues.',
  },
  SLOLatencyBurnRateHigh: {
    summary: '{{ $labels.service }} in {{ $labels.namespace }} is burning its latency error budget fast',
    description:
      '{{ $value | humanizePercentage }} of requests are slower than the SLO threshold over 1h and 5m, or over 6h and 30m: at this rate the 30-day latency budget is gone in about two days or less.',
  },
  SLOLatencyBurnRateElevated: {
    summary: '{{ $labels.service }} in {{ $labels.namespace }} is using up its latency error budget',
    description:
      '{{ $value | humanizePercentage }} of requests are slower than the SLO threshold over 1d and 2h, or over 3d and 6h: the 30-day latency budget runs out before the period ends if this continues.',
  },
};

function serviceMatch(slo: ServiceSlo): string {
  return `{namespace=${promString(slo.namespace)}, service=${promString(slo.service)}}`;
}

/** `(long > f*budget and short > f*budget) or (...)` over the window pairs of one severity. */
function burnExpr(
  slo: ServiceSlo,
  recorded: (w: SloWindow) => string,
  objective: number,
  severity: BurnSeverity,
) {
  const match = serviceMatch(slo);
  return BURN_RATE_WINDOWS.filter((w) => w.severity === severity)
    .map((w) => {
      const threshold = `(${w.factor} * (1 - ${objective}))`;
      return (
        `(\n  ${recorded(w.long)}${match} > ${threshold}\n  and\n` +
        `  ${recorded(w.short)}${match} > ${threshold}\n)`
      );
    })
    .join('\nor\n');
}

function burnAlert(
  slo: ServiceSlo,
  name: SloAlertName,
  sli: 'availability' | 'latency',
  severity: BurnSeverity,
): AlertingRule {
  const recorded = sli === 'availability' ? recordedErrorRatio : recordedSlowRatio;
  const objective = sli === 'availability' ? slo.objectives.availability : slo.objectives.latency.objective;
  return {
    alert: name,
    expr: burnExpr(slo, recorded, objective, severity),
    for: BURN_RATE_FOR[severity],
    labels: { severity, slo: sli, namespace: slo.namespace, service: slo.service },
    annotations: { ...SLO_ALERT_TEXT[name] },
  };
}

/**
 * Prometheus rule groups for one service's SLO: the error and slow ratios recorded for every SLO window
 * (labels namespace, service), the objectives as series for dashboards, and the multi-window
 * multi-burn-rate alerts for both SLIs. Validates the SLO first.
 */
export function sloRuleGroups(slo: ServiceSlo): RuleGroup[] {
  validateSlo(slo);
  const labels = { namespace: slo.namespace, service: slo.service };
  const recording: RecordingRule[] = [
    ...SLO_WINDOWS.map((w) => ({ record: recordedErrorRatio(w), expr: errorRatioQuery(slo, w), labels })),
    ...SLO_WINDOWS.map((w) => ({ record: recordedSlowRatio(w), expr: slowRatioQuery(slo, w), labels })),
    { record: OBJECTIVE_AVAILABILITY, expr: `vector(${slo.objectives.availability})`, labels },
    { record: OBJECTIVE_LATENCY, expr: `vector(${slo.objectives.latency.objective})`, labels },
  ];
  const alerts: AlertingRule[] = [
    burnAlert(slo, 'SLOAvailabilityBurnRateHigh', 'availability', 'critical'),
    burnAlert(slo, 'SLOAvailabilityBurnRateElevated', 'availability', 'warning'),
    burnAlert(slo, 'SLOLatencyBurnRateHigh', 'latency', 'critical'),
    burnAlert(slo, 'SLOLatencyBurnRateElevated', 'latency', 'warning'),
  ];
  return [
    { name: `slo-${slo.namespace}-${slo.service}-recording`, rules: recording },
    { name: `slo-${slo.namespace}-${slo.service}-alerts`, rules: alerts },
  ];
}
