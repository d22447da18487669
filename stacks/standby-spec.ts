import { standbyBucketName } from '../infra/cluster';
import type { EksClusterSpec, EnvironmentSpec, ServiceSpec } from './spec';

/** Suffix of the standby's name: Pulumi names, the cluster `platform-<env>-standby`, IAM roles, aliases, logs. */
export const STANDBY_SUFFIX = 'standby';

/** `<env>-standby`: every name the standby declares derives from it, so none collides with the primary's. */
export function standbyName(environment: string): string {
  return `${environment}-${STANDBY_SUFFIX}`;
}

/**
 * An image of the primary region's ECR as the standby pulls it: the same repository and digest from the
 * standby region's registry, which ECR replication fills. Images from elsewhere are left as they are.
 */
export function standbyImage(image: string, primaryRegion: string, standbyRegion: string): string {
  const ecr = /^(\d{12}\.dkr\.ecr\.)([a-z0-9-]+)(\.amazonaws\.com(?:\.cn)?\/.*)$/.exec(image);
  if (!ecr || ecr[2] !== primaryRegion) return image;
  return `${ecr[1]}${standbyRegion}${ecr[3]}`;
}

/**
 * A service in the standby. Passive (`failover.serve: primary`): no pods, and no HPA, which would start one:
 * consumers there would re-process the mirrored events (MirrorMaker 2 syncs offsets only for groups without an
 * active consumer in the target), and the standby gets no traffic. Active (`serve: standby`, the reviewed
 * failover): one replica, or an HPA from one to the primary's maximum, so the load scales it.
 */
function warmService(
  s: ServiceSpec,
  primaryRegion: string,
  standbyRegion: string,
  active: boolean,
): ServiceSpec {
  const image = standbyImage(s.image, primaryRegion, standbyRegion);
  if (!active) return passive({ ...s, image });
  return { ...s, image, replicas: 1, autoscaling: { ...s.autoscaling, minReplicas: 1 } };
}

/** No pods and no HPA (which would start one). */
function passive(s: ServiceSpec): ServiceSpec {
  return { ...s, replicas: 0, autoscaling: { ...s.autoscaling, enabled: false } };
}

/**
 * The primary's own spec while the standby serves (`platform:dr.failover.serve: standby`): its services are
 * passive, like the standby's while prod serves. After a failover the rebuilt primary then neither consumes
 * its stale Kafka nor takes writes until the reviewed failback (`serve: primary`) starts it again. Unchanged
 * otherwise.
 */
export function primaryServingSpec(spec: EnvironmentSpec): EnvironmentSpec {
  if (spec.dr?.enabled !== true || spec.dr.failover.serve !== 'standby') return spec;
  return { ...spec, services: spec.services.map(passive) };
}

/**
 * The DR standby's environment, derived from the primary's resolved spec (undefined without DR enabled): the
 * same services, baseline, data layer and monitoring, in the standby region with its own network and warm node
 * groups. What differs, and why:
 * - name `<env>-standby`, so Pulumi and AWS names differ (the identity seen by workloads stays the primary's:
 *   see StandbyIdentity in environment.ts);
 * - no `dns` (createStandby in stacks/standby.ts adds the primary's zone, for the SECONDARY records) and no `dr` (nothing of the primary's
 *   DR is built again: replication, snapshots, MirrorMaker's source side);
 * - Loki's and Tempo's buckets get the standby region's suffix (S3 names are global);
 * - the MongoDB backup storage is the replica bucket, without point-in-time recovery while standby; the data
 *   layer makes it restore-only (no scheduled task: stacks/data-layer.ts mongoBackupOf), so MongodbBackupTooOld,
 *   which counts the cluster's own backups, is off;
 * - Redis with two data nodes; the quorum-bearing counts (MongoDB members, sentinels, Kafka brokers and
 *   controllers) stay, and so do the topics' partitions (mirrored topics keep them).
 */
export function standbySpec(spec: EnvironmentSpec): EnvironmentSpec | undefined {
  const dr = spec.dr;
  if (dr?.enabled !== true || spec.cluster.tier !== 'eks') return undefined;
  const primary = spec.cluster;
  const region = dr.standbyRegion;
  const standby = dr.standby;
  const group = (g: EksClusterSpec['nodeGroups']['system'], warm: (typeof standby.nodeGroups)['system']) => ({
    ...g,
    minSize: warm.minSize,
    desiredSize: warm.desiredSize,
    maxSize: warm.maxSize,
  });
  const cluster: EksClusterSpec = {
    ...primary,
    region,
    availabilityZones: standby.availabilityZones,
    vpcCidr: standby.vpcCidr,
    publicSubnetCidrs: standby.publicSubnetCidrs,
    privateSubnetCidrs: standby.privateSubnetCidrs,
    serviceCidr: standby.serviceCidr,
    nodeGroups: {
      system: group(primary.nodeGroups.system, standby.nodeGroups.system),
      workloads: group(primary.nodeGroups.workloads, standby.nodeGroups.workloads),
      data: group(primary.nodeGroups.data, standby.nodeGroups.data),
    },
  };
  const inRegion = (bucket: string | undefined) =>
    bucket === undefined ? undefined : standbyBucketName(bucket, region);
  const logsBucket = inRegion(spec.monitoring.logs.bucket);
  const tracesBucket = inRegion(spec.monitoring.traces.bucket);
  const { dns: _dns, dr: _dr, ...rest } = spec;
  const plugin = spec.delivery.plugin;
  return {
    ...rest,
    name: standbyName(spec.name),
    cluster,
    services: spec.services.map((s) =>
      warmService(s, primary.region, region, dr.failover.serve === 'standby'),
    ),
    data: {
      ...spec.data,
      redis: { ...spec.data.redis, dataNodes: Math.min(spec.data.redis.dataNodes, 2) },
    },
    monitoring: {
      ...spec.monitoring,
      disabledAlerts: [...new Set([...spec.monitoring.disabledAlerts, 'MongodbBackupTooOld'])],
      logs: { ...spec.monitoring.logs, ...(logsBucket !== undefined && { bucket: logsBucket }) },
      traces: { ...spec.monitoring.traces, ...(tracesBucket !== undefined && { bucket: tracesBucket }) },
    },
    backup: {
      ...spec.backup,
      pointInTimeRecovery: false,
      storage: {
        ...spec.backup.storage,
        bucket: standbyBucketName(spec.backup.storage.bucket, region),
        region,
      },
    },
    delivery: {
      ...spec.delivery,
      plugin:
        plugin.source === 'image'
          ? { ...plugin, image: standbyImage(plugin.image, primary.region, region) }
          : plugin,
    },
    // The standby's own config warnings would repeat the primary's.
    warnings: [],
  };
}
