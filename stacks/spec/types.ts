import type { PolicyLevels } from '../../charts/policy-settings/policy-settings-contract';
import type { ServiceName } from '../service-catalog';
import type {
  BACKUP_SCHEDULES,
  CPU_ARCHITECTURES,
  DELIVERY_STRATEGIES,
  KAFKA_NODE_POOLS,
  MONITORING_LEVELS,
  CHAT_RECEIVER_TYPES,
  PAGING_RECEIVER_TYPES,
  DR_ALARM_PROTOCOLS,
  DR_MONGODB_MODES,
  DR_SERVE,
  Tier,
} from './schema';

/** The resolved, validated description of one environment: the only input the composition takes. */
export interface EnvironmentSpec {
  /** The stack name: dev, qat, uat, prod (or any new stack). */
  readonly name: string;
  readonly tier: Tier;
  readonly cluster: ClusterSpec;
  readonly namespaces: NamespacesSpec;
  /** Deployed services, sorted by name. */
  readonly services: readonly ServiceSpec[];
  readonly data: DataSpec;
  readonly monitoring: MonitoringSpec;
  readonly backup: BackupSpec;
  readonly imagePolicy: { readonly requireDigest: boolean };
  readonly gateway: GatewaySpec;
  readonly certificates: CertificatesSpec;
  readonly auth: AuthSpec;
  /** EKS only: the Route 53 zone ExternalDNS publishes the gateway's hostnames into; absent, none runs. */
  readonly dns?: DnsSpec;
  readonly delivery: DeliveryPlatformSpec;
  readonly policy: PolicySpec;
  /** `platform:dr` resolved; absent when the stack file has no DR section (README, "Disaster recovery"). */
  readonly dr?: DrSpec;
  /** Valid but risky settings, printed by preview, up and the plan. */
  readonly warnings: readonly ConfigWarning[];
}

/** How hard each platform policy rule bites here (tools/policy/enforcement.ts, README "Policy levels"). */
export interface PolicySpec {
  /** Rule -> level, sorted by rule: the stack file's `platform:policy.levels` over the environment's defaults. */
  readonly levels: PolicyLevels;
}

export interface AuthSpec {
  /** Normalised (lowercase) emails of the configured administrators. */
  readonly adminEmails: readonly string[];
  /** Changing it regenerates the service-to-service keys. */
  readonly serviceKeyRotation: string;
}

/** A named warning about a setting: `rule` is stable, for filtering and tests. */
export interface ConfigWarning {
  readonly rule: string;
  readonly path: string;
  readonly message: string;
}

export type ClusterSpec = OnPremClusterSpec | EksClusterSpec;

export type LoadBalancerSpec =
  | { readonly mode: 'metallb'; readonly addressPool: string }
  | { readonly mode: 'nodePort'; readonly httpPort: number; readonly httpsPort: number };

export interface OnPremClusterSpec {
  readonly tier: 'onprem';
  /** Whether the secret key `platform:kubeconfig` is set. */
  readonly hasKubeconfig: boolean;
  readonly context?: string;
  readonly storageClass: string;
  readonly loadBalancer: LoadBalancerSpec;
  readonly registry: string;
  readonly zones: { readonly topologyKey: string; readonly count: number };
  readonly metricsServer: 'install' | 'present';
}

export interface NodeGroupSpec {
  readonly instanceTypes: readonly string[];
  readonly minSize: number;
  readonly desiredSize: number;
  readonly maxSize: number;
  readonly diskSizeGiB: number;
}

export interface EksClusterSpec {
  readonly tier: 'eks';
  readonly region: string;
  readonly kubernetesVersion: string;
  readonly availabilityZones: readonly string[];
  readonly vpcCidr: string;
  readonly publicSubnetCidrs: readonly string[];
  readonly privateSubnetCidrs: readonly string[];
  readonly serviceCidr: string;
  readonly natGateways: 'one' | 'perZone';
  readonly publicAccessCidrs: readonly string[];
  readonly admins: readonly string[];
  readonly amiType: 'AL2023' | 'Bottlerocket';
  readonly nodeGroups: {
    readonly system: NodeGroupSpec;
    readonly workloads: NodeGroupSpec;
    readonly data: NodeGroupSpec;
  };
  readonly secretsManagerPrefix: string;
}

export interface GatewaySpec {
  readonly hostnames: readonly string[];
  readonly traffic: EdgeTrafficSpec;
}

/** Edge behaviour of the Envoy Gateway (README, "North-south routes"). */
export interface EdgeTrafficSpec {
  readonly requestTimeout: string;
  readonly retries: number;
  readonly circuitBreaker: {
    readonly maxConnections: number;
    readonly maxPendingRequests: number;
    readonly maxParallelRequests: number;
  };
  readonly trustedProxyHops: number;
  readonly connectionLimit: number;
  readonly connectionBufferLimit: string;
  readonly rateLimit: {
    readonly requestsPerMinute: number;
    /** Path prefix -> requests per minute per client IP. */
    readonly paths: Readonly<Record<string, number>>;
  };
}

