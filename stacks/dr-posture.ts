/**
 * The disaster-recovery posture of an environment, from its resolved spec: the regions, what replicates to
 * the standby and how, each store's worst-case RPO, the failover's RTO steps, and whether a drill is due.
 * What `tools/run dr -- <env>` prints; the figures are the ones the stack config check holds to the targets.
 */
import {
  cronIntervalMinutes,
  rtoEstimate,
  storeRpos,
  type DrSpec,
  type DrStore,
  type EnvironmentSpec,
  type RtoEstimate,
  type StoreRpo,
} from './spec';

/** Drills are quarterly: a last drill older than this is overdue (the longest quarter plus a day). */
export const DRILL_INTERVAL_DAYS = 92;

export interface DrReplication {
  readonly store: DrStore;
  readonly how: string;
}

export interface StandbyGroupPosture {
  readonly name: 'system' | 'workloads' | 'data';
  readonly instanceTypes: readonly string[];
  readonly desiredSize: number;
  readonly failoverSize: number;
}

export type DrillStatus = 'ok' | 'due' | 'never' | 'future';

export interface DrillReminder {
  readonly status: DrillStatus;
  readonly lastDrill?: string;
  readonly ageDays?: number;
  readonly message: string;
}

export interface DrPosture {
  readonly stack: string;
  readonly enabled: boolean;
  readonly primaryRegion: string;
  readonly standbyRegion: string;
  /** Which region the failover records serve (`platform:dr.failover.serve`). */
  readonly serving: 'primary' | 'standby';
  readonly standby: readonly StandbyGroupPosture[];
  readonly replication: readonly DrReplication[];
  readonly rpoTargetMinutes: number;
  readonly rpo: readonly StoreRpo[];
  readonly rtoTargetMinutes: number;
  readonly rto: RtoEstimate;
  readonly drill: DrillReminder;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Whole days from `lastDrill` ("YYYY-MM-DD", UTC) to `today`, and what that means for the quarterly drill. */
export function drillReminder(lastDrill: string | undefined, today: Date): DrillReminder {
  if (lastDrill === undefined) {
    return {
      status: 'never',
      message: 'none recorded: run a failover drill and set platform:dr.lastDrill to its date',
    };
  }
  const todayUtc = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  const ageDays = Math.round((todayUtc - Date.parse(`${lastDrill}T00:00:00Z`)) / DAY_MS);
  if (ageDays < 0) {
    return {
      status: 'future',
      lastDrill,
      ageDays,
      message: `${lastDrill} lies in the future: fix platform:dr.lastDrill`,
    };
  }
  if (ageDays > DRILL_INTERVAL_DAYS) {
    return {
      status: 'due',
      lastDrill,
      ageDays,
      message: `${lastDrill}, ${ageDays} days ago: overdue, drills are quarterly (every ${DRILL_INTERVAL_DAYS} days at most)`,
    };
  }
  return {
    status: 'ok',
    lastDrill,
    ageDays,
    message: `${lastDrill}, ${ageDays} days ago; the next is due within ${DRILL_INTERVAL_DAYS - ageDays} days`,
  };
}

function replication(spec: EnvironmentSpec, dr: DrSpec): DrReplication[] {
  const m = dr.mongodb;
  const mm = dr.kafka.mirrorMaker;
  const rtc = m.replicationTimeControl ? 'with Replication Time Control' : 'without Replication Time Control';
  return [
    {
      store: 'mongodb',
      how:
        `PBM base backups and PITR oplog chunks in ${spec.backup.storage.bucket}: S3 cross-region replication ` +
        `to ${dr.standbyRegion}, ${rtc}, versioned (lag budget ${m.replicationLagBudgetMinutes} min); ` +
        `restored there to a point in time`,
    },
    {
      store: 'kafka',
      how:
        `KafkaMirrorMaker2 to the standby cluster: topics ${mm.topics.join(', ')}; consumer offsets ` +
        `checkpointed every ${mm.emitCheckpointsIntervalSeconds} s, synced every ${mm.syncGroupOffsetsIntervalSeconds} s`,
    },
    {
      store: 'redis',
      how:
        `RDB snapshot to S3 at ${JSON.stringify(dr.redis.snapshot.schedule)} (UTC), replicated like the MongoDB backups` +
        (dr.redis.snapshot.coldStartAllowed ? '; the cache may start cold' : ''),
    },
    { store: 'images', how: `ECR replication to ${dr.standbyRegion}` },
    {
      store: 'secrets',
      how: `Secrets Manager replicas of ${spec.cluster.tier === 'eks' ? spec.cluster.secretsManagerPrefix : 'the secrets'} in ${dr.secrets.replicaRegions.join(', ')}`,
    },
  ];
}

/** The posture, or undefined when the stack file has no `platform:dr`. */
export function drPosture(spec: EnvironmentSpec, today: Date): DrPosture | undefined {
  const dr = spec.dr;
  if (dr === undefined) return undefined;
  const interval = cronIntervalMinutes(dr.redis.snapshot.schedule);
  // parseEnvironment refuses such a schedule; a spec built by hand may still carry one.
  if (!interval.ok) throw new Error(`platform:dr.redis.snapshot.schedule ${interval.problem}`);
  return {
    stack: spec.name,
    enabled: dr.enabled,
    primaryRegion: dr.primaryRegion,
    standbyRegion: dr.standbyRegion,
    serving: dr.failover.serve,
    standby: (['system', 'workloads', 'data'] as const).map((name) => ({
      name,
      instanceTypes: dr.standby.nodeGroups[name].instanceTypes,
      desiredSize: dr.standby.nodeGroups[name].desiredSize,
      failoverSize: dr.standby.nodeGroups[name].failoverSize,
    })),
    replication: replication(spec, dr),
    rpoTargetMinutes: dr.targets.rpoMinutes,
    rpo: storeRpos(dr, spec.backup, interval.minutes),
    rtoTargetMinutes: dr.targets.rtoMinutes,
    rto: rtoEstimate(dr, spec.backup),
    drill: drillReminder(dr.lastDrill, today),
  };
}
