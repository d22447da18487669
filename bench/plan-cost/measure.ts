import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One timed run of a command. */
export interface Run {
  readonly wallMs: number;
  /** Peak resident memory in MB (see peakRssMethod). */
  readonly peakRssMb: number;
  readonly code: number;
  readonly output: string;
}

const GNU_TIME = '/usr/bin/time';

/**
 * How peak memory is measured: GNU time's maximum resident set size (the largest single process of the
 * command's tree: for `--all`, one plan child), else the largest sum of the tree's RSS sampled from /proc.
 */
export function peakRssMethod(): 'gnu-time' | 'proc-sampling' {
  return existsSync(GNU_TIME) ? 'gnu-time' : 'proc-sampling';
}

/** RSS in kB of `pid` and all its descendants, from /proc (0 where /proc is unreadable). */
function treeRssKb(pid: number): number {
  const children = new Map<number, number[]>();
  let total = 0;
  const rss = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const status = readFileSync(`/proc/${entry}/status`, 'utf8');
      const ppid = Number(/^PPid:\s+(\d+)/m.exec(status)?.[1] ?? 0);
      rss.set(Number(entry), Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0));
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // exited meanwhile
    }
  }
  const queue = [pid];
  for (let next = queue.pop(); next !== undefined; next = queue.pop()) {
    total += rss.get(next) ?? 0;
    queue.push(...(children.get(next) ?? []));
  }
  return total;
}

/** Runs `command args` in `cwd` and measures its wall time and peak memory. */
export function measure(
  command: string,
  args: readonly string[],
  options: { readonly cwd: string; readonly env?: NodeJS.ProcessEnv },
): Promise<Run> {
  const gnu = peakRssMethod() === 'gnu-time';
  const scratch = mkdtempSync(join(tmpdir(), 'plan-cost-time-'));
  const timeFile = join(scratch, 'rss');
  const argv = gnu ? [GNU_TIME, '-f', '%M', '-o', timeFile, command, ...args] : [command, ...args];
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0] ?? command, argv.slice(1), {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let sampledKb = 0;
    const sampler = gnu
      ? undefined
      : setInterval(() => {
          if (child.pid !== undefined) sampledKb = Math.max(sampledKb, treeRssKb(child.pid));
        }, 50);
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
      if (sampler !== undefined) clearInterval(sampler);
      let kb = sampledKb;
      if (gnu) {
        const text = existsSync(timeFile) ? readFileSync(timeFile, 'utf8') : '';
        // GNU time writes "Command exited with non-zero status N" before the figure when the command fails.
        kb = Number(text.trim().split('\n').at(-1) ?? 0);
      }
      rmSync(scratch, { recursive: true, force: true });
      resolve({ wallMs, peakRssMb: kb / 1024, code: code ?? 1, output });
    });
  });
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? NaN)
    : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
}
