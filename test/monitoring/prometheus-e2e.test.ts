/**
 * End to end with a real Prometheus (Debian's 2.42) scraping real service processes, configured from the dev
 * stack's offline plan: the services' PodMonitors become scrape configs (only the targets change: loopback
 * addresses instead of Kubernetes service discovery), the PrometheusRules are loaded as rendered (their `for:`
 * durations are real), and the scrape and evaluation intervals are the plan's kube-prometheus-stack values.
 *
 * Service A (order) serves real traffic while the user service it must consult is unreachable, so placing an
 * order answers 503: ServiceHighErrorRate and SLOAvailabilityBurnRateHigh go pending, then firing. At the same
 * time service B (product) is stopped by killing its process: ServiceDown goes pending, then firing, for B only.
 * The waits are the rules' own: this test takes about 7 minutes.
 */
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { signAccessToken } from '@platform/common';
import {
  podMonitorScrapeConfigs,
  podOfWorkload,
  ruleFilesFromPrometheusRules,
  startPrometheus,
  steadyStatePodMetadata,
} from '../../tools/prom-tools';
import type {
  ActiveAlert,
  MonitoredPod,
  PodMonitorObject,
  PrometheusRuleObject,
  PrometheusServer,
  WorkloadObject,
} from '../../tools/prom-tools';
import { planStack, prometheusSpecValues } from './offline-plan';
import type { OfflinePlan } from './offline-plan';
import {
  compileEntry,
  spawnService,
  waitUntilReady,
  type CompiledEntry,
} from '../../services/common/src/testing/child-services';

/** A service as its main.ts runs it, listening on loopback (the tracing test's child, shared). */
const SERVICE_ENTRY = join(
  __dirname,
  '..',
  '..',
  'services',
  'order',
  'src',
  'traced-service-process.fixture.ts',
);

interface ServiceProcess {
  readonly name: string;
  readonly port: number;
  readonly url: string;
  exited(): boolean;
  logs(): string;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** Starts one service as a child process and resolves once it is ready. */
async function startService(
  compiledEntry: CompiledEntry,
  name: string,
  port: number,
  env: Readonly<Record<string, string>>,
): Promise<ServiceProcess> {
  const child = spawnService(compiledEntry, name, port, env);
  let ended = false;
  void child.exited.then(() => (ended = true));
  await waitUntilReady(child);
  return { name, port, url: child.url, exited: () => ended, logs: child.logs, kill: child.kill };
}

const STACK = 'dev';
const A = 'order';
const B = 'product';
// Keys for this test only; the cluster takes them from Secrets.
const JWT_SECRET = 'monitoring-e2e-access-token-key-of-32-bytes';
const ORDER_KEY = 'monitoring-e2e-order-service-key-of-32-bytes';
// kube-prometheus-stack's defaults, should the plan not set its own.
const DEFAULT_INTERVAL = '30s';

let plan: OfflinePlan | undefined;
let compiled: CompiledEntry | undefined;
let prometheus: PrometheusServer | undefined;
const services = new Map<string, ServiceProcess>();
let rules: Record<string, { groups: readonly unknown[] }> = {};
let monitors: Record<string, PodMonitorObject> = {};
// A's and B's workloads: Deployments, or Argo Rollouts where the stack delivers the service progressively.
let workloads: Record<string, WorkloadObject> = {};
// The steady-state pod of each (a Rollout's stable/active ReplicaSet), as Prometheus discovers it.
let pods: Record<string, MonitoredPod> = {};
let intervals = { scrape: DEFAULT_INTERVAL, evaluation: DEFAULT_INTERVAL };
let traffic: Promise<void> | undefined;
let trafficStarted = 0;
let stopTraffic = false;
const answers = { order: new Map<number, number>(), firstPlaceOrder: undefined as unknown };

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0, exclusive: true }, () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Prometheus durations as the rules spell them ("1m", "2m", "1h30m"), in ms. */
function durationMs(text: string): number {
  const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
  const parts = [...text.matchAll(/(\d+)(ms|s|m|h|d)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text) throw new Error(`bad duration ${text}`);
  return parts.reduce((sum, [, n, unit]) => sum + Number(n) * (units[unit ?? ''] ?? NaN), 0);
}

/** The rendered alerting rule `name` (the first one, when rendered per service). */
function alertRule(name: string): { for?: string; labels?: Record<string, string> } {
  for (const file of Object.values(rules)) {
    for (const group of file.groups as { rules: { alert?: string; for?: string }[] }[]) {
      const rule = group.rules.find((r) => r.alert === name);
      if (rule) return rule;
    }
  }
  throw new Error(`the plan's PrometheusRules have no alert ${name}`);
}

/**
 * The container env the workload gives its steady-state pod, for the variables that identify it: values as
 * written, and downward-API references to the pod's labels (a Rollout's TRACK) resolved from that pod's labels.
 */
function identityEnv(workload: WorkloadObject, keep: readonly string[]): Record<string, string> {
  const containers = workload.spec.template.spec.containers as readonly {
    env?: readonly { name: string; value?: string; valueFrom?: { fieldRef?: { fieldPath?: string } } }[];
  }[];
  const { labels } = steadyStatePodMetadata(workload);
  const env: Record<string, string> = {};
  for (const variable of containers[0]?.env ?? []) {
    if (!keep.includes(variable.name)) continue;
    const ref = /^metadata\.labels\['(.+)'\]$/.exec(variable.valueFrom?.fieldRef?.fieldPath ?? '');
    if (variable.value !== undefined) env[variable.name] = variable.value;
    else if (ref?.[1] !== undefined) {
      const value = labels[ref[1]];
      if (value === undefined)
        throw new Error(
          `${workload.metadata.name}: env ${variable.name} reads pod label ${ref[1]}, which it lacks`,
        );
      env[variable.name] = value;
    }
  }
  return env;
}

async function sendTraffic(order: ServiceProcess, product: ServiceProcess, issuer: string): Promise<void> {
  const token = signAccessToken(
    { sub: randomUUID(), email: 'monitoring-e2e@example.com' },
    { secret: JWT_SECRET, issuer, ttlSeconds: 3600 },
  );
  const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const count = (status: number) => answers.order.set(status, (answers.order.get(status) ?? 0) + 1);
  while (!stopTraffic) {
    await Promise.all([
      // Needs the user service, which is unreachable: a 503 from a real failed dependency call.
      fetch(`${order.url}/api/orders`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({ items: [{ productId: randomUUID(), quantity: 1 }] }),
      }).then(
        async (r) => {
          count(r.status);
          answers.firstPlaceOrder ??= { status: r.status, body: await r.json() };
        },
        () => count(0),
      ),
      // Served from the order service's own store: a 200.
      fetch(`${order.url}/api/orders`, { headers: auth }).then(
        (r) => count(r.status),
        () => count(0),
      ),
      // B's own traffic until it is stopped.
      product.exited()
        ? Promise.resolve()
        : fetch(`${product.url}/api/products`).then(
            () => undefined,
            () => undefined,
          ),
    ]);
    await delay(200);
  }
}

