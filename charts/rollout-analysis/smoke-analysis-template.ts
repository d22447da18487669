import type { IAnalysisTemplate } from '@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/AnalysisTemplate';
import type { IMetric } from '@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/Metric';
import { standardLabels } from '../lib';
import { analysisDurationMs } from './analysis-thresholds';
import { checkMetricConditions } from './slo-analysis-template';
import { smokeTemplateName } from './template-names';

export interface SmokeThresholds {
  /** @default 3 */
  readonly count?: number;
  /** @default '10s' */
  readonly interval?: string;
  /** @default 0 */
  readonly failureLimit?: number;
}

export interface SmokeAnalysisTemplateProps {
  readonly service: string;
  readonly namespace: string;
  /** The preview Service's readiness URL, e.g. http://product-preview.apps.svc.cluster.local/ready */
  readonly url: string;
  readonly thresholds?: SmokeThresholds;
}

/** The metrics of `<svc>-smoke`. */
export const SMOKE_METRIC_NAMES = { ready: 'ready', health: 'health' } as const;

/** What services/common/src/app.ts answers (JSON, 200): /ready `{"status":"ready",...}`, /health `{"status":"ok"}`. */
export const PROBE_STATUS = { ready: 'ready', health: 'ok' } as const;

/** The preview Service's readiness URL inside the cluster (port 80 of `<svc>-preview`). */
export function previewReadyUrl(service: string, namespace: string): string {
  return `http://${service}-preview.${namespace}.svc.cluster.local/ready`;
}

/**
 * `<svc>-smoke`: web checks of the preview pods through the preview Service before promotion: GET /ready
 * and /health (same origin as `url`) must answer 2xx with the status the platform's app reports. A non-2xx
 * answer is an Error measurement in Argo's web provider (not Failed); one error in a row is tolerated
 * (consecutiveErrorLimit 1), a second aborts the promotion.
 */
export function smokeAnalysisTemplate(props: SmokeAnalysisTemplateProps): IAnalysisTemplate {
  const count = props.thresholds?.count ?? 3;
  const interval = props.thresholds?.interval ?? '10s';
  const failureLimit = props.thresholds?.failureLimit ?? 0;
  const path = `smoke.${props.service}`;
  let ready: URL;
  try {
    ready = new URL(props.url);
  } catch {
    throw new Error(`${path}.url must be an http(s) URL (got ${JSON.stringify(props.url)})`);
  }
  if (!/^https?:$/.test(ready.protocol)) {
    throw new Error(`${path}.url must be an http(s) URL (got ${JSON.stringify(props.url)})`);
  }
  if (!Number.isInteger(count) || count < 1) {
    throw new Error(`${path}.count must be an integer >= 1 (got ${JSON.stringify(count)})`);
  }
  if (!(analysisDurationMs(interval) > 0)) {
    throw new Error(
      `${path}.interval must be a duration of whole ms, s, m or h, e.g. 10s (got ${JSON.stringify(interval)})`,
    );
  }
  if (!Number.isInteger(failureLimit) || failureLimit < 0 || failureLimit >= count) {
    throw new Error(
      `${path}.failureLimit must be an integer >= 0 and below count (${count}) (got ${JSON.stringify(failureLimit)})`,
    );
  }
  const check = (name: string, url: string, status: string): IMetric => ({
    name,
    interval,
    count,
    failureLimit,
    // Success and failure cover every answer, so nothing is inconclusive; 0 says so explicitly.
    inconclusiveLimit: 0,
    consecutiveErrorLimit: 1,
    successCondition: `result == "${status}"`,
    failureCondition: `result != "${status}"`,
    provider: { web: { url, jsonPath: '{$.status}', timeoutSeconds: 5 } },
  });
  const template: IAnalysisTemplate = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AnalysisTemplate',
    metadata: {
      name: smokeTemplateName(props.service),
      namespace: props.namespace,
      labels: standardLabels(props.service, 'platform', { component: 'analysis' }),
    },
    spec: {
      metrics: [
        check(SMOKE_METRIC_NAMES.ready, ready.toString(), PROBE_STATUS.ready),
        check(SMOKE_METRIC_NAMES.health, new URL('/health', ready).toString(), PROBE_STATUS.health),
      ],
    },
  };
  checkMetricConditions(template);
  return template;
}
