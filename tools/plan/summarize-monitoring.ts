/**
 * The monitoring stack of a plan in a few lines for review: Prometheus sizing, Alertmanager and where
 * each severity goes, Grafana and its dashboards, the rules and what is scraped. Read from the release's
 * values and the rendered objects, so the summary shows what would be applied.
 */
import type { PlannedResource } from './plan-mocks';

type Dict = Record<string, unknown>;
const dict = (v: unknown): Dict =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Dict) : {};
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

interface Obj {
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly labels?: Dict };
  readonly [key: string]: unknown;
}

/** "critical -> paging, chat" from the rendered route tree (first matching child routes, in order). */
function routeLines(route: Dict): string[] {
  const bySelector = new Map<string, string[]>();
  for (const child of list(route.routes).map(dict)) {
    const selector = list(child.matchers).map(String).join(', ') || 'everything';
    const receivers = bySelector.get(selector) ?? [];
    receivers.push(String(child.receiver));
    bySelector.set(selector, receivers);
  }
  return [
    ...[...bySelector].map(([selector, receivers]) => `${selector} -> ${[...new Set(receivers)].join(', ')}`),
    `otherwise -> ${String(route.receiver)}`,
  ];
}

export function monitoringLines(resources: readonly PlannedResource[], objects: readonly Obj[]): string[] {
  const release = resources.find(
    (r) => r.type === 'kubernetes:helm.sh/v3:Release' && r.inputs.chart === 'kube-prometheus-stack',
  );
  if (!release) return [];
  const values = dict(release.inputs.values);
  const where = `${String(release.inputs.namespace)}/${String(release.inputs.name)}`;
  const p = dict(dict(values.prometheus).prometheusSpec);
  const storage = dict(
    dict(dict(dict(dict(p.storageSpec).volumeClaimTemplate).spec).resources).requests,
  ).storage;
  const lines = [
    `Prometheus ${where}: ${String(p.replicas)} replica(s), retention ${String(p.retention)}, ${String(storage)} each, ` +
      `scrape every ${String(p.scrapeInterval)}, rules every ${String(p.evaluationInterval)}`,
  ];
  const am = dict(values.alertmanager);
  if (am.enabled === true) {
    const spec = dict(am.alertmanagerSpec);
    lines.push(
      `Alertmanager: ${String(spec.replicas)} replica(s), Secrets ${list(spec.secrets).join(', ') || 'none'}`,
    );
    lines.push(...routeLines(dict(dict(am.config).route)).map((l) => `  ${l}`));
  } else {
    lines.push('Alertmanager: off (Prometheus evaluates the alerts; nothing is sent)');
  }
  const dashboards = objects.filter(
    (o) => o.kind === 'ConfigMap' && dict(o.metadata.labels).grafana_dashboard === '1',
  );
  const grafana = dict(values.grafana);
  lines.push(
    `Grafana: admin login from Secret ${String(dict(grafana.admin).existingSecret)}; ${dashboards.length} dashboard(s)` +
      (dashboards.length > 0 ? `: ${dashboards.map((d) => d.metadata.name).join(', ')}` : ''),
  );
  const rules = objects
    .filter((o) => o.kind === 'PrometheusRule')
    .flatMap((o) => list(dict(o.spec).groups).flatMap((g) => list(dict(g).rules).map(dict)));
  const alerts = rules.filter((r) => typeof r.alert === 'string');
  const severities = new Map<string, number>();
  for (const a of alerts) {
    const s = String(dict(a.labels).severity ?? 'none');
    severities.set(s, (severities.get(s) ?? 0) + 1);
  }
  lines.push(
    `rules: ${alerts.length} alerts (${[...severities].map(([s, n]) => `${n} ${s}`).join(', ') || 'none'}), ` +
      `${rules.length - alerts.length} recording rules`,
  );
  lines.push(...logsAndTracesLines(resources, objects));
  const monitors = objects.filter((o) => o.kind === 'PodMonitor' || o.kind === 'ServiceMonitor');
  lines.push(
    `scraped: ${monitors.length} monitors (${monitors.map((m) => `${m.metadata.namespace ?? ''}/${m.metadata.name}`).join(', ')})`,
  );
  return lines;
}

/** Loki's mode and storage, Tempo's, Alloy's, and the services' trace sampling. */
function logsAndTracesLines(resources: readonly PlannedResource[], objects: readonly Obj[]): string[] {
  const values = (chart: string) =>
    dict(
      resources.find((r) => r.type === 'kubernetes:helm.sh/v3:Release' && r.inputs.chart === chart)?.inputs
        .values,
    );
  const lines: string[] = [];
  const loki = values('loki');
  if (Object.keys(loki).length > 0) {
    const l = dict(loki.loki);
    const storage = dict(l.storage);
    const where =
      storage.type === 's3'
        ? `S3 bucket ${String(dict(storage.bucketNames).chunks)}`
        : `a ${String(dict(dict(loki.singleBinary).persistence).size)} volume`;
    lines.push(
      `Loki: ${String(loki.deploymentMode)}, retention ${String(dict(l.limits_config).retention_period)}, data in ${where}`,
    );
  }
  const tempo = values('tempo');
  if (Object.keys(tempo).length > 0) {
    const t = dict(tempo.tempo);
    const trace = dict(dict(t.storage).trace);
    const where =
      trace.backend === 's3'
        ? `S3 bucket ${String(dict(trace.s3).bucket)}`
        : `a ${String(dict(tempo.persistence).size)} volume`;
    lines.push(`Tempo: retention ${String(t.retention)}, traces in ${where}`);
  }
  if (Object.keys(values('alloy')).length > 0) {
    const ratios = new Set(
      objects
        .filter((o) => o.kind === 'Deployment')
        .flatMap((o) =>
          list(dict(dict(dict(o.spec).template).spec).containers).flatMap((c) =>
            list(dict(c).env)
              .map(dict)
              .filter((e) => e.name === 'OTEL_TRACES_SAMPLER_ARG')
              .map((e) => String(e.value)),
          ),
        ),
    );
    lines.push(
      `Alloy: DaemonSet shipping pod logs to Loki and OTLP traces to Tempo; services sample ${[...ratios].join(', ') || 'no'} of new traces`,
    );
  }
  return lines;
}
