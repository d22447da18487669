import { NamespaceBaselineChart, synthesize } from '../../charts';
import {
  blueGreenRollout,
  canaryRollout,
  sloAnalysisTemplate,
  smokeAnalysisTemplate,
} from '../k8s-schema/crds/argo-rollouts-examples';
import { checkPolicies, type K8sObject, type PolicyOptions } from './policies';

// Fixtures are plain JSON, mutated freely.
type Obj = Record<string, any>;

const ns = 'apps';
const service = (name: string, app: string): Obj => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: ns },
  spec: {
    selector: { 'app.kubernetes.io/name': app },
    ports: [{ name: 'http', port: 80, targetPort: 'http' }],
  },
});
const allowPods = (app: string): Obj => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name: app, namespace: ns },
  spec: { podSelector: { matchLabels: { 'app.kubernetes.io/name': app } }, policyTypes: ['Ingress'] },
});
const pdb = (app: string, selector: Record<string, string> = { 'app.kubernetes.io/name': app }): Obj => ({
  apiVersion: 'policy/v1',
  kind: 'PodDisruptionBudget',
  metadata: { name: app, namespace: ns },
  spec: { maxUnavailable: 1, selector: { matchLabels: selector } },
});
const hpa = (app: string, target: Obj): Obj => ({
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata: { name: app, namespace: ns },
  spec: { scaleTargetRef: target, minReplicas: 2, maxReplicas: 5 },
});
const rolloutTarget = (name: string) => ({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name });
const httpRoute = (backends: string[]): Obj => ({
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'HTTPRoute',
  metadata: { name: 'product', namespace: ns },
  spec: {
    parentRefs: [{ name: 'edge', namespace: 'gateway' }],
    rules: [
      {
        matches: [{ path: { type: 'PathPrefix', value: '/api/products' } }],
        backendRefs: backends.map((name, i) => ({ name, port: 80, weight: i === 0 ? 100 : 0 })),
      },
    ],
  },
});

/** product on canary behind the Gateway API plugin, order on blue-green, each with its Services and analyses. */
function environment(): Obj[] {
  return [
    ...synthesize((app) => new NamespaceBaselineChart(app, ns, { name: ns })),
    allowPods('product'),
    allowPods('order'),
    canaryRollout('product', ns),
    service('product', 'product'),
    service('product-canary', 'product'),
    httpRoute(['product', 'product-canary']),
    sloAnalysisTemplate('product', ns),
    hpa('product', rolloutTarget('product')),
    pdb('product'),
    blueGreenRollout('order', ns),
    service('order', 'order'),
    service('order-preview', 'order'),
    sloAnalysisTemplate('order', ns),
    smokeAnalysisTemplate('order', ns),
    hpa('order', rolloutTarget('order')),
    pdb('order'),
  ];
}

const PROD: PolicyOptions = { environment: 'prod' };

function find(objects: Obj[], kind: string, name: string): Obj {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`no ${kind}/${name}`);
  return found;
}

function errors(objects: Obj[], options: PolicyOptions = PROD): string[] {
  return checkPolicies(objects as K8sObject[], options).errors.map(
    (f) => `${f.rule} ${f.object}: ${f.message}`,
  );
}

const canaryOf = (objects: Obj[]): Obj => find(objects, 'Rollout', 'product').spec.strategy.canary;
const blueGreenOf = (objects: Obj[]): Obj => find(objects, 'Rollout', 'order').spec.strategy.blueGreen;

