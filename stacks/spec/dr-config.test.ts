/**
 * `platform:dr`: the standby region's config, resolved with defaults and refused with the key path when it
 * is inconsistent or misses the RPO/RTO targets; the repo's prod stack has DR on and meets its targets.
 */
import { ConfigError, parseEnvironment, rtoEstimate, storeRpos, type EnvironmentSpec } from '.';
import { platformValues, readStackConfig } from '../../tools/plan/stack-file';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const DIGEST = 'f'.repeat(64);
const ECR = '444455556666.dkr.ecr.eu-west-1.amazonaws.com';

/** An EKS prod-like stack: continuous backups with PITR (5 min oplog chunks). */
const eks = (dr: unknown, extra: Record<string, unknown> = {}) => ({
  tier: 'eks',
  cluster: { region: 'eu-west-1', vpcCidr: '10.40.0.0/16' },
  services: { product: { image: `${ECR}/platform/product@sha256:${DIGEST}` } },
  backup: { schedule: 'continuous', storage: { bucket: 'platform-prod-backups' } },
  ...(dr !== undefined && { dr }),
  ...extra,
});
const onprem = (dr: unknown) => ({
  tier: 'onprem',
  cluster: {
    context: 'onprem-dev',
    storageClass: 'standard',
    loadBalancer: { mode: 'metallb', addressPool: 'public' },
    registry: 'registry.local/platform',
  },
  services: { product: { image: 'registry.local/platform/product:1.0.0' } },
  backup: {
    storage: { bucket: 'backups', endpointUrl: 'https://minio.local:9000', credentialsSecret: 'backup-s3' },
  },
  dr,
});
const GATEWAY_HOSTS = {
  primary: 'k8s-platform-gw-0a1b2c3d.elb.eu-west-1.amazonaws.com',
  standby: 'k8s-platform-gw-4e5f6a7b.elb.eu-central-1.amazonaws.com',
};
/** A DR section that meets the targets: 5 min oplog chunks + 10 min lag, a 100 GiB restore. */
const good = (extra: Record<string, unknown> = {}) => ({
  enabled: true,
  standbyRegion: 'eu-central-1',
  mongodb: { replicationLagBudgetMinutes: 10, dataSizeGiB: 100, restoreThroughputMiBps: 200 },
  ...extra,
  standby: { vpcCidr: '10.41.0.0/16', ...(extra.standby as Record<string, unknown> | undefined) },
  failover: { gatewayHosts: GATEWAY_HOSTS, ...(extra.failover as Record<string, unknown> | undefined) },
});

function problems(stack: string, raw: Record<string, unknown>): string[] {
  try {
    parseEnvironment(stack, raw);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return err.problems.map((p) => `${p.path}: ${p.message}`);
  }
  throw new Error('expected the config to be refused');
}

function repoStack(stack: string): EnvironmentSpec {
  const config = readStackConfig(root, stack);
  return parseEnvironment(stack, platformValues(config));
}

