import { summarizeRounds } from './drill-summary';
import type { FailoverDrillResult } from './failover-drill';

const good: FailoverDrillResult = {
  recoveryMs: 6200,
  oldMaster: '127.0.10.1:6379',
  newMaster: '127.0.10.2:6379',
  acknowledgedWrites: 1000,
  unacknowledgedWrites: 40,
  lostWrites: 0,
  lostKeys: [],
  rejoinedAsReplica: true,
  rejoinedState: 'slave of 127.0.10.2:6379, link up',
  bootstrapDecision: 'redis-bootstrap: starting as replica of 127.0.10.2 6379 (sentinel 127.0.10.11)',
  masters: ['127.0.10.2:6379'],
};

describe('summarizeRounds', () => {
  it('prints each round and min/median/max recovery, with no failures when every promise holds', () => {
    const summary = summarizeRounds([good, { ...good, recoveryMs: 5000 }, { ...good, recoveryMs: 8000 }]);
    expect(summary.failures).toEqual([]);
    expect(summary.lines).toHaveLength(5);
    expect(summary.lines[0]).toContain('round 1: recovery 6.20 s, master 127.0.10.1:6379 -> 127.0.10.2:6379');
    expect(summary.lines[3]).toBe(
      'recovery over 3 round(s): min 5.00 s, median 6.20 s, max 8.00 s (target < 10.00 s)',
    );
    expect(summary.lines[4]).toBe('writes: 3000 acknowledged, 0 lost');
  });

  it('fails a round that loses writes, recovers too slowly, leaves two masters or does not rejoin', () => {
    const summary = summarizeRounds([
      { ...good, lostWrites: 1, lostKeys: ['drill:7'] },
      { ...good, recoveryMs: 10_000 },
      { ...good, masters: ['127.0.10.1:6379', '127.0.10.2:6379'] },
      { ...good, rejoinedAsReplica: false, rejoinedState: 'master' },
      { error: '127.0.10.1:6379 is already in use' },
    ]);
    expect(summary.failures).toEqual([
      'round 1: 1 acknowledged writes lost (drill:7)',
      'round 2: recovery took 10.00 s, the target is < 10.00 s',
      'round 3: 2 masters at the end (127.0.10.1:6379, 127.0.10.2:6379)',
      'round 4: the old master did not rejoin as a replica of 127.0.10.2:6379 (master; ' +
        'redis-bootstrap: starting as replica of 127.0.10.2 6379 (sentinel 127.0.10.11))',
      'round 5: 127.0.10.1:6379 is already in use',
    ]);
  });
});