describe('Rollouts under the platform policies', () => {
  it('passes a canary and a blue-green service rendered as the contract says, in prod', () => {
    expect(checkPolicies(environment() as K8sObject[], PROD)).toEqual({ errors: [], warnings: [] });
  });

  it('applies every pod policy to a Rollout pod template', () => {
    const objects = environment();
    const pod = find(objects, 'Rollout', 'product').spec.template.spec;
    pod.containers[0].image = 'registry.local/product:latest';
    pod.containers[0].securityContext = { privileged: true };
    delete pod.containers[0].resources.limits;
    delete pod.containers[0].readinessProbe;
    delete pod.securityContext;
    find(objects, 'Rollout', 'product').spec.template.metadata.labels['app.kubernetes.io/name'] = 'renamed';
    expect(errors(objects)).toEqual(
      expect.arrayContaining([
        'workload-network-policy apps/Rollout/product: no NetworkPolicy selects its pods',
        'image-pinned apps/Rollout/product: container "product" uses the "latest" tag',
        'container-resources apps/Rollout/product: container "product" has no limits.cpu',
        'container-security apps/Rollout/product: container "product" must not be privileged',
        'container-security apps/Rollout/product: container "product" must run as non-root',
        'container-security apps/Rollout/product: container "product" needs seccompProfile RuntimeDefault',
      ]),
    );
    const warnings = checkPolicies(objects as K8sObject[], PROD).warnings.map((w) => `${w.rule} ${w.object}`);
    expect(warnings).toEqual(['container-probes apps/Rollout/product']);
  });

  it('leaves the pod checks of a workloadRef Rollout to the Deployment it references', () => {
    const objects = environment();
    const rollout = find(objects, 'Rollout', 'order');
    delete rollout.spec.template;
    rollout.spec.workloadRef = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'order' };
    expect(errors(objects)).toEqual([]);
  });
});

describe('workload-pdb', () => {
  it('passes a multi-replica Rollout whose PDB selects the template labels (every track)', () => {
    expect(errors(environment()).filter((e) => e.startsWith('workload-pdb'))).toEqual([]);
  });

  it('refuses a multi-replica Rollout without a PDB, or with one that selects one track only', () => {
    const objects = environment().filter(
      (o) => !(o.kind === 'PodDisruptionBudget' && o.metadata.name === 'order'),
    );
    objects.push(pdb('order', { 'app.kubernetes.io/name': 'order', 'platform.io/track': 'stable' }));
    expect(errors(objects)).toEqual([
      'workload-pdb apps/Rollout/order: runs at least 2 replicas but no PodDisruptionBudget selects spec.template.metadata.labels; add one whose selector matches them (not a track label, so it covers every track)',
    ]);
  });

  it('counts the HPA floor, and leaves single-replica workloads alone', () => {
    const objects = environment().filter(
      (o) => !(o.kind === 'PodDisruptionBudget' && o.metadata.name === 'product'),
    );
    const rollout = find(objects, 'Rollout', 'product');
    rollout.spec.replicas = 1;
    expect(errors(objects)).toEqual([
      'workload-pdb apps/Rollout/product: runs at least 2 replicas but no PodDisruptionBudget selects spec.template.metadata.labels; add one whose selector matches them (not a track label, so it covers every track)',
    ]);
    const single = objects.filter(
      (o) => !(o.kind === 'HorizontalPodAutoscaler' && o.metadata.name === 'product'),
    );
    expect(errors(single)).toEqual([]);
  });
});

describe('hpa-target', () => {
  it('accepts an HPA on a Rollout (argoproj.io/v1alpha1)', () => {
    expect(errors(environment()).filter((e) => e.startsWith('hpa-target'))).toEqual([]);
  });

  it('refuses an HPA left on a Deployment that is gone while a Rollout of that name exists', () => {
    const objects = environment();
    find(objects, 'HorizontalPodAutoscaler', 'product').spec.scaleTargetRef = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: 'product',
    };
    expect(errors(objects)).toContain(
      'hpa-target apps/HorizontalPodAutoscaler/product: scales Deployment/product, which is not declared, while Rollout/product is: the HPA would scale nothing; set spec.scaleTargetRef to { apiVersion: "argoproj.io/v1alpha1", kind: "Rollout", name: "product" }',
    );
  });

  it('refuses a Rollout target with the wrong apiVersion', () => {
    const objects = environment();
    find(objects, 'HorizontalPodAutoscaler', 'order').spec.scaleTargetRef.apiVersion = 'apps/v1';
    expect(errors(objects)).toEqual([
      'hpa-target apps/HorizontalPodAutoscaler/order: scales Rollout/order with spec.scaleTargetRef.apiVersion "apps/v1", but it is declared as "argoproj.io/v1alpha1"; set apiVersion to "argoproj.io/v1alpha1"',
    ]);
  });
});

