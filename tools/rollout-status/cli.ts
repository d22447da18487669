// `tools/run rollout-status -- <env> <service>`: what the platform will do when the service rolls out.
import { loadPlan, missingStack, parsePlanSourceArgs, PlanSourceError, type PlanResource } from '../release';
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

async function main(argv: readonly string[]): Promise<number> {
  const args = parsePlanSourceArgs(argv);
  if (typeof args === 'string') return usage(args);
  const { positional } = args;
  const [env, service, ...extra] = positional;
  if (env === undefined || service === undefined || extra.length > 0) {
    return usage(`expected <env> <service>, got ${positional.length} argument(s)`);
  }
  if (!isServiceName(service)) {
    return usage(
      `service must be one of the catalog's services ${SERVICE_NAMES.join(' | ')} (got ${JSON.stringify(service)})`,
    );
  }
  const missing = missingStack(env, args);
  if (missing !== undefined) return usage(missing);
  let loaded: { resources: readonly PlanResource[]; source: string };
  try {
    loaded = await loadPlan(env, args);
    process.stdout.write(`${explainService(planObjects(loaded.resources), env, service).join('\n')}\n`);
    process.stdout.write(`\n(read from ${loaded.source})\n`);
  } catch (err) {
    if (err instanceof RolloutStatusError || err instanceof PlanSourceError) {
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
