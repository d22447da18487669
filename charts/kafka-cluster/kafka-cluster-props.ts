import type { ContainerResources, NetworkPeer, Placement } from '../lib';

/** One set of identical Kafka nodes: how many, how much disk each, and their container resources. */
export interface KafkaNodeGroup {
  readonly replicas: number;
  /** Size of each node's persistent volume, a Kubernetes quantity such as '100Gi'. */
  readonly storage: string;
  readonly resources: ContainerResources;
}

/** Every node is both KRaft controller and broker (small clusters: dev, qat). */
export interface CombinedNodePools extends KafkaNodeGroup {
  readonly mode: 'combined';
}

/** Controllers and brokers run as separate pools (uat, prod), so broker load never starves the quorum. */
export interface DedicatedNodePools {
  readonly mode: 'dedicated';
  readonly controllers: KafkaNodeGroup;
  readonly brokers: KafkaNodeGroup;
}

export type KafkaNodePools = CombinedNodePools | DedicatedNodePools;

/** Cluster-wide durability settings; the internal topics (offsets, transactions) follow them too. */
export interface KafkaClusterConfig {
  /** Replicas of topics created without an explicit count, and of the internal topics. */
  readonly defaultReplicationFactor: number;
  /** In-sync replicas a write with acks=all needs; must stay below the replication factor. */
  readonly minInsyncReplicas: number;
}

export interface KafkaTopicSpec {
  /** Topic name, also the KafkaTopic's name: lowercase letters, digits, '.' and '-'. */
  readonly name: string;
  readonly partitions: number;
  readonly replicas: number;
  /**
   * Topic-level Kafka settings, e.g. { 'retention.ms': 604800000 }.
   * @default {} (the cluster's settings)
   */
  readonly config?: Readonly<Record<string, string | number>>;
}

export interface KafkaUserSpec {
  /** User name, also the SCRAM-SHA-512 principal and the KafkaUser's name. */
  readonly name: string;
  /** Topics the user writes to (Write, Describe). */
  readonly produces: readonly string[];
  /** Topics the user reads from (Read, Describe). */
  readonly consumes: readonly string[];
  /** Consumer groups the user commits offsets in (Read); literal names, no wildcards. */
  readonly groups: readonly string[];
  /** Existing Secret (created by Pulumi in the cluster's namespace) holding the user's password. */
  readonly passwordSecret: { readonly name: string; readonly key: string };
}

/** A listener for MirrorMaker 2 in the DR standby region: TLS + SCRAM-SHA-512 behind internal NLBs. */
export interface MirrorMakerListener {
  /** CIDRs admitted (the standby VPC): the NLBs' source ranges and the brokers' NetworkPolicy. */
  readonly allowedCidrs: readonly string[];
  /**
   * Extra DNS names of the listener's bootstrap (e.g. the fixed `kafka-mirror.<domain>` MirrorMaker 2 dials),
   * added to the brokers' certificates so TLS hostname verification passes. @default []
   */
  readonly bootstrapAlternativeNames?: readonly string[];
  /**
   * Listener port (bootstrap and every broker's load balancer).
   * @default 9094
   */
  readonly port?: number;
}

export interface KafkaClusterProps {
  /** Namespace of the cluster, its operator, its topics, users and password Secrets. */
  readonly namespace: string;
  /**
   * Name of the Kafka resource; prefixes every object Strimzi creates (`<name>-kafka-bootstrap`, ...).
   * @default 'kafka'
   */
  readonly name?: string;
  /**
   * Value of app.kubernetes.io/part-of.
   * @default 'platform'
   */
  readonly partOf?: string;
  /** Pinned Kafka version, e.g. '4.1.0'; must be one the installed Strimzi release supports. */
  readonly version: string;
  /**
   * KRaft metadata version, e.g. '4.1-IV1'; raise it only after every node runs `version`.
   * @default Strimzi's default for `version`
   */
  readonly metadataVersion?: string;
  readonly nodePools: KafkaNodePools;
  /** StorageClass of the nodes' persistent volumes. */
  readonly storageClass: string;
  /**
   * Node label naming each node's failure domain (e.g. 'topology.kubernetes.io/zone' on EKS): Kafka then
   * places the replicas of a partition in different domains, and consumers may fetch from their own.
   * @default undefined (rack awareness off)
   */
  readonly rackTopologyKey?: string;
  /**
   * Node label (zone or host) the pods of each pool are spread over, evenly (at most one pod of difference,
   * else Pending): with no more pods than domains no two share one, and a pool can still outgrow the domains.
   * @default 'kubernetes.io/hostname'
   */
  readonly antiAffinityTopologyKey?: string;
  /**
   * Where the Kafka nodes, the entity operator and the Kafka exporter may run.
   * @default {} (any node)
   */
  readonly placement?: Placement;
  readonly config: KafkaClusterConfig;
  /**
   * Topics managed by the topic operator; automatic topic creation is off.
   * @default []
   */
  readonly topics?: readonly KafkaTopicSpec[];
  /**
   * SCRAM-SHA-512 users and their ACLs, managed by the user operator.
   * @default []
   */
  readonly users?: readonly KafkaUserSpec[];
  /**
   * Pods allowed to reach the TLS listener (9093). With none, only the cluster's own pods reach it.
   */
  readonly clients: readonly NetworkPeer[];
  /**
   * A second listener for MirrorMaker 2 in the DR standby: a `loadbalancer` listener on AWS internal NLBs,
   * reachable from `allowedCidrs` only.
   * @default undefined (no such listener: only the internal one)
   */
  readonly mirrorMakerListener?: MirrorMakerListener;
  /** Labels of the Strimzi cluster operator's pods, which run in `namespace`. */
  readonly operatorPodLabels: Readonly<Record<string, string>>;
  /**
   * Port of the cluster operator's /metrics endpoint.
   * @default 8080
   */
  readonly operatorMetricsPort?: number;
  /** Namespace whose Prometheus scrapes the cluster and the operator. */
  readonly monitoringNamespace: string;
  /**
   * Resources of the topic operator and of the user operator container, each.
   * @default requests { cpu: '100m', memory: '384Mi' }, limits { cpu: '500m', memory: '384Mi' }
   */
  readonly entityOperatorResources?: ContainerResources;
  /**
   * Resources of the Kafka exporter (consumer lag metrics).
   * @default requests { cpu: '50m', memory: '64Mi' }, limits { cpu: '250m', memory: '128Mi' }
   */
  readonly kafkaExporterResources?: ContainerResources;
}
