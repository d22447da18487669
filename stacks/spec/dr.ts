/**
 * `platform:dr` resolved against the cluster, the data layer and the backups (README, "Disaster recovery"):
 * defaults filled in, the rules across fields checked with their key paths, and, when DR is enabled, the
 * RPO/RTO targets held to the figures of dr-objectives.ts, so a plan that would miss them fails.
 */
import { EVENT_TOPICS } from '../service-catalog';
import { show, type ConfigProblem } from './config-error';
import { CONFIG_NAMESPACE } from './config-namespace';
import { cronIntervalMinutes, missedTargets } from './dr-objectives';
import { parseBytes } from './quantity';
import { overlaps, parseCidr } from '../../infra/lib';
import { checkNetwork } from './eks-network';
import { DR_NODE_GROUPS, type RawConfig, type Tier } from './schema';
import type {
  BackupSpec,
  ClusterSpec,
  DataSpec,
  DrSpec,
  EksClusterSpec,
  StandbyNodeGroupSpec,
} from './types';

const P = `${CONFIG_NAMESPACE}:`;
const DR = `${P}dr`;

/** Warm sizes (min, desired) of the standby's node groups; each fails over to the primary's desiredSize. */
export const STANDBY_WARM_SIZES: Readonly<
  Record<(typeof DR_NODE_GROUPS)[number], { minSize: number; desiredSize: number }>
> = {
  // The cluster's add-ons (DNS, gateway, operators, monitoring agents) run warm on two nodes over two zones.
  system: { minSize: 2, desiredSize: 2 },
  workloads: { minSize: 1, desiredSize: 1 },
  // The replica set, sentinels and Kafka run scaled down but spread over three zones, ready for the restore.
  data: { minSize: 3, desiredSize: 3 },
};

export const DR_DEFAULTS = {
  rpoMinutes: 15,
  rtoMinutes: 60,
  detectMinutes: 5,
  approvalMinutes: 15,
  dnsTtlSeconds: 60,
  /** The S3 Replication Time Control SLA: 99.99 % of objects within 15 minutes. */
  rtcLagMinutes: 15,
  restoreThroughputMiBps: 100,
  oplogGiBPerDay: 5,
  oplogReplayMiBps: 20,
  syncGroupOffsetsIntervalSeconds: 60,
  emitCheckpointsIntervalSeconds: 60,
  replicationLagBudgetSeconds: 60,
  redisSnapshotSchedule: '0 3 * * *',
} as const;

type RawDr = NonNullable<RawConfig['dr']>;

/**
 * The resolved DR section, or undefined when the stack file has none (or it cannot be resolved: the cause is
 * then among `problems`). On prem, only `enabled: false` is accepted.
 */
