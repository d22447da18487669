import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { runTool } from '../../tools/prom-tools';
import { substituteGrafanaVariables } from './promql-metric-names';

export interface NamedExpression {
  readonly dashboard: string;
  readonly panel: string;
  readonly expr: string;
}

export interface PromqlCheck {
  readonly ok: boolean;
  /** promtool's output, naming the group (dashboard / panel) of each expression it refused. */
  readonly output: string;
}

/**
 * Parses every expression with the real Prometheus parser: each one (Grafana variables substituted) becomes a
 * recording rule in a group named after its dashboard and panel, and `promtool check rules` reads the file.
 * This is test tooling (it writes a temp file and runs promtool), not part of any chart.
 */
export function checkPromql(expressions: readonly NamedExpression[]): PromqlCheck {
  const dir = mkdtempSync(join(tmpdir(), 'dashboards-promql-'));
  try {
    const file = join(dir, 'dashboards.rules.yaml');
    const groups = expressions.map((e, i) => ({
      name: `${e.dashboard} / ${e.panel} #${i}`,
      rules: [{ record: `dashboard_query_${i}`, expr: substituteGrafanaVariables(e.expr) }],
    }));
    writeFileSync(file, stringify({ groups }, { lineWidth: 0 }));
    const result = runTool('promtool', ['check', 'rules', file]);
    return { ok: result.code === 0, output: `${result.stdout}${result.stderr}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