describe('rollout-manual-promotion', () => {
  it('requires autoPromotionEnabled false for blue-green in uat and prod, not in dev and qat', () => {
    const objects = environment();
    blueGreenOf(objects).autoPromotionEnabled = true;
    const expected = (env: string, got: string) =>
      `rollout-manual-promotion apps/Rollout/order: spec.strategy.blueGreen.autoPromotionEnabled must be false in ${env}, where a person approves each promotion (got ${got}); set it to false`;
    expect(errors(objects, { environment: 'uat' })).toEqual([expected('uat', 'true')]);
    expect(errors(objects, { environment: 'prod' })).toEqual([expected('prod', 'true')]);
    expect(errors(objects, { environment: 'dev' })).toEqual([]);
    expect(errors(objects, { environment: 'qat' })).toEqual([]);
    delete blueGreenOf(objects).autoPromotionEnabled;
    expect(errors(objects)).toEqual([expected('prod', 'unset, which Argo takes as true')]);
  });

  it('warns that it was not checked when the environment is unknown', () => {
    const report = checkPolicies(environment() as K8sObject[]);
    expect(report.errors).toEqual([]);
    expect(report.warnings).toEqual([
      {
        rule: 'rollout-manual-promotion',
        object: 'apps/Rollout/order',
        message:
          'the environment is unknown, so spec.strategy.blueGreen.autoPromotionEnabled (false in uat/prod) was not checked; pass { environment } to checkPolicies',
      },
    ]);
  });
});

describe('rollout-services', () => {
  it('refuses a blue-green Rollout whose preview Service is not declared', () => {
    const objects = environment().filter(
      (o) => !(o.kind === 'Service' && o.metadata.name === 'order-preview'),
    );
    expect(errors(objects)).toEqual([
      'rollout-services apps/Rollout/order: spec.strategy.blueGreen.previewService names Service "order-preview", which is not declared in namespace "apps"; declare it or fix the name',
    ]);
  });
});

describe('rollout-traffic-routing', () => {
  it('refuses a canary Service that is not declared', () => {
    const objects = environment().filter(
      (o) => !(o.kind === 'Service' && o.metadata.name === 'product-canary'),
    );
    expect(errors(objects)).toEqual([
      'rollout-traffic-routing apps/Rollout/product: spec.strategy.canary.canaryService names Service "product-canary", which is not declared in namespace "apps"; declare it or fix the name',
    ]);
  });

  it('refuses the same Service as canary and stable', () => {
    const objects = environment();
    canaryOf(objects).canaryService = 'product';
    expect(errors(objects)).toContain(
      'rollout-traffic-routing apps/Rollout/product: spec.strategy.canary.canaryService and stableService are both "product"; the canary needs its own Service (e.g. "product-canary")',
    );
  });

  it('refuses an HTTPRoute that is not declared (in the plugin namespace)', () => {
    const objects = environment();
    canaryOf(objects).trafficRouting.plugins['argoproj-labs/gatewayAPI'].namespace = 'gateway';
    expect(errors(objects)).toEqual([
      'rollout-traffic-routing apps/Rollout/product: spec.strategy.canary.trafficRouting.plugins["argoproj-labs/gatewayAPI"].httpRoute names HTTPRoute "product", which is not declared in namespace "gateway"; declare it or fix the name',
    ]);
  });

  it('refuses an HTTPRoute without both Services as backendRefs of one rule', () => {
    const objects = environment().filter((o) => o.kind !== 'HTTPRoute');
    objects.push(httpRoute(['product']));
    expect(errors(objects)).toEqual([
      'rollout-traffic-routing apps/Rollout/product: spec.strategy.canary.trafficRouting.plugins["argoproj-labs/gatewayAPI"].httpRoute: HTTPRoute "product" has no rule with both backendRefs "product" and "product-canary" (namespace "apps"), so the plugin cannot split traffic; add both to the rule that serves the service',
    ]);
  });

  it('checks every route of httpRoutes', () => {
    const objects = environment();
    canaryOf(objects).trafficRouting.plugins['argoproj-labs/gatewayAPI'] = {
      httpRoutes: [{ name: 'product' }, { name: 'product-internal' }],
    };
    expect(errors(objects)).toEqual([
      'rollout-traffic-routing apps/Rollout/product: spec.strategy.canary.trafficRouting.plugins["argoproj-labs/gatewayAPI"].httpRoutes[1].name names HTTPRoute "product-internal", which is not declared in namespace "apps"; declare it or fix the name',
    ]);
  });
});

