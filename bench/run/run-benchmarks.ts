/**
 * `tools/run bench [<name>…] [--quick]`: runs the chosen benchmarks (all by default) one after another,
 * printing progress and each one's figures as they come, then one summary table, and writes everything
 * measured to out/bench/results.json with the machine and the date.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import type { Benchmark, Figure } from '../lib/bench';
import { BENCHMARKS } from './registry';

export interface BenchRunOptions {
  readonly names: readonly string[];
  readonly quick: boolean;
  /** @default out/bench/results.json under the repository */
  readonly out: string;
  readonly log: (line: string) => void;
  /** @default BENCHMARKS */
  readonly benchmarks?: readonly Benchmark[];
}

export interface BenchRecord {
  readonly name: string;
  readonly title: string;
  readonly seconds: number;
  readonly figures: readonly Figure[];
  readonly details?: unknown;
  readonly error?: string;
}

export interface BenchRun {
  readonly date: string;
  readonly quick: boolean;
  readonly machine: {
    readonly cpus: number;
    readonly cpuModel: string;
    readonly memoryGiB: number;
    readonly node: string;
    readonly platform: string;
  };
  readonly benchmarks: readonly BenchRecord[];
}

/** The benchmarks named (all when none), or an error naming the unknown ones and the known. */
export function selectBenchmarks(
  names: readonly string[],
  known: readonly Benchmark[] = BENCHMARKS,
): Benchmark[] {
  if (names.length === 0) return [...known];
  const unknown = names.filter((n) => !known.some((b) => b.name === n));
  if (unknown.length > 0) {
    throw new Error(
      `unknown benchmark ${unknown.map((n) => `"${n}"`).join(', ')}; known: ${known.map((b) => b.name).join(', ')}`,
    );
  }
  return known.filter((b) => names.includes(b.name));
}

export function formatValue(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return String(value);
  return Math.abs(value) >= 100 ? value.toFixed(0) : String(Number(value.toPrecision(3)));
}

/** The summary table: one row per figure, grouped by benchmark. */
export function summaryTable(records: readonly BenchRecord[]): string[] {
  const rows: [string, string, string][] = [];
  for (const record of records) {
    if (record.error !== undefined) {
      rows.push([record.name, 'FAILED', record.error.split('\n')[0] ?? '']);
      continue;
    }
    for (const f of record.figures)
      rows.push([record.name, f.label, `${formatValue(f.value)} ${f.unit}`.trim()]);
  }
  const width = (i: 0 | 1) => Math.max(...rows.map((r) => r[i].length), 9);
  const [w0, w1] = [width(0), width(1)];
  return [
    `${'benchmark'.padEnd(w0)}  ${'figure'.padEnd(w1)}  value`,
    `${'-'.repeat(w0)}  ${'-'.repeat(w1)}  -----`,
    ...rows.map(([a, b, c]) => `${a.padEnd(w0)}  ${b.padEnd(w1)}  ${c}`),
  ];
}

export async function runBenchmarks(options: BenchRunOptions): Promise<BenchRun> {
  const selected = selectBenchmarks(options.names, options.benchmarks);
  const { log } = options;
  const machine = {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  };
  log(
    `benchmarks: ${selected.map((b) => b.name).join(', ')}${options.quick ? ' (quick: proves every figure is produced, measures nothing reliably)' : ''}`,
  );
  log(`machine: ${machine.cpus} CPUs, ${machine.cpuModel}, ${machine.memoryGiB} GiB, Node ${machine.node}`);
  const records: BenchRecord[] = [];
  for (const [i, bench] of selected.entries()) {
    log('');
    log(`[${i + 1}/${selected.length}] ${bench.name}: ${bench.title}`);
    const workDir = mkdtempSync(join(tmpdir(), `bench-${bench.name}-`));
    const started = performance.now();
    try {
      const outcome = await bench.run({ quick: options.quick, log, workDir });
      const seconds = Math.round((performance.now() - started) / 100) / 10;
      records.push({
        name: bench.name,
        title: bench.title,
        seconds,
        figures: outcome.figures,
        details: outcome.details,
      });
      for (const f of outcome.figures) log(`  = ${f.label}: ${formatValue(f.value)} ${f.unit}`.trimEnd());
      log(`  (${seconds} s)`);
    } catch (err) {
      const seconds = Math.round((performance.now() - started) / 100) / 10;
      const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
      records.push({ name: bench.name, title: bench.title, seconds, figures: [], error: message });
      log(`  FAILED: ${message}`);
    } finally {
      rmSync(workDir, { recursive: true, force: true });
    }
  }
  const run: BenchRun = {
    date: new Date().toISOString(),
    quick: options.quick,
    machine,
    benchmarks: records,
  };
  mkdirSync(dirname(options.out), { recursive: true });
  writeFileSync(options.out, `${JSON.stringify(run, null, 2)}\n`);
  log('');
  for (const line of summaryTable(records)) log(line);
  log(`results: ${options.out}`);
  return run;
}
