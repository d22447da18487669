import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../plan/project-root';

/** One resource of a written plan (`<out>/<stack>/resources.json`, tools/plan/write-plan.ts). */
export interface PlanResource {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, unknown>;
}

export interface PlanRun {
  readonly stack: string;
  /** plan-one's exit code: 0 planned, 1 crashed, 2 invalid stack config, 3 invalid objects or policies. */
  readonly code: number;
  /** The plan's summary (or its errors), as the plan CLI prints it. */
  readonly output: string;
  /** The plan's resources when it was written (code 0). */
  readonly resources?: readonly PlanResource[];
  readonly seconds: number;
}

/** The compiled plan (dist/), found from this file whether it runs from source (jest) or from dist/. */
export function compiledPlan(): { planOne: string; program: string } {
  const dist = join(projectRoot(__dirname), 'dist');
  const planOne = join(dist, 'tools', 'plan', 'plan-one.js');
  const program = join(dist, 'stacks', 'index.js');
  for (const file of [planOne, program]) {
    if (!existsSync(file)) throw new Error(`no compiled plan at ${file} (run "npm run build" first)`);
  }
  return { planOne, program };
}

/** Reads a written plan folder (`<out>/<stack>`). */
export function readPlan(dir: string): readonly PlanResource[] {
  const file = join(dir, 'resources.json');
  if (!existsSync(file)) throw new Error(`no plan at ${dir} (no resources.json; run "tools/run plan" first)`);
  return JSON.parse(readFileSync(file, 'utf8')) as PlanResource[];
}

/**
 * Plans one stack of the project at `root` into `<outRoot>/<stack>`, in a child process (the Pulumi
 * runtime is process-wide, so each plan gets its own): the same program, mocks, checks and output as
 * `tools/run plan`.
 */
export function runPlan(root: string, stack: string, outRoot: string): Promise<PlanRun> {
  const { planOne, program } = compiledPlan();
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [planOne, stack, outRoot, root, program], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const dir = join(outRoot, stack);
      const written = code === 0 && existsSync(join(dir, 'resources.json'));
      resolve({
        stack,
        code: code ?? 1,
        output: output.trimEnd(),
        ...(written && { resources: readPlan(dir) }),
        seconds,
      });
    });
  });
}
