import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { DEFAULT_MAX_CHARS, formatMarkdown } from './format-markdown';
import { formatText } from './format-text';
import { diffOutDirs, OutDirError } from './out-dirs';

export const DIFF_USAGE = `usage: tools/run diff -- <base-out-dir> <head-out-dir> [options]
  compares the plans of every environment in either directory (<dir>/<env>/resources.json, as written
  by "tools/run plan -- --all --out <dir>"); an environment planned on one side only is added/removed
  --format text|markdown  text for a terminal (default), markdown for a pull-request comment
  --max-chars N           bound of the markdown (default ${DEFAULT_MAX_CHARS}, below GitHub's 65536); what does
                          not fit is cut and the comment points to the full report
  --artifact-url URL      where the full report is, named when the markdown is cut
                          (default: "the plan-diff artefact of this run")
  --env E                 only these environments (repeat, or E1,E2)
  --out FILE              write the report to FILE instead of stdout
  --exit-code             exit 1 when any environment changed (default: 0 with or without changes)
exit codes: 0 compared, 1 changed (only with --exit-code), 2 bad arguments or a missing plan`;

export type DiffFormat = 'text' | 'markdown';

export interface DiffOptions {
  readonly base: string;
  readonly head: string;
  readonly format: DiffFormat;
  readonly maxChars?: number;
  readonly artifactUrl?: string;
  readonly envs?: readonly string[];
  readonly out?: string;
  readonly exitCode?: boolean;
}

export const isDiffFormat = (v: string | undefined): v is DiffFormat => v === 'text' || v === 'markdown';

/** The options of `tools/run diff`, or the problem with them ('' for --help). */
export function parseDiffArgs(argv: readonly string[]): DiffOptions | string {
  const positional: string[] = [];
  const envs: string[] = [];
  let format: DiffFormat = 'text';
  let maxChars: number | undefined;
  let artifactUrl: string | undefined;
  let out: string | undefined;
  let exitCode = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--help' || arg === '-h') return '';
    if (arg === '--exit-code') {
      exitCode = true;
      continue;
    }
    if (['--format', '--max-chars', '--artifact-url', '--env', '--out'].includes(arg)) {
      const value = argv[++i];
      if (value === undefined) return `${arg} needs a value`;
      if (arg === '--format') {
        if (!isDiffFormat(value)) return `--format "${value}": must be text or markdown`;
        format = value;
      } else if (arg === '--max-chars') {
        if (!/^[0-9]+$/.test(value) || Number(value) < 500) {
          return `--max-chars "${value}": must be a whole number of characters, at least 500`;
        }
        maxChars = Number(value);
      } else if (arg === '--artifact-url') artifactUrl = value;
      else if (arg === '--env') envs.push(...value.split(',').filter((e) => e !== ''));
      else out = resolve(value);
      continue;
    }
    if (arg.startsWith('-')) return `unknown option "${arg}"`;
    positional.push(arg);
  }
  const [base, head, ...extra] = positional;
  if (base === undefined || head === undefined || extra.length > 0) {
    return `expected <base-out-dir> <head-out-dir>, got ${positional.length} argument(s)`;
  }
  return {
    base: resolve(base),
    head: resolve(head),
    format,
    ...(maxChars !== undefined && { maxChars }),
    ...(artifactUrl !== undefined && { artifactUrl }),
    ...(envs.length > 0 && { envs }),
    ...(out !== undefined && { out }),
    exitCode,
  };
}

export interface DiffRun {
  readonly code: number;
  /** The report; empty when written to `out`. */
  readonly stdout: string;
  readonly stderr: string;
}

/** Compares two plan out directories and renders the report. */
export function runDiff(o: DiffOptions): DiffRun {
  let envs;
  try {
    envs = diffOutDirs(o.base, o.head, o.envs);
  } catch (err) {
    if (err instanceof OutDirError) return { code: 2, stdout: '', stderr: `diff: ${err.message}\n` };
    throw err;
  }
  const report =
    o.format === 'markdown'
      ? formatMarkdown(envs, {
          ...(o.maxChars !== undefined && { maxChars: o.maxChars }),
          ...(o.artifactUrl !== undefined && { artifactUrl: o.artifactUrl }),
        })
      : formatText(envs, `plan diff ${o.base} -> ${o.head}`);
  const changed = envs.some((e) => e.status !== 'unchanged');
  const code = o.exitCode && changed ? 1 : 0;
  if (o.out === undefined) return { code, stdout: report, stderr: '' };
  mkdirSync(dirname(o.out), { recursive: true });
  writeFileSync(o.out, report);
  return { code, stdout: '', stderr: `diff: wrote ${o.out} (${report.length} characters)\n` };
}
