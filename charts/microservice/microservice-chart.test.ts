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
    // The pod's labels win over what the app reports, and the app's copies are dropped.
    expect(endpoint.honorLabels).toBe(false);
    expect(endpoint.metricRelabelings).toEqual([
      { action: 'labeldrop', regex: 'exported_(service|version|track)' },
    ]);
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

  describe('progressive delivery', () => {
    const canary = {
      strategy: 'canary' as const,
      steps: [
        { weight: 10, pause: '5m' },
        { weight: 50, pause: 'manual' },
      ],
      analysis: { templateName: 'product-slo', args: { track: 'canary' } },
      httpRoutes: ['product', 'product-api-products-search'],
    };
    const blueGreen = {
      strategy: 'blueGreen' as const,
      autoPromotion: false,
      scaleDownDelaySeconds: 30,
      prePromotionAnalysis: { templateName: 'product-smoke' },
      postPromotionAnalysis: { templateName: 'product-slo', args: { track: 'stable' } },
    };

    it('renders a canary Rollout with steps, background analysis and the Gateway API plugin, and no Deployment', () => {
      const objects = render({ delivery: canary });
      expect(objects.filter((o) => o.kind === 'Deployment')).toEqual([]);
      const rollout = find(objects, 'Rollout');
      expect(rollout.apiVersion).toBe('argoproj.io/v1alpha1');
      expect(rollout.metadata.name).toBe('product');
      expect(rollout.spec.replicas).toBe(3);
      expect(rollout.spec.selector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'product' } });
      const c = rollout.spec.strategy.canary;
      expect(c.stableService).toBe('product');
      expect(c.canaryService).toBe('product-canary');
      expect(c.steps).toEqual([
        { setWeight: 10 },
        { pause: { duration: '5m' } },
        { setWeight: 50 },
        { pause: {} },
      ]);
      expect(c.analysis).toEqual({
        templates: [{ templateName: 'product-slo' }],
        args: [{ name: 'track', value: 'canary' }],
        startingStep: 1,
      });
      expect(c.trafficRouting.plugins['argoproj-labs/gatewayAPI']).toEqual({
        namespace: 'apps',
        httpRoutes: [
          { name: 'product', useHeaderRoutes: false },
          { name: 'product-api-products-search', useHeaderRoutes: false },
        ],
      });
      expect(c.canaryMetadata.labels).toEqual({ 'platform.io/track': 'canary' });
      expect(c.stableMetadata.labels).toEqual({ 'platform.io/track': 'stable' });
    });

    it('gives a canary its stable and canary Services selecting every track, the HPA on the Rollout, and covers both tracks', () => {
      const objects = render({ delivery: canary });
      const services = objects.filter((o) => o.kind === 'Service') as Record<string, any>[];
      expect(services.map((s) => s.metadata.name).sort()).toEqual(['product', 'product-canary']);
      for (const s of services) expect(s.spec.selector).toEqual({ 'app.kubernetes.io/name': 'product' });
      expect(find(objects, 'HorizontalPodAutoscaler').spec.scaleTargetRef).toEqual({
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Rollout',
        name: 'product',
      });
      const onlyName = { matchLabels: { 'app.kubernetes.io/name': 'product' } };
      expect(find(objects, 'PodDisruptionBudget').spec.selector).toEqual(onlyName);
      expect(find(objects, 'PodMonitor').spec.selector).toEqual(onlyName);
      expect(find(objects, 'NetworkPolicy').spec.podSelector).toEqual(onlyName);
      // The pod template carries no track: Argo sets it per ReplicaSet, and the app reads it from the label.
      const template = find(objects, 'Rollout').spec.template;
      expect(template.metadata.labels['platform.io/track']).toBeUndefined();
      const env = template.spec.containers[0].env.find((e: { name: string }) => e.name === 'TRACK');
      expect(env).toEqual({
        name: 'TRACK',
        valueFrom: { fieldRef: { fieldPath: "metadata.labels['platform.io/track']" } },
      });
    });

    it('splits a canary without routes by pod counts: no canary Service and no traffic routing', () => {
      const objects = render({ delivery: { ...canary, httpRoutes: undefined } });
      const c = find(objects, 'Rollout').spec.strategy.canary;
      expect(c.trafficRouting).toBeUndefined();
      expect(c.canaryService).toBeUndefined();
      expect(objects.filter((o) => o.kind === 'Service').map((o) => o.metadata.name)).toEqual(['product']);
    });

    it('renders a blue-green Rollout with active and preview Services, manual promotion and both analyses', () => {
      const objects = render({ delivery: blueGreen });
      const bg = find(objects, 'Rollout').spec.strategy.blueGreen;
      expect(bg).toEqual({
        activeService: 'product',
        previewService: 'product-preview',
        autoPromotionEnabled: false,
        scaleDownDelaySeconds: 30,
        activeMetadata: { labels: { 'platform.io/track': 'stable' } },
        previewMetadata: { labels: { 'platform.io/track': 'preview' } },
        prePromotionAnalysis: { templates: [{ templateName: 'product-smoke' }] },
        postPromotionAnalysis: {
          templates: [{ templateName: 'product-slo' }],
          args: [{ name: 'track', value: 'stable' }],
        },
      });
      expect(
        objects
          .filter((o) => o.kind === 'Service')
          .map((o) => o.metadata.name)
          .sort(),
      ).toEqual(['product', 'product-preview']);
    });

    it('refuses a track with a Rollout, and canary steps that do not ascend or pause badly, naming the step', () => {
      expect(() => render({ delivery: canary, track: 'canary' })).toThrow(
        'microservice product: track must be "stable" (or unset) with delivery canary',
      );
      expect(() =>
        render({
          delivery: {
            ...canary,
            steps: [
              { weight: 50, pause: '1m' },
              { weight: 10, pause: '1m' },
            ],
          },
        }),
      ).toThrow('canary steps[1].weight must be an integer in 1..99 above the previous step (got 10)');
      expect(() => render({ delivery: { ...canary, steps: [{ weight: 10, pause: 'soon' }] } })).toThrow(
        'canary steps[0].pause must be a duration such as "5m" or "manual" (got "soon")',
      );
    });
  });
});
