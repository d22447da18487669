/**
 * The rendered `<svc>-slo` AnalysisTemplate against a real Prometheus (Debian's 2.42) scraping real product
 * instances on loopback, the way the Argo Rollouts controller would run it:
 * - every instance is a pod of the canary Rollout the MicroserviceChart renders (its pod template labels plus
 *   the stableMetadata/canaryMetadata labels Argo adds, the identity env with TRACK from the downward API,
 *   and the one PodMonitor of the Rollout, translated to a scrape config by tools/prom-tools with the
 *   chart's relabelling); stable pods run the previous version's template, canary pods the new one;
 * - one stable pod was started as a canary (promoted since: Argo relabelled it, its TRACK env is still
 *   "canary"), so the test also proves that the target's track, not the app's, is what the analysis reads;
 * - each scenario is its own namespace (the SLO selects namespace + service + track), so the canaries of
 *   different scenarios never mix;
 * - the template is rendered by sloAnalysisTemplate with short test thresholds, `{{args.track}}` is
 *   substituted as Argo does, each rendered query is sent to /api/v1/query at Argo's times (initialDelay,
 *   then every interval, `count` times), the result is shaped as Argo's Prometheus provider shapes it
 *   (vector -> array of values) and the rendered conditions are evaluated exactly as written.
 * Faults come from a fixture in front of the unchanged app (fault-injecting-service.fixture.ts).
 */
import { join } from 'node:path';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import type { IMetric } from '@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/Metric';
import { synthesize, TRACK_LABEL, type KubernetesObject } from '../../charts/lib';
import { MicroserviceChart } from '../../charts/microservice';
import type { MicroserviceProps } from '../../charts/microservice';
import {
  analysisRunPhase,
  analysisDurationMs,
  measurementOutcome,
  resolveTemplateArgs,
  runOutcome,
  SLO_METRIC_NAMES,
  sloAnalysisTemplate,
  sloTemplateName,
  type AnalysisThresholds,
  type ConditionResult,
  type MeasurementPhase,
  type MetricOutcome,
  type MetricPhase,
} from '../../charts/rollout-analysis';
import type { ServiceSlo } from '../../charts/slo/slo-types';
import { podMonitorScrapeConfigs, startPrometheus } from '../../tools/prom-tools';
import type { MonitoredPod, PodMonitorObject, PrometheusServer, ScrapeConfig } from '../../tools/prom-tools';
import {
  compileEntry,
  spawnService,
  waitUntilReady,
  type ChildService,
  type CompiledEntry,
} from '../../services/common/src/testing/child-services';

const ENTRY = join(__dirname, 'fault-injecting-service.fixture.ts');
const SERVICE = 'product';
const JWT_SECRET = 'delivery-analysis-access-token-key-of-32-bytes';
const SCRAPE_INTERVAL = '1s';
// Short for the test; the stacks use minutes. Two measurements, none tolerated failed or inconclusive.
const THRESHOLDS: AnalysisThresholds = {
  interval: '10s',
  count: 2,
  failureLimit: 0,
  inconclusiveLimit: 0,
  minRequests: 20,
  maxErrorRatio: 0.05,
  maxP99Seconds: 0.25,
};

type Track = 'stable' | 'canary';
interface Instance {
  readonly track: Track;
  /** TRACK the process was started with, when it differs from its pod label now (a promoted pod). */
  readonly appTrack?: Track;
  /** Requests per second the traffic loop aims at (0: none). */
  readonly rps: number;
  readonly env?: Readonly<Record<string, string>>;
}
/** One namespace each: what the canary does, and a stable beside it where it matters. */
const SCENARIOS: Readonly<Record<string, readonly Instance[]>> = {
  // 20 % 5xx on the canary, a healthy stable: the canary must fail on its own numbers.
  faulty: [
    { track: 'stable', rps: 10 },
    { track: 'canary', rps: 10, env: { FAULT_RATIO: '0.2' } },
  ],
  // A healthy canary beside a stable that is failing half its requests and still reports TRACK=canary
  // (promoted from canary): neither its errors nor its stale label may leak into the canary's analysis.
  healthy: [
    { track: 'stable', appTrack: 'canary', rps: 10, env: { FAULT_RATIO: '0.5' } },
    { track: 'canary', rps: 10 },
  ],
  // A canary nobody calls while its stable serves traffic: no data, Inconclusive.
  idle: [
    { track: 'stable', rps: 10 },
    { track: 'canary', rps: 0 },
  ],
  // Every request fails, but there are too few of them to judge: Inconclusive, not Failed.
  trickle: [{ track: 'canary', rps: 0.3, env: { FAULT_RATIO: '1' } }],
  // 10 % of requests 400 ms slow, no errors: the p99 metric fails.
  slow: [{ track: 'canary', rps: 10, env: { SLOW_RATIO: '0.1', SLOW_MS: '400' } }],
};

