import type { KafkaClusterProps, MirrorMakerListener } from '../charts';
import type { RedisSnapshotTarget } from '../charts/monitoring-rules';
import type { BackupStorage, ClusterInfo, SecretBackend } from '../infra/cluster';
import {
  DataLayer,
  REDIS_NAME,
  type MongoBackupPlan,
  type RedisSnapshotPlan,
  type ScheduledMongoBackupPlan,
  type ServiceDataNeeds,
} from '../infra/data';
import type { LoadedEnvironment } from './config';
import { mirrorSourceBootstrap } from './mirror-bootstrap';
import { servicePeer } from './network-peers';
import { EVENT_TOPICS, SERVICE_CATALOG, SERVICE_NAMES, type ServiceName } from './service-catalog';
import { oplogSpanMinutes, type BackupSpec, type DataSpec, type EnvironmentSpec } from './spec';

const DAY_MS = 24 * 60 * 60 * 1000;

/** A consumer group's dead-letter topic: events it could not process after its retries. */
export function deadLetterTopic(group: string): string {
  return `${group}-dlq`;
}

/**
 * The product's topics, the same in every environment: the four event topics and a dead-letter topic per
 * consumer group (every service that consumes is a group). Replication and min.insync.replicas come from the
 * environment's Kafka settings.
 */
export function eventTopics(kafka: DataSpec['kafka']): KafkaClusterProps['topics'] {
  const config = (retentionDays: number) => ({
    'retention.ms': retentionDays * DAY_MS,
    'min.insync.replicas': kafka.minInsyncReplicas,
    'cleanup.policy': 'delete',
  });
  const consumers = SERVICE_NAMES.filter((s) => SERVICE_CATALOG[s].consumes.length > 0);
  return [
    ...EVENT_TOPICS.map((name) => ({
      name,
      partitions: kafka.partitions,
      replicas: kafka.replicationFactor,
      config: config(7),
    })),
    // Fewer partitions: dead letters are rare and replayed by hand; kept longer to give people time.
    ...consumers.map((group) => ({
      name: deadLetterTopic(group),
      partitions: 1,
      replicas: kafka.replicationFactor,
      config: config(14),
    })),
  ];
}

/** What each deployed service needs from the stores, from the catalog. */
export function serviceDataNeeds(services: readonly ServiceName[]): ServiceDataNeeds[] {
  return services.map((name) => {
    const entry = SERVICE_CATALOG[name];
    const groups = entry.consumes.length > 0 ? [name] : [];
    return {
      name,
      mongodb: entry.stores.includes('mongodb'),
      redis: entry.stores.includes('redis'),
      ...(entry.stores.includes('kafka') && {
        kafka: {
          produces: [...entry.produces, ...groups.map(deadLetterTopic)],
          consumes: [...entry.consumes],
          groups,
        },
      }),
    };
  });
}

/**
 * Backup plan per schedule: a logical base backup weekly or daily (kept for the retention), and with
 * point-in-time recovery the oplog uploaded in chunks short enough for an RPO under 15 minutes.
 */
export function backupPlan(backup: BackupSpec): ScheduledMongoBackupPlan {
  const weekly = backup.schedule === 'weekly';
  return {
    schedule: weekly ? '0 2 * * 0' : '0 2 * * *',
    keep: weekly ? Math.max(1, Math.ceil(backup.retentionDays / 7)) : backup.retentionDays,
    pointInTimeRecovery: {
      enabled: backup.pointInTimeRecovery,
      oplogSpanMinutes: oplogSpanMinutes(backup),
    },
  };
}

export function kafkaNodePools(kafka: DataSpec['kafka']): KafkaClusterProps['nodePools'] {
  if (kafka.nodePools === 'combined') {
    return { mode: 'combined', replicas: kafka.brokers, storage: kafka.storage, resources: kafka.resources };
  }
  return {
    mode: 'dedicated',
    controllers: {
      replicas: kafka.controllers,
      storage: kafka.controllerStorage,
      // Controllers hold only metadata: a quarter of a broker is plenty.
      resources: {
        requests: { cpu: '250m', memory: '1Gi' },
        limits: { cpu: '1', memory: '2Gi' },
      },
    },
    brokers: { replicas: kafka.brokers, storage: kafka.storage, resources: kafka.resources },
  };
}

/**
 * DR's daily Redis snapshot: at `platform:dr.redis.snapshot.schedule` (UTC) into the backup bucket under
 * `<keyPrefix><environment>/`, which the bucket's replication copies to the standby region.
 */
