import type { IAnalysisTemplate } from '@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/AnalysisTemplate';
import { explainService, RolloutStatusError } from './explain-service';
import type { PlanObject } from './plan-objects';

const meta = (name: string) => ({ name, namespace: 'apps' });
const podTemplate = (image: string) => ({
  metadata: { labels: { 'app.kubernetes.io/name': 'order', 'app.kubernetes.io/version': '1.2.0' } },
  spec: { containers: [{ name: 'order', image }] },
});
const hpa = (kind: string): PlanObject => ({
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata: meta('order'),
  spec: {
    scaleTargetRef: { apiVersion: 'argoproj.io/v1alpha1', kind, name: 'order' },
    minReplicas: 2,
    maxReplicas: 5,
  },
});
const sloTemplate: IAnalysisTemplate & PlanObject = {
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'AnalysisTemplate',
  metadata: meta('order-slo'),
  spec: {
    args: [{ name: 'track' }],
    metrics: [
      {
        name: 'error-ratio',
        interval: '1m',
        count: 5,
        failureLimit: 1,
        inconclusiveLimit: 2,
        successCondition: 'result[0] <= 0.01',
        failureCondition: 'result[0] > 0.01',
        provider: {
          prometheus: {
            address: 'http://kube-prometheus-stack-prometheus.monitoring.svc.cluster.local:9090',
            query:
              'sum(rate(http_requests_total{service="order",track="{{args.track}}",status=~"5.."}[1m]))\n/ sum(rate(http_requests_total{service="order",track="{{ args.track }}"}[1m]))',
          },
        },
      },
    ],
  },
};
const smokeTemplate: IAnalysisTemplate & PlanObject = {
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'AnalysisTemplate',
  metadata: meta('order-smoke'),
  spec: {
    args: [{ name: 'service', value: 'order-preview' }],
    metrics: [
      {
        name: 'ready',
        count: 3,
        interval: '10s',
        successCondition: 'result == "ok"',
        provider: {
          web: { url: 'http://{{args.service}}.apps.svc.cluster.local/ready', jsonPath: '{$.status}' },
        },
      },
    ],
  },
};
const route: PlanObject = {
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'HTTPRoute',
  metadata: meta('order'),
  spec: {
    rules: [
      {
        matches: [{ path: { type: 'PathPrefix', value: '/api/orders' } }],
        backendRefs: [
          { name: 'order', port: 80, weight: 100 },
          { name: 'order-canary', port: 80, weight: 0 },
        ],
      },
    ],
  },
};
const canaryRollout: PlanObject = {
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Rollout',
  metadata: meta('order'),
  spec: {
    replicas: 2,
    template: podTemplate('r.io/platform/order:1.2.0'),
    strategy: {
      canary: {
        stableService: 'order',
        canaryService: 'order-canary',
        canaryMetadata: { labels: { 'platform.io/track': 'canary' } },
        stableMetadata: { labels: { 'platform.io/track': 'stable' } },
        trafficRouting: {
          plugins: { 'argoproj-labs/gatewayAPI': { httpRoutes: [{ name: 'order' }], namespace: 'apps' } },
        },
        steps: [{ setWeight: 10 }, { pause: { duration: '5m' } }, { setWeight: 50 }, { pause: {} }],
        analysis: { templates: [{ templateName: 'order-slo' }], args: [{ name: 'track', value: 'canary' }] },
      },
    },
  },
};
const blueGreenRollout = (autoPromotionEnabled: boolean): PlanObject => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Rollout',
  metadata: meta('order'),
  spec: {
    replicas: 3,
    template: podTemplate('r.io/platform/order@sha256:' + 'a'.repeat(64)),
    strategy: {
      blueGreen: {
        activeService: 'order',
        previewService: 'order-preview',
        autoPromotionEnabled,
        scaleDownDelaySeconds: 600,
        prePromotionAnalysis: { templates: [{ templateName: 'order-smoke' }] },
        postPromotionAnalysis: {
          templates: [{ templateName: 'order-slo' }],
          args: [{ name: 'track', value: 'stable' }],
        },
      },
    },
  },
});

