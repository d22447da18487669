import type { ServiceSlo } from '../slo';
import type { AlertName } from './alert-catalogue';

export interface MongodbTarget {
  /** Name of the PerconaServerMongoDB (MongoReplicaSetProps.name): its PodMonitor is `<cluster>-mongod`. */
  readonly cluster: string;
  /** Alert when the newest successful backup is older than this; allow the schedule's interval plus slack. */
  readonly backupMaxAgeMinutes: number;
}

/** The Redis snapshot CronJob (DR, charts/redis-sentinel `snapshot`), in the datastores' namespace. */
export interface RedisSnapshotTarget {
  /** Name of the CronJob (`<redis name>-snapshot`): kube-state-metrics' `cronjob` label. */
  readonly cronJob: string;
  /** Alert when no run succeeded for longer than this: the schedule's interval plus slack (26 for a daily job). */
  readonly maxAgeHours: number;
}

export interface RedisTarget {
  /** RedisSentinelProps.name: the exporters are scraped through `<name>-headless` and `<name>-sentinel-headless`. */
  readonly name: string;
  /** The sentinels' quorum (a majority of them): fewer sentinels seeing the master than this cannot fail over. */
  readonly sentinelQuorum: number;
  /**
   * The snapshot job, where it is rendered: renders RedisSnapshotMissing.
   * @default undefined (no snapshot job, no alert)
   */
  readonly snapshot?: RedisSnapshotTarget;
}

/** MirrorMaker 2 into this cluster (the DR standby, charts/kafka-mirror-maker), in the datastores' namespace. */
export interface KafkaMirrorTarget {
  /** Name of the KafkaMirrorMaker2: its PodMonitor is `<name>-mirror-maker`. */
  readonly name: string;
  /** `spec.dr.kafka.mirrorMaker.replicationLagBudgetSeconds`: the replication latency the RPO assumes. */
  readonly replicationLagBudgetSeconds: number;
  /** Checkpoint latency allowed per group; emitCheckpointsIntervalSeconds + syncGroupOffsetsIntervalSeconds is the floor. */
  readonly checkpointLagBudgetSeconds: number;
}

export interface KafkaTarget {
  /** Name of the Strimzi Kafka cluster: the `strimzi_io_cluster` label and its PodMonitors' names. */
  readonly cluster: string;
  /**
   * MirrorMaker 2 replicating into this cluster (DR standby only): renders the KafkaMirror* alerts.
   * @default undefined (no MirrorMaker alerts)
   */
  readonly mirrorMaker?: KafkaMirrorTarget;
}

export interface DatastoreTargets {
  /** Namespace the MongoDB, Redis and Kafka clusters run in. */
  readonly namespace: string;
  readonly mongodb: MongodbTarget;
  readonly redis: RedisTarget;
  readonly kafka: KafkaTarget;
}

export interface PrometheusRulesProps {
  /** Namespace the PrometheusRule objects are created in (where our Prometheus looks for rules). */
  readonly namespace: string;
  /** dev, qat, uat or prod: labels the objects; alerts get it from Prometheus's external labels. */
  readonly environment: string;
  /** One SLO per service: recording rules and burn-rate alerts. */
  readonly slos: readonly ServiceSlo[];
  /** Where the README's alert table lives; runbook_url is `<runbookBaseUrl>#alert-<lowercase name>`. */
  readonly runbookBaseUrl: string;
  /**
   * Alerts not rendered in this environment. Unknown names are refused.
   * @default []
   */
  readonly disabledAlerts?: readonly AlertName[];
  /** Namespace the services (user, product, ...) run in. */
  readonly appsNamespace: string;
  /** The services' names (their `service` label), for the per-service and datastore-client alerts. */
  readonly services: readonly string[];
  readonly datastores: DatastoreTargets;
  /**
   * Namespaces whose pods, volumes and autoscalers the Kubernetes alerts watch.
   * @default [appsNamespace, datastores.namespace]
   */
  readonly workloadNamespaces?: readonly string[];
}