describe('rollout-analysis-template', () => {
  it('refuses an analysis template that is not declared in the Rollout namespace', () => {
    const objects = environment();
    find(objects, 'AnalysisTemplate', 'order-smoke').metadata.namespace = 'monitoring';
    objects.push(
      ...synthesize((app) => new NamespaceBaselineChart(app, 'monitoring', { name: 'monitoring' })),
    );
    canaryOf(objects).steps.push({ analysis: { templates: [{ templateName: 'product-smoke' }] } });
    expect(errors(objects)).toEqual([
      'rollout-analysis-template apps/Rollout/product: spec.strategy.canary.steps[5].analysis.templates[0].templateName "product-smoke" is not a declared AnalysisTemplate in namespace "apps"; declare it or fix the name',
      'rollout-analysis-template apps/Rollout/order: spec.strategy.blueGreen.prePromotionAnalysis.templates[0].templateName "order-smoke" is not a declared AnalysisTemplate in namespace "apps"; declare it or fix the name',
    ]);
  });

  it('refuses an analysis that does not pass an argument the template requires', () => {
    const objects = environment();
    canaryOf(objects).analysis.args = [];
    expect(errors(objects)).toEqual([
      'rollout-analysis-template apps/Rollout/product: spec.strategy.canary.analysis.args does not pass "track", which AnalysisTemplate "product-slo" requires; add { name: "track", value: ... }',
    ]);
  });
});

describe('analysis-conditions', () => {
  it('refuses a metric that cannot fail or does not bound inconclusive measurements', () => {
    const objects = environment();
    const metrics = find(objects, 'AnalysisTemplate', 'product-slo').spec.metrics;
    delete metrics[0].successCondition;
    delete metrics[0].failureCondition;
    delete metrics[1].inconclusiveLimit;
    expect(errors(objects)).toEqual([
      'analysis-conditions apps/AnalysisTemplate/product-slo: spec.metrics[0] (metric "error-ratio") has neither successCondition nor failureCondition, so every measurement passes; add a successCondition such as "len(result) > 0 && result[0] <= <threshold>"',
      'analysis-conditions apps/AnalysisTemplate/product-slo: spec.metrics[1].inconclusiveLimit is not set (metric "p99-latency"); set it so a track with too little traffic is inconclusive (paused) rather than promoted or failed',
    ]);
  });

  it('accepts a metric with only a failureCondition and an inconclusiveLimit of 0', () => {
    const objects = environment();
    const metric = find(objects, 'AnalysisTemplate', 'order-smoke').spec.metrics[0];
    delete metric.successCondition;
    metric.failureCondition = 'result != "ready"';
    metric.inconclusiveLimit = 0;
    expect(errors(objects)).toEqual([]);
  });
});
