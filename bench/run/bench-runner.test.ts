import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureCompiled } from '../../test/support/ensure-compiled';
import type { Benchmark } from '../lib/bench';
import { percentile } from '../lib/stats';
import { BENCHMARKS } from './registry';
import type { BenchRun } from './run-benchmarks';
import { formatValue, runBenchmarks, selectBenchmarks, summaryTable } from './run-benchmarks';

const root = join(__dirname, '..', '..');

describe('choosing benchmarks', () => {
  it('runs all by default and the named ones in registry order', () => {
    expect(selectBenchmarks([]).map((b) => b.name)).toEqual(BENCHMARKS.map((b) => b.name));
    expect(selectBenchmarks(['plan-cost', 'service-throughput']).map((b) => b.name)).toEqual([
      'service-throughput',
      'plan-cost',
    ]);
  });

  it('refuses an unknown name, listing the known ones', () => {
    expect(() => selectBenchmarks(['service-throughput', 'throughput'])).toThrow(
      'unknown benchmark "throughput"; known: service-throughput, order-path, tracing, graceful-shutdown, redis-failover, plan-cost',
    );
  });
});

describe('figures', () => {
  it('formats numbers for the table', () => {
    expect([formatValue(5884), formatValue(0.51234), formatValue(154.6), formatValue(Number.NaN)]).toEqual([
      '5884',
      '0.512',
      '155',
      'NaN',
    ]);
  });

  it('takes nearest-rank percentiles (p95 from every latency, not interpolated)', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect([
      percentile(values, 50),
      percentile(values, 95),
      percentile(values, 99),
      percentile([], 50),
    ]).toEqual([50, 95, 99, Number.NaN]);
  });

  it('keeps going after a failed benchmark, records it and shows it in the table', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-runner-'));
    try {
      const fake = (name: string, fail: boolean): Benchmark => ({
        name,
        title: name,
        run: async () => {
          if (fail) throw new Error('redis-server not found');
          return Promise.resolve({
            figures: [{ label: 'speed', value: 2.5, unit: 'req/s' }],
            details: { ok: true },
          });
        },
      });
      const lines: string[] = [];
      const out = join(dir, 'results.json');
      const run = await runBenchmarks({
        names: [],
        quick: true,
        out,
        log: (l) => lines.push(l),
        benchmarks: [fake('first', true), fake('second', false)],
      });
      expect(run.benchmarks.map((b) => [b.name, b.error?.split('\n')[0]])).toEqual([
        ['first', 'Error: redis-server not found'],
        ['second', undefined],
      ]);
      expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual(JSON.parse(JSON.stringify(run)));
      expect(summaryTable(run.benchmarks).slice(2)).toEqual([
        'first      FAILED     Error: redis-server not found',
        'second     speed      2.5 req/s',
      ]);
      expect(lines).toContain('  = speed: 2.5 req/s');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// The quick mode as a smoke test: every benchmark ran and produced numbers. Never a speed assertion.
describe('tools/run bench --quick', () => {
  let dir: string;
  let run: BenchRun;
  let output = '';
  let code: number | null = null;

  beforeAll(async () => {
    ensureCompiled();
    dir = mkdtempSync(join(tmpdir(), 'bench-quick-'));
    const child = spawn(
      process.execPath,
      [join(root, 'dist', 'bench', 'run', 'cli.js'), '--quick', '--out', join(dir, 'r.json')],
      {
        cwd: root,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    run = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as BenchRun;
  }, 900_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('runs every benchmark without a failure', () => {
    expect({
      code,
      failed: run.benchmarks.filter((b) => b.error).map((b) => `${b.name}: ${b.error}`),
    }).toEqual({
      code: 0,
      failed: [],
    });
    expect(run.benchmarks.map((b) => b.name)).toEqual(BENCHMARKS.map((b) => b.name));
    expect(run.quick).toBe(true);
    expect(run.machine.cpus).toBeGreaterThan(0);
  });

  it('gives every figure a finite number and prints it in the summary table', () => {
    for (const bench of run.benchmarks) {
      expect(bench.figures.length).toBeGreaterThan(2);
      for (const f of bench.figures) {
        expect({ bench: bench.name, label: f.label, finite: Number.isFinite(f.value) }).toEqual({
          bench: bench.name,
          label: f.label,
          finite: true,
        });
        expect(output).toContain(`${bench.name}`);
        expect(output).toContain(f.label);
      }
    }
  });

  it('measures what each benchmark promises: traffic served, orders placed, spans, drill writes, plan objects', () => {
    const details = Object.fromEntries(run.benchmarks.map((b) => [b.name, b.details])) as Record<
      string,
      never
    >;
    const st = details['service-throughput'] as unknown as {
      variants: Record<string, { requests: number; cpuMicrosPerRequest: number }>;
    };
    for (const v of ['bare', 'memory', 'redis']) {
      expect(st.variants[v]!.requests).toBeGreaterThan(0);
      expect(st.variants[v]!.cpuMicrosPerRequest).toBeGreaterThan(0);
    }
    const op = details['order-path'] as unknown as {
      unthrottled: { ordersPerSecond: number; hops: { service: string }[] };
    };
    expect(op.unthrottled.ordersPerSecond).toBeGreaterThan(0);
    // Every order reached user and product: the path really has three hops.
    expect(new Set(op.unthrottled.hops.map((h) => h.service))).toEqual(new Set(['order', 'user', 'product']));
    const tr = details.tracing as unknown as { spansReceived: number };
    expect(tr.spansReceived).toBeGreaterThan(0);
    const gs = details['graceful-shutdown'] as unknown as { answeredOk: number; exitCode: number };
    expect(gs.answeredOk).toBeGreaterThan(0);
    expect(gs.exitCode).toBe(0);
    const rf = details['redis-failover'] as unknown as { acknowledgedWrites: number; recoveryMs: number[] };
    expect(rf.acknowledgedWrites).toBeGreaterThan(0);
    expect(rf.recoveryMs).toHaveLength(1);
    const pc = details['plan-cost'] as unknown as {
      growth: { services: number; objects: number }[];
      fixtureBaseline: { objects: number };
    };
    expect(pc.growth.map((g) => g.services)).toEqual([10, 40]);
    // More services, more objects: the fixture really scales.
    expect(pc.growth[1]!.objects).toBeGreaterThan(pc.growth[0]!.objects);
    expect(pc.growth[0]!.objects).toBeGreaterThan(pc.fixtureBaseline.objects);
  });
});
