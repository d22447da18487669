// `tools/run reachability -- <env> [--plan DIR]`: which pods of the environment may connect to which.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../../stacks/spec';
import { StackFileError } from '../plan/stack-file';
import { loadPlan, missingStack, parsePlanSourceArgs, PlanSourceError, type PlanResource } from '../release';
import { compareWithIntended, planReachabilityInput } from './intended-check';
import { formatEdge, reachability, ReachabilityError } from './network-reachability';
import { stackNetworkFacts } from './stack-facts';

const USAGE = `usage: tools/run reachability -- <env> [--plan DIR | --root DIR]
  <env>       a stack with a Pulumi.<env>.yaml (dev, qat, uat, prod)
  --plan DIR  read a written plan instead of planning now: DIR/resources.json, or DIR/<env>/resources.json
              (e.g. --plan out after "tools/run plan <env>")
  --root DIR  folder with Pulumi.yaml and the stack files to plan (default: this repository)
prints one line per allowed connection: <from> -> <to>:<port>/<protocol>  [policies that allow it],
then compares them with the intended graph (stacks/intended-network.ts, facts from Pulumi.<env>.yaml in
--root): every extra edge with the policies that allow it, every missing edge with the side that blocks it
exit codes: 0 equal to the intended graph, 1 crashed, 2 bad arguments or the plan failed,
            3 the connections differ from the intended graph`;

/** The matrix of a plan's resources, one line per edge. */
export function reachabilityLines(resources: readonly PlanResource[]): string[] {
  return reachability(planReachabilityInput(resources)).map(formatEdge);
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
    const input = planReachabilityInput(loaded.resources);
    const lines = reachability(input).map(formatEdge);
    process.stdout.write(`${lines.join('\n')}\n\n${lines.length} connections (read from ${loaded.source})\n`);
    if (!existsSync(join(args.root, `Pulumi.${env}.yaml`))) {
      process.stdout.write(`no Pulumi.${env}.yaml in ${args.root}: not compared with the intended graph\n`);
      return 0;
    }
    const c = compareWithIntended(input, stackNetworkFacts(args.root, env));
    const managed = c.edges.length - c.unmanaged;
    if (c.problems.length === 0) {
      process.stdout.write(
        `${managed} of them are the platform's to decide (${c.unmanaged} start in kube-system), equal to the intended graph\n`,
      );
      return 0;
    }
    process.stdout.write(
      `\nthe connections differ from the intended graph (stacks/intended-network.ts): ${c.diff.extra.length} extra, ${c.diff.missing.length} missing\n${c.problems.join('\n')}\n`,
    );
    return 3;
  } catch (err) {
    if (
      err instanceof ReachabilityError ||
      err instanceof PlanSourceError ||
      err instanceof ConfigError ||
      err instanceof StackFileError
    ) {
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
