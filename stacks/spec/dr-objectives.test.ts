/** The RPO/RTO calculator: each store's worst case and each failover step, from the figures alone. */
import {
  cronIntervalMinutes,
  formatMinutes,
  kafkaRpo,
  missedTargets,
  mongodbRpo,
  redisRpo,
  rtoEstimate,
  storeRpos,
} from './dr-objectives';
import type { BackupSpec, DrSpec, StandbyNodeGroupSpec } from './types';

const group = (desiredSize: number, failoverSize: number): StandbyNodeGroupSpec => ({
  instanceTypes: ['m6i.large'],
  diskSizeGiB: 50,
  minSize: desiredSize,
  desiredSize,
  failoverSize,
  maxSize: 30,
});

const base: DrSpec = {
  enabled: true,
  primaryRegion: 'eu-west-1',
  standbyRegion: 'eu-central-1',
  standby: {
    vpcCidr: '10.41.0.0/16',
    availabilityZones: ['eu-central-1a', 'eu-central-1b', 'eu-central-1c'],
    publicSubnetCidrs: ['10.41.128.0/20', '10.41.144.0/20', '10.41.160.0/20'],
    privateSubnetCidrs: ['10.41.0.0/20', '10.41.16.0/20', '10.41.32.0/20'],
    serviceCidr: '172.20.0.0/16',
    nodeGroups: { system: group(2, 2), workloads: group(1, 6), data: group(3, 3) },
  },
  targets: { rpoMinutes: 15, rtoMinutes: 60 },
  failover: { detectMinutes: 5, approvalMinutes: 15, dnsTtlSeconds: 60, serve: 'primary' },
  alarms: { subscriptions: [] },
  mongodb: {
    mode: 'backupReplication',
    replicationTimeControl: true,
    replicationLagBudgetMinutes: 10,
    versioning: true,
    restoreThroughputMiBps: 256,
    dataSizeGiB: 150,
    oplogGiBPerDay: 6,
    oplogReplayMiBps: 32,
  },
  kafka: {
    mirrorMaker: {
      topics: ['.*-events'],
      syncGroupOffsetsIntervalSeconds: 60,
      emitCheckpointsIntervalSeconds: 60,
      replicationLagBudgetSeconds: 60,
    },
  },
  redis: { snapshot: { schedule: '0 3 * * *', coldStartAllowed: true } },
  images: { ecrReplication: true },
  secrets: { replicaRegions: ['eu-central-1'] },
};

type Backup = Pick<BackupSpec, 'schedule' | 'pointInTimeRecovery'>;
const continuous: Backup = { schedule: 'continuous', pointInTimeRecovery: true };
const withFigures = (patch: {
  mongodb?: Partial<DrSpec['mongodb']>;
  kafka?: Partial<DrSpec['kafka']['mirrorMaker']>;
}) => ({
  ...base,
  mongodb: { ...base.mongodb, ...patch.mongodb },
  kafka: { mirrorMaker: { ...base.kafka.mirrorMaker, ...patch.kafka } },
});

describe('worst-case RPO per store', () => {
  it.each<[string, Backup, number, number]>([
    ['continuous PITR: 5 min chunks', continuous, 10, 15],
    ['daily PITR: 10 min chunks', { schedule: 'daily', pointInTimeRecovery: true }, 10, 20],
    [
      'daily without PITR: a day since the base backup',
      { schedule: 'daily', pointInTimeRecovery: false },
      10,
      1450,
    ],
    ['weekly without PITR: a week', { schedule: 'weekly', pointInTimeRecovery: false }, 15, 10_095],
    ['continuous with the RTC SLA as budget', continuous, 15, 20],
  ])('mongodb, %s', (_name, backup, lag, minutes) => {
    const rpo = mongodbRpo(withFigures({ mongodb: { replicationLagBudgetMinutes: lag } }), backup);
    expect([rpo.minutes, rpo.checked]).toEqual([minutes, true]);
    expect(rpo.because).toContain(`replicationLagBudgetMinutes is ${lag}`);
  });

  it.each<[number, number, number, number]>([
    [60, 60, 60, 3],
    [30, 60, 30, 2],
    [600, 300, 60, 16],
    [5, 5, 5, 0.25],
  ])(
    'kafka, lag %i s + checkpoints every %i s + offset sync every %i s = %d min',
    (lag, emit, sync, minutes) => {
      const rpo = kafkaRpo(
        withFigures({
          kafka: {
            replicationLagBudgetSeconds: lag,
            emitCheckpointsIntervalSeconds: emit,
            syncGroupOffsetsIntervalSeconds: sync,
          },
        }),
      );
      expect(rpo.minutes).toBe(minutes);
    },
  );

  it.each<[boolean, number, boolean, string | undefined]>([
    [true, 1440, false, 'cold start allowed: the cache refills from MongoDB'],
    [false, 1440, true, undefined],
    [false, 5, true, undefined],
  ])('redis, coldStartAllowed %s, snapshot every %i min', (cold, interval, checked, note) => {
    const dr = { ...base, redis: { snapshot: { schedule: '0 3 * * *', coldStartAllowed: cold } } };
    const rpo = redisRpo(dr, interval);
    expect([rpo.minutes, rpo.checked, rpo.note]).toEqual([interval + 10, checked, note]);
  });

  it('lists every store; images are informational, secrets checked', () => {
    expect(storeRpos(base, continuous, 1440).map((r) => [r.store, r.minutes, r.checked])).toEqual([
      ['mongodb', 15, true],
      ['kafka', 3, true],
      ['redis', 1450, false],
      ['images', 30, false],
      ['secrets', 5, true],
    ]);
  });
});

