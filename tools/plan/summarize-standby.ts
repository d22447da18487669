import type { Finding } from '../policy';
import type { StackPlan } from './plan-stack';
import type { ValidationFailure } from './summarize';

/** The DR standby's plan is written to `<out>/<stack>/standby/` (resources.json and manifests/). */
export const STANDBY_DIR = 'standby';

type Dict = Record<string, unknown>;
const dict = (v: unknown): Dict => (v !== null && typeof v === 'object' ? (v as Dict) : {});

/**
 * The standby's block of the summary, indented under the primary's: where it runs, its node groups' warm
 * sizes, its workloads' replicas, and the same verdicts (schema, policies, network) as the primary's.
 */
export function summarizeStandby(
  plan: StackPlan,
  outDir: string,
  findings: {
    invalid: readonly ValidationFailure[];
    errors: readonly Finding[];
    network?: { readonly connections: number; readonly problems: readonly string[] };
  },
): string {
  const cluster = plan.resources.find((r) => r.type === 'eks:index:Cluster');
  const provider = plan.resources.find((r) => r.type === 'pulumi:providers:aws');
  const lines = [
    `  standby -> ${outDir}`,
    `    cluster ${String(cluster?.inputs.name)} in ${String(provider?.inputs.region)}: ${plan.resources.length} resources, ${plan.objects.length} Kubernetes objects`,
  ];
  for (const group of plan.resources.filter((r) => r.type === 'aws:eks/nodeGroup:NodeGroup')) {
    const s = dict(group.inputs.scalingConfig);
    lines.push(
      `    node group ${group.name}: min ${String(s.minSize)}, desired ${String(s.desiredSize)}, max ${String(s.maxSize)}`,
    );
  }
  if (findings.invalid.length > 0) {
    lines.push(`    INVALID objects (Kubernetes schema): ${findings.invalid.length} problem(s)`);
    for (const f of findings.invalid)
      lines.push(`      ${f.object}: ${f.path === '' ? '' : `${f.path}: `}${f.message}`);
  } else {
    lines.push(`    schema: all ${plan.objects.length} objects valid (strict: unknown fields rejected)`);
  }
  if (findings.errors.length > 0) {
    lines.push(`    POLICY violations: ${findings.errors.length}`);
    for (const f of findings.errors) lines.push(`      [${f.rule}] ${f.object}: ${f.message}`);
  } else {
    lines.push('    policies: passed');
  }
  if (findings.network !== undefined) {
    const { connections, problems } = findings.network;
    lines.push(
      problems.length > 0
        ? `    NETWORK differs from the intended graph: ${problems.length} edge(s)`
        : `    network: ${connections} connections allowed, equal to the intended graph`,
    );
    lines.push(...problems.map((p) => `      ${p}`));
  }
  return lines.join('\n');
}
