/**
 * Worst-case RPO per store and a stepwise RTO estimate of a failover to the standby region, from the stack
 * config alone (README, "Disaster recovery"). Pure functions: the stack config check (dr.ts), the posture
 * (stacks/dr-posture.ts) and `tools/run dr` all use them, so the plan and the printout agree.
 */
import { oplogSpanMinutes, worstCaseRpoMinutes } from './backup-rpo';
import type { BackupSpec, DrSpec } from './types';

/**
 * One step of a node group scale-up: UpdateNodegroupConfig, EC2 launch and boot (~2 min), kubelet join and
 * Ready (~1 min), DaemonSets (CNI, log and metrics agents) ready (~2 min). The groups scale in parallel.
 */
export const NODE_SCALE_UP_MINUTES = 5;
/**
 * Kafka consumer switch: stop the KafkaMirrorMaker2 (nothing may mirror back), then start the standby's
 * consumers, which resume from the offsets the checkpoint connector synced (MirrorMaker2 syncs only groups
 * with no active member, so they stay stopped until failover).
 */
export const KAFKA_SWITCH_MINUTES = 5;
/** Route 53 applies a changed record on all its name servers within about a minute. */
export const ROUTE53_PROPAGATION_MINUTES = 1;
/** ECR replication has no published SLA; a budget for the newest image to reach the standby region. */
export const ECR_REPLICATION_LAG_MINUTES = 30;
/** Secrets Manager replicates a new secret version to its replica regions within seconds; a budget. */
export const SECRETS_REPLICATION_LAG_MINUTES = 5;

export const DR_STORES = ['mongodb', 'kafka', 'redis', 'images', 'secrets'] as const;
export type DrStore = (typeof DR_STORES)[number];

/** The most data of one store a failover can lose, and why. */
export interface StoreRpo {
  readonly store: DrStore;
  readonly minutes: number;
  /** Whether the RPO target applies; false: informational (a cache that may start cold, images). */
  readonly checked: boolean;
  /** The terms, as `name is value`, for messages: "oplogSpanMinutes is 5 and replicationLagBudgetMinutes is 10". */
  readonly because: string;
  /** Why the figure is not held to the target, when it is not. */
  readonly note?: string;
}

export interface RtoStep {
  readonly name: string;
  readonly minutes: number;
  readonly because: string;
}

/** Steps run one after the other: the restore needs the data nodes, consumers the data, DNS ready services. */
export interface RtoEstimate {
  readonly steps: readonly RtoStep[];
  readonly totalMinutes: number;
}

type Backup = Pick<BackupSpec, 'schedule' | 'pointInTimeRecovery'>;

/** A figure for messages: worst cases rounded up to two decimals, so 15.001 never reads as 15. */
export function formatMinutes(minutes: number): string {
  return String(Math.ceil(minutes * 100 - 1e-6) / 100);
}

const and = (terms: readonly string[]): string =>
  terms.length <= 1 ? (terms[0] ?? '') : `${terms.slice(0, -1).join(', ')} and ${terms[terms.length - 1]}`;

/**
 * MongoDB: what the standby's copy of the backups lacks. With PITR, the oplog chunk not yet uploaded plus the
 * replication lag of the last one; without it, everything since the last base backup plus the lag.
 */
export function mongodbRpo(dr: DrSpec, backup: Backup): StoreRpo {
  const lag = dr.mongodb.replicationLagBudgetMinutes;
  const local = worstCaseRpoMinutes(backup);
  const first = backup.pointInTimeRecovery
    ? `oplogSpanMinutes is ${oplogSpanMinutes(backup)}`
    : `pointInTimeRecovery is off, so the last base backup may be ${local} min old`;
  return {
    store: 'mongodb',
    minutes: local + lag,
    checked: true,
    because: and([first, `replicationLagBudgetMinutes is ${lag}`]),
  };
}

/**
 * Kafka: records not yet mirrored, plus how stale the standby's consumer offsets can be (a checkpoint is
 * emitted, then synced into the group): consumers resume that far back and re-read what follows.
 */
