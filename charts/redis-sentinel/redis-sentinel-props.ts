import type { ContainerResources, NetworkPeer, Placement } from '../lib';

/** A key of an existing Secret in the chart's namespace; Pulumi creates it, the chart only refers to it. */
export interface RedisAuthSecret {
  readonly name: string;
  readonly key: string;
}

export interface RedisSentinelProps {
  readonly namespace: string;
  /**
   * Names the StatefulSets, Services and the app.kubernetes.io/name label of every pod (network policies
   * elsewhere select Redis pods by it). A DNS label of at most 40 characters.
   * @default 'redis'
   */
  readonly name?: string;
  /**
   * Value of app.kubernetes.io/part-of.
   * @default 'platform'
   */
  readonly partOf?: string;
  /** Pinned official Redis image, e.g. 'redis:8.2.2-bookworm'; it provides sh, redis-cli and redis-sentinel. */
  readonly image: string;
  /** Pinned oliver006/redis_exporter image, run beside every data node and sentinel. */
  readonly exporterImage: string;
  /** Redis data nodes: one master, the rest replicas. At least 1. */
  readonly dataNodes: number;
  /** Sentinels; an odd number >= 3 so a majority survives the loss of one. */
  readonly sentinels: number;
  /**
   * Sentinels that must agree the master is down; must be a majority of `sentinels`.
   * @default the majority of the sentinels
   */
  readonly quorum?: number;
  /** Size of each data node's volume, e.g. '20Gi'. */
  readonly storage: string;
  readonly storageClass: string;
  /** Requests and limits of each Redis data node; maxmemory is set to 70 % of the memory limit. */
  readonly resources: ContainerResources;
  /**
   * Requests and limits of each sentinel.
   * @default { requests: { cpu: '25m', memory: '32Mi' }, limits: { cpu: '200m', memory: '64Mi' } }
   */
  readonly sentinelResources?: ContainerResources;
  /**
   * Requests and limits of each redis_exporter sidecar.
   * @default { requests: { cpu: '10m', memory: '32Mi' }, limits: { cpu: '100m', memory: '64Mi' } }
   */
  readonly exporterResources?: ContainerResources;
  /** The Redis password (data nodes and sentinels); an existing Secret, never a value. */
  readonly authSecret: RedisAuthSecret;
  /**
   * Label that separates failure domains; no two data nodes and no two sentinels share a value of it:
   * 'topology.kubernetes.io/zone' on EKS, 'kubernetes.io/hostname' on prem. There must be at least as many
   * domains as `dataNodes` and as `sentinels`, or the extra pods stay Pending.
   */
  readonly antiAffinityTopologyKey: string;
  /** @default {} (any node) */
  readonly placement?: Placement;
  /** Pods that may connect to Redis (6379) and Sentinel (26379). */
  readonly clients: readonly NetworkPeer[];
  /** Namespace whose Prometheus scrapes the exporters. */
  readonly monitoringNamespace: string;
  /**
   * How long the master may be unreachable before the sentinels fail over, 1000..5000.
   * @default 5000
   */
  readonly downAfterMilliseconds?: number;
  /** @default 'mymaster' */
  readonly masterName?: string;
  /** @default 'cluster.local' */
  readonly clusterDomain?: string;
  /**
   * The daily RDB snapshot to object storage (DR, issue 18): a CronJob, its script and its NetworkPolicy
   * (redis-snapshot-cronjob.ts); the Redis pods then admit the job's pods too.
   * @default no snapshot job
   */
  readonly snapshot?: RedisSnapshotProps;
}

/** The snapshot CronJob: when it runs, where the snapshots go and how it gets there. */
export interface RedisSnapshotProps {
  /** Five-field cron schedule, read in UTC (the CronJob's timeZone is Etc/UTC). */
  readonly schedule: string;
  /** `s3://<bucket>/<prefix>/` (or `file:///<dir>`): where each `<name>-<UTC stamp>.rdb` and its .sha256 go. */
  readonly destination: string;
  /** AWS region of the bucket, for the CLI. */
  readonly region: string;
  /** Pinned image with the AWS CLI and sh (public.ecr.aws/aws-cli/aws-cli); it runs the upload step. */
  readonly uploadImage: string;
  /** Existing ServiceAccount of the job (Pulumi creates it with its IRSA role annotation). */
  readonly serviceAccountName: string;
  /**
   * TCP port the upload leaves the cluster on (the object store's HTTPS).
   * @default 443
   */
  readonly objectStorePort?: number;
  /**
   * How long one run may take, fetch and upload, before Kubernetes stops it.
   * @default 1800
   */
  readonly activeDeadlineSeconds?: number;
  /**
   * Requests and limits of the fetch (init) container.
   * @default { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '500m', memory: '128Mi' } }
   */
  readonly fetchResources?: ContainerResources;
  /**
   * Requests and limits of the upload container (the CLI buffers a few multipart parts).
   * @default { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '1', memory: '512Mi' } }
   */
  readonly uploadResources?: ContainerResources;
}

/** What a client needs to reach the current master through Sentinel. */
export interface RedisConnection {
  /** Every sentinel pod by its stable DNS name. */
  readonly sentinels: readonly { readonly host: string; readonly port: number }[];
  readonly masterName: string;
  /** The ClusterIP Service in front of the sentinels (port 26379), for clients that take a single address. */
  readonly serviceHost: string;
}
