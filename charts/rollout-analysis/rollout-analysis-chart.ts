import { ApiObject, Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import type { ServiceSlo } from '../slo/slo-types';
import type { AnalysisThresholds } from './analysis-thresholds';
import { sloAnalysisTemplate } from './slo-analysis-template';
import { smokeAnalysisTemplate, type SmokeThresholds } from './smoke-analysis-template';

export interface RolloutAnalysisProps {
  readonly slo: ServiceSlo;
  readonly thresholds: AnalysisThresholds;
  readonly prometheusAddress: string;
  /**
   * Readiness URL of the preview Service; renders `<svc>-smoke` too (blue-green pre-promotion).
   * @default none (only `<svc>-slo`)
   */
  readonly smokeUrl?: string;
  /** @default smokeAnalysisTemplate's (count 3, interval 10s, failureLimit 0) */
  readonly smokeThresholds?: SmokeThresholds;
}

/** A service's AnalysisTemplates: `<svc>-slo` always, `<svc>-smoke` with a smoke URL. */
export class RolloutAnalysisChart extends Chart {
  constructor(scope: Construct, id: string, props: RolloutAnalysisProps) {
    super(scope, id);
    const { slo } = props;
    const templates = [
      sloAnalysisTemplate(props),
      ...(props.smokeUrl !== undefined
        ? [
            smokeAnalysisTemplate({
              service: slo.service,
              namespace: slo.namespace,
              url: props.smokeUrl,
              ...(props.smokeThresholds !== undefined && { thresholds: props.smokeThresholds }),
            }),
          ]
        : []),
    ];
    for (const template of templates) {
      new ApiObject(this, template.metadata?.name ?? 'analysis-template', {
        apiVersion: template.apiVersion,
        kind: template.kind,
        metadata: { ...template.metadata, name: template.metadata?.name ?? '' },
        spec: template.spec,
      });
    }
  }
}
