/**
 * Progressive delivery as the offline plan renders it: rolling services stay Deployments, blue-green and
 * canary services become Argo Rollouts with their Services, HPA, routes and AnalysisTemplates; the
 * controller and its plugin are installed; and switching one service from rolling to canary changes exactly
 * the objects it should.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, parseDocument } from 'yaml';
import { CHARTS, GATEWAY_API_PLUGIN } from '../../infra/versions';
import { validateWithPublishedModels } from '../../tools/k8s-schema/crds/argo-rollouts-published-check';
import { ensureCompiled } from '../support/ensure-compiled';

const root = join(__dirname, '..', '..');
const cli = join(root, 'dist', 'tools', 'plan', 'cli.js');
const work = mkdtempSync(join(tmpdir(), 'delivery-plan-'));
const out = join(work, 'plan');

type Obj = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  spec?: any;
  rules?: any;
};
type Resource = { type: string; name: string; inputs: Record<string, any> };
const outputs: Record<string, string> = {};

function plan(args: string[], label: string): void {
  const run = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 240_000 });
  if (run.status !== 0) throw new Error(`plan ${label} failed:\n${run.stdout}${run.stderr}`);
  outputs[label] = run.stdout;
}
function objects(dir: string): Obj[] {
  return readdirSync(join(dir, 'manifests'), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => parse(readFileSync(join(e.parentPath, e.name), 'utf8')) as Obj);
}
const of = (stack: string) => objects(join(out, stack));
const find = (all: Obj[], kind: string, name: string, namespace = 'apps'): Obj => {
  const found = all.find(
    (o) => o.kind === kind && o.metadata.name === name && o.metadata.namespace === namespace,
  );
  if (!found) throw new Error(`no ${kind} ${namespace}/${name}`);
  return found;
};
const resources = (dir: string) =>
  JSON.parse(readFileSync(join(dir, 'resources.json'), 'utf8')) as Resource[];

/** A project root holding only the dev stack file, edited by `edit`, so two plans differ in that edit alone. */
function devVariant(name: string, edit: (doc: ReturnType<typeof parseDocument>) => void): string {
  const dir = join(work, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir);
  writeFileSync(join(dir, 'Pulumi.yaml'), 'name: platform\nruntime: nodejs\n');
  const doc = parseDocument(readFileSync(join(root, 'Pulumi.dev.yaml'), 'utf8'));
  edit(doc);
  writeFileSync(join(dir, 'Pulumi.dev.yaml'), doc.toString());
  return dir;
}