export function kafkaRpo(dr: DrSpec): StoreRpo {
  const m = dr.kafka.mirrorMaker;
  const seconds =
    m.replicationLagBudgetSeconds + m.emitCheckpointsIntervalSeconds + m.syncGroupOffsetsIntervalSeconds;
  return {
    store: 'kafka',
    minutes: seconds / 60,
    checked: true,
    because: and([
      `replicationLagBudgetSeconds is ${m.replicationLagBudgetSeconds}`,
      `emitCheckpointsIntervalSeconds is ${m.emitCheckpointsIntervalSeconds}`,
      `syncGroupOffsetsIntervalSeconds is ${m.syncGroupOffsetsIntervalSeconds}`,
    ]),
  };
}

/** Redis: one snapshot interval, plus the lag of the snapshot bucket (replicated like the MongoDB backups). */
export function redisRpo(dr: DrSpec, snapshotIntervalMinutes: number): StoreRpo {
  const lag = dr.mongodb.replicationLagBudgetMinutes;
  const cold = dr.redis.snapshot.coldStartAllowed;
  return {
    store: 'redis',
    minutes: snapshotIntervalMinutes + lag,
    checked: !cold,
    because: and([
      `the snapshot runs every ${snapshotIntervalMinutes} min (${JSON.stringify(dr.redis.snapshot.schedule)})`,
      `replicationLagBudgetMinutes is ${lag}`,
    ]),
    ...(cold && { note: 'cold start allowed: the cache refills from MongoDB' }),
  };
}

export function imagesRpo(): StoreRpo {
  return {
    store: 'images',
    minutes: ECR_REPLICATION_LAG_MINUTES,
    checked: false,
    because: `ECR replication lag budget is ${ECR_REPLICATION_LAG_MINUTES} min`,
    note: 'informational: prod runs images promoted by digest through uat, pushed long before they run',
  };
}

export function secretsRpo(): StoreRpo {
  return {
    store: 'secrets',
    minutes: SECRETS_REPLICATION_LAG_MINUTES,
    checked: true,
    because: `Secrets Manager replication lag budget is ${SECRETS_REPLICATION_LAG_MINUTES} min`,
  };
}

/** Every store's worst-case RPO, in DR_STORES order. */
export function storeRpos(dr: DrSpec, backup: Backup, snapshotIntervalMinutes: number): StoreRpo[] {
  return [
    mongodbRpo(dr, backup),
    kafkaRpo(dr),
    redisRpo(dr, snapshotIntervalMinutes),
    imagesRpo(),
    secretsRpo(),
  ];
}

/** Days of oplog a point-in-time restore replays: since the last base backup (weekly, else daily). */
function baseBackupIntervalDays(backup: Backup): number {
  return backup.schedule === 'weekly' ? 7 : 1;
}

/** The failover, step by step, with the minutes of each and the total. */
export function rtoEstimate(dr: DrSpec, backup: Backup): RtoEstimate {
  const groups = dr.standby.nodeGroups;
  const growing = (['system', 'workloads', 'data'] as const).filter(
    (name) => groups[name].failoverSize > groups[name].desiredSize,
  );
  const m = dr.mongodb;
  const restore = (m.dataSizeGiB * 1024) / m.restoreThroughputMiBps / 60;
  const days = baseBackupIntervalDays(backup);
  const replayGiB = backup.pointInTimeRecovery ? m.oplogGiBPerDay * days : 0;
  const replay = (replayGiB * 1024) / m.oplogReplayMiBps / 60;
  const ttl = dr.failover.dnsTtlSeconds;
  const steps: RtoStep[] = [
    { name: 'detect', minutes: dr.failover.detectMinutes, because: 'failover.detectMinutes' },
    { name: 'approve', minutes: dr.failover.approvalMinutes, because: 'failover.approvalMinutes' },
    {
      name: 'scale up',
      minutes: growing.length > 0 ? NODE_SCALE_UP_MINUTES : 0,
      because:
        growing.length > 0
          ? `${growing.map((g) => `${g} ${groups[g].desiredSize} -> ${groups[g].failoverSize}`).join(', ')} in parallel`
          : 'every node group already at its failover size',
    },
    {
      name: 'mongodb restore',
      minutes: restore,
      because: `${m.dataSizeGiB} GiB at ${m.restoreThroughputMiBps} MiB/s`,
    },
    {
      name: 'mongodb oplog replay',
      minutes: replay,
      because: backup.pointInTimeRecovery
        ? `${formatMinutes(replayGiB)} GiB (${days} d of ${m.oplogGiBPerDay} GiB) at ${m.oplogReplayMiBps} MiB/s`
        : 'pointInTimeRecovery is off: the base backup only',
    },
    {
      name: 'kafka consumer switch',
      minutes: KAFKA_SWITCH_MINUTES,
      because: 'stop MirrorMaker2, start consumers',
    },
    {
      name: 'dns switch',
      minutes: ttl / 60 + ROUTE53_PROPAGATION_MINUTES,
      because: `TTL ${ttl} s + Route 53 propagation ${ROUTE53_PROPAGATION_MINUTES} min`,
    },
  ];
  return { steps, totalMinutes: steps.reduce((sum, s) => sum + s.minutes, 0) };
}

