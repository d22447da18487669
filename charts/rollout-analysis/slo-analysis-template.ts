import type { IAnalysisTemplate } from '@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/AnalysisTemplate';
import type { IMetric } from '@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/Metric';
import { standardLabels } from '../lib';
import { errorShareQuery, latencyQuantileQuery, requestCountQuery } from '../slo/sli-queries';
import type { ServiceSlo } from '../slo/slo-types';
import { validateSlo } from '../slo/validate-slo';
import type { AnalysisThresholds } from './analysis-thresholds';
import { validateAnalysisThresholds } from './analysis-thresholds';
import { parseCondition } from './condition-expr';
import { sloTemplateName } from './template-names';

/** The template's one argument: the track whose pods are measured (canary, or stable after promotion). */
export const TRACK_ARG = 'track';
/** The metrics of `<svc>-slo`, in the order they are rendered. */
export const SLO_METRIC_NAMES = {
  requests: 'request-count',
  errors: 'error-ratio',
  latency: 'p99-latency',
} as const;

export interface SloAnalysisTemplateProps {
  /** The service's SLO (charts/slo): its service and namespace select the series, as its alerts do. */
  readonly slo: ServiceSlo;
  readonly thresholds: AnalysisThresholds;
  /** Base URL of the Prometheus the controller queries, e.g. http://kube-prometheus-stack-prometheus.monitoring.svc.cluster.local:9090 */
  readonly prometheusAddress: string;
}

/** A number as an expr literal: plain decimal notation (the condition subset has no exponent). */
export function exprNumber(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`condition threshold must be a finite number (got ${value})`);
  const text = String(value);
  if (!/e/i.test(text)) return text;
  return value.toFixed(20).replace(/0+$/, '').replace(/\.$/, '');
}

/** Throws when a metric's conditions leave the subset we can evaluate (and so prove) ourselves. */
export function checkMetricConditions(template: IAnalysisTemplate): void {
  for (const metric of template.spec.metrics ?? []) {
    for (const field of ['successCondition', 'failureCondition'] as const) {
      const condition = metric[field];
      if (condition === undefined) continue;
      try {
        parseCondition(condition);
      } catch (err) {
        throw new Error(
          `AnalysisTemplate ${template.metadata?.name ?? '?'} metric ${metric.name} ${field}: ${(err as Error).message}`,
        );
      }
    }
  }
}

export function checkPrometheusAddress(address: string, path = 'analysis.prometheusAddress'): void {
  let url: URL | undefined;
  try {
    url = new URL(address);
  } catch {
    url = undefined;
  }
  if (url === undefined || !/^https?:$/.test(url.protocol) || url.pathname.replace(/\/$/, '') !== '') {
    throw new Error(
      `${path} must be an http(s) base URL without a path, e.g. http://prometheus.monitoring.svc:9090 (got ${JSON.stringify(address)})`,
    );
  }
}

/**
 * `<svc>-slo`: three Prometheus metrics over the `track` pods of the service, each measured `count` times,
 * `interval` apart (the first after one `interval`), over the last `interval`:
 * - request-count: requests of the track; Successful at >= minRequests, never Failed (too little traffic is
 *   Inconclusive, so a silent canary pauses the Rollout instead of passing or failing it);
 * - error-ratio: 5xx share, Failed above maxErrorRatio;
 * - p99-latency: p99 from the latency histogram, Failed above maxP99Seconds.
 * The two SLI queries only yield a sample when the track served >= minRequests within the window
 * (`and on() (count >= minRequests)`); without a sample, or with NaN, both conditions are false: Inconclusive.
 */
export function sloAnalysisTemplate(props: SloAnalysisTemplateProps): IAnalysisTemplate {
  const { slo, thresholds: t, prometheusAddress } = props;
  validateSlo(slo);
  validateAnalysisThresholds(t);
  checkPrometheusAddress(prometheusAddress);
  const window = t.interval;
  // Argo substitutes the argument into the rendered query before each measurement.
  const match = { track: `{{args.${TRACK_ARG}}}` };
  const count = requestCountQuery(slo, window, match);
  const enoughTraffic = (query: string) => `(${query})\nand on()\n(${count} >= ${exprNumber(t.minRequests)})`;
  // `len(result) > 0` first: an empty vector (no data) must make both conditions false, not an index error.
  const atMost = (limit: number) => `len(result) > 0 && result[0] <= ${exprNumber(limit)}`;
  const above = (limit: number) => `len(result) > 0 && result[0] > ${exprNumber(limit)}`;
  const measured = (name: string, query: string, success: string, failure: string): IMetric => ({
    name,
    // The first window should hold only traffic of the new pods (a fresh canary, or pods just relabelled
    // stable by a promotion): wait one interval before the first measurement.
    initialDelay: t.interval,
    interval: t.interval,
    count: t.count,
    failureLimit: t.failureLimit,
    inconclusiveLimit: t.inconclusiveLimit,
    successCondition: success,
    failureCondition: failure,
    provider: { prometheus: { address: prometheusAddress, query } },
  });
  const template: IAnalysisTemplate = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AnalysisTemplate',
    metadata: {
      name: sloTemplateName(slo.service),
      namespace: slo.namespace,
      labels: standardLabels(slo.service, 'platform', { component: 'analysis' }),
    },
    spec: {
      args: [{ name: TRACK_ARG }],
      metrics: [
        measured(
          SLO_METRIC_NAMES.requests,
          count,
          `len(result) > 0 && result[0] >= ${exprNumber(t.minRequests)}`,
          // Silence is not a failure: this metric is Successful or Inconclusive, never Failed.
          'false',
        ),
        measured(
          SLO_METRIC_NAMES.errors,
          enoughTraffic(errorShareQuery(slo, window, match)),
          atMost(t.maxErrorRatio),
          above(t.maxErrorRatio),
        ),
        measured(
          SLO_METRIC_NAMES.latency,
          enoughTraffic(latencyQuantileQuery(slo, 0.99, window, match)),
          atMost(t.maxP99Seconds),
          above(t.maxP99Seconds),
        ),
      ],
    },
  };
  checkMetricConditions(template);
  return template;
}
