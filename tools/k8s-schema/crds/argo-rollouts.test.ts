import { loadKubernetesValidator } from '../index';
import type { KubernetesValidator } from '../index';
import { ARGO_ROLLOUTS_SCHEMAS } from './argo-rollouts';
import {
  blueGreenRollout,
  canaryRollout,
  sloAnalysisTemplate,
  smokeAnalysisTemplate,
  type ExampleObject,
} from './argo-rollouts-examples';
import { registerPlatformCrds } from './index';

// Fixtures are plain JSON, mutated freely after structuredClone.
type Obj = Record<string, any>;

let validator: KubernetesValidator;

beforeAll(() => {
  validator = loadKubernetesValidator();
  registerPlatformCrds(validator, { only: ARGO_ROLLOUTS_SCHEMAS });
});

function broken(obj: ExampleObject, change: (copy: Obj) => void): Obj {
  const copy = structuredClone(obj) as Obj;
  change(copy);
  return copy;
}

const canary = (o: Obj): Obj => o['spec']['strategy']['canary'];
const blueGreen = (o: Obj): Obj => o['spec']['strategy']['blueGreen'];
const metric = (o: Obj, i = 0): Obj => o['spec']['metrics'][i];

describe('valid Argo Rollouts objects', () => {
  it.each([
    ['a canary Rollout routed by the Gateway API plugin', canaryRollout()],
    ['a blue-green Rollout with pre- and post-promotion analysis', blueGreenRollout()],
    ['a Prometheus AnalysisTemplate', sloAnalysisTemplate()],
    ['a web AnalysisTemplate', smokeAnalysisTemplate()],
  ])('accepts %s', (_what, obj) => {
    expect(validator.validate(obj)).toEqual([]);
  });

  it('accepts a Rollout that takes its pods from a Deployment (workloadRef, no template)', () => {
    const obj = broken(blueGreenRollout(), (o) => {
      delete o['spec']['template'];
      delete o['spec']['selector'];
      o['spec']['workloadRef'] = {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        name: 'order',
        scaleDown: 'onsuccess',
      };
    });
    expect(validator.validate(obj)).toEqual([]);
  });

  it('accepts the other step kinds and httpRoutes', () => {
    const obj = broken(canaryRollout(), (o) => {
      canary(o)['steps'] = [
        { setCanaryScale: { replicas: 1 } },
        {
          analysis: {
            templates: [{ templateName: 'product-slo' }],
            args: [{ name: 'track', value: 'canary' }],
          },
        },
        { plugin: { name: 'argoproj-labs/sample', config: { any: ['thing'] } } },
        { pause: {} },
      ];
      canary(o)['trafficRouting'] = {
        plugins: { 'argoproj-labs/gatewayAPI': { httpRoutes: [{ name: 'product', useHeaderRoutes: true }] } },
        managedRoutes: [{ name: 'header-route' }],
      };
    });
    expect(validator.validate(obj)).toEqual([]);
  });
});

