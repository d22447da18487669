// `tools/run reachability -- <env> [--plan DIR]`: which pods of the environment may connect to which.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { projectRoot } from '../plan/project-root';
import { readPlan, runPlan, type PlanResource } from '../release';
import {
  formatEdge,
  reachability,
  ReachabilityError,
  type NetworkPolicyObject,
} from './network-reachability';
import { planNetworkPolicies, planPods } from './plan-pods';

const USAGE = `usage: tools/run reachability -- <env> [--plan DIR | --root DIR]
  <env>       a stack with a Pulumi.<env>.yaml (dev, qat, uat, prod)
  --plan DIR  read a written plan instead of planning now: DIR/resources.json, or DIR/<env>/resources.json
              (e.g. --plan out after "tools/run plan <env>")
  --root DIR  folder with Pulumi.yaml and the stack files to plan (default: this repository)
prints one line per allowed connection: <from> -> <to>:<port>/<protocol>  [policies that allow it]
exit codes: 0 printed, 1 crashed, 2 bad arguments or the plan failed`;

async function loadPlan(env: string, root: string, planDir: string | undefined) {
  if (planDir !== undefined) {
    const dir = existsSync(join(planDir, 'resources.json')) ? planDir : join(planDir, env);
    return { resources: readPlan(dir), source: `the plan at ${dir}` };
  }
  const out = mkdtempSync(join(tmpdir(), `reachability-${env}-`));
  try {
    const run = await runPlan(root, env, out);
    if (run.resources === undefined) {
      throw new ReachabilityError(`the offline plan of ${env} failed (exit ${run.code}):\n${run.output}`);
    }
    return { resources: run.resources, source: `the offline plan of ${root} (${run.seconds.toFixed(1)} s)` };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** The matrix of a plan's resources, one line per edge. */
export function reachabilityLines(resources: readonly PlanResource[]): string[] {
  const { pods, namespaces } = planPods(resources);
  const policies = planNetworkPolicies(resources) as unknown as NetworkPolicyObject[];
  return reachability({ pods, policies, namespaces }).map(formatEdge);
}

async function main(argv: readonly string[]): Promise<number> {
  const positional: string[] = [];
  let root = projectRoot();
  let planDir: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--') continue;
    if (arg === '--root' || arg === '--plan') {
      const value = argv[++i];
      if (value === undefined) return usage(`${arg} needs a value`);
      if (arg === '--root') root = resolve(value);
      else planDir = resolve(value);
    } else if (arg === '--help' || arg === '-h') return usage('');
    else if (arg.startsWith('-')) return usage(`unknown option "${arg}"`);
    else positional.push(arg);
  }
  const [env, ...extra] = positional;
  if (env === undefined || extra.length > 0)
    return usage(`expected <env>, got ${positional.length} argument(s)`);
  if (planDir === undefined && !existsSync(join(root, `Pulumi.${env}.yaml`))) {
    return usage(`no stack file Pulumi.${env}.yaml in ${root}`);
  }
  try {
    const loaded = await loadPlan(env, root, planDir);
    const lines = reachabilityLines(loaded.resources);
    process.stdout.write(`${lines.join('\n')}\n\n${lines.length} connections (read from ${loaded.source})\n`);
  } catch (err) {
    if (err instanceof ReachabilityError) {
      process.stderr.write(`reachability: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
  return 0;
}

function usage(problem: string): number {
  process.stderr.write(problem === '' ? `${USAGE}\n` : `reachability: ${problem}\n${USAGE}\n`);
  return problem === '' ? 0 : 2;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(
        `reachability crashed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
      );
      process.exit(1);
    },
  );
}