export function redisSnapshotOf(
  { spec }: LoadedEnvironment,
  backupStorage: BackupStorage,
): { snapshot: RedisSnapshotPlan } | Record<string, never> {
  if (spec.dr?.enabled !== true) return {};
  const writer = backupStorage.redisSnapshot;
  if (writer === undefined) {
    throw new Error(
      `platform:dr.redis.snapshot of ${spec.name} needs the EKS backup bucket's snapshot writer (backupStorage.redisSnapshot), which this cluster does not provide`,
    );
  }
  return {
    snapshot: {
      schedule: spec.dr.redis.snapshot.schedule,
      destination: `s3://${backupStorage.bucket}/${writer.keyPrefix}${spec.name}/`,
      region: backupStorage.region,
      port: backupStorage.port,
      writer,
    },
  };
}

/**
 * The MongoDB backup plan of this cluster. The DR standby (its secret backend reads the primary's replicated
 * entries, stacks/standby-cluster.ts) only restores: its storage is the replica of the primary's bucket, which
 * it must not write into. With DR, both sides share the system users (generated by Pulumi, replicated by Secrets
 * Manager), since a restore brings the primary's users along and the operator must still log in.
 */
export function mongoBackupOf(spec: EnvironmentSpec, secretBackend: SecretBackend): MongoBackupPlan {
  if (readsReplicas(secretBackend)) return { mode: 'restore-only', systemUsers: 'shared' };
  const plan = backupPlan(spec.backup);
  return spec.dr?.enabled === true ? { ...plan, systemUsers: 'shared' } : plan;
}

/** A backend reading another cluster's entries: only the DR standby's (SecretBackend.entries). */
function readsReplicas(backend: SecretBackend): boolean {
  return backend.kind === 'aws-secrets-manager' && backend.entries === 'replica';
}

/** A daily snapshot job may miss one run by two hours before RedisSnapshotMissing fires. */
export const REDIS_SNAPSHOT_MAX_AGE_HOURS = 26;

/**
 * RedisSnapshotMissing's target where the snapshot CronJob renders (with DR, as redisSnapshotOf), for the
 * monitoring rules' `datastores.redis`; none elsewhere (the standby has no `dr`, so no job and no alert).
 */
export function redisSnapshotAlertOf(
  spec: EnvironmentSpec,
): { snapshot: RedisSnapshotTarget } | Record<string, never> {
  if (spec.dr?.enabled !== true) return {};
  return { snapshot: { cronJob: `${REDIS_NAME}-snapshot`, maxAgeHours: REDIS_SNAPSHOT_MAX_AGE_HOURS } };
}

/**
 * DR primary (`platform:dr.enabled`): Kafka's MirrorMaker listener, admitting only the standby VPC, where
 * MirrorMaker 2 runs (stacks/kafka-mirror.ts). The standby's derived spec has no `dr`, so it gets none.
 */
export function mirrorMakerListenerOf({ spec }: LoadedEnvironment): MirrorMakerListener | undefined {
  if (spec.dr?.enabled !== true) return undefined;
  // The certificates must name the fixed bootstrap MirrorMaker 2 dials (stacks/kafka-mirror.ts).
  return {
    allowedCidrs: [spec.dr.standby.vpcCidr],
    bootstrapAlternativeNames: [mirrorSourceBootstrap(spec).host],
  };
}

/** The environment's data layer, wired to the cluster contract and the deployed services. */
export function createDataLayer(
  loaded: LoadedEnvironment,
  cluster: ClusterInfo,
  backupStorage: BackupStorage,
): DataLayer {
  const { spec } = loaded;
  const ns = spec.namespaces;
  const data = spec.data;
  const mirrorMakerListener = mirrorMakerListenerOf(loaded);
  return new DataLayer(`${spec.name}-data`, {
    provider: cluster.provider,
    secretBackend: cluster.secretBackend,
    namespaces: { data: ns.data, apps: ns.apps, monitoring: ns.monitoring },
    storageClass: cluster.storageClass,
    zones: cluster.zones,
    placement: cluster.dataPlacement,
    mongodb: {
      members: data.mongodb.members,
      storage: data.mongodb.storage,
      resources: data.mongodb.resources,
      backup: { storage: backupStorage, ...mongoBackupOf(spec, cluster.secretBackend) },
    },
    redis: { ...data.redis, ...redisSnapshotOf(loaded, backupStorage) },
    kafka: {
      nodePools: kafkaNodePools(data.kafka),
      config: {
        defaultReplicationFactor: data.kafka.replicationFactor,
        minInsyncReplicas: data.kafka.minInsyncReplicas,
      },
      topics: eventTopics(data.kafka),
      ...(mirrorMakerListener && { mirrorMakerListener }),
    },
    services: serviceDataNeeds(spec.services.map((s) => s.name)),
    servicePeer: (service) => servicePeer(service as ServiceName, ns),
    dependsOn: [...cluster.ready],
  });
}