describe('Rollout mistakes', () => {
  it('names a misspelt field with a suggestion, in the strategy and in the pod template', () => {
    const obj = broken(canaryRollout(), (o) => {
      canary(o)['stabelService'] = 'product';
      o['spec']['template']['spec']['containers'][0]['imagePullPolicyy'] = 'Always';
    });
    expect(validator.validate(obj)).toEqual(
      expect.arrayContaining([
        {
          path: 'spec.strategy.canary.stabelService',
          message: 'unknown field "stabelService" (did you mean "stableService"?)',
        },
        {
          path: 'spec.template.spec.containers[0].imagePullPolicyy',
          message: 'unknown field "imagePullPolicyy" (did you mean "imagePullPolicy"?)',
        },
      ]),
    );
  });

  it('checks the pod template as the core PodTemplateSpec (types and required fields)', () => {
    const obj = broken(canaryRollout(), (o) => {
      o['spec']['template']['spec']['containers'][0]['ports'][0]['containerPort'] = '8080';
      delete o['spec']['template']['spec']['containers'][0]['name'];
    });
    expect(validator.validate(obj).map((v) => v.path)).toEqual(
      expect.arrayContaining([
        'spec.template.spec.containers[0].ports[0].containerPort',
        'spec.template.spec.containers[0].name',
      ]),
    );
  });

  it('requires exactly one strategy', () => {
    const none = broken(canaryRollout(), (o) => {
      o['spec']['strategy'] = {};
    });
    expect(validator.validate(none)).toEqual([
      { path: 'spec.strategy.canary', message: 'missing required field "canary"' },
      { path: 'spec.strategy.blueGreen', message: 'missing required field "blueGreen"' },
    ]);
    const both = broken(canaryRollout(), (o) => {
      o['spec']['strategy']['blueGreen'] = blueGreen(blueGreenRollout());
    });
    expect(validator.validate(both)).toEqual([
      { path: 'spec.strategy.blueGreen', message: 'is not allowed' },
    ]);
    const missing = broken(canaryRollout(), (o) => {
      delete o['spec']['strategy'];
    });
    expect(validator.validate(missing)).toEqual([
      { path: 'spec.strategy', message: 'missing required field "strategy"' },
    ]);
  });

  it('refuses a workloadRef beside a template, and a Rollout with neither or without a selector', () => {
    const both = broken(canaryRollout(), (o) => {
      o['spec']['workloadRef'] = { kind: 'Deployment', name: 'product' };
    });
    expect(validator.validate(both)).toEqual([{ path: 'spec.workloadRef', message: 'is not allowed' }]);
    const neither = broken(canaryRollout(), (o) => {
      delete o['spec']['template'];
      delete o['spec']['selector'];
    });
    expect(validator.validate(neither)).toEqual([
      { path: 'spec.template', message: 'missing required field "template"' },
      { path: 'spec.workloadRef', message: 'missing required field "workloadRef"' },
      { path: 'spec.selector', message: 'missing required field "selector"' },
    ]);
  });

  it('requires one kind per step, a weight in 0..100 and a duration Argo can parse', () => {
    const obj = broken(canaryRollout(), (o) => {
      canary(o)['steps'] = [
        { setWeight: 10, pause: {} },
        { setWeight: 120 },
        { setWeight: '10' },
        { pause: { duration: '5 minutes' } },
        {},
        { experiment: { templates: [] } },
      ];
    });
    expect(validator.validate(obj)).toEqual([
      { path: 'spec.strategy.canary.steps[0].pause', message: 'is not allowed' },
      { path: 'spec.strategy.canary.steps[1].setWeight', message: 'must be <= 100 (got number 120)' },
      { path: 'spec.strategy.canary.steps[2].setWeight', message: 'must be integer (got string "10")' },
      {
        path: 'spec.strategy.canary.steps[3].pause.duration',
        message: expect.stringMatching(/^must be a string matching .* \(got string "5 minutes"\)$/),
      },
      ...['setWeight', 'pause', 'analysis', 'setCanaryScale', 'plugin'].map((field) => ({
        path: `spec.strategy.canary.steps[4].${field}`,
        message: `missing required field "${field}"`,
      })),
      ...['setWeight', 'pause', 'analysis', 'setCanaryScale', 'plugin'].map((field) => ({
        path: `spec.strategy.canary.steps[5].${field}`,
        message: `missing required field "${field}"`,
      })),
      { path: 'spec.strategy.canary.steps[5].experiment', message: 'unknown field "experiment"' },
    ]);
  });

  it('accepts only the Gateway API traffic-router plugin, naming it', () => {
    const obj = broken(canaryRollout(), (o) => {
      canary(o)['trafficRouting'] = { plugins: { 'argoproj-labs/istio': {} } };
    });
    expect(validator.validate(obj)).toEqual([
      {
        path: 'spec.strategy.canary.trafficRouting.plugins["argoproj-labs/gatewayAPI"]',
        message: 'missing required field "argoproj-labs/gatewayAPI"',
      },
      {
        path: 'spec.strategy.canary.trafficRouting.plugins["argoproj-labs/istio"]',
        message: 'invalid key: must be "argoproj-labs/gatewayAPI" (got string "argoproj-labs/istio")',
      },
    ]);
    const builtIn = broken(canaryRollout(), (o) => {
      canary(o)['trafficRouting']['nginx'] = { stableIngress: 'product' };
    });
    expect(validator.validate(builtIn)).toEqual([
      { path: 'spec.strategy.canary.trafficRouting.nginx', message: 'unknown field "nginx"' },
    ]);
  });

  it('requires the plugin config to name one route (httpRoute or httpRoutes) and nothing else', () => {
    const config = (o: Obj): Obj => canary(o)['trafficRouting']['plugins']['argoproj-labs/gatewayAPI'];
    const obj = broken(canaryRollout(), (o) => {
      config(o)['httpRoutes'] = [{ name: 'product' }];
      config(o)['grpcRoute'] = 'product';
    });
    const at = 'spec.strategy.canary.trafficRouting.plugins["argoproj-labs/gatewayAPI"]';
    expect(validator.validate(obj)).toEqual([
      { path: `${at}.httpRoutes`, message: 'is not allowed' },
      { path: `${at}.grpcRoute`, message: 'unknown field "grpcRoute"' },
    ]);
  });

  it('requires both Services with traffic routing, and traffic routing for setCanaryScale and delays', () => {
    const obj = broken(canaryRollout(), (o) => {
      delete canary(o)['canaryService'];
    });
    expect(validator.validate(obj)).toEqual([
      { path: 'spec.strategy.canary.canaryService', message: 'missing required field "canaryService"' },
    ]);
    const noRouting = broken(canaryRollout(), (o) => {
      delete canary(o)['trafficRouting'];
      canary(o)['steps'] = [{ setCanaryScale: { weight: 10 } }];
    });
    expect(validator.validate(noRouting)).toEqual([
      { path: 'spec.strategy.canary.trafficRouting', message: 'missing required field "trafficRouting"' },
    ]);
    const delay = broken(canaryRollout(), (o) => {
      canary(o)['scaleDownDelaySeconds'] = 30;
    });
    expect(validator.validate(delay)).toEqual([
      { path: 'spec.strategy.canary.scaleDownDelaySeconds', message: 'is not allowed' },
    ]);
  });

  it('checks maxSurge/maxUnavailable as a number or a percentage', () => {
    const obj = broken(canaryRollout(), (o) => {
      canary(o)['maxSurge'] = '25 percent';
      canary(o)['maxUnavailable'] = -1;
    });
    expect(validator.validate(obj).map((v) => v.path)).toEqual([
      'spec.strategy.canary.maxSurge',
      'spec.strategy.canary.maxUnavailable',
    ]);
  });

  it('requires an activeService, booleans for auto-promotion and a named analysis template', () => {
    const obj = broken(blueGreenRollout(), (o) => {
      delete blueGreen(o)['activeService'];
      blueGreen(o)['autoPromotionEnabled'] = 'false';
      blueGreen(o)['prePromotionAnalysis'] = { templates: [{ clusterScope: false }] };
      blueGreen(o)['postPromotionAnalysis']['args'][1]['valueFrom']['podTemplateHashValue'] = 'Newest';
    });
    expect(validator.validate(obj)).toEqual([
      { path: 'spec.strategy.blueGreen.activeService', message: 'missing required field "activeService"' },
      {
        path: 'spec.strategy.blueGreen.autoPromotionEnabled',
        message: 'must be boolean (got string "false")',
      },
      {
        path: 'spec.strategy.blueGreen.prePromotionAnalysis.templates[0].templateName',
        message: 'missing required field "templateName"',
      },
      {
        path: 'spec.strategy.blueGreen.postPromotionAnalysis.args[1].valueFrom.podTemplateHashValue',
        message: 'must be "Stable" or "Latest" (got string "Newest")',
      },
    ]);
  });

  it('requires an analysis argument to carry a value or valueFrom', () => {
    const obj = broken(canaryRollout(), (o) => {
      canary(o)['analysis']['args'] = [{ name: 'track' }];
    });
    expect(validator.validate(obj)).toEqual([
      { path: 'spec.strategy.canary.analysis.args[0].value', message: 'missing required field "value"' },
      {
        path: 'spec.strategy.canary.analysis.args[0].valueFrom',
        message: 'missing required field "valueFrom"',
      },
    ]);
  });
});

