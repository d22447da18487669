import { loadKubernetesValidator } from '../index';
import type { KubernetesValidator } from '../index';
import { ENVOY_GATEWAY_SCHEMAS } from './envoy-gateway';
import { registerPlatformCrds } from './index';

// Fixtures are plain JSON, mutated freely after structuredClone.
type Obj = Record<string, any>;

let validator: KubernetesValidator;

beforeAll(() => {
  validator = loadKubernetesValidator();
  registerPlatformCrds(validator, { only: ENVOY_GATEWAY_SCHEMAS });
});

function broken(obj: Obj, change: (copy: Obj) => void): Obj {
  const copy = structuredClone(obj);
  change(copy);
  return copy;
}

const envoyProxy: Obj = {
  apiVersion: 'gateway.envoyproxy.io/v1alpha1',
  kind: 'EnvoyProxy',
  metadata: { name: 'edge', namespace: 'envoy-gateway-system' },
  spec: {
    provider: {
      type: 'Kubernetes',
      kubernetes: {
        envoyService: {
          type: 'LoadBalancer',
          externalTrafficPolicy: 'Local',
          loadBalancerClass: 'service.k8s.aws/nlb',
          annotations: {
            'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internet-facing',
            'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip',
          },
          patch: { type: 'StrategicMerge', value: { spec: { allocateLoadBalancerNodePorts: false } } },
        },
        envoyDeployment: {
          replicas: 2,
          pod: {
            annotations: { 'prometheus.io/scrape': 'true' },
            labels: { 'app.kubernetes.io/part-of': 'edge' },
            affinity: {
              podAntiAffinity: {
                preferredDuringSchedulingIgnoredDuringExecution: [
                  {
                    weight: 100,
                    podAffinityTerm: {
                      topologyKey: 'kubernetes.io/hostname',
                      labelSelector: { matchLabels: { 'app.kubernetes.io/name': 'envoy' } },
                    },
                  },
                ],
              },
            },
            tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'edge', effect: 'NoSchedule' }],
            topologySpreadConstraints: [
              {
                maxSkew: 1,
                topologyKey: 'topology.kubernetes.io/zone',
                whenUnsatisfiable: 'ScheduleAnyway',
                labelSelector: { matchLabels: { 'app.kubernetes.io/name': 'envoy' } },
              },
            ],
          },
          container: { resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { memory: '1Gi' } } },
        },
        envoyHpa: {
          minReplicas: 2,
          maxReplicas: 6,
          metrics: [
            {
              type: 'Resource',
              resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } },
            },
          ],
        },
        envoyPDB: { minAvailable: 1 },
      },
    },
    logging: { level: { default: 'warn', upstream: 'info' } },
    shutdown: { drainTimeout: '60s', minDrainDuration: '5s' },
    telemetry: { metrics: { prometheus: { compression: { type: 'Gzip' } } } },
  },
};

const clientTrafficPolicy: Obj = {
  apiVersion: 'gateway.envoyproxy.io/v1alpha1',
  kind: 'ClientTrafficPolicy',
  metadata: { name: 'edge', namespace: 'envoy-gateway-system' },
  spec: {
    targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'edge' }],
    clientIPDetection: { xForwardedFor: { numTrustedHops: 1 } },
    timeout: { http: { requestReceivedTimeout: '30s', idleTimeout: '5m' } },
    connection: { bufferLimit: '32Ki' },
    http2: { maxConcurrentStreams: 100 },
    tls: { minVersion: '1.2', alpnProtocols: ['h2', 'http/1.1'] },
    headers: { withUnderscoresAction: 'RejectRequest', xForwardedClientCert: { mode: 'Sanitize' } },
  },
};

const backendTrafficPolicy: Obj = {
  apiVersion: 'gateway.envoyproxy.io/v1alpha1',
  kind: 'BackendTrafficPolicy',
  metadata: { name: 'product', namespace: 'shop' },
  spec: {
    targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: 'product' }],
    loadBalancer: { type: 'ConsistentHash', consistentHash: { type: 'Header', header: { name: 'x-user' } } },
    retry: {
      numRetries: 3,
      retryOn: { triggers: ['connect-failure', 'retriable-status-codes'], httpStatusCodes: [503] },
      perRetry: { timeout: '2s', backOff: { baseInterval: '100ms', maxInterval: '1s' } },
    },
    timeout: { http: { requestTimeout: '15s' }, tcp: { connectTimeout: '3s' } },
    circuitBreaker: { maxConnections: 2048, maxPendingRequests: 512 },
    healthCheck: { passive: { consecutive5XxErrors: 5, interval: '10s', baseEjectionTime: '30s' } },
  },
};

describe('valid Envoy Gateway objects', () => {
  it.each([
    ['EnvoyProxy', envoyProxy],
    ['ClientTrafficPolicy', clientTrafficPolicy],
    ['BackendTrafficPolicy', backendTrafficPolicy],
  ])('accepts a realistic %s', (_kind, obj) => {
    expect(validator.validate(obj)).toEqual([]);
  });

  it('accepts an EnvoyProxy without spec', () => {
    expect(validator.validate({ ...envoyProxy, spec: undefined })).toEqual([]);
  });
});