export type CertificatesSpec =
  | { readonly issuer: 'internal-ca' }
  | {
      readonly issuer: 'acme';
      readonly acme: { readonly email: string; readonly server: string; readonly hostedZoneId: string };
    };

export interface DnsSpec {
  readonly hostedZoneId: string;
  /** Every gateway hostname lies inside it. */
  readonly domain: string;
  /** A private hosted zone: with DR, the standby's VPC is associated with it. */
  readonly private: boolean;
}

export interface NamespacesSpec {
  readonly platform: string;
  readonly data: string;
  readonly apps: string;
  readonly monitoring: string;
}

export interface ResourceSpec {
  readonly cpu: string;
  readonly memory: string;
}

export interface AutoscalingSpec {
  readonly enabled: boolean;
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly targetCPUUtilizationPercentage: number;
  readonly targetMemoryUtilizationPercentage: number;
}

export type DeliveryStrategy = (typeof DELIVERY_STRATEGIES)[number];

export interface ServiceSpec {
  readonly name: ServiceName;
  readonly image: string;
  /** Replicas when autoscaling is off; with autoscaling the Deployment starts at minReplicas. */
  readonly replicas: number;
  readonly autoscaling: AutoscalingSpec;
  readonly resources: { readonly requests: ResourceSpec; readonly limits: ResourceSpec };
  readonly delivery: DeliverySpec;
}

/** How a service's new versions roll out (README, "Progressive delivery"). */
export interface DeliverySpec {
  readonly strategy: DeliveryStrategy;
  /** Canary: traffic weights (%) before full promotion, ascending; and the pause after each. */
  readonly canary: { readonly steps: readonly number[]; readonly pause: string };
  readonly blueGreen: { readonly autoPromotion: boolean; readonly scaleDownDelaySeconds: number };
  readonly analysis: AnalysisSpec;
}

/** Thresholds of the canary/preview analysis; the p99 ceiling defaults to the SLO's latency threshold. */
export interface AnalysisSpec {
  readonly interval: string;
  readonly count: number;
  readonly failureLimit: number;
  readonly inconclusiveLimit: number;
  readonly minRequests: number;
  readonly maxErrorRatio: number;
  /** Undefined: the service's SLO latency threshold (`monitoring.slo`). */
  readonly maxP99Seconds?: number;
}

/** The Argo Rollouts controller and its Gateway API traffic-router plugin. */
export interface DeliveryPlatformSpec {
  readonly controllerReplicas: number;
  readonly plugin:
    | { readonly source: 'download'; readonly arch: (typeof CPU_ARCHITECTURES)[number] }
    | { readonly source: 'image'; readonly image: string; readonly arch: (typeof CPU_ARCHITECTURES)[number] };
}

export interface ContainerResourcesSpec {
  readonly requests: ResourceSpec;
  readonly limits: ResourceSpec;
}

export interface DataSpec {
  readonly mongodb: {
    readonly members: number;
    readonly storage: string;
    readonly resources: ContainerResourcesSpec;
  };
  readonly redis: {
    readonly dataNodes: number;
    readonly sentinels: number;
    /** Resolved: a majority of the sentinels unless configured. */
    readonly quorum: number;
    readonly storage: string;
    readonly resources: ContainerResourcesSpec;
  };
  readonly kafka: {
    readonly nodePools: (typeof KAFKA_NODE_POOLS)[number];
    readonly brokers: number;
    /** Dedicated KRaft controllers; equals brokers when the pools are combined. */
    readonly controllers: number;
    readonly storage: string;
    readonly controllerStorage: string;
    readonly replicationFactor: number;
    readonly minInsyncReplicas: number;
    readonly partitions: number;
    readonly resources: ContainerResourcesSpec;
  };
}

export interface SecretKeySpec {
  readonly secret: string;
  readonly key: string;
  /** Webhooks: the endpoint, when the Secret holds a bearer token instead of the URL. */
  readonly url?: string;
}

/** A service's objectives (README, "Service level objectives"). */
export interface SloSpec {
  readonly availability: number;
  readonly latency: { readonly objective: number; readonly thresholdSeconds: number };
}

