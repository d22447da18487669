import * as pulumi from '@pulumi/pulumi';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { PlanRecorder, type PlannedResource } from './plan-mocks';
import { checkAcrossStacks, ConfigError, type ConfigWarning } from '../../stacks/spec';
import { standbyName } from '../../stacks/standby-spec';
import { availableStacks, platformValues, readStackConfig, type StackConfig } from './stack-file';

/** A Kubernetes object the program declared, with the Pulumi resource that carries it. */
export interface PlannedObject {
  readonly resourceName: string;
  readonly object: Record<string, unknown> & {
    apiVersion: string;
    kind: string;
    metadata: { name: string; namespace?: string };
  };
}

export interface StackPlan {
  readonly stack: string;
  readonly resources: readonly PlannedResource[];
  readonly objects: readonly PlannedObject[];
  /**
   * The DR standby (stacks/standby.ts), when the program declares one: its resources (named `<stack>-standby-…`
   * or created through its providers) and Kubernetes objects, checked and written apart from the primary's
   * (`resources` and `objects` above), since both clusters hold the same objects.
   */
  readonly standby?: Pick<StackPlan, 'resources' | 'objects'>;
  /** What the program exported as `configWarnings` (valid but risky settings). */
  readonly configWarnings: readonly ConfigWarning[];
  /** What the stack file allows on the EKS public endpoint, for the cloud policies. */
  readonly endpointAccess?: {
    readonly publicAccessCidrs?: readonly string[];
    readonly allowPublicAccessFromAnywhere?: boolean;
  };
}

/**
 * Rules between this stack and the other stack files in the project (VPC blocks, backup buckets); a stack
 * file that cannot be read is left to its own plan.
 */
function checkOtherStacks(root: string, stack: string, config: StackConfig): void {
  const others = availableStacks(root)
    .filter((s) => s !== stack)
    .flatMap((s) => {
      try {
        return [{ stack: s, raw: platformValues(readStackConfig(root, s)) }];
      } catch {
        return [];
      }
    });
  const problems = checkAcrossStacks({ stack, raw: platformValues(config) }, others);
  if (problems.length > 0) throw new ConfigError(stack, problems);
}

function projectName(root: string): string {
  const doc = parse(readFileSync(join(root, 'Pulumi.yaml'), 'utf8')) as { name?: unknown } | null;
  if (typeof doc?.name !== 'string') throw new Error(`Pulumi.yaml in ${root} has no "name"`);
  return doc.name;
}

/** Set to 1 to keep stack traces while the program runs (they are off: see planStack). */
export const STACK_TRACES_ENV = 'PLAN_STACK_TRACES';

/** Resolves once no resource has been registered for a few turns of the event loop. */
export async function settle(recorder: PlanRecorder): Promise<void> {
  let last = -1;
  let quiet = 0;
  while (quiet < 5) {
    await new Promise((resolve) => setTimeout(resolve, 5));
    if (recorder.resources.length === last) quiet++;
    else {
      quiet = 0;
      last = recorder.resources.length;
    }
  }
}

/**
 * Runs the Pulumi program in this process on Pulumi's mock engine, with the stack's config, and returns
 * every resource it registered. The program is the real one (stacks/index), loaded after the mocks, so
 * the plan is what `pulumi preview` would send to the engine. Call once per process: the Pulumi runtime
 * and the program module are process-wide.
 */
export async function planStack(root: string, stack: string, programPath: string): Promise<StackPlan> {
  const config = readStackConfig(root, stack);
  checkOtherStacks(root, stack, config);
  const recorder = new PlanRecorder();
  const failures: unknown[] = [];
  let program: { configWarnings?: unknown } = {};
  const onRejection = (reason: unknown) => failures.push(reason);
  process.on('unhandledRejection', onRejection);
  // Pulumi stamps every promise it makes with `new Error().stack`, for a leak report a plan never shows:
  // capturing those traces is ~10% of the plan's time. Its resources' source positions set their own limit.
  const traceLimit = Error.stackTraceLimit;
  if (process.env[STACK_TRACES_ENV] !== '1') Error.stackTraceLimit = 0;
  try {
    await pulumi.runtime.setMocks(recorder, projectName(root), stack, true);
    recorder.attach(pulumi.runtime.getMonitor());
    pulumi.runtime.setAllConfig(config.values, config.secretKeys);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    program = require(programPath) as { configWarnings?: unknown };
    await pulumi.runtime.disconnect();
    await settle(recorder);
  } finally {
    Error.stackTraceLimit = traceLimit;
    process.off('unhandledRejection', onRejection);
  }
  if (failures.length > 0) throw failures[0];

  const all = [...recorder.resources].sort(
    (a, b) => a.type.localeCompare(b.type) || a.name.localeCompare(b.name),
  );
  const objectsOf = (rs: readonly PlannedResource[]): PlannedObject[] =>
    rs
      .filter((r) => r.custom && r.type.startsWith('kubernetes:') && typeof r.inputs.kind === 'string')
      .map((r) => ({ resourceName: r.name, object: r.inputs as PlannedObject['object'] }));
  const prefix = `${standbyName(stack)}-`;
  const throughStandby = (r: PlannedResource) => r.provider?.startsWith(prefix) === true;
  // Kubernetes objects by the cluster they are sent to; the rest also by name (components have no provider).
  const inStandby = (r: PlannedResource) =>
    r.custom && r.type.startsWith('kubernetes:')
      ? throughStandby(r)
      : throughStandby(r) || r.name.startsWith(prefix);
  const misrouted = all.filter(
    (r) => r.custom && r.type.startsWith('kubernetes:') && r.name.startsWith(prefix) && !throughStandby(r),
  );
  if (misrouted.length > 0) {
    throw new Error(
      `${stack}: ${misrouted.length} Kubernetes resource(s) of the DR standby would be sent to the primary's cluster ` +
        `(their provider is not the standby's): ${misrouted.map((r) => `${r.name} (provider ${r.provider ?? 'none'})`).join(', ')}`,
    );
  }
  const resources = all.filter((r) => !inStandby(r));
  const objects = objectsOf(resources);
  const standbyResources = all.filter(inStandby);
  const standby =
    standbyResources.length > 0
      ? { resources: standbyResources, objects: objectsOf(standbyResources) }
      : undefined;
  const configWarnings = Array.isArray(program.configWarnings)
    ? (program.configWarnings as ConfigWarning[])
    : [];
  const cluster = (platformValues(config).cluster ?? {}) as {
    publicAccessCidrs?: unknown;
    allowPublicAccessFromAnywhere?: unknown;
  };
  const endpointAccess = {
    ...(Array.isArray(cluster.publicAccessCidrs) && {
      publicAccessCidrs: cluster.publicAccessCidrs.filter((c): c is string => typeof c === 'string'),
    }),
    ...(cluster.allowPublicAccessFromAnywhere === true && { allowPublicAccessFromAnywhere: true }),
  };
  return { stack, resources, objects, ...(standby && { standby }), configWarnings, endpointAccess };
}
