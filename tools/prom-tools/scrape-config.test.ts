import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MicroserviceChart } from '../../charts/microservice';
import type { MicroserviceProps } from '../../charts/microservice';
import { synthesize } from '../../charts/lib';
import { startPrometheus } from './prometheus-server';
import type { PrometheusServer } from './prometheus-server';
import {
  podMetaLabels,
  podMonitorScrapeConfigs,
  ROLLOUTS_HASH_LABEL,
  podOfWorkload,
  relabelConfig,
  sanitizeLabelName,
  serviceMonitorScrapeConfigs,
  steadyStatePodMetadata,
} from './scrape-config';
import type { WorkloadObject, MonitoredPod, PodMonitorObject, ServiceMonitorObject } from './scrape-config';

const props: MicroserviceProps = {
  name: 'order',
  namespace: 'apps',
  image: 'registry.local/platform/order:2.0.1',
  version: '2.0.1',
  replicas: 2,
  resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '200m', memory: '256Mi' } },
  monitoringNamespace: 'monitoring',
};

/** The PodMonitor and Deployment of one copy of a service, as the microservice chart renders them. */
function rendered(track: MicroserviceProps['track'] = 'stable') {
  const objects = synthesize((app) => new MicroserviceChart(app, `order-${track}`, { ...props, track }));
  const monitor = objects.find((o) => o.kind === 'PodMonitor') as unknown as PodMonitorObject | undefined;
  const deployment = objects.find((o) => o.kind === 'Deployment') as unknown as WorkloadObject | undefined;
  if (!monitor || !deployment) throw new Error('the microservice chart rendered no PodMonitor or Deployment');
  return { monitor, deployment };
}

const canaryDelivery: MicroserviceProps['delivery'] = {
  strategy: 'canary',
  steps: [{ weight: 20, pause: '1m' }],
  analysis: { templateName: 'product-slo', args: { track: 'canary' } },
};
const blueGreenDelivery: MicroserviceProps['delivery'] = {
  strategy: 'blueGreen',
  autoPromotion: true,
  scaleDownDelaySeconds: 30,
};

/** The PodMonitor and Rollout of a service the chart delivers progressively (one monitor for every track). */
function renderedRollout(name: string, delivery: MicroserviceProps['delivery']) {
  const objects = synthesize((app) => new MicroserviceChart(app, name, { ...props, name, delivery }));
  const monitor = objects.find((o) => o.kind === 'PodMonitor') as unknown as PodMonitorObject | undefined;
  const rollout = objects.find((o) => o.kind === 'Rollout') as unknown as WorkloadObject | undefined;
  if (!monitor || !rollout)
    throw new Error(`the microservice chart rendered no PodMonitor or Rollout for ${name}`);
  if (objects.some((o) => o.kind === 'Deployment')) throw new Error(`${name}: a Rollout and a Deployment`);
  return { monitor, rollout };
}

const defaults = { scrapeInterval: '30s' };