beforeAll(async () => {
  plan = planStack(STACK);
  const spec = prometheusSpecValues(plan);
  intervals = {
    scrape: spec.scrapeInterval ?? DEFAULT_INTERVAL,
    evaluation: spec.evaluationInterval ?? DEFAULT_INTERVAL,
  };
  const podMonitors = plan.manifestsOfKind<PodMonitorObject>('PodMonitor');
  const allWorkloads = [
    ...plan.manifestsOfKind<WorkloadObject>('Deployment'),
    ...plan.manifestsOfKind<WorkloadObject>('Rollout'),
  ];
  for (const name of [A, B]) {
    const monitor = podMonitors.find((m) => m.metadata.name === name);
    if (!monitor) throw new Error(`the ${STACK} plan renders no PodMonitor ${name}`);
    const found = allWorkloads.filter(
      (d) => d.metadata.name === name && d.metadata.namespace === monitor.metadata.namespace,
    );
    const [workload, ...more] = found;
    if (!workload || more.length > 0)
      throw new Error(
        `the ${STACK} plan must render one Deployment or Rollout ${monitor.metadata.namespace}/${name} (got ${found.length})`,
      );
    monitors = { ...monitors, [name]: monitor };
    workloads = { ...workloads, [name]: workload };
  }
  rules = ruleFilesFromPrometheusRules(plan.manifestsOfKind<PrometheusRuleObject>('PrometheusRule'));

  compiled = compileEntry(SERVICE_ENTRY);
  const [orderPort, productPort, closedPort] = await Promise.all([freePort(), freePort(), freePort()]);
  const identity = ['SERVICE_NAME', 'SERVICE_VERSION', 'TRACK', 'JWT_ISSUER'];
  const common = { LOG_LEVEL: 'warn', SHUTDOWN_GRACE_MS: '1000', JWT_SECRET };
  // STORAGE, EVENTS and CACHE stay unset (in-memory adapters): no datastores here.
  const product = await startService(compiled, B, productPort, {
    ...identityEnv(workloads[B] as WorkloadObject, identity),
    ...common,
    SERVICE_KEY_ORDER: ORDER_KEY,
  });
  services.set(B, product);
  const orderEnv = identityEnv(workloads[A] as WorkloadObject, identity);
  const order = await startService(compiled, A, orderPort, {
    ...orderEnv,
    ...common,
    SERVICE_TOKEN_KEY: ORDER_KEY,
    // Nothing listens there: every order placement fails its user check.
    USER_SERVICE_URL: `http://127.0.0.1:${closedPort}`,
    PRODUCT_SERVICE_URL: product.url,
  });
  services.set(A, order);

  const scrapeConfigs = [A, B].flatMap((name) => {
    const monitor = monitors[name] as PodMonitorObject;
    const [endpoint] = monitor.spec.podMetricsEndpoints ?? [];
    const pod = podOfWorkload(workloads[name] as WorkloadObject, {
      address: `127.0.0.1:${(services.get(name) as ServiceProcess).port}`,
      portName: endpoint?.port ?? 'http',
      suffix: 'x2x4q',
    });
    pods = { ...pods, [name]: pod };
    return podMonitorScrapeConfigs(monitor, [pod], { scrapeInterval: intervals.scrape });
  });
  prometheus = await startPrometheus({
    config: {
      global: {
        scrape_interval: intervals.scrape,
        evaluation_interval: intervals.evaluation,
        ...(spec.scrapeTimeout !== undefined && { scrape_timeout: spec.scrapeTimeout }),
        ...(spec.externalLabels !== undefined && { external_labels: spec.externalLabels }),
      },
      scrape_configs: scrapeConfigs,
    },
    ruleFiles: rules,
  });
  trafficStarted = Date.now();
  traffic = sendTraffic(order, product, orderEnv.JWT_ISSUER ?? 'platform');
}, 360_000);

