/**
 * The monitoring stack as the offline plan renders it for the four environments: sizing per environment,
 * what Prometheus selects and may reach, the rules through promtool and the Alertmanager config through amtool.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { CHARTS } from '../../infra/versions';
import { runTool, steadyStatePodMetadata } from '../../tools/prom-tools';
import type { WorkloadObject } from '../../tools/prom-tools';
import { ensureCompiled } from '../support/ensure-compiled';

const root = join(__dirname, '..', '..');
const cli = join(root, 'dist', 'tools', 'plan', 'cli.js');
const fixtures = join(root, 'test', 'fixtures', 'plan-project');
const work = mkdtempSync(join(tmpdir(), 'monitoring-plan-'));
const out = join(work, 'plan');
const STACKS = ['dev', 'qat', 'uat', 'prod'] as const;

type Obj = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [k: string]: any;
};
type Resource = { type: string; name: string; dependsOn?: string[]; inputs: Record<string, any> };

function plan(...args: string[]) {
  const result = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 180_000 });
  return { code: result.status, output: `${result.stdout}${result.stderr}` };
}

function objects(stack: string): Obj[] {
  const dir = join(out, stack, 'manifests');
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => parse(readFileSync(join(e.parentPath, e.name), 'utf8')) as Obj);
}
const resources = (stack: string) =>
  JSON.parse(readFileSync(join(out, stack, 'resources.json'), 'utf8')) as Resource[];
const release = (stack: string) => {
  const found = resources(stack).find(
    (r) => r.type === 'kubernetes:helm.sh/v3:Release' && r.inputs.chart === 'kube-prometheus-stack',
  );
  if (!found) throw new Error(`${stack}: no kube-prometheus-stack release`);
  return found;
};
const values = (stack: string) => release(stack).inputs.values;

const matches = (selector: Record<string, string>, labels: Record<string, string> | undefined) =>
  Object.entries(selector).every(([k, v]) => labels?.[k] === v);

/** Pods the plan's objects will run: rendered workloads, and the pods the operators create for our CRs. */
function pods(all: Obj[]): {
  namespace: string;
  labels: Record<string, string>;
  ports: { name?: string; containerPort: number }[];
}[] {
  const found: ReturnType<typeof pods> = [];
  for (const o of all) {
    const ns = o.metadata.namespace ?? '';
    if (['Deployment', 'StatefulSet', 'DaemonSet'].includes(o.kind)) {
      const tpl = o.spec.template;
      found.push({
        namespace: ns,
        labels: tpl.metadata.labels,
        ports: tpl.spec.containers.flatMap((c: any) => c.ports ?? []),
      });
    }
    // A Rollout's template has no track; its pods once rolled out are the stable (canary) or active
    // (blueGreen) ReplicaSet's, labelled by Argo. Canary/preview pods exist only during a rollout.
    if (o.kind === 'Rollout') {
      found.push({
        namespace: ns,
        labels: { ...steadyStatePodMetadata(o as unknown as WorkloadObject).labels },
        ports: o.spec.template.spec.containers.flatMap((c: any) => c.ports ?? []),
      });
    }
    // Strimzi 0.48 labels every pod with the cluster, its kind and name; nodes, entity operator and exporter
    // expose their metrics as documented (tcp-prometheus 9404; topic/user operator 8080/8081).
    if (o.kind === 'Kafka') {
      const c = o.metadata.name;
      const base = { 'strimzi.io/cluster': c };
      found.push({
        namespace: ns,
        labels: { ...base, 'strimzi.io/kind': 'Kafka', 'strimzi.io/name': `${c}-kafka` },
        ports: [{ name: 'tcp-prometheus', containerPort: 9404 }],
      });
      if (o.spec.entityOperator)
        found.push({
          namespace: ns,
          labels: { ...base, 'strimzi.io/kind': 'Kafka', 'strimzi.io/name': `${c}-entity-operator` },
          ports: [{ containerPort: 8080 }, { containerPort: 8081 }],
        });
      if (o.spec.kafkaExporter)
        found.push({
          namespace: ns,
          labels: { ...base, 'strimzi.io/kind': 'Kafka', 'strimzi.io/name': `${c}-kafka-exporter` },
          ports: [{ name: 'tcp-prometheus', containerPort: 9404 }],
        });
    }
    // The Percona operator labels mongod pods with instance/component/replset and adds our sidecars.
    if (o.kind === 'PerconaServerMongoDB') {
      for (const rs of o.spec.replsets) {
        found.push({
          namespace: ns,
          labels: {
            'app.kubernetes.io/name': 'percona-server-mongodb',
            'app.kubernetes.io/instance': o.metadata.name,
            'app.kubernetes.io/component': 'mongod',
            'app.kubernetes.io/replset': rs.name,
            'app.kubernetes.io/managed-by': 'percona-server-mongodb-operator',
            'app.kubernetes.io/part-of': 'percona-server-mongodb',
          },
          ports: [
            { name: 'mongodb', containerPort: 27017 },
            ...(rs.sidecars ?? []).flatMap((c: any) => c.ports ?? []),
          ],
        });
      }
    }
  }
  return found;
}