describe('podMonitorScrapeConfigs', () => {
  it("names the job like the operator, keeps honorLabels (false: the pod's labels win), the metric relabelings and the path, and takes the default interval", () => {
    const { monitor, deployment } = rendered();
    const pod = podOfWorkload(deployment, { address: '127.0.0.1:9', portName: 'http' });
    const [config, ...more] = podMonitorScrapeConfigs(monitor, [pod], defaults);
    expect(more).toEqual([]);
    expect(config).toMatchObject({
      job_name: 'podMonitor/apps/order/0',
      honor_labels: false,
      scrape_interval: '30s',
      metrics_path: '/metrics',
      static_configs: [{ targets: ['127.0.0.1:9'] }],
      // The app's copies of the target labels (renamed exported_* because honor_labels is false) are dropped.
      metric_relabel_configs: [{ action: 'labeldrop', regex: 'exported_(service|version|track)' }],
    });
    expect(config).not.toHaveProperty('scrape_timeout');
    expect(config).not.toHaveProperty('kubernetes_sd_configs');
  });

  it('prefers the endpoint interval and timeout, and passes metric relabelings through in snake_case', () => {
    const monitor: PodMonitorObject = {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PodMonitor',
      metadata: { name: 'm', namespace: 'apps' },
      spec: {
        selector: { matchLabels: { app: 'x' } },
        podMetricsEndpoints: [
          {
            port: 'metrics',
            interval: '10s',
            scrapeTimeout: '5s',
            metricRelabelings: [{ action: 'Drop', sourceLabels: ['__name__'], regex: 'go_.*' }],
          },
        ],
      },
    };
    const [config] = podMonitorScrapeConfigs(monitor, [], { scrapeInterval: '1m', scrapeTimeout: '20s' });
    expect(config).toMatchObject({
      scrape_interval: '10s',
      scrape_timeout: '5s',
      honor_labels: false,
      metric_relabel_configs: [{ action: 'drop', source_labels: ['__name__'], regex: 'go_.*' }],
    });
  });

  it("gives each static target the pod role's discovery labels, sanitised like Kubernetes SD does", () => {
    const { deployment } = rendered('canary');
    const pod = podOfWorkload(deployment, { address: '127.0.0.1:4000', portName: 'http', suffix: 'a' });
    expect(podMetaLabels(pod)).toMatchObject({
      __meta_kubernetes_namespace: 'apps',
      __meta_kubernetes_pod_name: 'order-canary-a',
      __meta_kubernetes_pod_ip: '127.0.0.1',
      __meta_kubernetes_pod_container_name: 'order',
      __meta_kubernetes_pod_container_port_name: 'http',
      __meta_kubernetes_pod_container_port_number: '8080',
      __meta_kubernetes_pod_label_app_kubernetes_io_name: 'order',
      __meta_kubernetes_pod_labelpresent_app_kubernetes_io_name: 'true',
      __meta_kubernetes_pod_label_platform_io_track: 'canary',
      __meta_kubernetes_pod_label_app_kubernetes_io_version: '2.0.1',
    });
    expect(sanitizeLabelName('app.kubernetes.io/name')).toBe('app_kubernetes_io_name');
  });

  it('refuses a pod outside the watched namespaces, naming both', () => {
    const { monitor, deployment } = rendered();
    const pod = {
      ...podOfWorkload(deployment, { address: '127.0.0.1:9', portName: 'http' }),
      namespace: 'data',
    };
    expect(() => podMonitorScrapeConfigs(monitor, [pod], defaults)).toThrow(
      'targets[0]: pod data/order-0 is outside the namespaces PodMonitor apps/order watches (apps)',
    );
  });

  it('refuses relabelings that read discovery labels it does not set, and settings it cannot reproduce', () => {
    const base: PodMonitorObject = {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PodMonitor',
      metadata: { name: 'm', namespace: 'apps' },
      spec: { selector: {}, podMetricsEndpoints: [] },
    };
    const pod: MonitoredPod = {
      address: '127.0.0.1:9',
      name: 'p',
      namespace: 'apps',
      labels: {},
      container: 'c',
      port: { name: 'http', number: 9 },
    };
    const withEndpoint = (ep: Record<string, unknown>): PodMonitorObject => ({
      ...base,
      spec: { ...base.spec, podMetricsEndpoints: [ep] },
    });
    expect(() =>
      podMonitorScrapeConfigs(
        withEndpoint({ relabelings: [{ sourceLabels: ['__meta_kubernetes_pod_uid'], targetLabel: 'uid' }] }),
        [pod],
        defaults,
      ),
    ).toThrow(
      /podMetricsEndpoints\[0\]\.relabelings\[0\]\.sourceLabels: __meta_kubernetes_pod_uid is not a label/,
    );
    expect(() =>
      podMonitorScrapeConfigs(
        withEndpoint({ relabelings: [{ sourceLabels: ['__meta_kubernetes_service_name'] }] }),
        [pod],
        defaults,
      ),
    ).toThrow(/__meta_kubernetes_service_name is not a label the pod role/);
    expect(() =>
      podMonitorScrapeConfigs(withEndpoint({ basicAuth: { username: {} } }), [pod], defaults),
    ).toThrow('spec.podMetricsEndpoints[0].basicAuth is not supported');
    expect(() => relabelConfig({ action: 'rename' }, 'x')).toThrow('x.action must be one of replace|keep');
  });

  it('refuses a Deployment without the named port, listing the ports it has', () => {
    const { deployment } = rendered();
    expect(() => podOfWorkload(deployment, { address: '127.0.0.1:9', portName: 'metrics' })).toThrow(
      'Deployment apps/order: no container port named metrics (ports: order/http)',
    );
  });
});

