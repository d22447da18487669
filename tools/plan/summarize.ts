import { monitoringLines } from './summarize-monitoring';
import type { Finding } from '../policy';
import type { StackPlan } from './plan-stack';
import { dataStoreLines } from './summarize-data';
import { verdictLines } from './summarize-verdicts';

export interface ValidationFailure {
  readonly object: string;
  readonly path: string;
  readonly message: string;
}

function table(rows: readonly [string, string][], indent = '    '): string[] {
  const width = Math.max(0, ...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${indent}${k.padEnd(width)}  ${v}`);
}

function countBy<T>(items: readonly T[], key: (item: T) => string): [string, number][] {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return [...counts.entries()].sort(([a], [b]) => a.localeCompare(b));
}

type Dict = Record<string, unknown>;
const dict = (v: unknown): Dict => (v !== null && typeof v === 'object' ? (v as Dict) : {});

/** The terminal summary: resources by type, objects by namespace, workloads with their sizing, findings. */
export function summarize(
  plan: StackPlan,
  outDir: string,
  findings: {
    invalid: readonly ValidationFailure[];
    errors: readonly Finding[];
    warnings: readonly Finding[];
    /** Findings on objects that declare an exemption for the rule, with its reason. */
    exempted?: readonly (Finding & { reason: string })[];
    /** The NetworkPolicies' connections against the intended graph (stacks/intended-network.ts). */
    network?: { readonly connections: number; readonly problems: readonly string[] };
  },
): string {
  const lines = [`Plan of stack "${plan.stack}" -> ${outDir}`];
  lines.push(`  resources: ${plan.resources.length}`);
  lines.push(...table(countBy(plan.resources, (r) => r.type).map(([t, n]) => [t, String(n)])));

  lines.push(`  Kubernetes objects by namespace: ${plan.objects.length}`);
  const byNamespace = new Map<string, string[]>();
  for (const { object } of plan.objects) {
    const ns = object.metadata.namespace ?? '(cluster)';
    byNamespace.set(ns, [...(byNamespace.get(ns) ?? []), object.kind]);
  }
  lines.push(
    ...table(
      [...byNamespace.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([ns, kinds]) => [
          ns,
          countBy(kinds, (k) => k)
            .map(([k, n]) => `${n} ${k}`)
            .join(', '),
        ]),
    ),
  );

  const deployments = plan.objects
    .filter((o) => o.object.kind === 'Deployment' || o.object.kind === 'Rollout')
    .map((o) => o.object)
    .sort((a, b) =>
      `${a.metadata.namespace}/${a.metadata.name}`.localeCompare(
        `${b.metadata.namespace}/${b.metadata.name}`,
      ),
    );
  if (deployments.length > 0) {
    lines.push('  workloads:');
    const rows: [string, string][] = deployments.map((d) => {
      const spec = dict(d.spec);
      const hpa = plan.objects.find(
        (o) =>
          o.object.kind === 'HorizontalPodAutoscaler' &&
          o.object.metadata.namespace === d.metadata.namespace &&
          dict(dict(o.object.spec).scaleTargetRef).name === d.metadata.name,
      );
      const container = dict((dict(dict(dict(spec.template).spec).containers) as unknown as unknown[])[0]);
      const res = dict(container.resources);
      const req = dict(res.requests);
      const lim = dict(res.limits);
      const hpaSpec = hpa ? dict(hpa.object.spec) : undefined;
      const scaling = hpaSpec
        ? `HPA ${String(hpaSpec.minReplicas)}-${String(hpaSpec.maxReplicas)}`
        : 'no HPA';
      const pair = (r: Dict) =>
        r.cpu === undefined && r.memory === undefined ? 'none' : `${String(r.cpu)}/${String(r.memory)}`;
      return [
        `${d.metadata.namespace}/${d.metadata.name}`,
        `replicas ${String(spec.replicas)}, ${scaling}, requests ${pair(req)}, limits ${pair(lim)}` +
          (d.kind === 'Rollout' ? `; ${rolloutSummary(dict(spec.strategy))}` : ''),
      ];
    });
    lines.push(...table(rows));
  }

  const stores = dataStoreLines(plan.objects.map((o) => o.object));
  if (stores.length > 0) {
    lines.push('  data stores:');
    lines.push(...stores.map((line) => `    ${line}`));
  }

  const routes = plan.objects.map((o) => o.object).filter((o) => o.kind === 'HTTPRoute');
  if (routes.length > 0) {
    lines.push('  routes (north-south):');
    lines.push(...table(routes.flatMap(routeRows)));
  }

  const edge = plan.objects
    .map((o) => o.object)
    .filter((o) => o.kind === 'BackendTrafficPolicy' || o.kind === 'ClientTrafficPolicy');
  if (edge.length > 0) {
    lines.push('  edge policies:');
    lines.push(...table(edge.map(edgeRow)));
  }

  const monitoring = monitoringLines(
    plan.resources,
    plan.objects.map((o) => o.object),
  );
  if (monitoring.length > 0) {
    lines.push('  monitoring:');
    lines.push(...monitoring.map((line) => `    ${line}`));
  }

  const releases = plan.resources.filter((r) => r.type === 'kubernetes:helm.sh/v3:Release');
  if (releases.length > 0) {
    lines.push('  Helm releases:');
    lines.push(
      ...table(
        releases.map((r) => [
          `${String(r.inputs.namespace)}/${String(r.inputs.name)}`,
          `${String(r.inputs.chart)} ${String(r.inputs.version)}`,
        ]),
      ),
    );
  }

  lines.push(
    ...verdictLines(plan.objects.length, findings, '  ', {
      graphSource: 'stacks/intended-network.ts',
      networkHint: `tools/run reachability -- ${plan.stack}`,
    }),
  );
  const warnings = [
    ...plan.configWarnings.map((w) => `    [config:${w.rule}] ${w.path}: ${w.message}`),
    ...findings.warnings.map((f) => `    [${f.rule}] ${f.object}: ${f.message}`),
  ];
  lines.push(`  warnings: ${warnings.length === 0 ? 'none' : warnings.length}`);
  lines.push(...warnings);
  const exempted = findings.exempted ?? [];
  if (exempted.length > 0) {
    lines.push(`  exempted: ${exempted.length}`);
    for (const f of exempted) lines.push(`    [${f.rule}] ${f.object}: ${f.message} (exempt: ${f.reason})`);
  }
  return lines.join('\n');
}

/** `https://<host><prefix>` -> backends, or the listener and the redirect, per rule of an HTTPRoute. */
function routeRows(route: Dict): [string, string][] {
  const spec = dict(route.spec);
  const hosts = (Array.isArray(spec.hostnames) ? spec.hostnames : ['*']).map(String);
  const listeners = (Array.isArray(spec.parentRefs) ? spec.parentRefs : [])
    .map((p) => String(dict(p).sectionName ?? '*'))
    .join(',');
  const rows: [string, string][] = [];
  for (const rule of Array.isArray(spec.rules) ? spec.rules : []) {
    const r = dict(rule);
    const backends = (Array.isArray(r.backendRefs) ? r.backendRefs : []).map((b) => {
      const ref = dict(b);
      const weight = ref.weight === undefined ? '' : ` (weight ${String(ref.weight)})`;
      return `${String(dict(route.metadata).namespace)}/${String(ref.name)}:${String(ref.port)}${weight}`;
    });
    const redirect = (Array.isArray(r.filters) ? r.filters : [])
      .map((f) => dict(dict(f).requestRedirect))
      .find((x) => x.scheme !== undefined);
    const target =
      backends.length > 0
        ? backends.join(', ')
        : redirect
          ? `redirect to ${String(redirect.scheme)}`
          : 'nothing';
    const paths = (
      Array.isArray(r.matches) && r.matches.length > 0 ? r.matches : [{ path: { value: '/' } }]
    ).map((m) => String(dict(dict(m).path).value ?? '/'));
    for (const host of hosts) {
      for (const path of paths) rows.push([`[${listeners}] ${host}${path}`, `-> ${target}`]);
    }
  }
  return rows;
}

/** One line per Envoy Gateway policy: what it targets and the limits a reviewer checks. */
function edgeRow(policy: Dict): [string, string] {
  const spec = dict(policy.spec);
  const target = dict((Array.isArray(spec.targetRefs) ? spec.targetRefs : [])[0]);
  const key = `${String(policy.kind)} ${String(target.kind)}/${String(target.name)}`;
  if (policy.kind === 'ClientTrafficPolicy') {
    const hops = dict(dict(spec.clientIPDetection).xForwardedFor).numTrustedHops;
    const connection = dict(spec.connection);
    return [
      key,
      `trusted hops ${String(hops)}, ${String(dict(connection.connectionLimit).value)} connections, buffer ${String(connection.bufferLimit)}`,
    ];
  }
  const rules = dict(dict(spec.rateLimit).local).rules;
  const limit = dict(dict((Array.isArray(rules) ? rules : [])[0]).limit);
  const retries = dict(spec.retry).numRetries ?? 0;
  return [
    key,
    `timeout ${String(dict(dict(spec.timeout).http).requestTimeout)}, ${String(retries)} retries, ${String(limit.requests)}/${String(limit.unit).toLowerCase()} per client IP`,
  ];
}

/** One line on how a Rollout delivers: canary steps and analysis, or blue-green promotion. */
function rolloutSummary(strategy: Dict): string {
  const templates = (run: unknown) =>
    ((dict(run).templates ?? []) as { templateName?: string }[]).map((t) => String(t.templateName)).join('+');
  if (strategy.canary !== undefined) {
    const c = dict(strategy.canary);
    const steps = (c.steps ?? []) as Dict[];
    const path = steps
      .map((step) => {
        if (step.setWeight !== undefined) return `${String(step.setWeight)}%`;
        const pause = dict(step.pause);
        return pause.duration === undefined ? 'pause (manual)' : `pause ${String(pause.duration)}`;
      })
      .join(' -> ');
    const routed = c.trafficRouting === undefined ? 'split by pod counts' : 'weighted on the HTTPRoutes';
    return `canary ${path} -> 100%, ${routed}, analysis ${templates(c.analysis)}`;
  }
  const bg = dict(strategy.blueGreen);
  const promotion = bg.autoPromotionEnabled === false ? 'manual promotion' : 'automatic promotion';
  return (
    `blue-green ${String(bg.activeService)}/${String(bg.previewService)}, ${promotion}, ` +
    `before ${templates(bg.prePromotionAnalysis) || 'none'}, after ${templates(bg.postPromotionAnalysis) || 'none'}`
  );
}
