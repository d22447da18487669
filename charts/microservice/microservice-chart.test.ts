import { synthesize, type KubernetesObject } from '../lib';
import { MicroserviceChart } from './microservice-chart';
import type { MicroserviceProps } from './microservice-props';

const base: MicroserviceProps = {
  name: 'product',
  namespace: 'apps',
  image: 'registry.local/platform/product:1.2.3',
  version: '1.2.3',
  replicas: 2,
  autoscaling: { minReplicas: 3, maxReplicas: 10 },
  resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
  monitoringNamespace: 'monitoring',
  allowFrom: [{ namespace: 'apps', podLabels: { 'app.kubernetes.io/name': 'order' } }],
  allowTo: [{ namespace: 'data', podLabels: { app: 'mongodb' }, ports: [27017] }],
};

function render(props: Partial<MicroserviceProps> = {}): KubernetesObject[] {
  return synthesize((app) => new MicroserviceChart(app, 'product', { ...base, ...props }));
}

function find(objects: KubernetesObject[], kind: string): Record<string, any> {
  const found = objects.find((o) => o.kind === kind);
  if (!found) throw new Error(`no ${kind} rendered`);
  return found as Record<string, any>;
}

describe('MicroserviceChart', () => {
  it('renders the seven objects of a service, all named and namespaced explicitly', () => {
    const objects = render();
    expect(objects.map((o) => `${o.apiVersion} ${o.kind}`).sort()).toEqual([
      'apps/v1 Deployment',
      'autoscaling/v2 HorizontalPodAutoscaler',
      'monitoring.coreos.com/v1 PodMonitor',
      'networking.k8s.io/v1 NetworkPolicy',
      'policy/v1 PodDisruptionBudget',
      'v1 Service',
      'v1 ServiceAccount',
    ]);
    for (const o of objects) expect(o.metadata).toMatchObject({ name: 'product', namespace: 'apps' });
  });

  it('starts the Deployment at the HPA floor and scales on CPU 70 % and memory 80 % by default', () => {
    const objects = render();
    expect(find(objects, 'Deployment').spec.replicas).toBe(3);
    const hpa = find(objects, 'HorizontalPodAutoscaler').spec;
    expect(hpa.minReplicas).toBe(3);
    expect(hpa.maxReplicas).toBe(10);
    expect(hpa.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'product' });
    expect(hpa.metrics).toEqual([
      {
        type: 'Resource',
        resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } },
      },
      {
        type: 'Resource',
        resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 80 } },
      },
    ]);
  });

  it('uses the fixed replica count and no HPA when autoscaling is off', () => {
    const objects = synthesize(
      (app) => new MicroserviceChart(app, 'p', { ...base, autoscaling: undefined, replicas: 4 }),
    );
    expect(find(objects, 'Deployment').spec.replicas).toBe(4);
    expect(objects.some((o) => o.kind === 'HorizontalPodAutoscaler')).toBe(false);
  });

  it('hardens the pod: non-root, read-only root, no escalation, no capabilities, RuntimeDefault seccomp', () => {
    const pod = find(render(), 'Deployment').spec.template.spec;
    expect(pod.securityContext).toMatchObject({
      runAsNonRoot: true,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(pod.automountServiceAccountToken).toBe(false);
    const [container] = pod.containers;
    expect(container.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(container.resources).toEqual({
      requests: { cpu: '250m', memory: '256Mi' },
      limits: { cpu: '500m', memory: '512Mi' },
    });
    expect(container.livenessProbe.httpGet.path).toBe('/health');
    expect(container.readinessProbe.httpGet.path).toBe('/ready');
  });

  it('keeps serving for the preStop pause, then drains within the grace period', () => {
    const pod = find(render(), 'Deployment').spec.template.spec;
    expect(pod.terminationGracePeriodSeconds).toBe(30);
    const [container] = pod.containers;
    expect(container.lifecycle).toEqual({ preStop: { sleep: { seconds: 5 } } });
    expect(container.env).toContainEqual({ name: 'SHUTDOWN_GRACE_MS', value: '22000' });
    expect(() => render({ terminationGracePeriodSeconds: 8 })).toThrow(
      'microservice product: terminationGracePeriodSeconds (8) must exceed preStopSleepSeconds (5) by at least 5',
    );
  });

  it('spreads replicas over the declared topology keys', () => {
    const pod = find(
      render({
        spread: [{ topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule' }],
      }),
      'Deployment',
    ).spec.template.spec;
    expect(pod.topologySpreadConstraints).toEqual([
      {
        maxSkew: 1,
        topologyKey: 'topology.kubernetes.io/zone',
        whenUnsatisfiable: 'DoNotSchedule',
        labelSelector: {
          matchLabels: { 'app.kubernetes.io/name': 'product', 'platform.io/track': 'stable' },
        },
      },
    ]);
  });

  it('admits only declared callers and monitoring, and lets pods reach only declared dependencies and DNS', () => {
    const policy = find(render(), 'NetworkPolicy').spec;
    expect(policy.podSelector).toEqual({
      matchLabels: { 'app.kubernetes.io/name': 'product', 'platform.io/track': 'stable' },
    });
    expect(policy.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(policy.ingress).toEqual([
      {
        from: [
          {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'apps' } },
            podSelector: { matchLabels: { 'app.kubernetes.io/name': 'order' } },
          },
        ],
        ports: [{ protocol: 'TCP', port: 8080 }],
      },
      {
        from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }],
        ports: [{ protocol: 'TCP', port: 8080 }],
      },
    ]);
    expect(policy.egress).toHaveLength(2);
    expect(policy.egress[0]).toEqual({
      to: [
        {
          namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'data' } },
          podSelector: { matchLabels: { app: 'mongodb' } },
        },
      ],
      ports: [{ protocol: 'TCP', port: 27017 }],
    });
    expect(policy.egress[1].ports).toEqual([
      { protocol: 'UDP', port: 53 },
      { protocol: 'TCP', port: 53 },
    ]);
  });

  it('allows at most one pod down in a disruption', () => {
    expect(find(render(), 'PodDisruptionBudget').spec).toEqual({
      maxUnavailable: 1,
      selector: { matchLabels: { 'app.kubernetes.io/name': 'product', 'platform.io/track': 'stable' } },
    });
  });

  it('gives a canary copy its own names and selector so it never adopts stable pods', () => {
    const objects = render({ track: 'canary' });
    const deployment = find(objects, 'Deployment');
    expect(deployment.metadata.name).toBe('product-canary');
    expect(deployment.spec.selector.matchLabels['platform.io/track']).toBe('canary');
    expect(find(objects, 'ServiceAccount').metadata.name).toBe('product');
  });

  it('scrapes every copy once: each PodMonitor selects exactly its own pods on the container port named http', () => {
    for (const track of ['stable', 'canary', 'blue', 'green'] as const) {
      const objects = render({ track });
      const monitor = find(objects, 'PodMonitor');
      const pod = find(objects, 'Deployment').spec.template;
      expect(monitor.metadata.labels['platform.io/monitoring']).toBe('platform');
      expect(monitor.spec.namespaceSelector).toEqual({ matchNames: ['apps'] });
      const selector: Record<string, string> = monitor.spec.selector.matchLabels;
      expect(selector['platform.io/track']).toBe(track);
      for (const [key, value] of Object.entries(selector)) expect(pod.metadata.labels[key]).toBe(value);
      const [endpoint] = monitor.spec.podMetricsEndpoints;
      expect(pod.spec.containers[0].ports.map((p: { name: string }) => p.name)).toContain(endpoint.port);
      expect(endpoint.path).toBe('/metrics');
    }
  });

  it('labels the scrape target with service, version and track taken from labels the pods really carry', () => {
    const objects = render({ track: 'canary', version: '1.4.2' });
    const podLabels: Record<string, string> = find(objects, 'Deployment').spec.template.metadata.labels;
    const [endpoint] = find(objects, 'PodMonitor').spec.podMetricsEndpoints;
    const byTarget = Object.fromEntries(
      endpoint.relabelings.map((r: { targetLabel: string; sourceLabels: string[] }) => [
        r.targetLabel,
        r.sourceLabels[0],
      ]),
    );
    const valueOf = (meta: string) =>
      Object.entries(podLabels).find(
        ([k]) => `__meta_kubernetes_pod_label_${k.replace(/[^a-zA-Z0-9_]/g, '_')}` === meta,
      )?.[1];
    expect(valueOf(byTarget.service)).toBe('product');
    expect(valueOf(byTarget.version)).toBe('1.4.2');
    expect(valueOf(byTarget.track)).toBe('canary');
    expect(endpoint.honorLabels).toBe(true);
  });

  it('passes plain env vars sorted and secrets only by reference', () => {
    const container = find(
      render({ env: { ZED: '1', ALPHA: '2' }, envFromSecrets: ['product-db'] }),
      'Deployment',
    ).spec.template.spec.containers[0];
    const names = container.env.map((e: { name: string }) => e.name);
    expect(names.slice(-2)).toEqual(['ALPHA', 'ZED']);
    expect(container.envFrom).toEqual([{ secretRef: { name: 'product-db' } }]);
  });

  it('takes single variables from keys of other Secrets by reference, after the plain ones', () => {
    const container = find(
      render({
        env: { ALPHA: '2' },
        secretEnv: { SERVICE_KEY_ORDER: { secret: 'service-key-order', key: 'SERVICE_TOKEN_KEY' } },
      }),
      'Deployment',
    ).spec.template.spec.containers[0];
    expect(container.env.slice(-2)).toEqual([
      { name: 'ALPHA', value: '2' },
      {
        name: 'SERVICE_KEY_ORDER',
        valueFrom: { secretKeyRef: { name: 'service-key-order', key: 'SERVICE_TOKEN_KEY' } },
      },
    ]);
  });
});