describe('steady-state pods of a Rollout', () => {
  it.each([
    ['canary', canaryDelivery],
    ['blueGreen', blueGreenDelivery],
  ] as const)(
    'a %s Rollout runs its stable/active ReplicaSet: template labels, track stable from Argo, the template hash',
    (_strategy, delivery) => {
      const { monitor, rollout } = renderedRollout('product', delivery);
      const template = rollout.spec.template.metadata?.labels ?? {};
      // The chart leaves the track to Argo, so the template alone would be a pod without one.
      expect(template['platform.io/track']).toBeUndefined();
      const pod = podOfWorkload(rollout, { address: '127.0.0.1:9', portName: 'http', suffix: 'x1' });
      const hash = pod.labels[ROLLOUTS_HASH_LABEL];
      expect(hash).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{10}$/);
      expect(pod).toMatchObject({
        name: `product-${hash}-x1`,
        namespace: 'apps',
        labels: { ...template, 'platform.io/track': 'stable', [ROLLOUTS_HASH_LABEL]: hash },
        container: 'product',
        port: { name: 'http', number: 8080 },
        controller: { kind: 'ReplicaSet', name: `product-${hash}` },
      });
      expect(Object.keys(pod.labels).sort()).toEqual(
        [...Object.keys(template), 'platform.io/track', ROLLOUTS_HASH_LABEL].sort(),
      );
      // The same template gives the same hash; another template another one.
      expect(steadyStatePodMetadata(rollout).labels[ROLLOUTS_HASH_LABEL]).toBe(hash);
      const nextVersion = { ...template, 'app.kubernetes.io/version': '2.0.2' };
      const changed = {
        ...rollout,
        spec: { ...rollout.spec, template: { ...rollout.spec.template, metadata: { labels: nextVersion } } },
      };
      expect(steadyStatePodMetadata(changed).labels[ROLLOUTS_HASH_LABEL]).not.toBe(hash);
      // The Rollout's one PodMonitor selects it (and would select pods of every track).
      const selector = monitor.spec.selector.matchLabels ?? {};
      expect(Object.keys(selector)).toEqual(['app.kubernetes.io/name']);
      expect(Object.entries(selector).every(([k, v]) => pod.labels[k] === v)).toBe(true);
    },
  );

  it('refuses other kinds and a Rollout without exactly one strategy', () => {
    const { rollout } = renderedRollout('product', canaryDelivery);
    expect(() => steadyStatePodMetadata({ ...rollout, kind: 'StatefulSet' })).toThrow(
      'product: kind must be Deployment or Rollout (got StatefulSet)',
    );
    expect(() => steadyStatePodMetadata({ ...rollout, spec: { ...rollout.spec, strategy: {} } })).toThrow(
      'Rollout product: spec.strategy must have exactly one of canary, blueGreen',
    );
  });
});

// ------------------------------------------------------------------------------------------------------
// The translation in a real Prometheus: the operator's relabelings decide which targets exist and what
// labels they carry.

let prometheus: PrometheusServer | undefined;
const servers: Server[] = [];

// The app reports its own service/version/track, as services/common does; here deliberately not the pod's.
const APP_SAMPLE = 'demo_total{service="from-app",version="9.9.9",track="canary"} 1';

function metricsServer(): Promise<{ address: string }> {
  return new Promise((resolve, reject) => {
    const server = createServer((req, res) => {
      res.writeHead(req.url === '/metrics' ? 200 : 404, { 'content-type': 'text/plain; version=0.0.4' });
      res.end(req.url === '/metrics' ? `# TYPE demo_total counter\n${APP_SAMPLE}\n` : '');
    });
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      servers.push(server);
      resolve({ address: `127.0.0.1:${(server.address() as AddressInfo).port}` });
    });
  });
}

afterAll(async () => {
  await prometheus?.stop();
  for (const s of servers) s.closeAllConnections();
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
});

