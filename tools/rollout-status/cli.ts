// `tools/run rollout-status -- <env> <service>`: what the platform will do when the service rolls out.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { projectRoot } from '../plan/project-root';
import { readPlan, runPlan, type PlanResource } from '../release';
import { isServiceName, SERVICE_NAMES } from '../../stacks/service-catalog';
import { explainService, RolloutStatusError } from './explain-service';
import { planObjects } from './plan-objects';

const USAGE = `usage: tools/run rollout-status -- <env> <service> [--plan DIR | --root DIR]
  <env>       a stack with a Pulumi.<env>.yaml (dev, qat, uat, prod)
  <service>   a service of the catalog (stacks/service-catalog.ts)
  --plan DIR  read a written plan instead of planning now: DIR/resources.json, or DIR/<env>/resources.json
              (e.g. --plan out after "tools/run plan <env>")
  --root DIR  folder with Pulumi.yaml and the stack files to plan (default: this repository)
exit codes: 0 explained, 1 crashed, 2 bad arguments, no such workload or the plan failed`;

async function loadPlan(env: string, root: string, planDir: string | undefined) {
  if (planDir !== undefined) {
    const dir = existsSync(join(planDir, 'resources.json')) ? planDir : join(planDir, env);
    return { resources: readPlan(dir), source: `the plan at ${dir}` };
  }
  const out = mkdtempSync(join(tmpdir(), `rollout-status-${env}-`));
  try {
    const run = await runPlan(root, env, out);
    if (run.resources === undefined) {
      throw new RolloutStatusError(`the offline plan of ${env} failed (exit ${run.code}):\n${run.output}`);
    }
    return { resources: run.resources, source: `the offline plan of ${root} (${run.seconds.toFixed(1)} s)` };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
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
  const [env, service, ...extra] = positional;
  if (env === undefined || service === undefined || extra.length > 0) {
    return usage(`expected <env> <service>, got ${positional.length} argument(s)`);
  }
  if (!isServiceName(service)) {
    return usage(
      `service must be one of the catalog's services ${SERVICE_NAMES.join(' | ')} (got ${JSON.stringify(service)})`,
    );
  }
  if (planDir === undefined && !existsSync(join(root, `Pulumi.${env}.yaml`))) {
    return usage(`no stack file Pulumi.${env}.yaml in ${root}`);
  }
  let loaded: { resources: readonly PlanResource[]; source: string };
  try {
    loaded = await loadPlan(env, root, planDir);
    process.stdout.write(`${explainService(planObjects(loaded.resources), env, service).join('\n')}\n`);
    process.stdout.write(`\n(read from ${loaded.source})\n`);
  } catch (err) {
    if (err instanceof RolloutStatusError) {
      process.stderr.write(`rollout-status: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
  return 0;
}

function usage(problem: string): number {
  process.stderr.write(problem === '' ? `${USAGE}\n` : `rollout-status: ${problem}\n${USAGE}\n`);
  return problem === '' ? 0 : 2;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(
      `rollout-status crashed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exit(1);
  },
);
