/**
 * The plan-cost benchmark (issue 17): `runPlanCostBench(options)` for the bench runner, `cli.ts` to run it
 * alone (`node dist/bench/plan-cost/cli.js [--quick]`).
 */
export { runPlanCostBench } from './plan-cost-bench';
export { planCost } from './plan-cost-benchmark';
export type { Figure, FixturePoint, GrowthPoint, PlanCostOptions, PlanCostResult } from './plan-cost-bench';
