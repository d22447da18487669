/**
 * What `tools/run plan` costs (issue 17): wall time and peak memory of one environment and of `--all` with
 * everything warm, of one environment after a one-line TypeScript change (in a copy of the project, so the
 * repository is never edited), and how the plan grows with the number of services, per Kubernetes object,
 * on synthetic fixture projects (fixture-program.ts through `--root`/`--program`).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { countObjects, FIXTURE_STACK, fixtureProgram, writeFixtureRoot } from './fixture-project';
import { measure, median, peakRssMethod, type Run } from './measure';
import { copyProject, editOneLine } from './project-copy';

export interface PlanCostOptions {
  /** The repository to measure (default: the one this file is compiled in). */
  readonly root?: string;
  /** Measured runs per figure; the median is reported (default 3, quick 1). */
  readonly rounds?: number;
  /** Services per synthetic project (default 10, 50, 200; quick 10, 40). */
  readonly sizes?: readonly number[];
  /** Smaller sizes and one round, for a smoke test. */
  readonly quick?: boolean;
  /** Where the table goes as it runs (default stdout); pass `() => undefined` to stay quiet. */
  readonly log?: (line: string) => void;
}

export interface Figure {
  /** Median wall time of the measured runs. */
  readonly wallMs: number;
  /** Median peak resident memory (MB). */
  readonly peakRssMb: number;
  readonly runs: number;
}

export interface FixturePoint extends Figure {
  readonly services: number;
  readonly objects: number;
  /** Wall time over all objects, startup included. */
  readonly wallMsPerObject: number;
}

export interface GrowthPoint extends FixturePoint {
  /** (wall - wall of the empty fixture) / (objects - its objects): the cost each object adds. */
  readonly msPerObject: number;
}

export interface PlanCostResult {
  readonly date: string;
  readonly machine: { readonly cpus: number; readonly cpuModel: string; readonly node: string };
  readonly peakRssMethod: 'gnu-time' | 'proc-sampling';
  readonly rounds: number;
  /** `tools/run plan dev`, nothing changed since the last build. */
  readonly oneEnvWarm: Figure;
  /** `tools/run plan --all`, nothing changed. */
  readonly allWarm: Figure;
  /** `tools/run plan dev` right after a one-line change to stacks/environment.ts (recompiles). */
  readonly oneEnvAfterChange: Figure;
  /** The synthetic project with no services (namespaces only): the fixed cost the growth is measured from. */
  readonly fixtureBaseline: FixturePoint;
  readonly growth: readonly GrowthPoint[];
  /** msPerObject at the largest size over msPerObject at the smallest: about 1 when the cost is linear. */
  readonly linearity: { readonly smallest: number; readonly largest: number; readonly ratio: number };
}

const DEFAULT_SIZES = [10, 50, 200];
/** What tools/build/build-if-stale.ts prints when it compiles. */
const REBUILT = '[build] compiled';
// Far enough apart that one noisy round still shows the per-object cost.
const QUICK_SIZES = [10, 40];

function repoRoot(): string {
  // dist/bench/plan-cost -> the repository (the folder with Pulumi.yaml).
  for (let dir = __dirname; ; dir = join(dir, '..')) {
    if (existsSync(join(dir, 'Pulumi.yaml')) && existsSync(join(dir, 'tools', 'run'))) return dir;
    if (dir === join(dir, '..')) throw new Error(`no repository above ${__dirname}`);
  }
}

function cpuModel(): string {
  try {
    const info = readFileSync('/proc/cpuinfo', 'utf8');
    return /^model name\s*:\s*(.+)$/m.exec(info)?.[1]?.trim() ?? cpus()[0]?.model ?? 'unknown';
  } catch {
    return cpus()[0]?.model ?? 'unknown';
  }
}

function check(run: Run, what: string): Run {
  if (run.code !== 0) throw new Error(`${what} exited ${run.code}:\n${run.output.slice(-4000)}`);
  return run;
}

function figure(runs: readonly Run[]): Figure {
  return {
    wallMs: median(runs.map((r) => r.wallMs)),
    peakRssMb: median(runs.map((r) => r.peakRssMb)),
    runs: runs.length,
  };
}

const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');

