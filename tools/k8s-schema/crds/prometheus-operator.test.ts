import { loadKubernetesValidator } from '../index';
import type { KubernetesValidator } from '../index';
import { registerPlatformCrds } from './index';
import { PROMETHEUS_OPERATOR_SCHEMAS } from './prometheus-operator';

// Fixtures are plain JSON, mutated freely after structuredClone.
type Obj = Record<string, any>;

let validator: KubernetesValidator;

beforeAll(() => {
  validator = loadKubernetesValidator();
  registerPlatformCrds(validator, { only: PROMETHEUS_OPERATOR_SCHEMAS });
});

function broken(obj: Obj, change: (copy: Obj) => void): Obj {
  const copy = structuredClone(obj);
  change(copy);
  return copy;
}

const serviceMonitor: Obj = {
  apiVersion: 'monitoring.coreos.com/v1',
  kind: 'ServiceMonitor',
  metadata: { name: 'product', namespace: 'shop', labels: { release: 'kube-prometheus-stack' } },
  spec: {
    selector: { matchLabels: { 'app.kubernetes.io/name': 'product' } },
    namespaceSelector: { matchNames: ['shop'] },
    jobLabel: 'app.kubernetes.io/name',
    endpoints: [
      {
        port: 'http',
        path: '/metrics',
        interval: '30s',
        scrapeTimeout: '10s',
        honorLabels: false,
        relabelings: [
          { action: 'replace', sourceLabels: ['__meta_kubernetes_pod_node_name'], targetLabel: 'node' },
        ],
        metricRelabelings: [{ action: 'drop', sourceLabels: ['__name__'], regex: 'go_gc_.*' }],
        tlsConfig: { insecureSkipVerify: false, ca: { secret: { name: 'product-ca', key: 'ca.crt' } } },
      },
    ],
  },
};

const podMonitor: Obj = {
  apiVersion: 'monitoring.coreos.com/v1',
  kind: 'PodMonitor',
  metadata: { name: 'kafka', namespace: 'kafka' },
  spec: {
    selector: { matchExpressions: [{ key: 'strimzi.io/kind', operator: 'In', values: ['Kafka'] }] },
    podMetricsEndpoints: [{ port: 'tcp-prometheus', path: '/metrics', interval: '1m' }],
  },
};

const prometheusRule: Obj = {
  apiVersion: 'monitoring.coreos.com/v1',
  kind: 'PrometheusRule',
  metadata: { name: 'product', namespace: 'shop' },
  spec: {
    groups: [
      {
        name: 'product.rules',
        interval: '1m',
        rules: [
          {
            record: 'product:http_requests:rate5m',
            expr: 'sum by (route) (rate(http_requests_total{service="product"}[5m]))',
          },
          {
            alert: 'ProductHighErrorRate',
            expr: 'sum(rate(http_requests_total{service="product",code=~"5.."}[5m])) / sum(rate(http_requests_total{service="product"}[5m])) > 0.05',
            for: '10m',
            keep_firing_for: '5m',
            labels: { severity: 'critical' },
            annotations: {
              summary: 'More than 5% of product requests fail',
              runbook_url: 'https://runbooks.example.com/product',
            },
          },
        ],
      },
    ],
  },
};

const alertmanagerConfig: Obj = {
  apiVersion: 'monitoring.coreos.com/v1alpha1',
  kind: 'AlertmanagerConfig',
  metadata: { name: 'shop', namespace: 'shop' },
  spec: {
    route: {
      receiver: 'slack',
      groupBy: ['alertname', 'service'],
      groupWait: '30s',
      repeatInterval: '4h',
      routes: [
        { receiver: 'pagerduty', matchers: [{ name: 'severity', value: 'critical', matchType: '=' }] },
      ],
    },
    receivers: [
      {
        name: 'slack',
        slackConfigs: [
          { apiURL: { name: 'slack-webhook', key: 'url' }, channel: '#shop-alerts', sendResolved: true },
        ],
      },
      { name: 'pagerduty', pagerdutyConfigs: [{ routingKey: { name: 'pagerduty', key: 'routing-key' } }] },
    ],
    inhibitRules: [
      {
        sourceMatch: [{ name: 'severity', value: 'critical' }],
        targetMatch: [{ name: 'severity', value: 'warning' }],
        equal: ['alertname'],
      },
    ],
  },
};

describe('valid Prometheus Operator objects', () => {
  it.each([
    ['ServiceMonitor', serviceMonitor],
    ['PodMonitor', podMonitor],
    ['PrometheusRule', prometheusRule],
    ['AlertmanagerConfig', alertmanagerConfig],
  ])('accepts a realistic %s', (_kind, obj) => {
    expect(validator.validate(obj)).toEqual([]);
  });
});

