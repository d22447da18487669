/** The DR posture of the repo's prod stack, and the quarterly drill reminder around its 92-day limit. */
import { join } from 'node:path';
import { platformValues, readStackConfig } from '../tools/plan/stack-file';
import { DRILL_INTERVAL_DAYS, drillReminder, drPosture } from './dr-posture';
import { parseEnvironment } from './spec';

const root = join(__dirname, '..');
const spec = (stack: string) => parseEnvironment(stack, platformValues(readStackConfig(root, stack)));
const day = (text: string) => new Date(`${text}T12:00:00Z`);

describe('drillReminder', () => {
  it.each<[string | undefined, string, string, number | undefined]>([
    [undefined, '2026-03-01', 'never', undefined],
    ['2026-01-01', '2026-01-01', 'ok', 0],
    // 2026-01-01 + 92 days = 2026-04-03: still within a quarter; the day after is overdue.
    ['2026-01-01', '2026-04-03', 'ok', DRILL_INTERVAL_DAYS],
    ['2026-01-01', '2026-04-04', 'due', DRILL_INTERVAL_DAYS + 1],
    ['2026-03-10', '2026-03-01', 'future', -9],
  ])('last drill %s, today %s: %s', (lastDrill, today, status, ageDays) => {
    const reminder = drillReminder(lastDrill, day(today));
    expect([reminder.status, reminder.ageDays]).toEqual([status, ageDays]);
  });

  it('says how overdue a drill is', () => {
    expect(drillReminder('2025-10-01', day('2026-02-01')).message).toBe(
      '2025-10-01, 123 days ago: overdue, drills are quarterly (every 92 days at most)',
    );
  });
});

describe('drPosture', () => {
  it('is undefined for a stack without platform:dr', () => {
    expect(drPosture(spec('uat'), day('2026-03-01'))).toBeUndefined();
  });

  it('gives prod’s regions, what replicates, the RPO per store and the RTO steps', () => {
    const p = drPosture(spec('prod'), day('2026-03-01'));
    if (!p) throw new Error('prod has no DR posture');
    expect([p.enabled, p.primaryRegion, p.standbyRegion]).toEqual([true, 'eu-west-1', 'eu-central-1']);
    expect(p.standby.map((g) => `${g.name} ${g.desiredSize}->${g.failoverSize}`)).toEqual([
      'system 2->2',
      'workloads 1->6',
      'data 3->3',
    ]);
    expect(p.replication.map((r) => r.store)).toEqual(['mongodb', 'kafka', 'redis', 'images', 'secrets']);
    expect(p.replication[0]?.how).toContain('platform-prod-444455556666-mongodb-backups');
    expect(p.rpo.filter((r) => r.checked && r.minutes > p.rpoTargetMinutes)).toEqual([]);
    expect(p.rto.steps.map((s) => s.name)).toEqual([
      'detect',
      'approve',
      'scale up',
      'mongodb restore',
      'mongodb oplog replay',
      'kafka consumer switch',
      'dns switch',
    ]);
    expect(p.rto.totalMinutes).toBeLessThan(p.rtoTargetMinutes);
    expect(p.drill.status).toBe('never');
  });
});
