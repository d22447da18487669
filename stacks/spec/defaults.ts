import type { Tier } from './schema';
import type {
  BackupSpec,
  DataSpec,
  EksClusterSpec,
  MonitoringSpec,
  NamespacesSpec,
  ServiceSpec,
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
  readonly data: DataSpec;
  readonly monitoring: MonitoringSpec;
  readonly backup: BackupSpec;
  readonly imagePolicy: { readonly requireDigest: boolean };
}

const namespaces: NamespacesSpec = {
  platform: 'platform',
  data: 'data',
  apps: 'apps',
  monitoring: 'monitoring',
};

/** Backend sizing from the architecture's table; the same in every environment. */
const resources = {
  requests: { cpu: '250m', memory: '256Mi' },
  limits: { cpu: '500m', memory: '512Mi' },
} as const;

/** Backend sizing from the architecture's table: replicas, HPA range, CPU 70 %, memory 80 %, same resources. */
function backend(replicas: number, minReplicas: number, maxReplicas: number): TierDefaults['service'] {
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
    delivery: { strategy: 'rolling' },
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
    service: backend(2, 2, 5),
    data: {
      mongodb: { members: 3, storage: '20Gi' },
      redis: { dataNodes: 1, sentinels: 3, storage: '5Gi' },
      kafka: { brokers: 3, storage: '50Gi' },
    },
    monitoring: { level: 'basic', paging: false, retention: '7d' },
    backup: { schedule: 'weekly', pointInTimeRecovery: false, retentionDays: 28 },
    imagePolicy: { requireDigest: false },
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
    service: backend(3, 5, 20),
    data: {
      mongodb: { members: 3, storage: '100Gi' },
      redis: { dataNodes: 2, sentinels: 3, storage: '20Gi' },
      kafka: { brokers: 3, storage: '200Gi' },
    },
    monitoring: { level: 'full', paging: false, retention: '30d' },
    backup: { schedule: 'daily', pointInTimeRecovery: true, retentionDays: 35 },
    imagePolicy: { requireDigest: true },
  },
};