describe('explainService', () => {
  it('explains a canary: services, route weights, steps, background analysis with the query substituted', () => {
    const text = explainService([canaryRollout, hpa('Rollout'), route, sloTemplate], 'uat', 'order').join(
      '\n',
    );
    expect(text).toBe(
      [
        'rollout of order in uat, from the plan',
        'order: canary (Argo Rollouts Rollout apps/order)',
        '  image      r.io/platform/order:1.2.0 (version 1.2.0)',
        '  replicas   2 at start; HPA order 2-5 on Rollout/order',
        '  services   stable: order   canary: order-canary',
        '  labels     canary pods platform.io/track=canary; stable pods platform.io/track=stable',
        '  traffic    plugin argoproj-labs/gatewayAPI sets the backend weights of HTTPRoute(s) in apps:',
        '               order: /api/orders -> order (weight 100), order-canary (weight 0)',
        '  steps',
        '    1.       send 10 % of the traffic to the canary',
        '    2.       pause 5m',
        '    3.       send 50 % of the traffic to the canary',
        '    4.       pause until promoted: kubectl argo rollouts promote order -n apps',
        '    then     the canary becomes the stable version (100 %) and the old pods scale down',
        '  analysis   background: order-slo with track=canary, from the first step until promotion',
        '             a failed run aborts the rollout: all traffic back to stable, canary pods scaled down',
        '  commands   kubectl argo rollouts get rollout order -n apps --watch',
        '             kubectl argo rollouts promote order -n apps   (next step; --full skips the rest)',
        '             kubectl argo rollouts abort order -n apps     (back to stable now)',
        '',
        'background analysis:',
        'AnalysisTemplate apps/order-slo (args: track=canary)',
        '  metric error-ratio: every 1m, 5 measurement(s)',
        '    provider   prometheus http://kube-prometheus-stack-prometheus.monitoring.svc.cluster.local:9090',
        '    query      sum(rate(http_requests_total{service="order",track="canary",status=~"5.."}[1m]))',
        '               / sum(rate(http_requests_total{service="order",track="canary"}[1m]))',
        '    success    result[0] <= 0.01',
        '    failure    result[0] > 0.01',
        '    limits     failureLimit 1, inconclusiveLimit 2',
        '  a run fails when a metric fails more than failureLimit times (the Rollout aborts and goes back to',
        '  stable), is inconclusive more than inconclusiveLimit times (the Rollout pauses, waiting for a person),',
        '  and succeeds when every metric completes its measurements.',
      ].join('\n'),
    );
  });

  it('explains a blue-green with manual promotion, scale-down delay and both analyses', () => {
    const lines = explainService([blueGreenRollout(false), sloTemplate, smokeTemplate], 'prod', 'order');
    expect(lines.slice(1, 12)).toEqual([
      'order: blue-green (Argo Rollouts Rollout apps/order)',
      `  image      r.io/platform/order@sha256:${'a'.repeat(64)} (version 1.2.0)`,
      '  replicas   3 at start; no HPA',
      '  services   active: order   preview: order-preview',
      '  promotion  manual (autoPromotionEnabled false): kubectl argo rollouts promote order -n apps',
      '  old pods   kept 600 s after the switch (scaleDownDelaySeconds): an undo within it is instant',
      '  analysis   pre-promotion: order-smoke (against the preview; a failure aborts, active untouched)',
      '             post-promotion: order-slo with track=stable (after the switch; a failure switches back)',
      '  commands   kubectl argo rollouts get rollout order -n apps --watch',
      '             kubectl argo rollouts promote order -n apps   (switch to the preview)',
      '             kubectl argo rollouts abort order -n apps     (drop the preview)',
    ]);
    const text = lines.join('\n');
    // The smoke template's default arg and the slo template's track=stable are substituted.
    expect(text).toContain(
      'pre-promotion analysis:\nAnalysisTemplate apps/order-smoke (args: service=order-preview)',
    );
    expect(text).toContain(
      '    provider   web GET http://order-preview.apps.svc.cluster.local/ready\n    jsonPath   {$.status}',
    );
    expect(text).toContain(
      '    success    result == "ok"\n    failure    (none)\n    limits     failureLimit 0 (default), inconclusiveLimit 0 (default)',
    );
    expect(text).toContain('post-promotion analysis:\nAnalysisTemplate apps/order-slo (args: track=stable)');
    expect(text).toContain('track="stable",status=~"5.."');
    expect(text).not.toContain('{{');
  });

  it('says when promotion is automatic', () => {
    expect(explainService([blueGreenRollout(true), sloTemplate, smokeTemplate], 'dev', 'order')[5]).toBe(
      '  promotion  automatic once the preview is ready and pre-promotion analysis passed (autoPromotionEnabled true)',
    );
  });

  it('flags an analysis template or route the plan lacks, and an arg without a value', () => {
    const text = explainService([canaryRollout], 'dev', 'order').join('\n');
    expect(text).toContain('               order: NOT IN THE PLAN (the plugin would fail to find it)');
    expect(text).toContain(
      'background analysis order-slo: NOT IN THE PLAN (the Rollout would fail to start it)',
    );
    const noArgs = { ...blueGreenRollout(true) } as PlanObject & { spec: any };
    noArgs.spec.strategy.blueGreen.postPromotionAnalysis = { templates: [{ templateName: 'order-slo' }] };
    expect(explainService([noArgs, sloTemplate, smokeTemplate], 'dev', 'order').join('\n')).toContain(
      '  ! no value for arg(s) track: the AnalysisRun would fail to start',
    );
  });

  it('explains a Deployment as a rolling update without analysis', () => {
    const deployment: PlanObject = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: meta('order'),
      spec: {
        replicas: 2,
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } },
        template: podTemplate('r.io/platform/order:1.2.0'),
      },
    };
    expect(explainService([deployment, hpa('Deployment')], 'dev', 'order')).toEqual([
      'rollout of order in dev, from the plan',
      'order: rolling update (Deployment apps/order, no Argo Rollout)',
      '  image      r.io/platform/order:1.2.0 (version 1.2.0)',
      '  replicas   2 at start; HPA order 2-5 on Deployment/order',
      '  strategy   RollingUpdate: maxSurge 25%, maxUnavailable 0',
      '             up to 25% extra pods start; an old pod stops only once a new one is Ready',
      '  analysis   none: Kubernetes moves on as soon as new pods are Ready (readiness probe); no metric checks',
      '  rollback   kubectl rollout undo deployment/order -n apps',
    ]);
  });

  it('refuses a service the plan has no workload for', () => {
    expect(() => explainService([route], 'dev', 'order')).toThrow(
      new RolloutStatusError('the dev plan has no Deployment or Rollout named "order"'),
    );
  });
});
