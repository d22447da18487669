// `tools/run reachability -- <env> [--plan DIR]`: which pods of the environment may connect to which.
import { loadPlan, missingStack, parsePlanSourceArgs, PlanSourceError, type PlanResource } from '../release';
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

/** The matrix of a plan's resources, one line per edge. */
export function reachabilityLines(resources: readonly PlanResource[]): string[] {
  const { pods, namespaces } = planPods(resources);
  const policies = planNetworkPolicies(resources) as unknown as NetworkPolicyObject[];
  return reachability({ pods, policies, namespaces }).map(formatEdge);
}

async function main(argv: readonly string[]): Promise<number> {
  const args = parsePlanSourceArgs(argv);
  if (typeof args === 'string') return usage(args);
  const { positional } = args;
  const [env, ...extra] = positional;
  if (env === undefined || extra.length > 0)
    return usage(`expected <env>, got ${positional.length} argument(s)`);
  const missing = missingStack(env, args);
  if (missing !== undefined) return usage(missing);
  try {
    const loaded = await loadPlan(env, args);
    const lines = reachabilityLines(loaded.resources);
    process.stdout.write(`${lines.join('\n')}\n\n${lines.length} connections (read from ${loaded.source})\n`);
  } catch (err) {
    if (err instanceof ReachabilityError || err instanceof PlanSourceError) {
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