describe('stepwise RTO', () => {
  it('adds detection, approval, the scale-up, the restore with its oplog replay, the Kafka and DNS switches', () => {
    const rto = rtoEstimate(base, continuous);
    expect(rto.steps.map((s) => [s.name, s.minutes, s.because])).toEqual([
      ['detect', 5, 'failover.detectMinutes'],
      ['approve', 15, 'failover.approvalMinutes'],
      ['scale up', 5, 'workloads 1 -> 6 in parallel'],
      // 150 GiB * 1024 / 256 MiB/s = 600 s.
      ['mongodb restore', 10, '150 GiB at 256 MiB/s'],
      // One day of oplog (6 GiB) at 32 MiB/s = 192 s.
      ['mongodb oplog replay', 3.2, '6 GiB (1 d of 6 GiB) at 32 MiB/s'],
      ['kafka consumer switch', 5, 'stop MirrorMaker2, start consumers'],
      ['dns switch', 2, 'TTL 60 s + Route 53 propagation 1 min'],
    ]);
    expect(rto.totalMinutes).toBeCloseTo(45.2, 6);
  });

  it.each<[string, DrSpec, Backup, string, number]>([
    [
      'a hot standby needs no scale-up',
      {
        ...base,
        standby: {
          ...base.standby,
          nodeGroups: { system: group(2, 2), workloads: group(6, 6), data: group(3, 3) },
        },
      },
      continuous,
      'scale up',
      0,
    ],
    [
      'weekly base backups replay a week of oplog',
      base,
      { schedule: 'weekly', pointInTimeRecovery: true },
      'mongodb oplog replay',
      22.4,
    ],
    [
      'no PITR, no replay',
      base,
      { schedule: 'daily', pointInTimeRecovery: false },
      'mongodb oplog replay',
      0,
    ],
    [
      'a 300 s TTL',
      { ...base, failover: { ...base.failover, dnsTtlSeconds: 300 } },
      continuous,
      'dns switch',
      6,
    ],
    [
      'half the throughput doubles the restore',
      withFigures({ mongodb: { restoreThroughputMiBps: 128 } }),
      continuous,
      'mongodb restore',
      20,
    ],
  ])('%s', (_name, dr, backup, step, minutes) => {
    expect(rtoEstimate(dr, backup).steps.find((s) => s.name === step)?.minutes).toBeCloseTo(minutes, 6);
  });
});

describe('missed targets', () => {
  it('none for figures within both targets', () => {
    expect(missedTargets('prod', base, continuous, 1440)).toEqual([]);
  });

  it('names the store and the numbers, and the RTO steps that add up', () => {
    const slow = {
      ...withFigures({ mongodb: { dataSizeGiB: 600 } }),
      targets: { rpoMinutes: 10, rtoMinutes: 60 },
    };
    expect(missedTargets('prod', slow, continuous, 1440)).toEqual([
      'prod mongodb RPO 15 min > 10 min: oplogSpanMinutes is 5 and replicationLagBudgetMinutes is 10',
      'prod RTO 75.2 min > 60 min: detect 5 + approve 15 + scale up 5 + mongodb restore 40 + mongodb oplog replay 3.2 + kafka consumer switch 5 + dns switch 2',
    ]);
  });

  it('rounds a worst case up, so a figure just above the target never reads as equal', () => {
    expect(formatMinutes(15.001)).toBe('15.01');
    expect(formatMinutes(10.24)).toBe('10.24');
    expect(formatMinutes(3)).toBe('3');
  });
});

describe('cron intervals of the Redis snapshot', () => {
  it.each<[string, number]>([
    ['0 3 * * *', 1440],
    ['*/15 * * * *', 15],
    ['0 */6 * * *', 360],
    ['0 2,14 * * *', 720],
    ['0 1,3 * * *', 1320],
    ['30 4 * * 0', 10_080],
    ['0 3 * * 1-5', 4320],
    ['0 0 * * 7', 10_080],
  ])('%s runs at least every %i min', (schedule, minutes) => {
    expect(cronIntervalMinutes(schedule)).toEqual({ ok: true, minutes });
  });

  it.each<[string, string]>([
    ['0 3 * *', 'must be a cron schedule of 5 fields such as "0 3 * * *" (got 4)'],
    ['60 3 * * *', 'has an invalid minute field "60" (allowed 0-59, *, lists, ranges, /steps)'],
    ['0 3 * * mon', 'has an invalid day-of-week field "mon" (allowed 0-7, *, lists, ranges, /steps)'],
    [
      '0 3 * 1 *',
      'must have "*" as day-of-month and month, so that it repeats weekly and its worst-case interval is known',
    ],
  ])('refuses %s', (schedule, problem) => {
    expect(cronIntervalMinutes(schedule)).toEqual({ ok: false, problem });
  });
});