beforeAll(() => {
  ensureCompiled();
  const run = plan('--all', '--out', out);
  if (run.code !== 0) throw new Error(`plan failed:\n${run.output}`);
}, 300_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the monitoring stack in the plan', () => {
  it('installs kube-prometheus-stack after the Prometheus Operator CRDs, from a chart with the same operator', () => {
    expect(CHARTS.kubePrometheusStack.appVersion).toBe(CHARTS.prometheusOperatorCrds.appVersion);
    for (const stack of STACKS) {
      const r = release(stack);
      expect(r.inputs).toMatchObject({
        chart: 'kube-prometheus-stack',
        version: CHARTS.kubePrometheusStack.version,
        namespace: 'monitoring',
      });
      expect(r.inputs.values.crds).toEqual({ enabled: false });
      expect(r.dependsOn).toContain(`${stack}-baseline-prometheus-operator-crds`);
    }
  });

  it.each([
    ['dev', 1, '7d', '20Gi', undefined, 'kubernetes.io/hostname'],
    ['qat', 1, '15d', '20Gi', 1, 'topology.kubernetes.io/zone'],
    ['uat', 2, '30d', '100Gi', 3, 'topology.kubernetes.io/zone'],
    ['prod', 2, '90d', '300Gi', 3, 'topology.kubernetes.io/zone'],
  ])(
    'sizes %s: %i Prometheus, retention %s on %s, Alertmanager replicas %s, spread by %s',
    (stack, replicas, retention, storage, amReplicas, key) => {
      const v = values(stack);
      const p = v.prometheus.prometheusSpec;
      expect(p).toMatchObject({
        replicas,
        retention,
        scrapeInterval: '30s',
        evaluationInterval: '30s',
        podAntiAffinity: 'hard',
        podAntiAffinityTopologyKey: key,
        externalLabels: { environment: stack },
      });
      expect(p.storageSpec.volumeClaimTemplate.spec.resources.requests.storage).toBe(storage);
      if (amReplicas === undefined) {
        expect(v.alertmanager).toEqual({ enabled: false });
      } else {
        expect(v.alertmanager.alertmanagerSpec).toMatchObject({
          replicas: amReplicas,
          podAntiAffinity: 'hard',
          podAntiAffinityTopologyKey: key,
        });
      }
    },
  );

  it('keeps the Grafana admin password out of the values: Grafana reads it from the generated Secret', () => {
    for (const stack of STACKS) {
      const grafana = values(stack).grafana;
      expect(grafana.admin).toEqual({
        existingSecret: 'grafana-admin',
        userKey: 'admin-user',
        passwordKey: 'admin-password',
      });
      expect(JSON.stringify(grafana)).not.toMatch(/adminPassword/);
      const secret = objects(stack).find(
        (o) => o.metadata.name === 'grafana-admin' && o.metadata.namespace === 'monitoring',
      );
      expect(secret?.kind).toBe(stack === 'dev' || stack === 'qat' ? 'Secret' : 'ExternalSecret');
    }
  });

  it('selects exactly the monitors and rules labelled for it, and every one of ours carries the label', () => {
    for (const stack of STACKS) {
      const p = values(stack).prometheus.prometheusSpec;
      for (const key of ['serviceMonitorSelector', 'podMonitorSelector', 'ruleSelector']) {
        expect(p[key]).toEqual({ matchLabels: { 'platform.io/monitoring': 'platform' } });
      }
      expect(p.podMonitorNamespaceSelector.matchExpressions[0].values).toEqual([
        'apps',
        'data',
        'monitoring',
        'platform',
      ]);
      const ours = objects(stack).filter((o) =>
        ['PodMonitor', 'ServiceMonitor', 'PrometheusRule'].includes(o.kind),
      );
      expect(ours.length).toBeGreaterThan(10);
      for (const o of ours)
        expect([o.metadata.name, o.metadata.labels?.['platform.io/monitoring']]).toEqual([
          o.metadata.name,
          'platform',
        ]);
    }
  });

  it.each(STACKS)(
    '%s: every PodMonitor and ServiceMonitor selects something the plan runs, on a port it has',
    (stack) => {
      const all = objects(stack);
      const running = pods(all);
      const services = all.filter((o) => o.kind === 'Service');
      const monitors = all.filter((o) => o.kind === 'PodMonitor' || o.kind === 'ServiceMonitor');
      expect(monitors.map((m) => m.metadata.name)).toEqual(
        expect.arrayContaining(['product', 'order', 'user', 'notification', 'analytics']),
      );
      for (const m of monitors) {
        const namespaces: string[] = m.spec.namespaceSelector.matchNames;
        const where = `${stack}: ${m.kind} ${m.metadata.namespace}/${m.metadata.name}`;
        if (m.kind === 'PodMonitor') {
          const selected = running.filter(
            (p) => namespaces.includes(p.namespace) && matches(m.spec.selector.matchLabels, p.labels),
          );
          expect([where, selected.length > 0]).toEqual([where, true]);
          for (const e of m.spec.podMetricsEndpoints) {
            const has = selected.every((p) =>
              p.ports.some((port) =>
                e.port !== undefined ? port.name === e.port : port.containerPort === e.portNumber,
              ),
            );
            expect([where, e.port ?? e.portNumber, has]).toEqual([where, e.port ?? e.portNumber, true]);
          }
        } else {
          const selected = services.filter(
            (s) =>
              namespaces.includes(s.metadata.namespace ?? '') &&
              matches(m.spec.selector.matchLabels, s.metadata.labels),
          );
          expect([where, selected.length > 0]).toEqual([where, true]);
          for (const e of m.spec.endpoints) {
            expect([where, selected.every((s) => s.spec.ports.some((p: any) => p.name === e.port))]).toEqual([
              where,
              true,
            ]);
          }
        }
      }
    },
  );

  it.each(STACKS)(
    '%s: Prometheus may reach every scraped port and no other port in the platform namespaces',
    (stack) => {
      const all = objects(stack);
      const policy = all.find(
        (o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'monitoring-prometheus',
      );
      const allowed = new Map<string, Set<number>>();
      for (const rule of policy?.spec.egress ?? []) {
        const ns = rule.to?.[0]?.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'];
        if (ns && !rule.to[0].podSelector) allowed.set(ns, new Set(rule.ports.map((p: any) => p.port)));
      }
      const scraped = new Map<string, Set<number>>();
      const running = pods(all);
      for (const m of all.filter((o) => o.kind === 'PodMonitor')) {
        for (const p of running.filter(
          (p) =>
            m.spec.namespaceSelector.matchNames.includes(p.namespace) &&
            matches(m.spec.selector.matchLabels, p.labels),
        )) {
          for (const e of m.spec.podMetricsEndpoints) {
            const port = e.portNumber ?? p.ports.find((x) => x.name === e.port)?.containerPort;
            scraped.set(p.namespace, (scraped.get(p.namespace) ?? new Set()).add(port));
          }
        }
      }
      for (const m of all.filter((o) => o.kind === 'ServiceMonitor')) {
        for (const s of all.filter(
          (o) => o.kind === 'Service' && matches(m.spec.selector.matchLabels, o.metadata.labels),
        )) {
          for (const e of m.spec.endpoints) {
            const port = s.spec.ports.find((p: any) => p.name === e.port);
            // A named targetPort is the container port of that name on the Service's pods.
            const target =
              typeof port.targetPort === 'string'
                ? running
                    .filter((p) => p.namespace === s.metadata.namespace && matches(s.spec.selector, p.labels))
                    .flatMap((p) => p.ports)
                    .find((x) => x.name === port.targetPort)?.containerPort
                : (port.targetPort ?? port.port);
            scraped.set(
              s.metadata.namespace ?? '',
              (scraped.get(s.metadata.namespace ?? '') ?? new Set()).add(target),
            );
          }
        }
      }
      const sorted = (m: Map<string, Set<number>>) =>
        Object.fromEntries([...m].map(([k, v]) => [k, [...v].sort((a, b) => a - b)]).sort());
      expect(sorted(allowed)).toEqual(sorted(scraped));
      // And the targets admit it: each service's policy lets the monitoring namespace in on its metrics port.
      for (const svc of ['product', 'order']) {
        const np = all.find(
          (o) => o.kind === 'NetworkPolicy' && o.metadata.namespace === 'apps' && o.metadata.name === svc,
        );
        const fromMonitoring = np?.spec.ingress.find(
          (r: any) =>
            r.from[0].namespaceSelector?.matchLabels['kubernetes.io/metadata.name'] === 'monitoring',
        );
        expect(fromMonitoring?.ports.map((p: any) => p.port)).toEqual([8080]);
      }
    },
  );

  it.each(STACKS)('%s: every rule file the plan renders passes promtool check rules', (stack) => {
    const rules = objects(stack).filter((o) => o.kind === 'PrometheusRule');
    expect(rules.length).toBeGreaterThanOrEqual(6);
    const dir = mkdtempSync(join(work, `rules-${stack}-`));
    const files = rules.map((r) => {
      const file = join(dir, `${r.metadata.name}.yaml`);
      writeFileSync(file, stringify({ groups: r.spec.groups }));
      return file;
    });
    const result = runTool('promtool', ['check', 'rules', ...files]);
    expect([result.code, result.stderr]).toEqual([0, '']);
    expect(result.stdout).not.toMatch(/FAILED/);
  });

  it('routes with the Alertmanager config the plan renders: prod pages on critical, qat and uat never page, dev has no Alertmanager', () => {
    expect(values('dev').alertmanager.enabled).toBe(false);
    expect(JSON.stringify(values('dev'))).not.toMatch(/pagerduty|routing_key/);
    const route = (stack: string, labels: string[]) => {
      const dir = mkdtempSync(join(work, `am-${stack}-`));
      const file = join(dir, 'alertmanager.yaml');
      writeFileSync(file, stringify(values(stack).alertmanager.config));
      const check = runTool('amtool', ['check-config', file]);
      expect([stack, check.code, check.stderr]).toEqual([stack, 0, '']);
      const test = runTool('amtool', ['config', 'routes', 'test', `--config.file=${file}`, ...labels]);
      return test.stdout.trim();
    };
    const critical = ['alertname=ServiceDown', 'severity=critical', 'namespace=apps', 'service=order'];
    expect(route('prod', critical)).toBe('paging,chat');
    expect(route('prod', ['alertname=ContainerCpuThrottled', 'severity=warning'])).toBe('chat');
    expect(route('prod', ['alertname=Watchdog', 'severity=none'])).toBe('watchdog');
    for (const stack of ['qat', 'uat']) expect(route(stack, critical)).toBe('chat');
  });

  it('provisions the seven dashboards as ConfigMaps for the Grafana sidecar in the monitoring namespace', () => {
    for (const stack of STACKS) {
      const dashboards = objects(stack).filter(
        (o) => o.kind === 'ConfigMap' && o.metadata.labels?.grafana_dashboard === '1',
      );
      expect(dashboards).toHaveLength(7);
      for (const d of dashboards) {
        expect(d.metadata.namespace).toBe('monitoring');
        const [json] = Object.values(d.data as Record<string, string>);
        expect(JSON.parse(json ?? '').panels.length).toBeGreaterThan(0);
      }
    }
  });

  it('lists the per-environment differences in the summary', () => {
    const run = plan('dev', 'prod', '--out', join(work, 'summary'));
    expect(run.code).toBe(0);
    expect(run.output).toContain(
      'Prometheus monitoring/kube-prometheus-stack: 1 replica(s), retention 7d, 20Gi each',
    );
    expect(run.output).toContain('Alertmanager: off');
    expect(run.output).toContain(
      'Prometheus monitoring/kube-prometheus-stack: 2 replica(s), retention 90d, 300Gi each',
    );
    expect(run.output).toMatch(/severity="critical" -> paging, chat/);
  }, 180_000);

  it('refuses a bad monitoring config with every field path, and writes no plan', () => {
    const result = plan('badmonitoring', '--root', fixtures, '--out', join(work, 'bad'));
    expect(result.code).toBe(2);
    expect(result.output).toContain(
      'platform:monitoring.retention: must be a duration such as "15d" or "12w" (got "30 days")',
    );
    expect(result.output).toContain(
      'platform:monitoring.receivers.email: unknown key; allowed keys: chat, paging, watchdog',
    );
    expect(result.output).toContain('platform:monitoring.slo.availability: value must be < 1 (got 1.5)');
  }, 60_000);
});