export interface MonitoringSpec {
  readonly level: (typeof MONITORING_LEVELS)[number];
  readonly paging: boolean;
  readonly retention: string;
  readonly storage: string;
  readonly scrapeInterval: string;
  readonly evaluationInterval: string;
  readonly prometheusReplicas: number;
  /** Used when the level runs Alertmanager (alerting, full). */
  readonly alertmanagerReplicas: number;
  readonly receivers: {
    readonly chat?: SecretKeySpec & {
      readonly type: (typeof CHAT_RECEIVER_TYPES)[number];
      readonly channel?: string;
    };
    readonly paging?: SecretKeySpec & { readonly type: (typeof PAGING_RECEIVER_TYPES)[number] };
    readonly watchdog?: SecretKeySpec;
  };
  readonly grouping: {
    readonly groupWait: string;
    readonly groupInterval: string;
    readonly repeatInterval: string;
  };
  readonly runbookBaseUrl: string;
  /** Loki; `bucket` on EKS (chunks in S3), none on prem (a volume). */
  readonly logs: { readonly retention: string; readonly storage: string; readonly bucket?: string };
  /** Tempo and the services' trace sampling. */
  readonly traces: {
    readonly retention: string;
    readonly storage: string;
    readonly bucket?: string;
    readonly sampleRatio: number;
  };
  readonly disabledAlerts: readonly string[];
  /** The objectives of every deployed service, defaults and overrides resolved. */
  readonly slo: Readonly<Record<string, SloSpec>>;
}

export interface BackupStorageSpec {
  readonly bucket: string;
  readonly region: string;
  readonly endpointUrl?: string;
  readonly credentialsSecret?: string;
  readonly forcePathStyle: boolean;
}

export interface BackupSpec {
  readonly schedule: (typeof BACKUP_SCHEDULES)[number];
  readonly pointInTimeRecovery: boolean;
  readonly retentionDays: number;
  /** The recovery point objective the stack declares (minutes), if any. */
  readonly rpoMinutes?: number;
  readonly storage: BackupStorageSpec;
}

/** A standby node group: the primary's instance types and disk, warm at desiredSize until failover. */
export interface StandbyNodeGroupSpec {
  readonly instanceTypes: readonly string[];
  readonly diskSizeGiB: number;
  readonly minSize: number;
  readonly desiredSize: number;
  /** Nodes the group is scaled to on failover (>= the primary's desiredSize). */
  readonly failoverSize: number;
  /** The primary's maxSize: the standby autoscales as far once it serves. */
  readonly maxSize: number;
}

/** The warm standby region of an EKS stack and what replicates to it (stacks/spec/dr.ts). */
export interface DrSpec {
  readonly enabled: boolean;
  /** The cluster's region (platform:cluster.region). */
  readonly primaryRegion: string;
  readonly standbyRegion: string;
  /** "YYYY-MM-DD" of the last failover drill, if recorded. */
  readonly lastDrill?: string;
  readonly standby: {
    /** The standby cluster's network, laid out like the primary's (platform:cluster defaults). */
    readonly vpcCidr: string;
    readonly availabilityZones: readonly string[];
    readonly publicSubnetCidrs: readonly string[];
    readonly privateSubnetCidrs: readonly string[];
    readonly serviceCidr: string;
    readonly nodeGroups: {
      readonly system: StandbyNodeGroupSpec;
      readonly workloads: StandbyNodeGroupSpec;
      readonly data: StandbyNodeGroupSpec;
    };
  };
  readonly targets: { readonly rpoMinutes: number; readonly rtoMinutes: number };
  readonly failover: {
    readonly detectMinutes: number;
    readonly approvalMinutes: number;
    readonly dnsTtlSeconds: number;
    /** The region the failover records serve; changed by a reviewed failover (or failback). */
    readonly serve: (typeof DR_SERVE)[number];
    /** Each region's gateway NLB name, probed by the Route 53 health checks (required when enabled). */
    readonly gatewayHosts?: { readonly primary: string; readonly standby: string };
  };
  readonly alarms: {
    readonly subscriptions: readonly {
      readonly protocol: (typeof DR_ALARM_PROTOCOLS)[number];
      readonly endpoint: string;
    }[];
  };
  readonly mongodb: {
    readonly mode: (typeof DR_MONGODB_MODES)[number];
    readonly replicationTimeControl: boolean;
    readonly replicationLagBudgetMinutes: number;
    readonly versioning: boolean;
    readonly restoreThroughputMiBps: number;
    readonly dataSizeGiB: number;
    readonly oplogGiBPerDay: number;
    readonly oplogReplayMiBps: number;
  };
  readonly kafka: {
    readonly mirrorMaker: {
      /** Regular expressions matched against whole topic names. */
      readonly topics: readonly string[];
      readonly syncGroupOffsetsIntervalSeconds: number;
      readonly emitCheckpointsIntervalSeconds: number;
      readonly replicationLagBudgetSeconds: number;
    };
  };
  readonly redis: { readonly snapshot: { readonly schedule: string; readonly coldStartAllowed: boolean } };
  readonly images: { readonly ecrReplication: boolean };
  readonly secrets: { readonly replicaRegions: readonly string[] };
}
