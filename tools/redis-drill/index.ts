export { runFailoverDrill, type FailoverDrillOptions, type FailoverDrillResult } from './failover-drill';
export { summarizeRounds, type DrillSummary } from './drill-summary';