afterAll(async () => {
  stopTraffic = true;
  await traffic;
  for (const service of services.values()) await service.kill('SIGKILL');
  await prometheus?.stop();
  compiled?.remove();
  plan?.remove();
});

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

describe(`Prometheus 2.42 on the ${STACK} plan's monitors and rules`, () => {
  it('uses the rendered monitors and rules, and A really fails with 5xx from its unreachable dependency', async () => {
    expect(Object.keys(rules).length).toBeGreaterThan(0);
    for (const name of ['ServiceHighErrorRate', 'SLOAvailabilityBurnRateHigh', 'ServiceDown']) {
      expect(alertRule(name).for).toMatch(/^\d/);
    }
    await prometheus?.waitFor(async () => answers.firstPlaceOrder !== undefined, {
      timeoutMs: 10_000,
      what: 'the first order placement',
    });
    expect(answers.firstPlaceOrder).toMatchObject({ status: 503, body: { error: 'dependency_unavailable' } });
    expect(answers.order.get(200)).toBeGreaterThan(0);
  });

  it('scrapes both services with the labels their PodMonitors give the targets', async () => {
    const server = prometheus as PrometheusServer;
    const targets = await server.waitFor(
      async () => {
        const all = await server.targets();
        return all.length === 2 && all.every((t) => t.health === 'up') && all;
      },
      { timeoutMs: durationMs(intervals.scrape) * 3, what: 'both targets up' },
    );
    for (const name of [A, B]) {
      const monitor = monitors[name] as PodMonitorObject;
      // The pod Prometheus discovers: a Rollout's template has no track, Argo's stableMetadata gives it one.
      const podLabels = (pods[name] as MonitoredPod).labels;
      expect([name, podLabels['platform.io/track']]).toEqual([name, 'stable']);
      const target = targets.find((t) => t.labels.service === name);
      expect(target?.scrapePool).toBe(`podMonitor/${monitor.metadata.namespace}/${name}/0`);
      expect(target?.labels).toEqual({
        service: name,
        track: podLabels['platform.io/track'],
        version: podLabels['app.kubernetes.io/version'],
        namespace: monitor.metadata.namespace,
        pod: pods[name]?.name,
        container: name,
        endpoint: 'http',
        job: `${monitor.metadata.namespace}/${name}`,
        instance: `127.0.0.1:${services.get(name)?.port}`,
      });
    }
    // The app's series carry the target's identity (honorLabels false: the pod's labels win; the app's
    // copies, exported_*, are dropped) plus the target's namespace.
    const series = await server.waitFor(
      async () => {
        const found = await server.query(
          `sum by (namespace, service, track, version) (http_requests_total{service="${A}"})`,
        );
        return found.length > 0 && found;
      },
      { timeoutMs: durationMs(intervals.scrape) * 3, what: `http_requests_total of ${A}` },
    );
    const podLabels = (pods[A] as MonitoredPod).labels;
    expect(series.map((s) => s.metric)).toEqual([
      {
        namespace: monitors[A]?.metadata.namespace,
        service: A,
        track: podLabels['platform.io/track'],
        version: podLabels['app.kubernetes.io/version'],
      },
    ]);
    // Every raw series of both (B is a canary Rollout in dev): the pod's track and version, no exported_*.
    for (const name of [A, B]) {
      const raw = await server.waitFor(
        async () => {
          const found = await server.query(`http_requests_total{service="${name}"}`);
          return found.length > 0 && found;
        },
        { timeoutMs: durationMs(intervals.scrape) * 3, what: `raw http_requests_total of ${name}` },
      );
      const labels = (pods[name] as MonitoredPod).labels;
      for (const { metric } of raw) {
        expect([name, metric.track, metric.version]).toEqual([
          name,
          labels['platform.io/track'],
          labels['app.kubernetes.io/version'],
        ]);
        expect([name, Object.keys(metric).filter((k) => k.startsWith('exported_'))]).toEqual([name, []]);
      }
    }
    // Before the first scrape, absent(up) makes ServiceDown pending for every service; once both answer it
    // must clear for them at the next evaluation.
    await server.waitFor(
      async () =>
        !(await server.alerts()).some(
          (a) => a.labels.alertname === 'ServiceDown' && [A, B].includes(a.labels.service ?? ''),
        ),
      { timeoutMs: durationMs(intervals.evaluation) * 3, what: 'no ServiceDown for the running services' },
    );
  }, 120_000);

  it(
    'fires ServiceHighErrorRate and SLOAvailabilityBurnRateHigh for A, and ServiceDown for B once B is killed',
    async () => {
      const server = prometheus as PrometheusServer;
      const b = services.get(B) as ServiceProcess;
      const killedAt = Date.now();
      await b.kill('SIGKILL');
      expect(b.exited()).toBe(true);

      const watched = [
        { alert: 'ServiceHighErrorRate', service: A, since: trafficStarted },
        { alert: 'SLOAvailabilityBurnRateHigh', service: A, since: trafficStarted },
        { alert: 'ServiceDown', service: B, since: killedAt },
      ].map((w) => ({
        ...w,
        forMs: durationMs(alertRule(w.alert).for ?? '0s'),
        pendingSeen: undefined as number | undefined,
        firingSeen: undefined as number | undefined,
        firing: undefined as ActiveAlert | undefined,
      }));
      const unexpected: string[] = [];
      await server.waitFor(
        async () => {
          const alerts = await server.alerts();
          const now = Date.now();
          for (const w of watched) {
            const found = alerts.find(
              (a) => a.labels.alertname === w.alert && a.labels.service === w.service,
            );
            if (found?.state === 'pending') w.pendingSeen ??= now;
            if (found?.state === 'firing' && w.firingSeen === undefined) {
              w.firingSeen = now;
              w.firing = found;
            }
          }
          // The running service is never down, and the healthy one never fails.
          for (const a of alerts) {
            const { alertname, service } = a.labels;
            if (
              (alertname === 'ServiceDown' && service === A) ||
              (alertname === 'ServiceHighErrorRate' && service === B)
            ) {
              unexpected.push(`${alertname} ${service} ${a.state}`);
            }
          }
          return watched.every((w) => w.firingSeen !== undefined);
        },
        {
          timeoutMs: 8 * 60_000,
          intervalMs: 1000,
          what: watched.map((w) => `${w.alert} for ${w.service}`).join(', '),
        },
      );

      for (const w of watched) {
        const activeAt = Date.parse(w.firing?.activeAt ?? '');
        process.stdout.write(
          `${w.alert} (${w.service}, for ${w.forMs / 1000} s): pending after ${seconds((w.pendingSeen ?? NaN) - w.since)}, ` +
            `firing after ${seconds((w.firingSeen ?? NaN) - w.since)} (active since ${seconds(activeAt - w.since)})\n`,
        );
        expect(w.pendingSeen).toBeDefined();
        expect(w.pendingSeen).toBeLessThan(w.firingSeen ?? 0);
        // Firing no earlier than the rule's `for` after it became active: the duration is the rendered one.
        expect(w.firingSeen).toBeGreaterThanOrEqual(activeAt + w.forMs);
        expect(w.firing?.labels).toMatchObject({
          alertname: w.alert,
          namespace: monitors[w.service]?.metadata.namespace,
          service: w.service,
          severity: alertRule(w.alert).labels?.severity,
        });
      }
      expect(unexpected).toEqual([]);
      expect(services.get(A)?.exited()).toBe(false);
    },
    9 * 60_000,
  );
});
