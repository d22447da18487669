import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { runTool } from '../../tools/prom-tools';
import type { ToolResult } from '../../tools/prom-tools';
import type { RuleGroup } from '../slo';

/** One input series of a promtool unit test, in promtool's expanding notation (`0+10x60`). */
export interface SeriesInput {
  readonly series: string;
  readonly values: string;
}

export interface ExpectedAlert {
  /** Every label of the alert except alertname (promtool adds it). */
  readonly labels: Readonly<Record<string, string>>;
  /** Every annotation, expanded. */
  readonly annotations: Readonly<Record<string, string>>;
}

/** An alert_rule_test: at `evalTime` exactly `expected` fire (none: the alert must stay silent). */
export interface AlertCase {
  readonly alert: string;
  readonly title: string;
  readonly interval?: string;
  readonly series: readonly SeriesInput[];
  readonly evalTime: string;
  readonly expected: readonly ExpectedAlert[];
}

export function ruleFileYaml(groups: readonly RuleGroup[]): string {
  return stringify({ groups }, { lineWidth: 0 });
}

/** The promtool test file for `cases` against rules.yaml. */
export function promtoolTestYaml(cases: readonly AlertCase[]): string {
  return stringify(
    {
      rule_files: ['rules.yaml'],
      evaluation_interval: '1m',
      tests: cases.map((c) => ({
        name: `${c.alert}: ${c.title}`,
        interval: c.interval ?? '1m',
        input_series: c.series,
        alert_rule_test: [
          {
            eval_time: c.evalTime,
            alertname: c.alert,
            exp_alerts: c.expected.map((e) => ({ exp_labels: e.labels, exp_annotations: e.annotations })),
          },
        ],
      })),
    },
    { lineWidth: 0 },
  );
}

function withFiles<T>(files: Readonly<Record<string, string>>, run: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'promtool-'));
  try {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    return run(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `promtool check rules` on the groups as one rule file. */
export function checkRules(groups: readonly RuleGroup[]): ToolResult {
  return withFiles({ 'rules.yaml': ruleFileYaml(groups) }, (dir) =>
    runTool('promtool', ['check', 'rules', join(dir, 'rules.yaml')]),
  );
}

/** `promtool test rules` for the cases against exactly these groups. */
export function testRules(groups: readonly RuleGroup[], cases: readonly AlertCase[]): ToolResult {
  return withFiles({ 'rules.yaml': ruleFileYaml(groups), 'tests.yaml': promtoolTestYaml(cases) }, (dir) =>
    runTool('promtool', ['test', 'rules', 'tests.yaml'], { cwd: dir }),
  );
}
