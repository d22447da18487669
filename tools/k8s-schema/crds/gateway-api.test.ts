import { loadKubernetesValidator } from '../index';
import type { KubernetesValidator } from '../index';
import { GATEWAY_API_SCHEMAS } from './gateway-api';
import { registerPlatformCrds } from './index';

// Fixtures are plain JSON, mutated freely after structuredClone.
type Obj = Record<string, any>;

let validator: KubernetesValidator;

beforeAll(() => {
  validator = loadKubernetesValidator();
  registerPlatformCrds(validator, { only: GATEWAY_API_SCHEMAS });
});

function broken(obj: Obj, change: (copy: Obj) => void): Obj {
  const copy = structuredClone(obj);
  change(copy);
  return copy;
}

const gatewayClass: Obj = {
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'GatewayClass',
  metadata: { name: 'envoy' },
  spec: {
    controllerName: 'gateway.envoyproxy.io/gatewayclass-controller',
    parametersRef: {
      group: 'gateway.envoyproxy.io',
      kind: 'EnvoyProxy',
      name: 'edge',
      namespace: 'envoy-gateway-system',
    },
  },
};

const gateway: Obj = {
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'Gateway',
  metadata: { name: 'edge', namespace: 'envoy-gateway-system' },
  spec: {
    gatewayClassName: 'envoy',
    infrastructure: { annotations: { 'example.com/team': 'platform' }, labels: { tier: 'edge' } },
    listeners: [
      { name: 'http', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'Same' } } },
      {
        name: 'https',
        hostname: '*.shop.example.com',
        port: 443,
        protocol: 'HTTPS',
        tls: { mode: 'Terminate', certificateRefs: [{ kind: 'Secret', name: 'wildcard-tls' }] },
        allowedRoutes: {
          namespaces: {
            from: 'Selector',
            selector: { matchLabels: { 'platform.example.com/ingress': 'true' } },
          },
          kinds: [{ kind: 'HTTPRoute' }],
        },
      },
    ],
    addresses: [{ type: 'Hostname', value: 'edge.shop.example.com' }],
  },
};

const httpRoute: Obj = {
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'HTTPRoute',
  metadata: { name: 'product', namespace: 'shop' },
  spec: {
    parentRefs: [{ name: 'edge', namespace: 'envoy-gateway-system', sectionName: 'https' }],
    hostnames: ['api.shop.example.com'],
    rules: [
      {
        matches: [
          {
            path: { type: 'PathPrefix', value: '/products' },
            headers: [{ name: 'x-canary', value: 'true' }],
            queryParams: [{ type: 'RegularExpression', name: 'v', value: '^2' }],
            method: 'GET',
          },
        ],
        filters: [
          {
            type: 'RequestHeaderModifier',
            requestHeaderModifier: { set: [{ name: 'x-route', value: 'product' }] },
          },
          {
            type: 'URLRewrite',
            urlRewrite: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/' } },
          },
        ],
        backendRefs: [
          { name: 'product', port: 8080, weight: 90 },
          { name: 'product-canary', namespace: 'shop-canary', port: 8080, weight: 10 },
        ],
        timeouts: { request: '10s', backendRequest: '2s' },
      },
      {
        matches: [{ path: { type: 'Exact', value: '/healthz' } }],
        backendRefs: [{ group: 'gateway.envoyproxy.io', kind: 'Backend', name: 'static-health' }],
      },
      {
        matches: [{ path: { type: 'RegularExpression', value: '^/v[0-9]+/.*' } }],
        filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 301 } }],
      },
    ],
  },
};

const referenceGrant: Obj = {
  apiVersion: 'gateway.networking.k8s.io/v1beta1',
  kind: 'ReferenceGrant',
  metadata: { name: 'allow-shop-routes', namespace: 'shop-canary' },
  spec: {
    from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'shop' }],
    to: [{ group: '', kind: 'Service' }],
  },
};

