import type { BackupSpec } from './types';

/** How often PBM uploads an oplog chunk with point-in-time recovery: what bounds the data lost. */
export function oplogSpanMinutes(backup: Pick<BackupSpec, 'schedule'>): number {
  return backup.schedule === 'continuous' ? 5 : 10;
}

/**
 * The most data (in minutes of writes) a restore can lose with this schedule: one oplog chunk with PITR,
 * otherwise everything since the last base backup.
 */
export function worstCaseRpoMinutes(backup: Pick<BackupSpec, 'schedule' | 'pointInTimeRecovery'>): number {
  if (backup.pointInTimeRecovery) return oplogSpanMinutes(backup);
  return backup.schedule === 'weekly' ? 7 * 24 * 60 : 24 * 60;
}