describe('EnvoyProxy mistakes', () => {
  it('names misspelt fields in the provider, down to built-in pod types', () => {
    const obj = broken(envoyProxy, (o) => {
      const kubernetes = o['spec']['provider']['kubernetes'];
      kubernetes['envoyService']['externalTraficPolicy'] = 'Local';
      kubernetes['envoyDeployment']['pod']['tolerations'][0]['efect'] = 'NoSchedule';
    });
    expect(validator.validate(obj)).toEqual([
      {
        path: 'spec.provider.kubernetes.envoyDeployment.pod.tolerations[0].efect',
        message: 'unknown field "efect" (did you mean "effect"?)',
      },
      {
        path: 'spec.provider.kubernetes.envoyService.externalTraficPolicy',
        message: 'unknown field "externalTraficPolicy" (did you mean "externalTrafficPolicy"?)',
      },
    ]);
  });

  it('rejects a wrong provider type, service type and replica count', () => {
    const obj = broken(envoyProxy, (o) => {
      o['spec']['provider']['type'] = 'kubernetes';
      o['spec']['provider']['kubernetes']['envoyService']['type'] = 'Loadbalancer';
      o['spec']['provider']['kubernetes']['envoyDeployment']['replicas'] = '2';
    });
    expect(validator.validate(obj)).toEqual([
      {
        path: 'spec.provider.type',
        message: 'must be "Kubernetes" or "Custom" (got string "kubernetes")',
      },
      {
        path: 'spec.provider.kubernetes.envoyDeployment.replicas',
        message: 'must be integer (got string "2")',
      },
      {
        path: 'spec.provider.kubernetes.envoyService.type',
        message: 'must be "ClusterIP" or "LoadBalancer" or "NodePort" (got string "Loadbalancer")',
      },
    ]);
  });

  it('checks container resources as Kubernetes quantities', () => {
    const obj = broken(envoyProxy, (o) => {
      o['spec']['provider']['kubernetes']['envoyDeployment']['container']['resources']['limits']['memory'] =
        '1 GB';
    });
    expect(validator.validate(obj)).toEqual([
      {
        path: 'spec.provider.kubernetes.envoyDeployment.container.resources.limits.memory',
        message: expect.stringMatching(/^must be a Kubernetes quantity/),
      },
    ]);
  });

  it('requires the HPA maximum and exactly one PDB bound', () => {
    const obj = broken(envoyProxy, (o) => {
      delete o['spec']['provider']['kubernetes']['envoyHpa']['maxReplicas'];
      o['spec']['provider']['kubernetes']['envoyPDB'] = { minAvailable: 1, maxUnavailable: 1 };
    });
    expect(validator.validate(obj)).toEqual([
      {
        path: 'spec.provider.kubernetes.envoyHpa.maxReplicas',
        message: 'missing required field "maxReplicas"',
      },
      {
        path: 'spec.provider.kubernetes.envoyPDB',
        message: 'must match exactly one allowed form, but matches several',
      },
    ]);
  });

  it('rejects load balancer settings on a ClusterIP service and unknown log levels', () => {
    const obj = broken(envoyProxy, (o) => {
      o['spec']['provider']['kubernetes']['envoyService'] = {
        type: 'ClusterIP',
        loadBalancerSourceRanges: ['10.0.0.0/8'],
      };
      o['spec']['logging']['level']['default'] = 'warning';
    });
    expect(validator.validate(obj)).toEqual([
      { path: 'spec.provider.kubernetes.envoyService.loadBalancerSourceRanges', message: 'is not allowed' },
      {
        path: 'spec.logging.level.default',
        message: 'must be "trace" or "debug" or "info" or "warn" or "error" (got string "warning")',
      },
    ]);
  });
});

describe('traffic policy mistakes', () => {
  it('requires a target', () => {
    const obj = broken(clientTrafficPolicy, (o) => {
      delete o['spec']['targetRefs'];
    });
    expect(validator.validate(obj).map((v) => v.path)).toEqual([
      'spec.targetRef',
      'spec.targetRefs',
      'spec.targetSelectors',
    ]);
  });

  it('only targets Gateways from a ClientTrafficPolicy', () => {
    const obj = broken(clientTrafficPolicy, (o) => {
      o['spec']['targetRefs'][0]['kind'] = 'HTTPRoute';
    });
    expect(validator.validate(obj)).toEqual([
      { path: 'spec.targetRefs[0].kind', message: 'must be "Gateway" (got string "HTTPRoute")' },
    ]);
  });

  it('rejects an unknown retry trigger and a misspelt timeout', () => {
    const obj = broken(backendTrafficPolicy, (o) => {
      o['spec']['retry']['retryOn']['triggers'] = ['5xx', 'connection-failure'];
      o['spec']['timeout']['http'] = { requestTimout: '15s' };
    });
    expect(validator.validate(obj)).toEqual([
      {
        path: 'spec.retry.retryOn.triggers[1]',
        message: expect.stringMatching(/^must be "5xx" or .* \(got string "connection-failure"\)$/),
      },
      {
        path: 'spec.timeout.http.requestTimout',
        message: 'unknown field "requestTimout" (did you mean "requestTimeout"?)',
      },
    ]);
  });

  it('ties consistentHash to the ConsistentHash load balancer', () => {
    const obj = broken(backendTrafficPolicy, (o) => {
      o['spec']['loadBalancer']['type'] = 'RoundRobin';
    });
    expect(validator.validate(obj)).toEqual([
      { path: 'spec.loadBalancer.consistentHash', message: 'is not allowed' },
    ]);
    const missing = broken(backendTrafficPolicy, (o) => {
      o['spec']['loadBalancer'] = { type: 'ConsistentHash' };
    });
    expect(validator.validate(missing)).toEqual([
      { path: 'spec.loadBalancer.consistentHash', message: 'missing required field "consistentHash"' },
    ]);
  });

  it('rejects a malformed duration', () => {
    const obj = broken(backendTrafficPolicy, (o) => {
      o['spec']['timeout']['http']['requestTimeout'] = '15';
    });
    expect(validator.validate(obj).map((v) => v.path)).toEqual(['spec.timeout.http.requestTimeout']);
  });
});