beforeAll(() => {
  ensureCompiled();
  plan(['--all', '--out', out], 'all');
  const services = ['config', 'platform:services'];
  const rolling = devVariant('rolling', (doc) => doc.deleteIn([...services, 'product', 'delivery']));
  const canary = devVariant('canary', (doc) =>
    doc.setIn([...services, 'product', 'delivery', 'strategy'], 'canary'),
  );
  plan(['dev', '--root', rolling, '--out', join(rolling, 'out')], 'rolling');
  plan(['dev', '--root', canary, '--out', join(canary, 'out')], 'canary');
}, 400_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('delivery strategies in the plan', () => {
  it('keeps a rolling service a Deployment with its HPA on the Deployment', () => {
    const qat = of('qat');
    expect(find(qat, 'Deployment', 'order').spec.strategy.type).toBe('RollingUpdate');
    expect(qat.filter((o) => o.kind === 'Rollout' && o.metadata.name === 'order')).toEqual([]);
    expect(find(qat, 'HorizontalPodAutoscaler', 'order').spec.scaleTargetRef).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: 'order',
    });
  });

  it('renders blue-green as a Rollout with active and preview Services and the HPA on it; manual promotion in prod only', () => {
    for (const [stack, auto] of [
      ['qat', true],
      ['prod', false],
    ] as const) {
      const all = of(stack);
      expect(all.filter((o) => o.kind === 'Deployment' && o.metadata.name === 'user')).toEqual([]);
      const bg = find(all, 'Rollout', 'user').spec.strategy.blueGreen;
      expect(bg).toMatchObject({
        activeService: 'user',
        previewService: 'user-preview',
        autoPromotionEnabled: auto,
        scaleDownDelaySeconds: 30,
        prePromotionAnalysis: { templates: [{ templateName: 'user-smoke' }] },
        postPromotionAnalysis: {
          templates: [{ templateName: 'user-slo' }],
          args: [{ name: 'track', value: 'stable' }],
        },
      });
      find(all, 'Service', 'user');
      find(all, 'Service', 'user-preview');
      expect(find(all, 'HorizontalPodAutoscaler', 'user').spec.scaleTargetRef).toEqual({
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Rollout',
        name: 'user',
      });
      const smoke = find(all, 'AnalysisTemplate', 'user-smoke').spec.metrics;
      expect(smoke[0].provider.web.url).toBe('http://user-preview.apps.svc.cluster.local/ready');
      // The smoke checks reach the preview pods: the controller is admitted on the service port.
      const ingress = find(all, 'NetworkPolicy', 'user').spec.ingress as any[];
      expect(ingress).toContainEqual(
        expect.objectContaining({
          from: [
            expect.objectContaining({
              namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'platform' } },
              podSelector: {
                matchLabels: expect.objectContaining({ 'app.kubernetes.io/name': 'argo-rollouts' }),
              },
            }),
          ],
        }),
      );
    }
  });

  it('renders a canary as a Rollout weighted on its HTTPRoute by the plugin, with the SLO AnalysisTemplate', () => {
    const prod = of('prod');
    const c = find(prod, 'Rollout', 'product').spec.strategy.canary;
    expect(c.steps).toEqual([
      { setWeight: 10 },
      { pause: { duration: '5m' } },
      { setWeight: 50 },
      { pause: { duration: '5m' } },
    ]);
    expect(c.analysis).toEqual({
      templates: [{ templateName: 'product-slo' }],
      args: [{ name: 'track', value: 'canary' }],
      startingStep: 1,
    });
    const routes = prod.filter(
      (o) =>
        o.kind === 'HTTPRoute' && o.metadata.namespace === 'apps' && o.metadata.name.startsWith('product'),
    );
    expect(
      c.trafficRouting.plugins['argoproj-labs/gatewayAPI'].httpRoutes.map((r: { name: string }) => r.name),
    ).toEqual(routes.map((r) => r.metadata.name).sort());
    for (const route of routes) {
      expect(route.spec.rules[0].backendRefs).toEqual([
        { group: '', kind: 'Service', name: 'product', port: 80, weight: 100 },
        { group: '', kind: 'Service', name: 'product-canary', port: 80, weight: 0 },
      ]);
    }
    // The plugin may patch exactly those routes, in the apps namespace only.
    const role = find(prod, 'Role', 'argo-rollouts-gatewayapi-plugin');
    const routeRule = role.rules.find((r: { resources: string[] }) => r.resources.includes('httproutes'));
    expect([...routeRule.resourceNames].sort()).toEqual(
      prod
        .filter((o) => o.kind === 'HTTPRoute' && o.metadata.namespace === 'apps')
        .filter((o) =>
          ['product', 'order'].some((s) => o.metadata.name === s || o.metadata.name.startsWith(`${s}-`)),
        )
        .map((o) => o.metadata.name)
        .sort(),
    );
    // The analysis measures the canary track of this service in this Prometheus, with the tier's thresholds.
    const slo = find(prod, 'AnalysisTemplate', 'product-slo').spec;
    expect(slo.args).toEqual([{ name: 'track' }]);
    const byName = Object.fromEntries(slo.metrics.map((m: { name: string }) => [m.name, m]));
    expect(Object.keys(byName).sort()).toEqual(['error-ratio', 'p99-latency', 'request-count']);
    for (const m of slo.metrics) {
      expect(m.provider.prometheus.address).toBe(
        'http://kube-prometheus-stack-prometheus.monitoring.svc.cluster.local:9090',
      );
      expect(m.provider.prometheus.query).toContain('track="{{args.track}}"');
      expect(m.provider.prometheus.query).toContain('service="product"');
      expect(m).toMatchObject({ interval: '1m', count: 5, failureLimit: 1, inconclusiveLimit: 2 });
    }
    expect(byName['error-ratio'].failureCondition).toContain('0.01');
    expect(byName['p99-latency'].failureCondition).toContain('0.5');
    // Too little traffic never fails a canary: the request count can only succeed or be inconclusive.
    expect([undefined, 'false']).toContain(byName['request-count'].failureCondition);
  });

  it('installs the pinned Argo Rollouts release with the Gateway API plugin and two controllers in prod', () => {
    for (const [stack, replicas] of [
      ['dev', 1],
      ['prod', 2],
    ] as const) {
      const release = resources(join(out, stack)).find(
        (r) => r.type === 'kubernetes:helm.sh/v3:Release' && r.inputs.chart === CHARTS.argoRollouts.chart,
      );
      expect(release?.inputs).toMatchObject({ version: CHARTS.argoRollouts.version, namespace: 'platform' });
      const controller = release?.inputs.values.controller;
      expect(controller.replicas).toBe(replicas);
      expect(controller.trafficRouterPlugins).toEqual([
        expect.objectContaining({
          name: 'argoproj-labs/gatewayAPI',
          location: expect.stringContaining(`/releases/download/${GATEWAY_API_PLUGIN.version}/`),
        }),
      ]);
      expect(release?.inputs.values.dashboard).toMatchObject({ enabled: false });
    }
    expect(outputs.all ?? '').toContain('platform/argo-rollouts                    argo-rollouts 2.41.0');
  });

  it('passes the strict schemas and policies in every environment, and the published Argo models agree', async () => {
    // One verdict per stack at the summary's first level; prod's DR standby has its own, indented under it.
    expect((outputs.all ?? '').match(/^ {2}policies: passed/gm)).toHaveLength(4);
    expect((outputs.all ?? '').match(/^ {2}schema: all \d+ objects valid/gm)).toHaveLength(4);
    expect((outputs.all ?? '').match(/^ {4}policies: passed/gm)).toHaveLength(1);
    const argo = ['dev', 'qat', 'uat', 'prod'].flatMap((s) =>
      of(s).filter((o) => o.apiVersion === 'argoproj.io/v1alpha1'),
    );
    // dev: product; qat: + user (two templates); uat and prod: + order.
    expect(argo.length).toBe(2 + 5 + 7 + 7);
    const verdicts = await validateWithPublishedModels(argo);
    expect(verdicts.flat()).toEqual([]);
  });

  it('switching one service from rolling to canary changes exactly the objects a canary needs', () => {
    const key = (o: Obj) => `${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`;
    const before = new Map(objects(join(work, 'rolling', 'out', 'dev')).map((o) => [key(o), o]));
    const after = new Map(objects(join(work, 'canary', 'out', 'dev')).map((o) => [key(o), o]));
    const added = [...after.keys()].filter((k) => !before.has(k)).sort();
    const removed = [...before.keys()].filter((k) => !after.has(k)).sort();
    const changed = [...after.keys()]
      .filter((k) => before.has(k) && JSON.stringify(before.get(k)) !== JSON.stringify(after.get(k)))
      .sort();
    expect(removed).toEqual(['Deployment apps/product']);
    expect(added).toEqual([
      'AnalysisTemplate apps/product-slo',
      'Role apps/argo-rollouts-gatewayapi-plugin',
      'RoleBinding apps/argo-rollouts-gatewayapi-plugin',
      'Rollout apps/product',
      'Service apps/product-canary',
    ]);
    // The workload's companions now cover every track and point at the Rollout; the route gains the canary.
    expect(changed).toEqual([
      'HTTPRoute apps/product',
      'HorizontalPodAutoscaler apps/product',
      'NetworkPolicy apps/product',
      'PodDisruptionBudget apps/product',
      'PodMonitor apps/product',
      // Room for both tracks at full size.
      'ResourceQuota apps/compute',
      'Service apps/product',
      'ServiceAccount apps/product',
    ]);
  });
});