/**
 * The targets the configuration misses, one message each, naming the store and the numbers:
 * `prod mongodb RPO 20 min > 15 min: oplogSpanMinutes is 10 and replicationLagBudgetMinutes is 10`.
 */
export function missedTargets(
  stack: string,
  dr: DrSpec,
  backup: Backup,
  snapshotIntervalMinutes: number,
): string[] {
  const missed: string[] = [];
  const target = dr.targets.rpoMinutes;
  for (const rpo of storeRpos(dr, backup, snapshotIntervalMinutes)) {
    if (rpo.checked && rpo.minutes > target) {
      missed.push(
        `${stack} ${rpo.store} RPO ${formatMinutes(rpo.minutes)} min > ${target} min: ${rpo.because}`,
      );
    }
  }
  const rto = rtoEstimate(dr, backup);
  if (rto.totalMinutes > dr.targets.rtoMinutes) {
    missed.push(
      `${stack} RTO ${formatMinutes(rto.totalMinutes)} min > ${dr.targets.rtoMinutes} min: ` +
        rto.steps
          .filter((s) => s.minutes > 0)
          .map((s) => `${s.name} ${formatMinutes(s.minutes)}`)
          .join(' + '),
    );
  }
  return missed;
}

const FIELDS = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12 },
  { name: 'day-of-week', min: 0, max: 7 },
] as const;

function cronField(text: string, min: number, max: number): number[] | undefined {
  const values = new Set<number>();
  for (const part of text.split(',')) {
    const match = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
    if (!match) return undefined;
    const from = match[1] === '*' ? min : Number(match[2]);
    const to = match[1] === '*' ? max : match[3] !== undefined ? Number(match[3]) : match[4] ? max : from;
    const step = match[4] === undefined ? 1 : Number(match[4]);
    if (from < min || to > max || from > to || step < 1) return undefined;
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return [...values];
}

/**
 * The longest gap between two runs of a five-field cron schedule, in minutes. Day-of-month and month must be
 * "*": the schedule then repeats every week, which is what a worst case can be computed over.
 */
export function cronIntervalMinutes(
  schedule: string,
): { readonly ok: true; readonly minutes: number } | { readonly ok: false; readonly problem: string } {
  const parts = schedule.trim().split(/\s+/);
  if (parts.length !== 5) {
    return {
      ok: false,
      problem: `must be a cron schedule of 5 fields such as "0 3 * * *" (got ${parts.length})`,
    };
  }
  const fields: number[][] = [];
  for (const [i, f] of FIELDS.entries()) {
    const values = cronField(parts[i] ?? '', f.min, f.max);
    if (values === undefined) {
      return {
        ok: false,
        problem: `has an invalid ${f.name} field ${JSON.stringify(parts[i])} (allowed ${f.min}-${f.max}, *, lists, ranges, /steps)`,
      };
    }
    fields.push(values);
  }
  if (parts[2] !== '*' || parts[3] !== '*') {
    return {
      ok: false,
      problem:
        'must have "*" as day-of-month and month, so that it repeats weekly and its worst-case interval is known',
    };
  }
  const [minutes = [], hours = [], , , days = []] = fields;
  const week = 7 * 24 * 60;
  const runs = [...new Set(days.map((d) => d % 7))]
    .flatMap((d) => hours.flatMap((h) => minutes.map((m) => d * 1440 + h * 60 + m)))
    .sort((a, b) => a - b);
  let longest = 0;
  runs.forEach((run, i) => {
    const next = i + 1 < runs.length ? (runs[i + 1] ?? run) : (runs[0] ?? run) + week;
    longest = Math.max(longest, next - run);
  });
  return { ok: true, minutes: longest };
}