export function resolveDr(
  stack: string,
  tier: Tier,
  cluster: ClusterSpec | undefined,
  data: DataSpec,
  backup: BackupSpec,
  raw: RawDr | undefined,
  problems: ConfigProblem[],
): DrSpec | undefined {
  if (raw === undefined) return undefined;
  const enabled = raw.enabled ?? false;
  if (tier === 'onprem' || cluster?.tier !== 'eks') {
    if (tier === 'onprem' && enabled) {
      problems.push({
        path: `${DR}.enabled`,
        message:
          'must be false on prem (got true): the standby is a second EKS cluster in another AWS region, built ' +
          'by the same components; an on-prem stack has no region to fail over to',
      });
    }
    return undefined;
  }
  const before = problems.length;
  const at = (path: string, message: string) => problems.push({ path: `${DR}.${path}`, message });

  const primaryRegion = cluster.region;
  if (raw.standbyRegion === primaryRegion) {
    at(
      'standbyRegion',
      `must differ from ${P}cluster.region: both are ${show(primaryRegion)}, so losing that region would lose the standby too`,
    );
  }

  const network = resolveStandbyNetwork(raw, cluster, enabled, at);
  if (enabled && raw.failover?.gatewayHosts === undefined) {
    at(
      'failover.gatewayHosts',
      "is required when DR is enabled: {primary, standby}, the public DNS names of each region's gateway NLB " +
        '(kubectl -n <platform namespace> get svc -l gateway.envoyproxy.io/owning-gateway-name ' +
        "-o jsonpath='{.items[0].status.loadBalancer.ingress[0].hostname}'), which the Route 53 health checks probe",
    );
  }

  const nodeGroups = {} as Record<(typeof DR_NODE_GROUPS)[number], StandbyNodeGroupSpec>;
  for (const name of DR_NODE_GROUPS) {
    const primary = cluster.nodeGroups[name];
    const own = raw.standby?.nodeGroups?.[name];
    const g: StandbyNodeGroupSpec = {
      instanceTypes: primary.instanceTypes,
      diskSizeGiB: primary.diskSizeGiB,
      minSize: own?.minSize ?? STANDBY_WARM_SIZES[name].minSize,
      desiredSize: own?.desiredSize ?? STANDBY_WARM_SIZES[name].desiredSize,
      failoverSize: own?.failoverSize ?? primary.desiredSize,
      maxSize: primary.maxSize,
    };
    const path = `standby.nodeGroups.${name}`;
    if (!(g.minSize <= g.desiredSize && g.desiredSize <= g.failoverSize && g.failoverSize <= g.maxSize)) {
      at(
        path,
        `sizes must satisfy minSize <= desiredSize <= failoverSize <= maxSize, maxSize being ${P}cluster.nodeGroups.${name}.maxSize ` +
          `(got ${g.minSize} <= ${g.desiredSize} <= ${g.failoverSize} <= ${g.maxSize})`,
      );
    } else if (g.failoverSize < primary.desiredSize) {
      at(
        `${path}.failoverSize`,
        `must be >= ${P}cluster.nodeGroups.${name}.desiredSize (${primary.desiredSize}): after failover the standby carries prod's load (got ${g.failoverSize})`,
      );
    }
    nodeGroups[name] = g;
  }

  const m = raw.mongodb;
  const replicationTimeControl = m?.replicationTimeControl ?? true;
  if (m?.replicationLagBudgetMinutes === undefined && !replicationTimeControl) {
    at(
      'mongodb.replicationLagBudgetMinutes',
      'is required with replicationTimeControl false: S3 replication without RTC has no time bound, so the ' +
        'RPO needs a stated budget (with RTC: 15 min, its SLA)',
    );
  }
  const versioning = m?.versioning ?? true;
  if (!versioning) {
    at(
      'mongodb.versioning',
      'must be true: S3 replication of the backup bucket needs versioning on the source and the standby bucket (got false)',
    );
  }

  const mm = raw.kafka?.mirrorMaker;
  const topics = mm?.topics ?? [...EVENT_TOPICS];
  checkTopics(topics, mm?.topics !== undefined, at);

  const schedule = raw.redis?.snapshot?.schedule ?? DR_DEFAULTS.redisSnapshotSchedule;
  const interval = cronIntervalMinutes(schedule);
  if (!interval.ok) at('redis.snapshot.schedule', `${interval.problem} (got ${show(schedule)})`);

  const ecrReplication = raw.images?.ecrReplication ?? true;
  if (!ecrReplication) {
    at(
      'images.ecrReplication',
      `must be true: the standby pulls images from ECR in ${raw.standbyRegion}, and the primary's registry goes with its region (got false)`,
    );
  }
  const replicaRegions = raw.secrets?.replicaRegions ?? [raw.standbyRegion];
  if (!replicaRegions.includes(raw.standbyRegion)) {
    at(
      'secrets.replicaRegions',
      `must include standbyRegion ${show(raw.standbyRegion)}: External Secrets in the standby reads Secrets Manager there (got ${show(replicaRegions)})`,
    );
  }
  // Only regions written in the file: the default (standbyRegion) is judged at standbyRegion.
  (raw.secrets?.replicaRegions ?? []).forEach((region, i) => {
    if (region === primaryRegion) {
      at(
        `secrets.replicaRegions[${i}]`,
        `must not be the primary region ${show(primaryRegion)}, where the secrets live`,
      );
    }
  });

  const dr: DrSpec = {
    enabled,
    primaryRegion,
    standbyRegion: raw.standbyRegion,
    ...(raw.lastDrill !== undefined && { lastDrill: raw.lastDrill }),
    standby: { ...network, nodeGroups },
    targets: {
      rpoMinutes: raw.targets?.rpoMinutes ?? DR_DEFAULTS.rpoMinutes,
      rtoMinutes: raw.targets?.rtoMinutes ?? DR_DEFAULTS.rtoMinutes,
    },
    failover: {
      detectMinutes: raw.failover?.detectMinutes ?? DR_DEFAULTS.detectMinutes,
      approvalMinutes: raw.failover?.approvalMinutes ?? DR_DEFAULTS.approvalMinutes,
      dnsTtlSeconds: raw.failover?.dnsTtlSeconds ?? DR_DEFAULTS.dnsTtlSeconds,
      serve: raw.failover?.serve ?? 'primary',
      ...(raw.failover?.gatewayHosts && { gatewayHosts: { ...raw.failover.gatewayHosts } }),
    },
    alarms: { subscriptions: (raw.alarms?.subscriptions ?? []).map((s) => ({ ...s })) },
    mongodb: {
      mode: m?.mode ?? 'backupReplication',
      replicationTimeControl,
      replicationLagBudgetMinutes: m?.replicationLagBudgetMinutes ?? DR_DEFAULTS.rtcLagMinutes,
      versioning,
      restoreThroughputMiBps: m?.restoreThroughputMiBps ?? DR_DEFAULTS.restoreThroughputMiBps,
      dataSizeGiB: m?.dataSizeGiB ?? Math.ceil(parseBytes(data.mongodb.storage) / 2 ** 30),
      oplogGiBPerDay: m?.oplogGiBPerDay ?? DR_DEFAULTS.oplogGiBPerDay,
      oplogReplayMiBps: m?.oplogReplayMiBps ?? DR_DEFAULTS.oplogReplayMiBps,
    },
    kafka: {
      mirrorMaker: {
        topics,
        syncGroupOffsetsIntervalSeconds:
          mm?.syncGroupOffsetsIntervalSeconds ?? DR_DEFAULTS.syncGroupOffsetsIntervalSeconds,
        emitCheckpointsIntervalSeconds:
          mm?.emitCheckpointsIntervalSeconds ?? DR_DEFAULTS.emitCheckpointsIntervalSeconds,
        replicationLagBudgetSeconds:
          mm?.replicationLagBudgetSeconds ?? DR_DEFAULTS.replicationLagBudgetSeconds,
      },
    },
    redis: { snapshot: { schedule, coldStartAllowed: raw.redis?.snapshot?.coldStartAllowed ?? true } },
    images: { ecrReplication },
    secrets: { replicaRegions },
  };

  // The targets are judged on a consistent section only; a disabled one is kept but not held to them.
  if (enabled && interval.ok && problems.length === before) {
    for (const message of missedTargets(stack, dr, backup, interval.minutes)) {
      problems.push({ path: DR, message });
    }
  }
  return dr;
}