const sloOf = (namespace: string): ServiceSlo => ({
  service: SERVICE,
  namespace,
  objectives: { availability: 0.999, latency: { objective: 0.99, thresholdSeconds: 0.25 } },
});

interface Running {
  readonly scenario: string;
  readonly instance: Instance;
  readonly pod: MonitoredPod;
  readonly child: ChildService;
}

let compiled: CompiledEntry | undefined;
let prometheus: PrometheusServer | undefined;
const running: Running[] = [];
let stopTraffic = false;
let canaryArgs: Record<string, string> | undefined;
const traffic: Promise<void>[] = [];
const answered = new Map<string, Map<number, number>>();

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

interface Workload {
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string };
  readonly spec: {
    readonly template: {
      readonly metadata?: { readonly labels?: Readonly<Record<string, string>> };
      readonly spec: {
        readonly containers: readonly {
          readonly name: string;
          readonly ports?: readonly { readonly name?: string; readonly containerPort: number }[];
          readonly env?: readonly {
            readonly name: string;
            readonly value?: string;
            readonly valueFrom?: { readonly fieldRef?: { readonly fieldPath: string } };
          }[];
        }[];
      };
    };
  };
}

function matches(selector: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>>) {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

interface RolloutObject extends Workload {
  readonly spec: Workload['spec'] & {
    readonly strategy: {
      readonly canary?: {
        readonly canaryMetadata?: { readonly labels?: Readonly<Record<string, string>> };
        readonly stableMetadata?: { readonly labels?: Readonly<Record<string, string>> };
        readonly analysis?: { readonly args?: readonly { readonly name: string; readonly value?: string }[] };
      };
    };
  };
}

/** The service as a canary Rollout at `version`, as the stacks render it for `delivery.strategy: canary`. */
function renderCanaryRollout(namespace: string, version: string) {
  const props: MicroserviceProps = {
    name: SERVICE,
    namespace,
    image: 'registry.local/platform/product@sha256:' + '0'.repeat(64),
    version,
    delivery: {
      strategy: 'canary',
      steps: [
        { weight: 10, pause: '5m' },
        { weight: 50, pause: '5m' },
      ],
      analysis: { templateName: sloTemplateName(SERVICE), args: { track: 'canary' } },
    },
    replicas: 2,
    resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
    monitoringNamespace: 'monitoring',
  };
  const objects: KubernetesObject[] = synthesize(
    (app) => new MicroserviceChart(app, `${namespace}-${version}`, props),
  );
  const rollout = objects.find((o) => o.kind === 'Rollout') as unknown as RolloutObject | undefined;
  if (!rollout) throw new Error(`the chart renders no Rollout for ${namespace} with delivery canary`);
  const monitors = objects.filter((o) => o.kind === 'PodMonitor') as unknown as PodMonitorObject[];
  return { rollout, monitors };
}

/**
 * The pod of `track` as Kubernetes and Argo would run it from the rendered Rollout: the template's labels,
 * the track metadata Argo adds and its pod-template-hash; the identity env the container gets (the TRACK
 * downward-API reference resolved from the labels at start, or the stale `appTrack`); the PodMonitor that
 * selects it; and the track argument the Rollout's background analysis passes.
 */
function renderPod(namespace: string, instance: Instance, address: string, index: number) {
  const { track } = instance;
  // Stable pods were made from the previous version's template, canary pods from the new one.
  const { rollout, monitors } = renderCanaryRollout(namespace, track === 'stable' ? '1.0.0' : '1.1.0');
  const canary = rollout.spec.strategy.canary;
  const metadata = track === 'stable' ? canary?.stableMetadata : canary?.canaryMetadata;
  if (metadata?.labels?.[TRACK_LABEL] !== track) {
    throw new Error(`the Rollout's ${track}Metadata does not set ${TRACK_LABEL}: ${track}`);
  }
  const hash = `${track === 'stable' ? '6c' : '7d'}9f8b5${index}`;
  const labels: Record<string, string> = {
    ...(rollout.spec.template.metadata?.labels ?? {}),
    ...metadata.labels,
    'rollouts-pod-template-hash': hash,
  };
  const monitor = monitors.find((m) => matches(m.spec.selector.matchLabels ?? {}, labels));
  if (!monitor) throw new Error(`no rendered PodMonitor selects the ${track} pods in ${namespace}`);
  const container = rollout.spec.template.spec.containers[0];
  const port = container?.ports?.find((p) => p.name === 'http');
  if (!container || !port) throw new Error(`the Rollout has no container port http`);
  const env: Record<string, string> = {};
  for (const variable of container.env ?? []) {
    if (!['SERVICE_NAME', 'SERVICE_VERSION', 'TRACK', 'JWT_ISSUER'].includes(variable.name)) continue;
    const ref = /^metadata\.labels\['(.+)'\]$/.exec(variable.valueFrom?.fieldRef?.fieldPath ?? '');
    const value = variable.value ?? (ref?.[1] !== undefined ? labels[ref[1]] : undefined);
    if (value !== undefined) env[variable.name] = value;
  }
  if (env.TRACK !== track) throw new Error(`TRACK of the ${track} pod resolves to ${env.TRACK}`);
  if (instance.appTrack !== undefined) env.TRACK = instance.appTrack;
  const pod: MonitoredPod = {
    address,
    name: `${rollout.metadata.name}-${hash}-x${index}q2z`,
    namespace,
    labels,
    container: container.name,
    port: { name: port.name, number: port.containerPort, protocol: 'TCP' },
    controller: { kind: 'ReplicaSet', name: `${rollout.metadata.name}-${hash}` },
  };
  const canaryArgs = Object.fromEntries((canary?.analysis?.args ?? []).map((a) => [a.name, a.value ?? '']));
  return { pod, monitor, env, canaryArgs };
}

/** GETs at `rps` until stopped, one at a time; counts the answers by status. */
async function drive(key: string, url: string, rps: number): Promise<void> {
  const counts = new Map<number, number>();
  answered.set(key, counts);
  const gap = 1000 / rps;
  while (!stopTraffic) {
    const started = Date.now();
    const status = await fetch(`${url}/api/products`, { signal: AbortSignal.timeout(5000) }).then(
      async (r) => {
        await r.arrayBuffer();
        return r.status;
      },
      () => 0,
    );
    counts.set(status, (counts.get(status) ?? 0) + 1);
    await delay(Math.max(0, gap - (Date.now() - started)));
  }
}

/** /api/v1/query now, the result shaped as Argo's Prometheus provider hands it to the conditions. */
async function argoResult(server: PrometheusServer, query: string): Promise<ConditionResult> {
  const response = await fetch(`${server.url}/api/v1/query?query=${encodeURIComponent(query)}`);
  const body = (await response.json()) as {
    status: string;
    error?: string;
    data?: { resultType: string; result: unknown };
  };
  if (body.status !== 'success' || body.data === undefined) {
    throw new Error(`Prometheus refused ${query}: ${body.error ?? response.status}`);
  }
  const value = (text: string) => (text === '+Inf' ? Infinity : text === '-Inf' ? -Infinity : Number(text));
  const { resultType, result } = body.data;
  if (resultType === 'vector') return (result as { value: [number, string] }[]).map((s) => value(s.value[1]));
  if (resultType === 'scalar') return value((result as [number, string])[1]);
  throw new Error(`${query} gave a ${resultType}; Argo's provider takes vectors and scalars`);
}

interface MetricRun {
  readonly results: ConditionResult[];
  readonly phases: MeasurementPhase[];
  outcome?: MetricOutcome;
}
/** `${scenario}/${track}` -> metric name -> measurements. */
const runs = new Map<string, Map<string, MetricRun>>();
let measuredAfterMs = 0;

function run(scenario: string, track: Track): Map<string, MetricRun> {
  const found = runs.get(`${scenario}/${track}`);
  if (!found) throw new Error(`no analysis of ${scenario}/${track}`);
  return found;
}
function runPhase(scenario: string, track: Track): MetricPhase {
  return analysisRunPhase([...run(scenario, track).values()].map((m) => m.outcome?.phase ?? 'Running'));
}
function metricRun(scenario: string, track: Track, metric: string): MetricRun {
  const found = run(scenario, track).get(metric);
  if (!found) throw new Error(`no metric ${metric} in ${scenario}/${track}`);
  return found;
}

beforeAll(async () => {
  compiled = compileEntry(ENTRY);
  const planned = await Promise.all(
    Object.entries(SCENARIOS).flatMap(([scenario, instances]) =>
      instances.map(async (instance, i) => {
        const port = await freePort();
        const rendered = renderPod(scenario, instance, `127.0.0.1:${port}`, i);
        return { scenario, instance, port, ...rendered };
      }),
    ),
  );
  const started = planned.map((p) => ({
    ...p,
    child: spawnService(compiled as CompiledEntry, SERVICE, p.port, {
      ...p.env,
      ...p.instance.env,
      JWT_SECRET,
      LOG_LEVEL: 'warn',
      SHUTDOWN_GRACE_MS: '500',
    }),
  }));
  for (const s of started)
    running.push({ scenario: s.scenario, instance: s.instance, pod: s.pod, child: s.child });
  canaryArgs = started[0]?.canaryArgs;
  await Promise.all(started.map((s) => waitUntilReady(s.child, 60_000)));

  // The Rollout's one PodMonitor per namespace; its scrape config gets the pods it selects (both tracks).
  const byMonitor = new Map<string, { monitor: PodMonitorObject; pods: MonitoredPod[] }>();
  for (const s of started) {
    const key = `${s.monitor.metadata.namespace}/${s.monitor.metadata.name}`;
    const entry = byMonitor.get(key) ?? { monitor: s.monitor, pods: [] };
    entry.pods.push(s.pod);
    byMonitor.set(key, entry);
  }
  const scrapeConfigs: ScrapeConfig[] = [...byMonitor.values()].flatMap(({ monitor, pods }) =>
    podMonitorScrapeConfigs(monitor, pods, { scrapeInterval: SCRAPE_INTERVAL }),
  );
  prometheus = await startPrometheus({
    config: {
      global: { scrape_interval: SCRAPE_INTERVAL, evaluation_interval: SCRAPE_INTERVAL },
      scrape_configs: scrapeConfigs,
    },
  });
  const server = prometheus;
  await server.waitFor(
    async () => {
      const targets = await server.targets();
      return targets.length === running.length && targets.every((t) => t.health === 'up');
    },
    { timeoutMs: 15_000, intervalMs: 250, what: `all ${running.length} targets up` },
  );

  // The analysis run starts with the canaries' traffic, as a background analysis starts with the canary.
  const runStart = Date.now();
  for (const r of running) {
    if (r.instance.rps > 0)
      traffic.push(drive(`${r.scenario}/${r.instance.track}`, r.child.url, r.instance.rps));
  }
  const templates = new Map(
    Object.keys(SCENARIOS).map((scenario) => [
      scenario,
      sloAnalysisTemplate({ slo: sloOf(scenario), thresholds: THRESHOLDS, prometheusAddress: server.url }),
    ]),
  );
  const analyses: { key: string; metrics: IMetric[] }[] = [];
  for (const [scenario, instances] of Object.entries(SCENARIOS)) {
    for (const track of ['canary', 'stable'] as const) {
      if (!instances.some((i) => i.track === track)) continue;
      const template = templates.get(scenario);
      if (!template) throw new Error(`no template for ${scenario}`);
      // The canary's args are the ones the rendered Rollout's background analysis passes.
      const args = track === 'canary' ? (canaryArgs ?? {}) : { track };
      analyses.push({ key: `${scenario}/${track}`, metrics: resolveTemplateArgs(template, args) });
      runs.set(`${scenario}/${track}`, new Map());
    }
  }
  // Argo's schedule, read from the rendered metrics: initialDelay, then every interval, `count` times.
  const [first] = analyses[0]?.metrics ?? [];
  const initialDelay = analysisDurationMs(first?.initialDelay ?? '0s');
  const interval = analysisDurationMs(first?.interval ?? '');
  const count = Number(first?.count);
  for (let k = 0; k < count; k++) {
    await delay(Math.max(0, runStart + initialDelay + k * interval - Date.now()));
    await Promise.all(
      analyses.flatMap(({ key, metrics }) =>
        metrics.map(async (metric) => {
          const result = await argoResult(server, metric.provider.prometheus?.query ?? '');
          const metricRuns = runs.get(key) as Map<string, MetricRun>;
          const entry = metricRuns.get(metric.name) ?? { results: [], phases: [] };
          entry.results.push(result);
          entry.phases.push(measurementOutcome(metric, result));
          entry.outcome = runOutcome(entry.phases, {
            count: Number(metric.count),
            failureLimit: Number(metric.failureLimit),
            inconclusiveLimit: Number(metric.inconclusiveLimit),
          });
          metricRuns.set(metric.name, entry);
        }),
      ),
    );
  }
  measuredAfterMs = Date.now() - runStart;
  const lines = [...runs.entries()].map(
    ([key, metrics]) =>
      `${key}: ${[...metrics.entries()]
        .map(([name, m]) => `${name} ${JSON.stringify(m.results)} -> ${m.outcome?.phase}`)
        .join('; ')}`,
  );
  process.stdout.write(`analysis after ${(measuredAfterMs / 1000).toFixed(1)} s:\n${lines.join('\n')}\n`);
}, 150_000);

afterAll(async () => {
  stopTraffic = true;
  await Promise.all(traffic);
  await Promise.all(running.map((r) => r.child.kill('SIGKILL')));
  await prometheus?.stop();
  compiled?.remove();
}, 30_000);

describe(`the ${SERVICE}-slo analysis on a real Prometheus`, () => {
  it('scrapes every instance with the target labels the chart renders (service, namespace, track, version)', async () => {
    const targets = await (prometheus as PrometheusServer).targets();
    for (const r of running) {
      const target = targets.find((t) => t.labels.instance === r.pod.address);
      expect(target?.labels).toMatchObject({
        service: SERVICE,
        namespace: r.scenario,
        track: r.instance.track,
        version: r.pod.labels['app.kubernetes.io/version'],
        pod: r.pod.name,
      });
    }
    // The series carry the target's track, not the app's (the promoted stable still reports canary).
    expect(canaryArgs).toEqual({ track: 'canary' });
    const series = await (prometheus as PrometheusServer).query(
      `count by (track, exported_track) (http_requests_total{namespace="healthy", route="/api/products"})`,
    );
    expect(
      series.map((x) => x.metric).sort((a, b) => String(a.track).localeCompare(String(b.track))),
    ).toEqual([{ track: 'canary' }, { track: 'stable' }]);
    // The traffic really was what each scenario says.
    const share = (key: string, status: number) => {
      const counts = answered.get(key) ?? new Map<number, number>();
      const total = [...counts.values()].reduce((a, b) => a + b, 0);
      return (counts.get(status) ?? 0) / total;
    };
    expect(share('faulty/canary', 503)).toBeCloseTo(0.2, 1);
    expect(share('faulty/stable', 200)).toBe(1);
    expect(share('healthy/canary', 200)).toBe(1);
    expect(share('trickle/canary', 503)).toBe(1);
    expect(answered.has('idle/canary')).toBe(false);
  });

  it('fails the canary that answers 20 % 5xx on its error ratio, at the first measurement', () => {
    const errors = metricRun('faulty', 'canary', SLO_METRIC_NAMES.errors);
    expect(errors.phases[0]).toBe('Failed');
    expect(errors.outcome).toEqual({
      phase: 'Failed',
      measurements: 1,
      message: 'failed (1) > failureLimit (0)',
    });
    // The measured share is the injected one (the query measures what it says).
    const [value] = errors.results[0] as number[];
    expect(value).toBeGreaterThan(0.1);
    expect(value).toBeLessThan(0.3);
    expect(metricRun('faulty', 'canary', SLO_METRIC_NAMES.requests).outcome?.phase).toBe('Successful');
    expect(metricRun('faulty', 'canary', SLO_METRIC_NAMES.latency).outcome?.phase).toBe('Successful');
    expect(runPhase('faulty', 'canary')).toBe('Failed');
    // The same template with track=stable reads the healthy stable beside it.
    expect(runPhase('faulty', 'stable')).toBe('Successful');
  });

  it('passes the healthy canary on every metric and measurement, whatever its stable does', () => {
    for (const name of Object.values(SLO_METRIC_NAMES)) {
      const m = metricRun('healthy', 'canary', name);
      expect(m.phases).toEqual(['Successful', 'Successful']);
      expect(m.outcome?.phase).toBe('Successful');
    }
    expect(metricRun('healthy', 'canary', SLO_METRIC_NAMES.errors).results).toEqual([[0], [0]]);
    expect(runPhase('healthy', 'canary')).toBe('Successful');
    // Its stable fails half its requests: the track argument really separates the two.
    expect(runPhase('healthy', 'stable')).toBe('Failed');
  });

  it('finds no data for the canary without traffic and calls it Inconclusive, never Failed or Successful', () => {
    for (const name of Object.values(SLO_METRIC_NAMES)) {
      const m = metricRun('idle', 'canary', name);
      expect(m.results).toEqual([[], []]);
      expect(m.phases).toEqual(['Inconclusive', 'Inconclusive']);
      expect(m.outcome).toMatchObject({ phase: 'Inconclusive', measurements: 1 });
    }
    expect(runPhase('idle', 'canary')).toBe('Inconclusive');
    // Its stable's traffic is there, just not the canary's.
    expect(runPhase('idle', 'stable')).toBe('Successful');
  });

  it('calls a canary with too few requests Inconclusive even when all of them fail', () => {
    const requests = metricRun('trickle', 'canary', SLO_METRIC_NAMES.requests);
    const [count] = requests.results[0] as number[];
    expect(count).toBeGreaterThan(0);
    expect(count).toBeLessThan(THRESHOLDS.minRequests);
    expect(requests.phases[0]).toBe('Inconclusive');
    // The SLI queries are gated on minRequests: no sample, so no verdict on 100 % errors.
    expect(metricRun('trickle', 'canary', SLO_METRIC_NAMES.errors).results[0]).toEqual([]);
    expect(metricRun('trickle', 'canary', SLO_METRIC_NAMES.errors).phases[0]).toBe('Inconclusive');
    expect(runPhase('trickle', 'canary')).toBe('Inconclusive');
  });

  it('fails the slow canary on p99 latency while its error ratio passes', () => {
    const latency = metricRun('slow', 'canary', SLO_METRIC_NAMES.latency);
    const [p99] = latency.results[0] as number[];
    expect(p99).toBeGreaterThan(THRESHOLDS.maxP99Seconds);
    expect(latency.outcome?.phase).toBe('Failed');
    expect(metricRun('slow', 'canary', SLO_METRIC_NAMES.errors).outcome?.phase).toBe('Successful');
    expect(runPhase('slow', 'canary')).toBe('Failed');
  });

  it("took Argo's schedule: initialDelay plus (count - 1) intervals", () => {
    // sloAnalysisTemplate sets initialDelay to the interval.
    const expected = analysisDurationMs(THRESHOLDS.interval) * (1 + THRESHOLDS.count - 1);
    expect(measuredAfterMs).toBeGreaterThanOrEqual(expected);
    expect(measuredAfterMs).toBeLessThan(expected + 5000);
  });
});