export async function runPlanCostBench(options: PlanCostOptions = {}): Promise<PlanCostResult> {
  const root = options.root ?? repoRoot();
  const quick = options.quick === true;
  const rounds = options.rounds ?? (quick ? 1 : 3);
  const sizes = [...(options.sizes ?? (quick ? QUICK_SIZES : DEFAULT_SIZES))].sort((a, b) => a - b);
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const scratch = mkdtempSync(join(tmpdir(), 'plan-cost-'));
  const row = (label: string, f: Figure, extra = '') =>
    log(`${label.padEnd(34)} ${fmt(f.wallMs).padStart(8)} ms ${fmt(f.peakRssMb).padStart(7)} MB${extra}`);
  try {
    log(`plan cost (${rounds} round(s), medians; peak RSS by ${peakRssMethod()})`);
    log(`${'figure'.padEnd(34)} ${'wall'.padStart(11)} ${'peak RSS'.padStart(10)}`);
    const runTool = (cwd: string, args: readonly string[], what: string) =>
      measure('bash', [join(cwd, 'tools', 'run'), 'plan', ...args], { cwd }).then((r) => check(r, what));
    // Warm-up runs build if needed and fill the caches; quick mode warms up only the first figure (and the
    // project copy, whose first compile rebuilds everything: tsc's build info names the original paths).
    let warmed = false;
    const repeat = async (
      once: (round: number) => Promise<Run>,
      warmUp = !quick || !warmed,
    ): Promise<Figure> => {
      if (warmUp) await once(0);
      warmed = true;
      const runs: Run[] = [];
      for (let round = 1; round <= rounds; round++) runs.push(await once(round));
      return figure(runs);
    };
    // Other sessions may edit sources meanwhile: a warm figure's run that recompiled is run again (twice at most).
    const warm = async (run: () => Promise<Run>): Promise<Run> => {
      let result = await run();
      for (let retry = 0; retry < 2 && result.output.includes(REBUILT); retry++) result = await run();
      return result;
    };

    const out = join(scratch, 'out');
    const oneEnvWarm = await repeat(() =>
      warm(() => runTool(root, ['dev', '--out', out], 'tools/run plan dev')),
    );
    row('tools/run plan dev (warm)', oneEnvWarm);
    const allWarm = await repeat(() =>
      warm(() => runTool(root, ['--all', '--out', out], 'tools/run plan --all')),
    );
    row('tools/run plan --all (warm)', allWarm);

    const copy = join(scratch, 'project');
    copyProject(root, copy);
    const oneEnvAfterChange = await repeat(async (round) => {
      editOneLine(copy, round);
      const run = await runTool(copy, ['dev', '--out', out], 'tools/run plan dev (project copy)');
      if (!run.output.includes(REBUILT))
        throw new Error('the plan did not recompile after a one-line change');
      return run;
    }, true);
    row('tools/run plan dev (1-line change)', oneEnvAfterChange, '  (recompiles, in a copy)');

    const point = async (services: number): Promise<FixturePoint> => {
      const fixture = join(scratch, `fixture-${services}`);
      rmSync(fixture, { recursive: true, force: true });
      mkdirSync(fixture, { recursive: true });
      writeFixtureRoot(fixture, services);
      const planOut = join(fixture, 'out');
      const args = [
        join(root, 'dist', 'tools', 'plan', 'cli.js'),
        FIXTURE_STACK,
        '--root',
        fixture,
        '--program',
        fixtureProgram(root),
        '--out',
        planOut,
      ];
      const f = await repeat(() =>
        measure(process.execPath, args, { cwd: root }).then((r) => check(r, `plan of ${services} services`)),
      );
      const objects = countObjects(join(planOut, FIXTURE_STACK));
      return { ...f, services, objects, wallMsPerObject: f.wallMs / Math.max(1, objects) };
    };
    const fixtureBaseline = await point(0);
    row(`fixture, 0 services (${fixtureBaseline.objects} objects)`, fixtureBaseline, '  (fixed cost)');
    const growth: GrowthPoint[] = [];
    for (const services of sizes) {
      const measured = await point(services);
      const added = Math.max(1, measured.objects - fixtureBaseline.objects);
      const p = { ...measured, msPerObject: (measured.wallMs - fixtureBaseline.wallMs) / added };
      growth.push(p);
      row(
        `fixture, ${services} services (${p.objects} objects)`,
        p,
        `  ${fmt(p.msPerObject, 2)} ms/object (${fmt(p.wallMsPerObject, 2)} with startup)`,
      );
    }
    const smallest = growth[0]?.msPerObject ?? Number.NaN;
    const largest = growth.at(-1)?.msPerObject ?? Number.NaN;
    const linearity = { smallest, largest, ratio: largest / smallest };
    log(`growth: ${fmt(largest, 2)} ms/object at the largest size, ${fmt(linearity.ratio, 2)}x the smallest`);
    return {
      date: new Date().toISOString(),
      machine: { cpus: cpus().length, cpuModel: cpuModel(), node: process.version },
      peakRssMethod: peakRssMethod(),
      rounds,
      oneEnvWarm,
      allWarm,
      oneEnvAfterChange,
      fixtureBaseline,
      growth,
      linearity,
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