describe('AnalysisTemplate mistakes', () => {
  it('requires metrics, each with a name and a provider', () => {
    expect(validator.validate(broken(sloAnalysisTemplate(), (o) => (o['spec'] = {})))).toEqual([
      { path: 'spec.metrics', message: 'missing required field "metrics"' },
    ]);
    const obj = broken(sloAnalysisTemplate(), (o) => {
      delete metric(o)['name'];
      delete metric(o, 1)['provider'];
    });
    expect(validator.validate(obj)).toEqual([
      { path: 'spec.metrics[0].name', message: 'missing required field "name"' },
      { path: 'spec.metrics[1].provider', message: 'missing required field "provider"' },
    ]);
  });

  it('accepts only the prometheus and web providers, naming them, and exactly one of them', () => {
    const job = broken(sloAnalysisTemplate(), (o) => {
      metric(o)['provider'] = { job: { spec: {} } };
    });
    expect(validator.validate(job)).toEqual([
      { path: 'spec.metrics[0].provider.prometheus', message: 'missing required field "prometheus"' },
      { path: 'spec.metrics[0].provider.web', message: 'missing required field "web"' },
      {
        path: 'spec.metrics[0].provider.job',
        message: 'invalid key: must be "prometheus" or "web" (got string "job")',
      },
    ]);
    const both = broken(sloAnalysisTemplate(), (o) => {
      metric(o)['provider']['web'] = { url: 'http://x' };
    });
    expect(validator.validate(both)).toEqual([
      { path: 'spec.metrics[0].provider.web', message: 'is not allowed' },
    ]);
  });

  it('requires a query and an address on a Prometheus metric', () => {
    const obj = broken(sloAnalysisTemplate(), (o) => {
      metric(o)['provider']['prometheus'] = { qurey: 'up' };
    });
    expect(validator.validate(obj)).toEqual([
      { path: 'spec.metrics[0].provider.prometheus.address', message: 'missing required field "address"' },
      { path: 'spec.metrics[0].provider.prometheus.query', message: 'missing required field "query"' },
      {
        path: 'spec.metrics[0].provider.prometheus.qurey',
        message: 'unknown field "qurey" (did you mean "query"?)',
      },
    ]);
  });

  it('checks counts (int-or-string), durations and the web method', () => {
    const obj = broken(smokeAnalysisTemplate(), (o) => {
      metric(o)['count'] = true;
      metric(o)['failureLimit'] = 'two';
      metric(o)['interval'] = '10 seconds';
      metric(o)['provider']['web']['method'] = 'DELETE';
    });
    expect(validator.validate(obj)).toEqual([
      { path: 'spec.metrics[0].interval', message: expect.stringMatching(/^must be a string matching/) },
      { path: 'spec.metrics[0].count', message: 'must be integer or string (got boolean true)' },
      { path: 'spec.metrics[0].failureLimit', message: expect.stringMatching(/^must be a string matching/) },
      {
        path: 'spec.metrics[0].provider.web.method',
        message: 'must be "GET" or "POST" or "PUT" (got string "DELETE")',
      },
    ]);
  });

  it('accepts args placeholders as counts, and requires an interval when count > 1', () => {
    const placeholder = broken(sloAnalysisTemplate(), (o) => {
      metric(o)['count'] = '{{args.count}}';
    });
    expect(validator.validate(placeholder)).toEqual([]);
    const obj = broken(smokeAnalysisTemplate(), (o) => {
      delete metric(o)['interval'];
    });
    expect(validator.validate(obj)).toEqual([
      { path: 'spec.metrics[0].interval', message: 'missing required field "interval"' },
    ]);
  });
});