describe('platform:dr resolution', () => {
  it('fills every default from the cluster, the data layer and the architecture', () => {
    // The one figure set: the RTC SLA (15 min) on top of a 5 min oplog chunk would miss the 15 min RPO.
    const spec = parseEnvironment(
      'prod',
      eks({
        enabled: true,
        standbyRegion: 'eu-central-1',
        standby: { vpcCidr: '10.41.0.0/16' },
        failover: { gatewayHosts: GATEWAY_HOSTS },
        mongodb: { replicationLagBudgetMinutes: 10 },
      }),
    );
    expect(spec.dr).toEqual({
      enabled: true,
      primaryRegion: 'eu-west-1',
      standbyRegion: 'eu-central-1',
      standby: {
        // Laid out like the primary's: private subnets in blocks 0-2 of 16, public ones in 8-10.
        vpcCidr: '10.41.0.0/16',
        availabilityZones: ['eu-central-1a', 'eu-central-1b', 'eu-central-1c'],
        publicSubnetCidrs: ['10.41.128.0/20', '10.41.144.0/20', '10.41.160.0/20'],
        privateSubnetCidrs: ['10.41.0.0/20', '10.41.16.0/20', '10.41.32.0/20'],
        serviceCidr: '172.20.0.0/16',
        nodeGroups: {
          system: {
            instanceTypes: ['m6i.large'],
            diskSizeGiB: 50,
            minSize: 2,
            desiredSize: 2,
            failoverSize: 2,
            maxSize: 3,
          },
          workloads: {
            instanceTypes: ['m6i.xlarge'],
            diskSizeGiB: 80,
            minSize: 1,
            desiredSize: 1,
            failoverSize: 3,
            maxSize: 12,
          },
          data: {
            instanceTypes: ['r6i.xlarge'],
            diskSizeGiB: 80,
            minSize: 3,
            desiredSize: 3,
            failoverSize: 3,
            maxSize: 6,
          },
        },
      },
      targets: { rpoMinutes: 15, rtoMinutes: 60 },
      failover: {
        detectMinutes: 5,
        approvalMinutes: 15,
        dnsTtlSeconds: 60,
        serve: 'primary',
        gatewayHosts: GATEWAY_HOSTS,
      },
      alarms: { subscriptions: [] },
      mongodb: {
        mode: 'backupReplication',
        replicationTimeControl: true,
        replicationLagBudgetMinutes: 10,
        versioning: true,
        restoreThroughputMiBps: 100,
        // The EKS default volume (100Gi): a full disk is the worst case.
        dataSizeGiB: 100,
        oplogGiBPerDay: 5,
        oplogReplayMiBps: 20,
      },
      kafka: {
        mirrorMaker: {
          topics: ['user-events', 'order-events', 'notification-events', 'analytics-events'],
          syncGroupOffsetsIntervalSeconds: 60,
          emitCheckpointsIntervalSeconds: 60,
          replicationLagBudgetSeconds: 60,
        },
      },
      redis: { snapshot: { schedule: '0 3 * * *', coldStartAllowed: true } },
      images: { ecrReplication: true },
      secrets: { replicaRegions: ['eu-central-1'] },
    });
  });

  it('has no dr without the section, and a disabled section is kept but not held to the targets', () => {
    expect(parseEnvironment('prod', eks(undefined)).dr).toBeUndefined();
    // Daily backups without PITR lose up to a day: refused when enabled, accepted while DR is off.
    const daily = {
      schedule: 'daily',
      pointInTimeRecovery: false,
      storage: { bucket: 'platform-prod-backups' },
    };
    const off = parseEnvironment('prod', eks({ ...good(), enabled: false }, { backup: daily }));
    expect(off.dr?.enabled).toBe(false);
    expect(problems('prod', eks(good(), { backup: daily }))).toEqual([
      'platform:dr: prod mongodb RPO 1450 min > 15 min: pointInTimeRecovery is off, so the last base backup may be 1440 min old and replicationLagBudgetMinutes is 10',
    ]);
  });

  it('an on-prem stack may only say enabled: false', () => {
    expect(problems('dev', onprem({ enabled: true, standbyRegion: 'eu-central-1' }))).toEqual([
      'platform:dr.enabled: must be false on prem (got true): the standby is a second EKS cluster in another ' +
        'AWS region, built by the same components; an on-prem stack has no region to fail over to',
    ]);
    expect(
      parseEnvironment('dev', onprem({ enabled: false, standbyRegion: 'eu-central-1' })).dr,
    ).toBeUndefined();
  });
});