describe('valid Gateway API objects', () => {
  it.each([
    ['GatewayClass', gatewayClass],
    ['Gateway', gateway],
    ['HTTPRoute', httpRoute],
    ['ReferenceGrant', referenceGrant],
  ])('accepts a realistic %s', (_kind, obj) => {
    expect(validator.validate(obj)).toEqual([]);
  });

  it('accepts a route whose rules rely on the defaults', () => {
    const minimal = { ...httpRoute, spec: { parentRefs: [{ name: 'edge' }], rules: [{ backendRefs: [] }] } };
    expect(validator.validate(minimal)).toEqual([]);
  });
});

describe('HTTPRoute mistakes', () => {
  it('names a misspelt field with a suggestion', () => {
    const obj = broken(httpRoute, (o) => {
      o['spec']['rules'][0]['backendRefs'][0]['wieght'] = 5;
    });
    expect(validator.validate(obj)).toEqual([
      {
        path: 'spec.rules[0].backendRefs[0].wieght',
        message: 'unknown field "wieght" (did you mean "weight"?)',
      },
    ]);
  });

  it('requires a backendRef name', () => {
    const obj = broken(httpRoute, (o) => {
      delete o['spec']['rules'][0]['backendRefs'][0]['name'];
    });
    expect(validator.validate(obj)).toEqual([
      { path: 'spec.rules[0].backendRefs[0].name', message: 'missing required field "name"' },
    ]);
  });

  it('requires a port on a Service backendRef (CEL rule of the CRD)', () => {
    const obj = broken(httpRoute, (o) => {
      delete o['spec']['rules'][0]['backendRefs'][1]['port'];
    });
    expect(validator.validate(obj)).toEqual([
      { path: 'spec.rules[0].backendRefs[1].port', message: 'missing required field "port"' },
    ]);
  });

  it('rejects an unknown path match type and a wrong weight type', () => {
    const obj = broken(httpRoute, (o) => {
      o['spec']['rules'][0]['matches'][0]['path']['type'] = 'Prefix';
      o['spec']['rules'][0]['backendRefs'][0]['weight'] = '90';
    });
    expect(validator.validate(obj)).toEqual([
      {
        path: 'spec.rules[0].matches[0].path.type',
        message: 'must be "Exact" or "PathPrefix" or "RegularExpression" (got string "Prefix")',
      },
      { path: 'spec.rules[0].backendRefs[0].weight', message: 'must be integer (got string "90")' },
    ]);
  });

  it('requires prefix and exact paths to be absolute', () => {
    const obj = broken(httpRoute, (o) => {
      o['spec']['rules'][1]['matches'][0]['path']['value'] = 'healthz';
    });
    expect(validator.validate(obj).map((v) => v.path)).toEqual(['spec.rules[1].matches[0].path.value']);
  });

  it('rejects an unknown HTTP method and an invalid timeout', () => {
    const obj = broken(httpRoute, (o) => {
      o['spec']['rules'][0]['matches'][0]['method'] = 'get';
      o['spec']['rules'][0]['timeouts']['request'] = '10 seconds';
    });
    expect(validator.validate(obj).map((v) => v.path)).toEqual([
      'spec.rules[0].matches[0].method',
      'spec.rules[0].timeouts.request',
    ]);
  });

  it('pairs each filter type with its own field', () => {
    const obj = broken(httpRoute, (o) => {
      o['spec']['rules'][0]['filters'][0] = {
        type: 'RequestHeaderModifier',
        responseHeaderModifier: { add: [{ name: 'x', value: 'y' }] },
      };
    });
    expect(validator.validate(obj)).toEqual([
      {
        path: 'spec.rules[0].filters[0].requestHeaderModifier',
        message: 'missing required field "requestHeaderModifier"',
      },
      { path: 'spec.rules[0].filters[0].responseHeaderModifier', message: 'is not allowed' },
    ]);
  });

  it('accepts wildcard hostnames but not uppercase ones', () => {
    const obj = broken(httpRoute, (o) => {
      o['spec']['hostnames'] = ['*.shop.example.com', 'API.shop.example.com'];
    });
    expect(validator.validate(obj).map((v) => v.path)).toEqual(['spec.hostnames[1]']);
  });
});

