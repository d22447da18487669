/**
 * Build helpers: compile dist/ only when a source changed (build-if-stale.ts, run from source by the npm
 * scripts before the plan and the drills), and Node's compile cache for the plan's child processes.
 */
export { buildIfStale, checkFreshness } from './build-if-stale';
export type { BuildOptions, BuildOutcome, Freshness } from './build-if-stale';
