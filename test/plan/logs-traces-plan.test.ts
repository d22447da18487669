/**
 * Logs and traces as the offline plan renders them: Loki, Tempo and Alloy per environment (volumes on prem,
 * S3 with an IRSA role scoped to its bucket on EKS), Grafana's links between them, and the network paths.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { CHARTS } from '../../infra/versions';
import { ensureCompiled } from '../support/ensure-compiled';

const root = join(__dirname, '..', '..');
const cli = join(root, 'dist', 'tools', 'plan', 'cli.js');
const work = mkdtempSync(join(tmpdir(), 'logs-traces-plan-'));
const out = join(work, 'plan');

type Obj = { kind: string; metadata: { name: string; namespace?: string }; spec?: any };
type Resource = { type: string; name: string; inputs: Record<string, any> };

const resources = (stack: string) =>
  JSON.parse(readFileSync(join(out, stack, 'resources.json'), 'utf8')) as Resource[];
const release = (stack: string, chart: string) => {
  const found = resources(stack).find(
    (r) => r.type === 'kubernetes:helm.sh/v3:Release' && r.inputs.chart === chart,
  );
  if (!found) throw new Error(`${stack}: no ${chart} release`);
  return found.inputs;
};
function objects(stack: string): Obj[] {
  const dir = join(out, stack, 'manifests');
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => parse(readFileSync(join(e.parentPath, e.name), 'utf8')) as Obj);
}

beforeAll(() => {
  ensureCompiled();
  const run = spawnSync(process.execPath, [cli, '--all', '--out', out], {
    encoding: 'utf8',
    timeout: 240_000,
  });
  if (run.status !== 0) throw new Error(`plan failed:\n${run.stdout}${run.stderr}`);
}, 300_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('logs and traces in the plan', () => {
  it('installs pinned Loki, Tempo and Alloy releases in every environment', () => {
    for (const stack of ['dev', 'qat', 'uat', 'prod']) {
      for (const pin of [CHARTS.loki, CHARTS.tempo, CHARTS.alloy]) {
        expect(release(stack, pin.chart)).toMatchObject({ version: pin.version, namespace: 'monitoring' });
      }
      expect(release(stack, 'alloy').values.controller).toEqual({ type: 'daemonset' });
    }
  });

  it('keeps dev on volumes: Loki single binary on the filesystem, Tempo blocks local', () => {
    const loki = release('dev', 'loki').values;
    expect(loki.deploymentMode).toBe('SingleBinary');
    expect(loki.loki.storage).toEqual({ type: 'filesystem' });
    expect(loki.loki.limits_config.retention_period).toBe('7d');
    expect(loki.singleBinary.persistence).toMatchObject({ enabled: true, size: '20Gi' });
    expect(release('dev', 'tempo').values.tempo.storage.trace.backend).toBe('local');
    expect(resources('dev').filter((r) => r.type.startsWith('aws:'))).toEqual([]);
  });

  it('puts prod in S3 through IRSA roles that reach only their own bucket', () => {
    const all = resources('prod');
    const loki = release('prod', 'loki').values;
    expect(loki.deploymentMode).toBe('SimpleScalable');
    expect(loki.loki.storage.bucketNames.chunks).toBe('platform-prod-444455556666-loki');
    expect(release('prod', 'tempo').values.tempo.storage.trace).toMatchObject({
      backend: 's3',
      s3: { bucket: 'platform-prod-444455556666-tempo' },
    });
    for (const [app, bucket] of [
      ['loki', 'platform-prod-444455556666-loki'],
      ['tempo', 'platform-prod-444455556666-tempo'],
    ] as const) {
      const role = all.find(
        (r) => r.type === 'aws:iam/role:Role' && r.inputs.name === `platform-prod-${app}`,
      );
      const trust = JSON.parse(role?.inputs.assumeRolePolicy);
      expect(JSON.stringify(trust)).toContain(`system:serviceaccount:monitoring:${app}`);
      const policy = all.find(
        (r) => r.type === 'aws:iam/policy:Policy' && r.inputs.name === `platform-prod-${app}`,
      );
      const resourcesOf = JSON.parse(policy?.inputs.policy).Statement.flatMap((s: any) =>
        [s.Resource].flat(),
      );
      expect(resourcesOf.sort()).toEqual([`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`]);
      const buckets = all.filter((r) => r.type === 'aws:s3/bucket:Bucket').map((r) => r.inputs.bucket);
      expect(buckets).toContain(bucket);
    }
  });

  it('renders no secret values: the stores authenticate to S3 through their service accounts', () => {
    for (const stack of ['dev', 'prod']) {
      for (const chart of ['loki', 'tempo', 'alloy']) {
        expect(JSON.stringify(release(stack, chart).values)).not.toMatch(
          /secret_?access_?key|access_key_id|password/i,
        );
      }
    }
  });

  it('links Grafana: trace ids in logs open Tempo, spans open their logs, exemplars open traces', () => {
    const values = release('prod', 'kube-prometheus-stack').values;
    const sources = values.grafana.additionalDataSources as any[];
    const loki = sources.find((s) => s.type === 'loki');
    const tempo = sources.find((s) => s.type === 'tempo');
    expect(loki.jsonData.derivedFields[0]).toMatchObject({
      matcherType: 'label',
      matcherRegex: 'trace_id',
      datasourceUid: tempo.uid,
    });
    expect(tempo.jsonData.tracesToLogsV2).toMatchObject({ datasourceUid: loki.uid, filterByTraceID: true });
    expect(values.grafana.sidecar.datasources.exemplarTraceIdDestinations).toEqual({
      datasourceUid: tempo.uid,
      traceIdLabelName: 'trace_id',
    });
    expect(values.prometheus.prometheusSpec.enableFeatures).toContain('exemplar-storage');
  });

  it.each(['dev', 'prod'])(
    '%s: services send OTLP to Alloy only, Alloy reaches Loki and Tempo, Grafana queries them',
    (stack) => {
      const all = objects(stack);
      // product is a Deployment or, delivered progressively, an Argo Rollout: the one workload of that name.
      const workloads = all.filter(
        (o) =>
          ['Deployment', 'Rollout'].includes(o.kind) &&
          o.metadata.namespace === 'apps' &&
          o.metadata.name === 'product',
      );
      expect(workloads).toHaveLength(1);
      const [product] = workloads;
      const env = Object.fromEntries(
        product?.spec.template.spec.containers[0].env.map((e: any) => [e.name, e.value]),
      );
      expect(env.OTEL_EXPORTER_OTLP_ENDPOINT).toBe('http://alloy.monitoring.svc.cluster.local:4318');
      expect(env.OTEL_TRACES_SAMPLER_ARG).toBe(stack === 'dev' ? '1' : '0.1');
      const egress = all.find(
        (o) => o.kind === 'NetworkPolicy' && o.metadata.namespace === 'apps' && o.metadata.name === 'product',
      )?.spec.egress;
      const toMonitoring = egress.filter(
        (r: any) =>
          r.to?.[0]?.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'] === 'monitoring',
      );
      expect(toMonitoring).toEqual([
        {
          to: [
            {
              namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } },
              podSelector: { matchLabels: { 'app.kubernetes.io/name': 'alloy' } },
            },
          ],
          ports: [{ protocol: 'TCP', port: 4318 }],
        },
      ]);
      const policy = (name: string) =>
        all.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === `monitoring-${name}`)?.spec;
      const alloy = policy('alloy');
      expect(alloy.ingress[0].from[0].namespaceSelector.matchLabels['kubernetes.io/metadata.name']).toBe(
        'apps',
      );
      const alloyTargets = alloy.egress.map(
        (r: any) => r.to[0].podSelector?.matchLabels['app.kubernetes.io/name'] ?? 'api',
      );
      expect(alloyTargets).toEqual(['loki', 'tempo', 'api']);
      const grafanaTargets = policy('grafana').egress.map(
        (r: any) => r.to[0].podSelector?.matchLabels['app.kubernetes.io/name'] ?? 'api',
      );
      expect(grafanaTargets).toEqual(expect.arrayContaining(['loki', 'tempo', 'prometheus']));
      // S3 only where the stores use it.
      expect(policy('tempo').egress.length).toBe(stack === 'prod' ? 1 : 0);
    },
  );

  it('lists Loki, Tempo and Alloy per environment in the summary', () => {
    const run = spawnSync(process.execPath, [cli, 'dev', 'prod', '--out', join(work, 'summary')], {
      encoding: 'utf8',
      timeout: 240_000,
    });
    const text = `${run.stdout}${run.stderr}`;
    expect(text).toContain('Loki: SingleBinary, retention 7d, data in a 20Gi volume');
    expect(text).toContain(
      'Loki: SimpleScalable, retention 30d, data in S3 bucket platform-prod-444455556666-loki',
    );
    expect(text).toContain('Tempo: retention 336h, traces in S3 bucket platform-prod-444455556666-tempo');
    expect(text).toMatch(/Alloy: DaemonSet .* services sample 0\.1 of new traces/);
  }, 240_000);
});
