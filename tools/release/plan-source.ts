// Where the plan-reading commands (rollout-status, reachability) get a plan from: a written one
// (`--plan DIR`) or a fresh offline plan of `--root` (default: this repository).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { projectRoot } from '../plan/project-root';
import { readPlan, runPlan, type PlanResource } from './run-plan';

/** The offline plan of the environment failed; the message carries its output. */
export class PlanSourceError extends Error {}

export interface PlanSourceArgs {
  readonly positional: string[];
  readonly root: string;
  readonly planDir?: string;
}

/** `[--] <positional>... [--root DIR] [--plan DIR]`; a string is the problem with the arguments. */
export function parsePlanSourceArgs(argv: readonly string[]): PlanSourceArgs | string {
  const positional: string[] = [];
  let root = projectRoot();
  let planDir: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--') continue;
    if (arg === '--root' || arg === '--plan') {
      const value = argv[++i];
      if (value === undefined) return `${arg} needs a value`;
      if (arg === '--root') root = resolve(value);
      else planDir = resolve(value);
    } else if (arg === '--help' || arg === '-h') return '';
    else if (arg.startsWith('-')) return `unknown option "${arg}"`;
    else positional.push(arg);
  }
  return { positional, root, ...(planDir !== undefined && { planDir }) };
}

/** No plan to read and no stack file to plan: the problem, else undefined. */
export function missingStack(env: string, args: PlanSourceArgs): string | undefined {
  return args.planDir === undefined && !existsSync(join(args.root, `Pulumi.${env}.yaml`))
    ? `no stack file Pulumi.${env}.yaml in ${args.root}`
    : undefined;
}

/** The plan's resources: read from `planDir` (DIR or DIR/<env>), else planned now in a temporary folder. */
export async function loadPlan(
  env: string,
  args: PlanSourceArgs,
): Promise<{ resources: readonly PlanResource[]; source: string }> {
  if (args.planDir !== undefined) {
    const dir = existsSync(join(args.planDir, 'resources.json')) ? args.planDir : join(args.planDir, env);
    return { resources: readPlan(dir), source: `the plan at ${dir}` };
  }
  const out = mkdtempSync(join(tmpdir(), `plan-${env}-`));
  try {
    const run = await runPlan(args.root, env, out);
    if (run.resources === undefined) {
      throw new PlanSourceError(`the offline plan of ${env} failed (exit ${run.code}):\n${run.output}`);
    }
    return {
      resources: run.resources,
      source: `the offline plan of ${args.root} (${run.seconds.toFixed(1)} s)`,
    };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
