import type { PolicyLevels } from '../../charts/policy-settings/policy-settings-contract';
import type { Tier } from './schema';
import type {
  BackupSpec,
  DataSpec,
  EksClusterSpec,
  MonitoringSpec,
  NamespacesSpec,
  DeliverySpec,
  DeliveryPlatformSpec,
  ServiceSpec,
  SloSpec,
} from './types';

/** What a tier gives every environment on it unless its stack file says otherwise. */
export interface TierDefaults {
  readonly cluster: {
    readonly storageClass?: string;
    readonly region?: string;
    readonly kubernetesVersion?: string;
    readonly natGateways?: 'one' | 'perZone';
    readonly amiType?: 'AL2023' | 'Bottlerocket';
    readonly serviceCidr?: string;
    readonly nodeGroups?: EksClusterSpec['nodeGroups'];
  };
  readonly certificates: 'internal-ca' | 'acme';
  readonly namespaces: NamespacesSpec;
  readonly service: Omit<ServiceSpec, 'name' | 'image'>;
  readonly data: {
    readonly mongodb: DataSpec['mongodb'];
    /** The quorum is resolved from the sentinel count unless configured. */
    readonly redis: Omit<DataSpec['redis'], 'quorum'>;
    readonly kafka: DataSpec['kafka'];
  };
  /** Receivers are the site's (no default); the SLO is every service's unless overridden. */
  readonly monitoring: Omit<
    MonitoringSpec,
    'slo' | 'receivers' | 'disabledAlerts' | 'runbookBaseUrl' | 'logs' | 'traces'
  > & {
    readonly logs: { readonly retention: string; readonly storage: string };
    readonly traces: { readonly retention: string; readonly storage: string; readonly sampleRatio: number };
  } & {
    readonly slo: SloSpec;
  };
  /** Backup storage is the site's (on prem) or named per stack (EKS buckets are global): no default. */
  readonly backup: Omit<BackupSpec, 'storage'>;
  readonly imagePolicy: { readonly requireDigest: boolean };
  readonly delivery: DeliveryPlatformSpec;
}

/**
 * Progressive delivery defaults. Canary 10 % then 50 % (then 100 %), a pause after each step, and analysis
 * of the new track every minute: on prem shorter pauses, looser error budgets and automatic blue-green
 * promotion (test environments); on EKS (uat, prod) blue-green waits for a person (manual approval).
 */
function delivery(
  pause: string,
  autoPromotion: boolean,
  maxErrorRatio: number,
  minRequests: number,
): Omit<DeliverySpec, 'strategy'> {
  return {
    canary: { steps: [10, 50], pause },
    blueGreen: { autoPromotion, scaleDownDelaySeconds: 30 },
    analysis: {
      interval: '1m',
      count: 5,
      failureLimit: 1,
      inconclusiveLimit: 2,
      minRequests,
      maxErrorRatio,
    },
  };
}

const namespaces: NamespacesSpec = {
  platform: 'platform',
  data: 'data',
  apps: 'apps',
  monitoring: 'monitoring',
};

/** Alertmanager's grouping: wait for related alerts, then re-notify while one still fires. */
const grouping = { groupWait: '30s', groupInterval: '5m', repeatInterval: '4h' };

/** Backend sizing from the architecture's table; the same in every environment. */
const resources = {
  requests: { cpu: '250m', memory: '256Mi' },
  limits: { cpu: '500m', memory: '512Mi' },
} as const;

/** Backend sizing from the architecture's table: replicas, HPA range, CPU 70 %, memory 80 %, same resources. */
function backend(
  replicas: number,
  minReplicas: number,
  maxReplicas: number,
  delivery: Omit<DeliverySpec, 'strategy'>,
): TierDefaults['service'] {
  return {
    replicas,
    autoscaling: {
      enabled: true,
      minReplicas,
      maxReplicas,
      targetCPUUtilizationPercentage: 70,
      targetMemoryUtilizationPercentage: 80,
    },
    resources,
    delivery: { strategy: 'rolling', ...delivery },
  };
}

function sized(cpu: string, memory: string, cpuLimit: string, memoryLimit: string) {
  return { requests: { cpu, memory }, limits: { cpu: cpuLimit, memory: memoryLimit } };
}

/**
 * Kafka from the architecture: 3 brokers; replication factor 3 with min.insync.replicas 2, so a broker can be
 * down without stopping producers. Dedicated pools add 3 KRaft controllers with a small metadata volume.
 */
function kafka(
  nodePools: DataSpec['kafka']['nodePools'],
  storage: string,
  resources: DataSpec['kafka']['resources'],
): DataSpec['kafka'] {
  return {
    nodePools,
    brokers: 3,
    controllers: 3,
    storage,
    controllerStorage: '20Gi',
    replicationFactor: 3,
    minInsyncReplicas: 2,
    partitions: 6,
    resources,
  };
}

