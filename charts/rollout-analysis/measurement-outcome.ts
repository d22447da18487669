/**
 * How Argo Rollouts (v1.9, the controller we install) turns a measured value into a measurement phase and a
 * metric's measurements into the metric's phase, so a test can say what the controller would decide from
 * the rendered conditions and limits. Sources in argoproj/argo-rollouts:
 * - utils/evaluate/evaluate.go EvaluateResult (one measurement)
 * - analysis/analysis.go runMeasurements (counters), assessMetricStatus and
 *   assessMetricFailureInconclusiveOrError (the metric), assessRunStatus + utils/analysis IsWorse (the run)
 */
import { evaluateCondition, type ConditionResult } from './condition-expr';

export type MeasurementPhase = 'Successful' | 'Failed' | 'Inconclusive' | 'Error';
export type MetricPhase = MeasurementPhase | 'Running';

export interface MetricConditions {
  readonly successCondition?: string;
  readonly failureCondition?: string;
}

/**
 * One measurement, as EvaluateResult decides it: a condition that cannot be evaluated makes it Error; with
 * neither condition it is Successful; with only a successCondition, "not successful" is Failed; with only a
 * failureCondition, "not failed" is Successful; with both, failure is checked first (both true is Failed)
 * and neither true is Inconclusive.
 */
export function measurementOutcome(metric: MetricConditions, result: ConditionResult): MeasurementPhase {
  const has = (c: string | undefined): c is string => c !== undefined && c !== '';
  let success = false;
  let failure = false;
  try {
    if (has(metric.successCondition)) success = evaluateCondition(metric.successCondition, result);
    if (has(metric.failureCondition)) failure = evaluateCondition(metric.failureCondition, result);
  } catch {
    return 'Error';
  }
  if (!has(metric.successCondition) && !has(metric.failureCondition)) return 'Successful';
  if (has(metric.successCondition) && !has(metric.failureCondition)) failure = !success;
  if (!has(metric.successCondition) && has(metric.failureCondition)) success = !failure;
  if (failure) return 'Failed';
  if (!success) return 'Inconclusive';
  return 'Successful';
}

export interface MetricLimits {
  /** Measurements to take; undefined runs until stopped. */
  readonly count?: number;
  /** @default 0; -1 disables it */
  readonly failureLimit?: number;
  /** @default 0 */
  readonly inconclusiveLimit?: number;
  /** @default 4 (Argo's DefaultConsecutiveErrorLimit) */
  readonly consecutiveErrorLimit?: number;
}

export interface MetricOutcome {
  readonly phase: MetricPhase;
  /** Measurements taken until the phase was decided (Argo stops measuring a completed metric). */
  readonly measurements: number;
  /** Argo's reason, e.g. `failed (1) > failureLimit (0)`. */
  readonly message?: string;
}

/**
 * A metric's phase after its measurements, as assessMetricStatus decides it after every measurement:
 * Failed once failed > failureLimit, Inconclusive once inconclusive > inconclusiveLimit, Error once
 * consecutive errors > consecutiveErrorLimit (checked in that order, the later one winning), else
 * Successful once `count` non-error measurements were taken (a failure or inconclusive within its limit does
 * not stop success), else still Running. Errors do not count towards `count`.
 */
export function runOutcome(phases: readonly MeasurementPhase[], limits: MetricLimits): MetricOutcome {
  const failureLimit = limits.failureLimit ?? 0;
  const inconclusiveLimit = limits.inconclusiveLimit ?? 0;
  const consecutiveErrorLimit = limits.consecutiveErrorLimit ?? 4;
  let failed = 0;
  let inconclusive = 0;
  let consecutiveErrors = 0;
  let count = 0;
  for (const [i, phase] of phases.entries()) {
    if (phase === 'Error') consecutiveErrors++;
    else {
      consecutiveErrors = 0;
      count++;
      if (phase === 'Failed') failed++;
      if (phase === 'Inconclusive') inconclusive++;
    }
    let decided: { phase: MetricPhase; message: string } | undefined;
    if (failureLimit >= 0 && failed > failureLimit) {
      decided = { phase: 'Failed', message: `failed (${failed}) > failureLimit (${failureLimit})` };
    }
    if (inconclusive > inconclusiveLimit) {
      decided = {
        phase: 'Inconclusive',
        message: `inconclusive (${inconclusive}) > inconclusiveLimit (${inconclusiveLimit})`,
      };
    }
    if (consecutiveErrors > consecutiveErrorLimit) {
      decided = {
        phase: 'Error',
        message: `consecutiveErrors (${consecutiveErrors}) > consecutiveErrorLimit (${consecutiveErrorLimit})`,
      };
    }
    if (decided) return { ...decided, measurements: i + 1 };
    if (limits.count !== undefined && count >= limits.count) {
      return { phase: 'Successful', measurements: i + 1, message: `count (${limits.count}) reached` };
    }
  }
  return { phase: 'Running', measurements: phases.length };
}

// utils/analysis/helpers.go analysisStatusOrder, best to worst.
const ORDER: readonly MetricPhase[] = ['Successful', 'Running', 'Inconclusive', 'Error', 'Failed'];

/**
 * The run's phase from its metrics' phases: Running while any metric runs, else the worst of them
 * (Successful < Inconclusive < Error < Failed). An Inconclusive run pauses a Rollout; Failed or Error aborts it.
 */
export function analysisRunPhase(metricPhases: readonly MetricPhase[]): MetricPhase {
  if (metricPhases.length === 0 || metricPhases.includes('Running')) return 'Running';
  return metricPhases.reduce((worst, p) => (ORDER.indexOf(p) > ORDER.indexOf(worst) ? p : worst));
}
