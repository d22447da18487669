import type { StackPlan } from './plan-stack';
import { verdictLines, type Verdicts } from './summarize-verdicts';

/** The DR standby's plan is written to `<out>/<stack>/standby/` (resources.json and manifests/). */
export const STANDBY_DIR = 'standby';

type Dict = Record<string, unknown>;
const dict = (v: unknown): Dict => (v !== null && typeof v === 'object' ? (v as Dict) : {});

/**
 * The standby's block of the summary, indented under the primary's: where it runs, its node groups' warm
 * sizes, its workloads' replicas, and the same verdicts (schema, policies, network) as the primary's.
 */
export function summarizeStandby(plan: StackPlan, outDir: string, findings: Verdicts): string {
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
  lines.push(...verdictLines(plan.objects.length, findings, '    '));
  return lines.join('\n');
}