describe('the translated configs in Prometheus 2.42', () => {
  it("scrape the stable pod and a Rollout's stable pod with the labels the operator gives them, and drop the canary pod", async () => {
    const stable = rendered('stable');
    const canary = rendered('canary');
    const product = renderedRollout('product', canaryDelivery);
    const [a, b, c, d] = await Promise.all([
      metricsServer(),
      metricsServer(),
      metricsServer(),
      metricsServer(),
    ]);
    const pods = [
      podOfWorkload(stable.deployment, { address: a.address, portName: 'http', suffix: 'a' }),
      // The stable monitor's selector must not pick this one up (track is part of the selector).
      podOfWorkload(canary.deployment, { address: b.address, portName: 'http', suffix: 'b' }),
    ];
    const productPod = podOfWorkload(product.rollout, { address: d.address, portName: 'http', suffix: 'd' });
    const serviceMonitor: ServiceMonitorObject = {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'ServiceMonitor',
      metadata: { name: 'cache', namespace: 'data' },
      spec: {
        selector: { matchExpressions: [{ key: 'role', operator: 'In', values: ['cache', 'store'] }] },
        targetLabels: ['role'],
        endpoints: [{ port: 'exporter', interval: '5s' }],
      },
    };
    const endpoint = {
      pod: {
        address: c.address,
        name: 'cache-0',
        namespace: 'data',
        labels: { app: 'cache' },
        container: 'exporter',
        port: { name: 'metrics', number: 9121 },
      },
      service: { name: 'cache-headless', labels: { role: 'cache' }, portName: 'exporter' },
    };
    prometheus = await startPrometheus({
      config: {
        global: { scrape_interval: '1s', evaluation_interval: '1s' },
        scrape_configs: [
          ...podMonitorScrapeConfigs(stable.monitor, pods, { scrapeInterval: '1s' }),
          ...podMonitorScrapeConfigs(product.monitor, [productPod], { scrapeInterval: '1s' }),
          ...serviceMonitorScrapeConfigs(serviceMonitor, [endpoint], defaults),
        ],
      },
    });
    const server = prometheus;
    const targets = await server.waitFor(
      async () => {
        const all = await server.targets();
        return all.length === 3 && all.every((t) => t.health === 'up') && all;
      },
      { timeoutMs: 20_000, intervalMs: 250, what: 'three healthy targets' },
    );
    const byPool = Object.fromEntries(targets.map((t) => [t.scrapePool, t.labels]));
    expect(byPool).toEqual({
      'podMonitor/apps/order/0': {
        container: 'order',
        endpoint: 'http',
        instance: a.address,
        job: 'apps/order',
        namespace: 'apps',
        pod: 'order-a',
        service: 'order',
        track: 'stable',
        version: '2.0.1',
      },
      // The track comes from the stableMetadata Argo puts on the stable ReplicaSet's pods.
      'podMonitor/apps/product/0': {
        container: 'product',
        endpoint: 'http',
        instance: d.address,
        job: 'apps/product',
        namespace: 'apps',
        pod: productPod.name,
        service: 'product',
        track: 'stable',
        version: '2.0.1',
      },
      'serviceMonitor/data/cache/0': {
        container: 'exporter',
        endpoint: 'exporter',
        instance: c.address,
        job: 'cache-headless',
        namespace: 'data',
        pod: 'cache-0',
        role: 'cache',
        service: 'cache-headless',
      },
    });
    // honorLabels false: the target's service/version/track win over the app's. The PodMonitors' labeldrop
    // removes the app's values (exported_*); the ServiceMonitor, without one, keeps exported_service, and
    // the app's version/track, which its target does not set, stay.
    const samples = await server.waitFor(
      async () => {
        const found = await server.query('demo_total');
        return found.length === 3 && found;
      },
      { timeoutMs: 10_000, intervalMs: 250, what: 'demo_total from the three targets' },
    );
    const seen = samples
      .map((s) => [
        s.metric.job,
        s.metric.service,
        s.metric.version,
        s.metric.track,
        s.metric.exported_service,
      ])
      .sort();
    expect(seen).toEqual([
      ['apps/order', 'order', '2.0.1', 'stable', undefined],
      ['apps/product', 'product', '2.0.1', 'stable', undefined],
      ['cache-headless', 'cache-headless', '9.9.9', 'canary', 'from-app'],
    ]);
    for (const s of samples.filter((x) => x.metric.job !== 'cache-headless')) {
      expect(Object.keys(s.metric).filter((k) => k.startsWith('exported_'))).toEqual([]);
    }
  }, 60_000);
});
