import type { ContainerResources, NetworkPeer, Placement } from '../lib';

/** The topology keys the operator honours; any other key is silently replaced by kubernetes.io/hostname. */
export type AntiAffinityTopologyKey =
  'kubernetes.io/hostname' | 'topology.kubernetes.io/zone' | 'topology.kubernetes.io/region';

/** Compression algorithms Percona Backup for MongoDB implements. */
export type BackupCompression = 'none' | 'gzip' | 'pgzip' | 'snappy' | 'lz4' | 's2' | 'zstd';

/** An application user: readWrite on its own database and nothing else. */
export interface MongoUser {
  /** MongoDB user name, created in the admin database (so every client authenticates with authSource=admin). */
  readonly name: string;
  /** The only database the user may read and write. */
  readonly database: string;
  /** An existing Secret (created outside the chart) and the key holding the password. */
  readonly passwordSecret: { readonly name: string; readonly key: string };
}

/** An S3 bucket (AWS, or S3-compatible on prem) holding backups and PITR oplog chunks. */
export interface BackupStorage {
  readonly bucket: string;
  readonly region: string;
  /** Key prefix inside the bucket, e.g. the cluster name; '' for the bucket root. */
  readonly prefix: string;
  /**
   * S3-compatible endpoint, e.g. 'https://minio.storage.example:9000' on prem.
   * @default AWS S3 of `region`
   */
  readonly endpointUrl?: string;
  /**
   * Secret with AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (on prem).
   * @default none: the backup agent uses the pods' ServiceAccount (IRSA on EKS)
   */
  readonly credentialsSecret?: string;
  /**
   * Path-style addressing (bucket in the path), which most S3-compatible stores need. Operator 1.21.1 accepts
   * the field but does not pass it on, so PBM's own default (path style) applies either way.
   * @default unset (PBM: path style)
   */
  readonly forcePathStyle?: boolean;
}

export interface PointInTimeRecovery {
  readonly enabled: boolean;
  /** Minutes of oplog per uploaded chunk, which bounds the data lost (RPO); used only when enabled, must be < 15. */
  readonly oplogSpanMinutes: number;
}

/** What every backup configuration has: where the backups are, and how they are compressed. */
interface MongoBackupBase {
  readonly storage: BackupStorage;
  /**
   * Compression of backups and oplog chunks.
   * @default 's2' (PBM's own default: fast with a fair ratio)
   */
  readonly compression?: BackupCompression;
}

/** PBM takes scheduled base backups into the storage (and oplog chunks, with point-in-time recovery). */
export interface ScheduledMongoBackup extends MongoBackupBase {
  /** @default 'scheduled' */
  readonly mode?: 'scheduled';
  /** Five-field cron (UTC) of the scheduled logical backup, e.g. '0 3 * * *' daily or '0 3 * * 0' weekly. */
  readonly schedule: string;
  /** How many scheduled backups to keep; older ones are deleted from the bucket too. */
  readonly keep: number;
  readonly pointInTimeRecovery: PointInTimeRecovery;
}

/**
 * The storage only, for restores (PerconaServerMongoDBRestore names it): no scheduled task and no PITR, so
 * the cluster never writes backups there. For a cluster whose storage holds another cluster's backups, such
 * as the DR standby reading the replicated bucket.
 */
export interface RestoreOnlyMongoBackup extends MongoBackupBase {
  readonly mode: 'restore-only';
}

export type MongoBackup = ScheduledMongoBackup | RestoreOnlyMongoBackup;

/** Where some traffic may go: TCP ports, and optionally one CIDR. */
export interface EgressTarget {
  readonly ports: readonly number[];
  /** @default anywhere */
  readonly cidr?: string;
}

export interface MongoReplicaSetProps {
  readonly namespace: string;
  /**
   * Name of the PerconaServerMongoDB; pods are <name>-<replsetName>-<i>.
   * @default 'mongodb'
   */
  readonly name?: string;
  /**
   * Replica set name, as clients give it in `replicaSet=`.
   * @default 'rs0'
   */
  readonly replsetName?: string;
  /**
   * Value of app.kubernetes.io/part-of on the chart's own objects.
   * @default 'platform'
   */
  readonly partOf?: string;
  /** Version of the installed operator the CR is written for, e.g. '1.21.1' (>= 1.21.0: task retention). */
  readonly crVersion: string;
  /** Pinned percona/percona-server-mongodb image (tag or digest). */
  readonly image: string;
  /** Pinned percona/percona-backup-mongodb image; its agent runs beside every mongod. */
  readonly backupImage: string;
  /** Pinned percona/mongodb_exporter image, run as a sidecar of every mongod. */
  readonly exporterImage: string;

  /** Voting, data-bearing members: an odd number >= 3, so a majority survives the loss of one. */
  readonly members: number;
  /** Size of each member's volume, e.g. '100Gi'. */
  readonly storage: string;
  readonly storageClass: string;
  /** mongod container requests and limits. */
  readonly resources: ContainerResources;
  /**
   * @default { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } }
   */
  readonly exporterResources?: ContainerResources;
  /**
   * No two members share a value of this node label (a required anti-affinity): the zone on EKS, the host on
   * prem. With the zone key, members beyond the number of zones stay Pending.
   */
  readonly antiAffinityTopologyKey: AntiAffinityTopologyKey;
  /** @default any node */
  readonly placement?: Placement;
  /**
   * Existing ServiceAccount of the mongod pods; on EKS its IRSA role lets the backup agent write to S3.
   * @default the operator's choice (the namespace's `default`)
   */
  readonly serviceAccountName?: string;

  /** Name of the operator's system-users Secret (`spec.secrets.users`); the operator fills it if absent. */
  readonly systemUsersSecret: string;
  /**
   * Per-service users.
   * @default []
   */
  readonly users?: readonly MongoUser[];

  readonly backup: MongoBackup;

  /** Service pods that may connect to mongod (port 27017). */
  readonly clients: readonly NetworkPeer[];
  /** Labels of the Percona operator's pods, which run in the same namespace. */
  readonly operatorPodLabels: Readonly<Record<string, string>>;
  /**
   * Port of the operator's metrics endpoint.
   * @default 8080
   */
  readonly operatorMetricsPort?: number;
  /** Namespace whose Prometheus scrapes the exporters and the operator. */
  readonly monitoringNamespace: string;
  /**
   * Labels on the PodMonitor, for Prometheus' podMonitorSelector.
   * @default {}
   */
  readonly podMonitorLabels?: Readonly<Record<string, string>>;
  /**
   * Where the backup agents' S3 traffic (and STS, with IRSA) goes.
   * @default { ports: [443] } to anywhere
   */
  readonly backupEgress?: EgressTarget;
  /**
   * Where the operator reaches the Kubernetes API.
   * @default { ports: [443, 6443] } to anywhere
   */
  readonly kubernetesApiEgress?: EgressTarget;
}
