import type { FailoverDrillResult } from './failover-drill';

/** The recovery time the platform promises for a master failure. */
export const RECOVERY_TARGET_MS = 10_000;

/** One round: its result, or why it could not be measured. */
export type RoundOutcome = FailoverDrillResult | { readonly error: string };

export interface DrillSummary {
  /** One line per round, then the totals. */
  readonly lines: readonly string[];
  /** Every broken promise: lost writes, a failed rejoin, not exactly one master, slow recovery, errors. */
  readonly failures: readonly string[];
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

function median(sorted: readonly number[]): number {
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? Number.NaN)
    : ((sorted[mid - 1] ?? Number.NaN) + (sorted[mid] ?? Number.NaN)) / 2;
}

export function summarizeRounds(
  rounds: readonly RoundOutcome[],
  targetMs = RECOVERY_TARGET_MS,
): DrillSummary {
  const lines: string[] = [];
  const failures: string[] = [];
  const results: FailoverDrillResult[] = [];
  rounds.forEach((round, i) => {
    const name = `round ${i + 1}`;
    if ('error' in round) {
      lines.push(`${name}: failed: ${round.error}`);
      failures.push(`${name}: ${round.error}`);
      return;
    }
    results.push(round);
    lines.push(
      `${name}: recovery ${seconds(round.recoveryMs)}, master ${round.oldMaster} -> ${round.newMaster}, ` +
        `${round.acknowledgedWrites} writes acknowledged, ${round.lostWrites} lost ` +
        `(${round.unacknowledgedWrites} not acknowledged), old master rejoined: ${round.rejoinedState}, ` +
        `masters: ${round.masters.length}`,
    );
    if (round.lostWrites > 0)
      failures.push(`${name}: ${round.lostWrites} acknowledged writes lost (${round.lostKeys.join(', ')})`);
    if (!round.rejoinedAsReplica)
      failures.push(
        `${name}: the old master did not rejoin as a replica of ${round.newMaster} ` +
          `(${round.rejoinedState}; ${round.bootstrapDecision})`,
      );
    if (round.masters.length !== 1)
      failures.push(`${name}: ${round.masters.length} masters at the end (${round.masters.join(', ')})`);
    if (!(round.recoveryMs < targetMs))
      failures.push(
        `${name}: recovery took ${seconds(round.recoveryMs)}, the target is < ${seconds(targetMs)}`,
      );
  });
  if (results.length > 0) {
    const times = results.map((r) => r.recoveryMs).sort((a, b) => a - b);
    lines.push(
      `recovery over ${results.length} round(s): min ${seconds(times[0] ?? Number.NaN)}, ` +
        `median ${seconds(median(times))}, max ${seconds(times[times.length - 1] ?? Number.NaN)} ` +
        `(target < ${seconds(targetMs)})`,
      `writes: ${results.reduce((n, r) => n + r.acknowledgedWrites, 0)} acknowledged, ` +
        `${results.reduce((n, r) => n + r.lostWrites, 0)} lost`,
    );
  }
  return { lines, failures };
}