describe('monitor mistakes', () => {
  it('requires a selector and endpoints on a ServiceMonitor', () => {
    const obj = broken(serviceMonitor, (o) => {
      o['spec'] = { namespaceSelector: { any: true } };
    });
    expect(validator.validate(obj)).toEqual([
      { path: 'spec.selector', message: 'missing required field "selector"' },
      { path: 'spec.endpoints', message: 'missing required field "endpoints"' },
    ]);
  });

  it('names a misspelt endpoint field and rejects bad durations and relabel actions', () => {
    const obj = broken(serviceMonitor, (o) => {
      const endpoint = o['spec']['endpoints'][0];
      endpoint['honourLabels'] = true;
      endpoint['interval'] = '30 s';
      endpoint['relabelings'][0]['action'] = 'rename';
    });
    const violations = validator.validate(obj);
    expect(violations.map((v) => v.path)).toEqual([
      'spec.endpoints[0].honourLabels',
      'spec.endpoints[0].interval',
      'spec.endpoints[0].relabelings[0].action',
    ]);
    expect(violations[0]?.message).toBe('unknown field "honourLabels" (did you mean "honorLabels"?)');
  });

  it('checks the selector as a Kubernetes label selector', () => {
    const obj = broken(podMonitor, (o) => {
      o['spec']['selector'] = { matchLabel: { app: 'kafka' } };
    });
    expect(validator.validate(obj)).toEqual([
      {
        path: 'spec.selector.matchLabel',
        message: 'unknown field "matchLabel" (did you mean "matchLabels"?)',
      },
    ]);
  });

  it('rejects a wrong scheme and a port number as a string', () => {
    const obj = broken(podMonitor, (o) => {
      o['spec']['podMetricsEndpoints'][0]['scheme'] = 'HTTPS';
      o['spec']['podMetricsEndpoints'][0]['portNumber'] = '9404';
    });
    expect(validator.validate(obj)).toEqual([
      {
        path: 'spec.podMetricsEndpoints[0].scheme',
        message: 'must be "http" or "https" (got string "HTTPS")',
      },
      { path: 'spec.podMetricsEndpoints[0].portNumber', message: 'must be integer (got string "9404")' },
    ]);
  });
});

describe('PrometheusRule mistakes', () => {
  it('requires expr and a group name', () => {
    const obj = broken(prometheusRule, (o) => {
      delete o['spec']['groups'][0]['name'];
      delete o['spec']['groups'][0]['rules'][1]['expr'];
    });
    expect(validator.validate(obj)).toEqual([
      { path: 'spec.groups[0].name', message: 'missing required field "name"' },
      { path: 'spec.groups[0].rules[1].expr', message: 'missing required field "expr"' },
    ]);
  });

  it('rejects a Prometheus duration with a unit Prometheus lacks, and a misspelt keep_firing_for', () => {
    const obj = broken(prometheusRule, (o) => {
      o['spec']['groups'][0]['rules'][1]['for'] = '10min';
      o['spec']['groups'][0]['rules'][1]['keepFiringFor'] = '5m';
    });
    const violations = validator.validate(obj);
    expect(violations.map((v) => v.path)).toEqual([
      'spec.groups[0].rules[1].keepFiringFor',
      'spec.groups[0].rules[1].for',
    ]);
  });

  it('requires each rule to be either an alert or a recording rule', () => {
    const neither = broken(prometheusRule, (o) => {
      delete o['spec']['groups'][0]['rules'][0]['record'];
    });
    expect(validator.validate(neither)).toEqual([
      { path: 'spec.groups[0].rules[0].alert', message: 'missing required field "alert"' },
      { path: 'spec.groups[0].rules[0].record', message: 'missing required field "record"' },
    ]);
    const both = broken(prometheusRule, (o) => {
      o['spec']['groups'][0]['rules'][0]['alert'] = 'X';
    });
    expect(validator.validate(both)).toEqual([
      {
        path: 'spec.groups[0].rules[0]',
        message: 'must match exactly one allowed form, but matches several',
      },
    ]);
  });
});

describe('AlertmanagerConfig mistakes', () => {
  it('rejects an unknown match type and a receiver without a name', () => {
    const obj = broken(alertmanagerConfig, (o) => {
      o['spec']['route']['routes'][0]['matchers'][0]['matchType'] = '==';
      delete o['spec']['receivers'][1]['name'];
    });
    expect(validator.validate(obj)).toEqual([
      {
        path: 'spec.route.routes[0].matchers[0].matchType',
        message: 'must be "!=" or "=" or "=~" or "!~" (got string "==")',
      },
      { path: 'spec.receivers[1].name', message: 'missing required field "name"' },
    ]);
  });

  it('catches typos in child routes, which the CRD leaves free-form', () => {
    const obj = broken(alertmanagerConfig, (o) => {
      o['spec']['route']['routes'][0]['reciever'] = 'pagerduty';
    });
    expect(validator.validate(obj)).toEqual([
      {
        path: 'spec.route.routes[0].reciever',
        message: 'unknown field "reciever" (did you mean "receiver"?)',
      },
    ]);
  });

  it('rejects an unmodelled receiver integration as unknown', () => {
    const obj = broken(alertmanagerConfig, (o) => {
      o['spec']['receivers'][0]['slackConfig'] = [];
    });
    expect(validator.validate(obj).map((v) => v.path)).toEqual(['spec.receivers[0].slackConfig']);
  });
});
