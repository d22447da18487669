import { loadKubernetesValidator } from '../../tools/k8s-schema';
import { ARGO_ROLLOUTS_SCHEMAS } from '../../tools/k8s-schema/crds/argo-rollouts';
import { validateWithPublishedModels } from '../../tools/k8s-schema/crds/argo-rollouts-published-check';
import { registerPlatformCrds } from '../../tools/k8s-schema/crds';
import { sloAnalysisTemplate } from './slo-analysis-template';
import { previewReadyUrl, smokeAnalysisTemplate } from './smoke-analysis-template';

const templates = [
  sloAnalysisTemplate({
    slo: {
      service: 'order',
      namespace: 'apps',
      objectives: { availability: 0.999, latency: { objective: 0.99, thresholdSeconds: 0.5 } },
    },
    thresholds: {
      interval: '1m',
      count: 5,
      failureLimit: 1,
      inconclusiveLimit: 2,
      minRequests: 30,
      maxErrorRatio: 0.01,
      maxP99Seconds: 1,
    },
    prometheusAddress: 'http://kube-prometheus-stack-prometheus.monitoring.svc.cluster.local:9090',
  }),
  smokeAnalysisTemplate({ service: 'order', namespace: 'apps', url: previewReadyUrl('order', 'apps') }),
];

describe('the rendered AnalysisTemplates', () => {
  it('pass the strict Argo Rollouts schemas (unknown fields refused)', () => {
    const validator = loadKubernetesValidator();
    registerPlatformCrds(validator, { only: ARGO_ROLLOUTS_SCHEMAS });
    for (const template of templates) expect(validator.validate(template)).toEqual([]);
    // The check can fail: a field Argo does not know is refused.
    const [slo] = templates;
    const extra = { ...slo, spec: { ...slo?.spec, metrics: [{ ...slo?.spec.metrics?.[0], threshold: 1 }] } };
    expect(validator.validate(extra)).not.toEqual([]);
  });

  it('pass the published @kubernetes-models/argo-rollouts models', async () => {
    expect(await validateWithPublishedModels(templates)).toEqual([[], []]);
  }, 30_000);
});
