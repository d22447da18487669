// Child process of the plan CLI: plans one stack (the Pulumi runtime is process-wide, so one per process).
// First, so that every module after it loads from Node's compile cache.
import '../build/compile-cache';
import { join } from 'node:path';
import type { NetworkSide } from '../../stacks/intended-network';
import { ConfigError } from '../../stacks/spec';
import {
  compareWithIntended,
  planReachabilityInput,
  ReachabilityError,
  stackNetworkFacts,
} from '../reachability';
import { checkPlan } from './check-plan';
import { planStack, STACK_TRACES_ENV } from './plan-stack';
import { StackFileError } from './stack-file';
import { summarize } from './summarize';
import { STANDBY_DIR, summarizeStandby } from './summarize-standby';
import { writePlan } from './write-plan';

export const EXIT = { ok: 0, crash: 1, badConfig: 2, invalidPlan: 3 } as const;

async function main(): Promise<number> {
  const [stack, outRoot, root, program] = process.argv.slice(2);
  if (stack === undefined || outRoot === undefined || root === undefined || program === undefined) {
    process.stderr.write('usage: plan-one <stack> <out-root> <project-root> <program>\n');
    return EXIT.crash;
  }
  let plan;
  try {
    plan = await planStack(root, stack, program);
  } catch (err) {
    if (err instanceof ConfigError || err instanceof StackFileError) {
      process.stderr.write(`${err.message}\n`);
      return EXIT.badConfig;
    }
    throw err;
  }
  const check = checkPlan(plan);
  // Which pods the NetworkPolicies let talk to which, against the intended graph of the same stack file.
  const network = networkCheck(plan.resources, root, stack);
  const outDir = join(outRoot, stack);
  // The DR standby: the same checks over its own objects (its own cluster), written to <out>/<stack>/standby.
  const standbyPlan = plan.standby && { ...plan, ...plan.standby };
  const standbyCheck = standbyPlan && checkPlan(standbyPlan);
  const standbyNetwork = standbyPlan && networkCheck(standbyPlan.resources, root, stack, 'standby');
  const bad = (c: typeof check, n: typeof network) =>
    c.invalid.length > 0 || c.errors.length > 0 || (n?.problems.length ?? 0) > 0;
  const failed = bad(check, network) || (standbyCheck !== undefined && bad(standbyCheck, standbyNetwork));
  if (!failed) {
    writePlan(plan, outDir);
    if (standbyPlan) writePlan(standbyPlan, join(outDir, STANDBY_DIR));
  }
  const where = (dir: string) => (failed ? `${dir} (not written)` : dir);
  const report = { ...check, ...(network !== undefined && { network }) };
  process.stdout.write(`${summarize(plan, where(outDir), report)}\n`);
  if (standbyPlan && standbyCheck) {
    const standbyReport = {
      ...standbyCheck,
      ...(standbyNetwork !== undefined && { network: standbyNetwork }),
    };
    process.stdout.write(
      `${summarizeStandby(standbyPlan, where(join(outDir, STANDBY_DIR)), standbyReport)}\n`,
    );
  }
  return failed ? EXIT.invalidPlan : EXIT.ok;
}

/** The plan's connections against the intended graph; a plan the model cannot read is one problem. */
function networkCheck(
  resources: Parameters<typeof planReachabilityInput>[0],
  root: string,
  stack: string,
  side: NetworkSide = 'primary',
): { connections: number; problems: readonly string[] } | undefined {
  try {
    const c = compareWithIntended(planReachabilityInput(resources), stackNetworkFacts(root, stack, side));
    return { connections: c.edges.length - c.unmanaged, problems: c.problems };
  } catch (err) {
    if (err instanceof ReachabilityError) return { connections: 0, problems: [err.message] };
    // Not a platform stack (another program under --program): there is no intended graph to compare with.
    if (err instanceof ConfigError) return undefined;
    throw err;
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    const text = err instanceof Error ? (err.stack ?? err.message) : String(err);
    // Errors raised while the program runs carry no frames unless asked for (see planStack).
    const hint = text.includes('\n    at ')
      ? ''
      : `\n(for a stack trace, run again with ${STACK_TRACES_ENV}=1)`;
    process.stderr.write(`plan crashed: ${text}${hint}\n`);
    process.exit(EXIT.crash);
  },
);