describe('platform:dr refusals name the key path', () => {
  const cases: [string, unknown, Record<string, unknown>, string[]][] = [
    [
      'standby region equal to the primary',
      good({ standbyRegion: 'eu-west-1' }),
      {},
      [
        'platform:dr.standbyRegion: must differ from platform:cluster.region: both are "eu-west-1", so losing that region would lose the standby too',
      ],
    ],
    [
      'replication without versioning',
      good({ mongodb: { replicationLagBudgetMinutes: 10, versioning: false } }),
      {},
      [
        'platform:dr.mongodb.versioning: must be true: S3 replication of the backup bucket needs versioning on the source and the standby bucket (got false)',
      ],
    ],
    [
      'oplog span plus lag above the RPO (daily PITR: 10 min chunks)',
      good(),
      { backup: { schedule: 'daily', storage: { bucket: 'platform-prod-backups' } } },
      [
        'platform:dr: prod mongodb RPO 20 min > 15 min: oplogSpanMinutes is 10 and replicationLagBudgetMinutes is 10',
      ],
    ],
    [
      'the RTC SLA (15 min) on top of a 5 min chunk',
      good({ mongodb: { dataSizeGiB: 100, restoreThroughputMiBps: 200 } }),
      {},
      [
        'platform:dr: prod mongodb RPO 20 min > 15 min: oplogSpanMinutes is 5 and replicationLagBudgetMinutes is 15',
      ],
    ],
    [
      'no lag budget without Replication Time Control',
      good({ mongodb: { replicationTimeControl: false } }),
      {},
      [
        'platform:dr.mongodb.replicationLagBudgetMinutes: is required with replicationTimeControl false: S3 replication without RTC has no time bound, so the RPO needs a stated budget (with RTC: 15 min, its SLA)',
      ],
    ],
    [
      'a restore too slow for the RTO',
      good({ mongodb: { replicationLagBudgetMinutes: 10, dataSizeGiB: 2000, restoreThroughputMiBps: 100 } }),
      {},
      [
        'platform:dr: prod RTO 377.6 min > 60 min: detect 5 + approve 15 + scale up 5 + mongodb restore 341.34 + mongodb oplog replay 4.27 + kafka consumer switch 5 + dns switch 2',
      ],
    ],
    [
      'a Redis that must not start cold, with a daily snapshot',
      good({ redis: { snapshot: { coldStartAllowed: false } } }),
      {},
      [
        'platform:dr: prod redis RPO 1450 min > 15 min: the snapshot runs every 1440 min ("0 3 * * *") and replicationLagBudgetMinutes is 10',
      ],
    ],
    [
      'MirrorMaker lag and offset intervals above the RPO',
      good({
        kafka: {
          mirrorMaker: {
            replicationLagBudgetSeconds: 600,
            emitCheckpointsIntervalSeconds: 300,
            syncGroupOffsetsIntervalSeconds: 60,
          },
        },
      }),
      {},
      [
        'platform:dr: prod kafka RPO 16 min > 15 min: replicationLagBudgetSeconds is 600, emitCheckpointsIntervalSeconds is 300 and syncGroupOffsetsIntervalSeconds is 60',
      ],
    ],
    [
      'a standby that cannot carry the load after failover',
      good({ standby: { nodeGroups: { workloads: { failoverSize: 2 } } } }),
      {},
      [
        "platform:dr.standby.nodeGroups.workloads.failoverSize: must be >= platform:cluster.nodeGroups.workloads.desiredSize (3): after failover the standby carries prod's load (got 2)",
      ],
    ],
    [
      'warm sizes out of order',
      good({ standby: { nodeGroups: { data: { minSize: 3, desiredSize: 2 } } } }),
      {},
      [
        'platform:dr.standby.nodeGroups.data: sizes must satisfy minSize <= desiredSize <= failoverSize <= maxSize, maxSize being platform:cluster.nodeGroups.data.maxSize (got 3 <= 2 <= 3 <= 6)',
      ],
    ],
    [
      'topic patterns: invalid, matching nothing, leaving a topic out',
      good({ kafka: { mirrorMaker: { topics: ['(order', 'payments-.*'] } } }),
      {},
      [
        'platform:dr.kafka.mirrorMaker.topics[0]: must be a regular expression (got "(order")',
        'platform:dr.kafka.mirrorMaker.topics[1]: matches no business topic (user-events, order-events, notification-events, analytics-events), so it mirrors nothing (got "payments-.*")',
      ],
    ],
    [
      'a business topic not mirrored',
      good({ kafka: { mirrorMaker: { topics: ['(user|order)-events'] } } }),
      {},
      [
        'platform:dr.kafka.mirrorMaker.topics: must mirror every business topic; not matched: notification-events, analytics-events (their events would be lost on failover)',
      ],
    ],
    [
      'a snapshot schedule whose interval is not weekly-periodic',
      good({ redis: { snapshot: { schedule: '0 3 1 * *' } } }),
      {},
      [
        'platform:dr.redis.snapshot.schedule: must have "*" as day-of-month and month, so that it repeats weekly and its worst-case interval is known (got "0 3 1 * *")',
      ],
    ],
    [
      'images and secrets left in the primary region',
      good({ images: { ecrReplication: false }, secrets: { replicaRegions: ['eu-west-1'] } }),
      {},
      [
        "platform:dr.images.ecrReplication: must be true: the standby pulls images from ECR in eu-central-1, and the primary's registry goes with its region (got false)",
        'platform:dr.secrets.replicaRegions: must include standbyRegion "eu-central-1": External Secrets in the standby reads Secrets Manager there (got ["eu-west-1"])',
        'platform:dr.secrets.replicaRegions[0]: must not be the primary region "eu-west-1", where the secrets live',
      ],
    ],
    [
      'unknown keys, a bad region and a date that does not exist',
      good({ standbyRegion: 'Frankfurt', lastDrill: '2026-02-30', mongodb: { versionning: true } }),
      {},
      [
        'platform:dr.standbyRegion: must be an AWS region such as "eu-central-1" (got "Frankfurt")',
        'platform:dr.lastDrill: must be a real calendar date (got "2026-02-30")',
        'platform:dr.mongodb.versionning: unknown key; allowed keys: mode, replicationTimeControl, replicationLagBudgetMinutes, versioning, restoreThroughputMiBps, dataSizeGiB, oplogGiBPerDay, oplogReplayMiBps',
      ],
    ],
  ];

  it.each(cases)('%s', (_name, dr, extra, expected) => {
    expect(problems('prod', eks(dr, extra))).toEqual(expected);
  });

  it('an enabled standby needs its own VPC block, apart from the primary’s', () => {
    expect(problems('prod', eks({ ...good(), standby: {} }))).toEqual([
      'platform:dr.standby.vpcCidr: is required when DR is enabled: a /16 to /20 IPv4 block that overlaps neither platform:cluster.vpcCidr (10.40.0.0/16) nor any other environment, e.g. "10.41.0.0/16"',
    ]);
    expect(problems('prod', eks(good({ standby: { vpcCidr: '10.40.128.0/20' } })))).toEqual([
      'platform:dr.standby.vpcCidr: 10.40.128.0/20 overlaps platform:cluster.vpcCidr (10.40.0.0/16): the peered VPCs need distinct blocks',
    ]);
    expect(
      problems(
        'prod',
        eks(good({ standby: { vpcCidr: '10.41.0.0/24', availabilityZones: ['eu-west-1a'] } })),
      ),
    ).toEqual([
      'platform:dr.standby.availabilityZones: must list at least 3 distinct zones for a multi-AZ cluster (got 1: ["eu-west-1a"])',
      'platform:dr.standby.availabilityZones: zone "eu-west-1a" is not in region "eu-central-1"',
      'platform:dr.standby.vpcCidr: must be a valid IPv4 block from /16 to /20 with no host bits set (got "10.41.0.0/24")',
    ]);
  });

  it("the health checks need each region's gateway name, a DNS name", () => {
    expect(problems('prod', eks({ ...good(), failover: {} }))).toEqual([
      expect.stringMatching(
        /^platform:dr\.failover\.gatewayHosts: is required when DR is enabled: \{primary, standby\}/,
      ),
    ]);
    expect(
      problems(
        'prod',
        eks(good({ failover: { gatewayHosts: { ...GATEWAY_HOSTS, standby: 'Not A Host' } } })),
      ),
    ).toEqual([
      expect.stringMatching(/^platform:dr\.failover\.gatewayHosts\.standby: must be a lowercase DNS name/),
    ]);
  });

  it('failover is a setting: serve "standby" is accepted, anything else refused with the choices', () => {
    const spec = parseEnvironment('prod', eks(good({ failover: { serve: 'standby' } })));
    expect(spec.dr?.failover.serve).toBe('standby');
    expect(problems('prod', eks(good({ failover: { serve: 'dr' } })))).toEqual([
      expect.stringMatching(/^platform:dr\.failover\.serve: .*"primary".*"standby"/),
    ]);
  });

  it('warns when the DR alarms notify no one, and not once a subscription is set', () => {
    const rules = (dr: unknown) => parseEnvironment('prod', eks(dr)).warnings.map((w) => w.rule);
    expect(rules(good())).toContain('dr-alarms-unrouted');
    const routed = good({
      alarms: { subscriptions: [{ protocol: 'email', endpoint: 'oncall@example.com' }] },
    });
    expect(rules(routed)).not.toContain('dr-alarms-unrouted');
    expect(parseEnvironment('prod', eks(routed)).dr?.alarms.subscriptions).toEqual([
      { protocol: 'email', endpoint: 'oncall@example.com' },
    ]);
  });

  it('an unknown key at the top of the section lists the allowed keys', () => {
    expect(problems('prod', eks(good({ standbyRegions: ['eu-central-1'] })))).toEqual([
      'platform:dr.standbyRegions: unknown key; allowed keys: enabled, standbyRegion, lastDrill, standby, targets, failover, alarms, mongodb, kafka, redis, images, secrets',
    ]);
  });
});