/**
 * The standby's VPC, zones and subnets, checked like the primary's (eks-network.ts) and kept apart from the
 * primary's VPC and service CIDR: the two VPCs are peered, so their blocks must not overlap.
 */
function resolveStandbyNetwork(
  raw: RawDr,
  cluster: EksClusterSpec,
  enabled: boolean,
  at: (path: string, message: string) => void,
): Omit<DrSpec['standby'], 'nodeGroups'> {
  const zones = raw.standby?.availabilityZones ?? ['a', 'b', 'c'].map((z) => `${raw.standbyRegion}${z}`);
  const empty = {
    vpcCidr: '',
    availabilityZones: zones,
    publicSubnetCidrs: [],
    privateSubnetCidrs: [],
    serviceCidr: cluster.serviceCidr,
  };
  const vpcCidr = raw.standby?.vpcCidr;
  if (vpcCidr === undefined) {
    if (enabled) {
      at(
        'standby.vpcCidr',
        `is required when DR is enabled: a /16 to /20 IPv4 block that overlaps neither ${P}cluster.vpcCidr (${cluster.vpcCidr}) nor any other environment, e.g. "10.41.0.0/16"`,
      );
    }
    return empty;
  }
  const problems: ConfigProblem[] = [];
  const network = checkNetwork(
    `${DR}.standby`,
    raw.standbyRegion,
    zones,
    { vpcCidr },
    cluster.serviceCidr,
    problems,
  );
  for (const p of problems) at(p.path.slice(DR.length + 1), p.message);
  const standbyBlock = parseCidr(vpcCidr);
  const primaryBlock = parseCidr(cluster.vpcCidr);
  if (standbyBlock && primaryBlock && overlaps(standbyBlock, primaryBlock)) {
    at(
      'standby.vpcCidr',
      `${vpcCidr} overlaps ${P}cluster.vpcCidr (${cluster.vpcCidr}): the peered VPCs need distinct blocks`,
    );
  }
  if (!network) return { ...empty, vpcCidr };
  return { vpcCidr, availabilityZones: zones, ...network };
}

/**
 * MirrorMaker2 topic patterns are Java regular expressions matched against whole names: each must be valid
 * and match a business topic, and every business topic must be mirrored (or its events are lost).
 */
function checkTopics(
  topics: readonly string[],
  given: boolean,
  at: (path: string, message: string) => void,
): void {
  const patterns: RegExp[] = [];
  topics.forEach((pattern, i) => {
    let re: RegExp;
    try {
      re = new RegExp(`^(?:${pattern})$`);
    } catch {
      at(`kafka.mirrorMaker.topics[${i}]`, `must be a regular expression (got ${show(pattern)})`);
      return;
    }
    patterns.push(re);
    if (given && !EVENT_TOPICS.some((t) => re.test(t))) {
      at(
        `kafka.mirrorMaker.topics[${i}]`,
        `matches no business topic (${EVENT_TOPICS.join(', ')}), so it mirrors nothing (got ${show(pattern)})`,
      );
    }
  });
  if (patterns.length < topics.length) return;
  const missing = EVENT_TOPICS.filter((t) => !patterns.some((re) => re.test(t)));
  if (missing.length > 0) {
    at(
      'kafka.mirrorMaker.topics',
      `must mirror every business topic; not matched: ${missing.join(', ')} (their events would be lost on failover)`,
    );
  }
}
