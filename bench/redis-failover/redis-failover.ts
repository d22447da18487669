/**
 * The Redis failover drill (tools/redis-drill) over N rounds, each on a fresh local cluster of real
 * redis-server and redis-sentinel processes: recovery time median and max, acknowledged writes lost.
 */
import { runFailoverDrill, summarizeRounds, type FailoverDrillResult } from '../../tools/redis-drill';
import type { BenchContext, BenchOutcome, Benchmark } from '../lib/bench';
import { median, round } from '../lib/stats';

export interface RedisFailoverResult {
  readonly rounds: number;
  readonly recoveryMs: readonly number[];
  readonly medianRecoveryMs: number;
  readonly maxRecoveryMs: number;
  readonly acknowledgedWrites: number;
  readonly lostWrites: number;
  /** Broken promises (lost writes, no rejoin, slow recovery, rounds that could not run). */
  readonly failures: readonly string[];
}

export async function runRedisFailover(
  context: BenchContext,
  rounds = context.quick ? 1 : 5,
): Promise<RedisFailoverResult> {
  const results: FailoverDrillResult[] = [];
  const outcomes = [];
  for (let i = 1; i <= rounds; i++) {
    try {
      // Addresses apart from the drill's test (127.0.10.x), so a bench and the tests can run side by side.
      const result = await runFailoverDrill({ addressPrefix: '127.0.12' });
      results.push(result);
      outcomes.push(result);
      context.log(
        `  round ${i}/${rounds}: recovery ${result.recoveryMs} ms, ${result.lostWrites} of ${result.acknowledgedWrites} acknowledged writes lost`,
      );
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      outcomes.push({ error: message });
      context.log(`  round ${i}/${rounds}: failed: ${message}`);
    }
  }
  const recoveryMs = results.map((r) => r.recoveryMs);
  return {
    rounds,
    recoveryMs,
    medianRecoveryMs: round(median(recoveryMs)),
    maxRecoveryMs: round(Math.max(...recoveryMs)),
    acknowledgedWrites: results.reduce((n, r) => n + r.acknowledgedWrites, 0),
    lostWrites: results.reduce((n, r) => n + r.lostWrites, 0),
    failures: summarizeRounds(outcomes).failures,
  };
}

export const redisFailover: Benchmark = {
  name: 'redis-failover',
  title: 'Redis master killed under writes (3 data nodes, 3 sentinels)',
  run: async (context): Promise<BenchOutcome<RedisFailoverResult>> => {
    const r = await runRedisFailover(context);
    return {
      details: r,
      figures: [
        { label: `recovery, median of ${r.rounds}`, value: r.medianRecoveryMs, unit: 'ms' },
        { label: 'recovery, max', value: r.maxRecoveryMs, unit: 'ms' },
        { label: 'acknowledged writes lost', value: r.lostWrites, unit: `of ${r.acknowledgedWrites}` },
        { label: 'broken promises', value: r.failures.length, unit: '' },
      ],
    };
  },
};
