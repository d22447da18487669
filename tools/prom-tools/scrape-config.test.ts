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
  podOfDeployment,
  relabelConfig,
  sanitizeLabelName,
  serviceMonitorScrapeConfigs,
} from './scrape-config';
import type { DeploymentObject, MonitoredPod, PodMonitorObject, ServiceMonitorObject } from './scrape-config';

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
  const deployment = objects.find((o) => o.kind === 'Deployment') as unknown as DeploymentObject | undefined;
  if (!monitor || !deployment) throw new Error('the microservice chart rendered no PodMonitor or Deployment');
  return { monitor, deployment };
}

const defaults = { scrapeInterval: '30s' };

describe('podMonitorScrapeConfigs', () => {
  it('names the job like the operator, keeps honorLabels and the path, and takes the default interval', () => {
    const { monitor, deployment } = rendered();
    const pod = podOfDeployment(deployment, { address: '127.0.0.1:9', portName: 'http' });
    const [config, ...more] = podMonitorScrapeConfigs(monitor, [pod], defaults);
    expect(more).toEqual([]);
    expect(config).toMatchObject({
      job_name: 'podMonitor/apps/order/0',
      honor_labels: true,
      scrape_interval: '30s',
      metrics_path: '/metrics',
      static_configs: [{ targets: ['127.0.0.1:9'] }],
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
    const pod = podOfDeployment(deployment, { address: '127.0.0.1:4000', portName: 'http', suffix: 'a' });
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
      ...podOfDeployment(deployment, { address: '127.0.0.1:9', portName: 'http' }),
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
    expect(() => podOfDeployment(deployment, { address: '127.0.0.1:9', portName: 'metrics' })).toThrow(
      'Deployment apps/order: no container port named metrics (ports: order/http)',
    );
  });
});

// ------------------------------------------------------------------------------------------------------
// The translation in a real Prometheus: the operator's relabelings decide which targets exist and what
// labels they carry.

let prometheus: PrometheusServer | undefined;
const servers: Server[] = [];

function metricsServer(): Promise<{ address: string }> {
  return new Promise((resolve, reject) => {
    const server = createServer((req, res) => {
      res.writeHead(req.url === '/metrics' ? 200 : 404, { 'content-type': 'text/plain; version=0.0.4' });
      res.end(req.url === '/metrics' ? '# TYPE demo_total counter\ndemo_total{service="from-app"} 1\n' : '');
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
  it('scrape the stable pod with the labels the operator gives it, and drop the canary pod', async () => {
    const stable = rendered('stable');
    const canary = rendered('canary');
    const [a, b, c] = await Promise.all([metricsServer(), metricsServer(), metricsServer()]);
    const pods = [
      podOfDeployment(stable.deployment, { address: a.address, portName: 'http', suffix: 'a' }),
      // The stable monitor's selector must not pick this one up (track is part of the selector).
      podOfDeployment(canary.deployment, { address: b.address, portName: 'http', suffix: 'b' }),
    ];
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
          ...serviceMonitorScrapeConfigs(serviceMonitor, [endpoint], defaults),
        ],
      },
    });
    const server = prometheus;
    const targets = await server.waitFor(
      async () => {
        const all = await server.targets();
        return all.length === 2 && all.every((t) => t.health === 'up') && all;
      },
      { timeoutMs: 20_000, intervalMs: 250, what: 'two healthy targets' },
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
    // honorLabels: the app's own `service` label wins over the target's in the PodMonitor job only.
    const samples = await server.waitFor(
      async () => {
        const found = await server.query('demo_total');
        return found.length === 2 && found;
      },
      { timeoutMs: 10_000, intervalMs: 250, what: 'demo_total from both targets' },
    );
    const services = samples.map((s) => [s.metric.job, s.metric.service, s.metric.exported_service]).sort();
    expect(services).toEqual([
      ['apps/order', 'from-app', undefined],
      ['cache-headless', 'cache-headless', 'from-app'],
    ]);
  }, 60_000);
});