/**
 * On prem the defaults are the dev environment's sizing (cheap, conservative); on EKS they are uat's
 * (production-like). Each stack file then holds only what differs, e.g. prod's larger HPA range.
 */
export const TIER_DEFAULTS: Readonly<Record<Tier, TierDefaults>> = {
  onprem: {
    // Storage class, load balancer and registry are the cluster's own: each stack file must declare them.
    cluster: {},
    certificates: 'internal-ca',
    namespaces,
    service: backend(2, 2, 5, delivery('2m', true, 0.05, 10)),
    data: {
      mongodb: { members: 3, storage: '20Gi', resources: sized('500m', '1Gi', '1', '2Gi') },
      redis: {
        dataNodes: 1,
        sentinels: 3,
        storage: '5Gi',
        resources: sized('100m', '256Mi', '500m', '512Mi'),
      },
      kafka: kafka('combined', '50Gi', sized('500m', '2Gi', '1', '3Gi')),
    },
    // One Prometheus and, from level alerting, one Alertmanager: on prem environments are not paged.
    monitoring: {
      level: 'basic',
      paging: false,
      retention: '7d',
      storage: '20Gi',
      scrapeInterval: '30s',
      evaluationInterval: '30s',
      prometheusReplicas: 1,
      alertmanagerReplicas: 1,
      grouping,
      slo: { availability: 0.99, latency: { objective: 0.95, thresholdSeconds: 1 } },
      // Every trace on prem: little traffic, and debugging is what these environments are for.
      logs: { retention: '7d', storage: '20Gi' },
      traces: { retention: '72h', storage: '10Gi', sampleRatio: 1 },
    },
    backup: { schedule: 'weekly', pointInTimeRecovery: false, retentionDays: 28 },
    imagePolicy: { requireDigest: false },
    delivery: { controllerReplicas: 1, plugin: { source: 'download', arch: 'amd64' } },
  },
  eks: {
    cluster: {
      storageClass: 'gp3',
      region: 'eu-west-1',
      kubernetesVersion: '1.33',
      natGateways: 'one',
      amiType: 'AL2023',
      serviceCidr: '172.20.0.0/16',
      nodeGroups: {
        system: { instanceTypes: ['m6i.large'], minSize: 2, desiredSize: 2, maxSize: 3, diskSizeGiB: 50 },
        workloads: {
          instanceTypes: ['m6i.xlarge'],
          minSize: 3,
          desiredSize: 3,
          maxSize: 12,
          diskSizeGiB: 80,
        },
        data: { instanceTypes: ['r6i.xlarge'], minSize: 3, desiredSize: 3, maxSize: 6, diskSizeGiB: 80 },
      },
    },
    certificates: 'internal-ca',
    namespaces,
    service: backend(3, 5, 20, delivery('5m', false, 0.01, 50)),
    data: {
      mongodb: { members: 3, storage: '100Gi', resources: sized('1', '4Gi', '2', '8Gi') },
      redis: { dataNodes: 2, sentinels: 3, storage: '20Gi', resources: sized('250m', '1Gi', '1', '2Gi') },
      kafka: kafka('dedicated', '200Gi', sized('1', '4Gi', '2', '6Gi')),
    },
    // Two Prometheus replicas and a three-member Alertmanager cluster, spread over zones.
    monitoring: {
      level: 'full',
      paging: false,
      retention: '30d',
      storage: '100Gi',
      scrapeInterval: '30s',
      evaluationInterval: '30s',
      prometheusReplicas: 2,
      alertmanagerReplicas: 3,
      grouping,
      slo: { availability: 0.995, latency: { objective: 0.99, thresholdSeconds: 0.5 } },
      // Loki and Tempo keep their data in S3 (the stack names the buckets); the volumes hold WALs and caches.
      logs: { retention: '30d', storage: '20Gi' },
      traces: { retention: '336h', storage: '20Gi', sampleRatio: 0.25 },
    },
    backup: { schedule: 'daily', pointInTimeRecovery: true, retentionDays: 35 },
    imagePolicy: { requireDigest: true },
    delivery: { controllerReplicas: 2, plugin: { source: 'download', arch: 'amd64' } },
  },
};

/**
 * Enforcement levels per environment (stack name) over the rule catalogue's (tools/policy/rule-catalog.ts),
 * unless the stack file's `platform:policy.levels` says otherwise. Probes are a recommendation while a service
 * is being built, required where users are. Other stacks get the catalogue's levels.
 */
export const POLICY_LEVEL_DEFAULTS: Readonly<Record<string, PolicyLevels>> = {
  dev: {},
  qat: {},
  uat: { 'container-probes': 'mandatory' },
  prod: { 'container-probes': 'mandatory' },
};

/** Environments where users are: there a rule that is mandatory by default cannot be lowered by the stack file. */
export const STRICT_POLICY_ENVIRONMENTS: readonly string[] = ['uat', 'prod'];