describe('Gateway mistakes', () => {
  it('requires listeners and a class', () => {
    const obj = broken(gateway, (o) => {
      o['spec'] = {};
    });
    expect(validator.validate(obj)).toEqual([
      { path: 'spec.gatewayClassName', message: 'missing required field "gatewayClassName"' },
      { path: 'spec.listeners', message: 'missing required field "listeners"' },
    ]);
  });

  it('rejects a protocol Envoy Gateway does not implement and a port out of range', () => {
    const obj = broken(gateway, (o) => {
      o['spec']['listeners'][0]['protocol'] = 'HTTP2';
      o['spec']['listeners'][0]['port'] = 70000;
    });
    expect(validator.validate(obj)).toEqual([
      { path: 'spec.listeners[0].port', message: 'must be <= 65535 (got number 70000)' },
      {
        path: 'spec.listeners[0].protocol',
        message: 'must be "HTTP" or "HTTPS" or "TLS" or "TCP" or "UDP" (got string "HTTP2")',
      },
    ]);
  });

  it('requires TLS on an HTTPS listener and forbids it on an HTTP one', () => {
    const obj = broken(gateway, (o) => {
      o['spec']['listeners'][0]['tls'] = { certificateRefs: [{ name: 'x' }] };
      delete o['spec']['listeners'][1]['tls'];
    });
    expect(validator.validate(obj)).toEqual([
      { path: 'spec.listeners[0].tls', message: 'is not allowed' },
      { path: 'spec.listeners[1].tls', message: 'missing required field "tls"' },
    ]);
  });

  it('requires a certificate on a terminating listener', () => {
    const obj = broken(gateway, (o) => {
      o['spec']['listeners'][1]['tls'] = { mode: 'Terminate' };
    });
    expect(validator.validate(obj)).toEqual([
      { path: 'spec.listeners[1].tls.certificateRefs', message: 'missing required field "certificateRefs"' },
      { path: 'spec.listeners[1].tls.options', message: 'missing required field "options"' },
    ]);
  });

  it('requires a selector when routes are allowed by selector', () => {
    const obj = broken(gateway, (o) => {
      delete o['spec']['listeners'][1]['allowedRoutes']['namespaces']['selector'];
    });
    expect(validator.validate(obj)).toEqual([
      {
        path: 'spec.listeners[1].allowedRoutes.namespaces.selector',
        message: 'missing required field "selector"',
      },
    ]);
  });

  it('checks infrastructure labels like Kubernetes labels', () => {
    const obj = broken(gateway, (o) => {
      o['spec']['infrastructure']['labels'] = { tier: 'edge proxy' };
    });
    expect(validator.validate(obj)).toEqual([
      {
        path: 'spec.infrastructure.labels.tier',
        message: expect.stringMatching(/^must be a valid label value/),
      },
    ]);
  });
});

describe('other kinds', () => {
  it('requires the GatewayClass controller name in domain/path form', () => {
    const obj = broken(gatewayClass, (o) => {
      o['spec']['controllerName'] = 'envoy';
    });
    expect(validator.validate(obj).map((v) => v.path)).toEqual(['spec.controllerName']);
  });

  it('requires ReferenceGrant namespaces on "from"', () => {
    const obj = broken(referenceGrant, (o) => {
      delete o['spec']['from'][0]['namespace'];
    });
    expect(validator.validate(obj)).toEqual([
      { path: 'spec.from[0].namespace', message: 'missing required field "namespace"' },
    ]);
  });

  it('points v1beta1 routes at v1', () => {
    const obj = { ...httpRoute, apiVersion: 'gateway.networking.k8s.io/v1beta1' };
    expect(validator.validate(obj)).toEqual([
      {
        path: '',
        message:
          'no schema for apiVersion "gateway.networking.k8s.io/v1beta1" kind "HTTPRoute": kind "HTTPRoute" exists in apiVersion "gateway.networking.k8s.io/v1"',
      },
    ]);
  });
});
