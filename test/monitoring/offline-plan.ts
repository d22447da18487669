/**
 * The offline plan of a stack, produced the way a user produces it (tsc -p tsconfig.build.json, then the
 * compiled plan CLI), in a temporary directory: `<out>/<stack>/resources.json` and
 * `<out>/<stack>/manifests/<namespace>/<kind>-<name>.yaml` (tools/plan/write-plan.ts).
 */
import { ensureCompiled } from '../support/ensure-compiled';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';

const root = join(__dirname, '..', '..');

export interface PlannedResource {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, unknown>;
}

export interface OfflinePlan {
  readonly dir: string;
  readonly resources: readonly PlannedResource[];
  /** The object in `<namespace>/<file>`, e.g. manifest('apps', 'podmonitor-order.yaml'). */
  manifest<T = Record<string, unknown>>(namespace: string, file: string): T;
  /** Every object of one kind (by file prefix `<kind>-`) across namespaces. */
  manifestsOfKind<T = Record<string, unknown>>(kind: string): T[];
  remove(): void;
}

/** Builds the plan CLI and plans `stack`. Throws with the compiler's or the CLI's output on failure. */
export function planStack(stack: string): OfflinePlan {
  // One build per jest run, shared with the plan tests (two builds writing dist/ at once would race).
  ensureCompiled();
  const dir = mkdtempSync(join(tmpdir(), 'monitoring-plan-'));
  const run = spawnSync(
    process.execPath,
    [join(root, 'dist', 'tools', 'plan', 'cli.js'), stack, '--out', dir],
    {
      encoding: 'utf8',
      timeout: 180_000,
    },
  );
  const out = join(dir, stack);
  if (run.status !== 0 || !existsSync(join(out, 'resources.json'))) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`plan ${stack} failed (exit ${run.status}):\n${run.stdout}${run.stderr}`);
  }
  const manifests = join(out, 'manifests');
  const read = <T>(path: string): T => parse(readFileSync(path, 'utf8')) as T;
  return {
    dir,
    resources: JSON.parse(readFileSync(join(out, 'resources.json'), 'utf8')) as PlannedResource[],
    manifest: <T>(namespace: string, file: string) => {
      const path = join(manifests, namespace, file);
      if (!existsSync(path)) {
        const there = existsSync(join(manifests, namespace)) ? readdirSync(join(manifests, namespace)) : [];
        throw new Error(
          `the ${stack} plan has no ${namespace}/${file} (${namespace}/ holds: ${there.join(', ')})`,
        );
      }
      return read<T>(path);
    },
    manifestsOfKind: <T>(kind: string) =>
      readdirSync(manifests)
        .sort()
        .flatMap((ns) =>
          readdirSync(join(manifests, ns))
            .filter((f) => f.startsWith(`${kind.toLowerCase()}-`) && f.endsWith('.yaml'))
            .sort()
            .map((f) => read<T>(join(manifests, ns, f))),
        ),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export interface PrometheusSpecValues {
  readonly scrapeInterval?: string;
  readonly scrapeTimeout?: string;
  readonly evaluationInterval?: string;
  readonly externalLabels?: Readonly<Record<string, string>>;
}

/** `prometheus.prometheusSpec` of the plan's kube-prometheus-stack Helm release. */
export function prometheusSpecValues(plan: OfflinePlan): PrometheusSpecValues {
  const releases = plan.resources.filter(
    (r) => r.type === 'kubernetes:helm.sh/v3:Release' && r.inputs.chart === 'kube-prometheus-stack',
  );
  const [release, ...others] = releases;
  if (release === undefined || others.length > 0) {
    throw new Error(
      `the plan must hold exactly one kube-prometheus-stack release (found ${releases.length})`,
    );
  }
  const values = release.inputs.values as
    { prometheus?: { prometheusSpec?: PrometheusSpecValues } } | undefined;
  return values?.prometheus?.prometheusSpec ?? {};
}
