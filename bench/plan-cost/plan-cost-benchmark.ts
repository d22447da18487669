import type { BenchOutcome, Benchmark } from '../lib/bench';
import { round } from '../lib/stats';
import { runPlanCostBench, type PlanCostResult } from './plan-cost-bench';

/** The plan-cost benchmark for the runner (`tools/run bench plan-cost`). */
export const planCost: Benchmark = {
  name: 'plan-cost',
  title: 'tools/run plan: wall time and peak memory, and the cost per Kubernetes object',
  run: async (context): Promise<BenchOutcome<PlanCostResult>> => {
    const r = await runPlanCostBench({ quick: context.quick, log: (line) => context.log(`  ${line}`) });
    const largest = r.growth.at(-1);
    return {
      details: r,
      figures: [
        {
          label: 'plan dev, warm',
          value: round(r.oneEnvWarm.wallMs),
          unit: `ms (${round(r.oneEnvWarm.peakRssMb)} MB)`,
        },
        {
          label: 'plan --all, warm',
          value: round(r.allWarm.wallMs),
          unit: `ms (${round(r.allWarm.peakRssMb)} MB)`,
        },
        { label: 'plan dev after a one-line change', value: round(r.oneEnvAfterChange.wallMs), unit: 'ms' },
        {
          label: `per object at ${largest?.services ?? '?'} services (${largest?.objects ?? '?'} objects)`,
          value: round(largest?.msPerObject ?? Number.NaN),
          unit: 'ms',
        },
        { label: 'per-object cost, largest / smallest size', value: round(r.linearity.ratio), unit: '×' },
      ],
    };
  },
};
