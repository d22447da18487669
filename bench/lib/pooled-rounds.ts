import type { LoadResult } from './load';
import { percentile, round } from './stats';

/** One variant's rounds taken together: percentiles over every latency, CPU spread over every request. */
export interface PooledFigures {
  readonly rps: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
  readonly requests: number;
  readonly failed: number;
  /** CPU time (user + system) of the server process per request, in microseconds. */
  readonly cpuMicrosPerRequest: number;
}

/** `results` of one variant's rounds, with `cpuMs` of server CPU time measured over those rounds. */
export function poolRounds(results: readonly LoadResult[], cpuMs: number): PooledFigures {
  const seconds = results.reduce((n, r) => n + r.seconds, 0);
  const all = results.flatMap((r) => r.latencies).sort((x, y) => x - y);
  return {
    rps: round(results.reduce((n, r) => n + r.rps * r.seconds, 0) / seconds),
    p50: round(percentile(all, 50)),
    p95: round(percentile(all, 95)),
    p99: round(percentile(all, 99)),
    max: round(all.at(-1) ?? Number.NaN),
    requests: all.length,
    failed: results.reduce((n, r) => n + r.non2xx + r.errors, 0),
    cpuMicrosPerRequest: round((cpuMs * 1000) / Math.max(1, all.length)),
  };
}