describe('the repository’s stack files', () => {
  it('prod parses with DR on, towards eu-central-1, and meets RPO 15 min and RTO 60 min', () => {
    const spec = repoStack('prod');
    const dr = spec.dr;
    if (!dr) throw new Error('prod has no platform:dr');
    expect([dr.enabled, dr.primaryRegion, dr.standbyRegion]).toEqual([true, 'eu-west-1', 'eu-central-1']);
    expect(dr.standby.nodeGroups.workloads).toMatchObject({ desiredSize: 1, failoverSize: 6, maxSize: 30 });
    const rpos = storeRpos(dr, spec.backup, 1440).map((r) => [r.store, r.minutes, r.checked]);
    expect(rpos).toEqual([
      ['mongodb', 15, true],
      ['kafka', 3, true],
      ['redis', 1450, false],
      ['images', 30, false],
      ['secrets', 5, true],
    ]);
    const rto = rtoEstimate(dr, spec.backup);
    expect(rto.totalMinutes).toBeCloseTo(45.65, 2);
    expect(rto.totalMinutes).toBeLessThanOrEqual(dr.targets.rtoMinutes);
  });

  it.each(['dev', 'qat', 'uat'])('%s parses unchanged, without DR', (stack) => {
    expect(repoStack(stack).dr).toBeUndefined();
  });
});
