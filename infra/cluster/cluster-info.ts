import type * as aws from '@pulumi/aws';
import type * as k8s from '@pulumi/kubernetes';
import type * as pulumi from '@pulumi/pulumi';

/**
 * How workloads get their secrets: Kubernetes Secrets created by Pulumi (on prem), or AWS Secrets
 * Manager entries synced by External Secrets through a ClusterSecretStore (EKS).
 */
export type SecretBackend =
  | { readonly kind: 'kubernetes' }
  | {
      readonly kind: 'aws-secrets-manager';
      /** ClusterSecretStore that ExternalSecrets reference. */
      readonly clusterSecretStore: string;
      /** Only secrets under this Secrets Manager path are readable, e.g. "platform/uat/". */
      readonly pathPrefix: string;
      /** AWS provider of the environment's account and region, for the Secrets Manager entries. */
      readonly awsProvider: aws.Provider;
      /** Regions every entry is replicated to (DR: the standby reads Secrets Manager in its own region). */
      readonly replicaRegions?: readonly string[];
      /**
       * 'replica' (the DR standby): the entries are the primary region's, kept in sync here by Secrets Manager
       * replication, so nothing is written to Secrets Manager, only ExternalSecrets that read them; both
       * clusters then use the same passwords and keys. @default 'owner'
       */
      readonly entries?: 'owner' | 'replica';
    };

/** Where data stores run: EKS keeps them on the tainted data node group; on prem anywhere. */
export interface DataPlacement {
  readonly nodeSelector: Readonly<Record<string, string>>;
  readonly tolerations: readonly {
    readonly key: string;
    readonly operator: 'Equal' | 'Exists';
    readonly value?: string;
    readonly effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
  }[];
}

/** How the gateway's Envoy proxies are exposed: cloud load balancer, MetalLB address, or node ports. */
export interface GatewayExposure {
  readonly serviceType: 'LoadBalancer' | 'NodePort';
  /** Annotations for the proxies' Service (AWS NLB, MetalLB pool). */
  readonly serviceAnnotations: Readonly<Record<string, string>>;
  /** Fixed node ports when serviceType is NodePort. */
  readonly nodePorts?: { readonly http: number; readonly https: number };
}

/** What a cluster component (on-prem or EKS) gives the rest of the environment. */
export interface ClusterAccess {
  readonly provider: k8s.Provider;
  /** StorageClass for persistent volumes (the cluster's default or ours). */
  readonly storageClass: string;
  readonly secretBackend: SecretBackend;
  /** Node label that names a failure domain, and how many domains there are. */
  readonly zones: { readonly topologyKey: string; readonly count: number };
  /** Registry prefix images are pulled from, e.g. "registry.internal/platform". */
  readonly imageRegistry: pulumi.Input<string>;
  readonly gatewayExposure: GatewayExposure;
  readonly dataPlacement: DataPlacement;
  /** Whether the platform must install metrics-server (the HPA needs resource metrics). */
  readonly installMetricsServer: boolean;
  /** Resources that must exist before anything is deployed into the cluster (add-ons, node groups). */
  readonly ready: readonly pulumi.Resource[];
}

/**
 * The one contract everything downstream takes: the cluster's access plus the shared baseline (gateway).
 * Nothing downstream branches on the tier.
 */
export interface ClusterInfo extends ClusterAccess {
  readonly gateway: GatewayRef;
}

/** The environment's Gateway: where public routes attach, on its HTTPS listeners, for its hostnames. */
export interface GatewayRef {
  readonly namespace: string;
  readonly name: string;
  readonly httpsListeners: readonly string[];
  readonly hostnames: readonly string[];
}

/**
 * Where MongoDB backups go and how the backup agent authenticates: an S3 bucket of the environment's account
 * with an IRSA role (EKS), or an S3-compatible service with an access-key Secret (on prem).
 */
export interface BackupStorage {
  readonly bucket: string;
  readonly region: string;
  /** S3-compatible endpoint; absent for AWS S3. */
  readonly endpointUrl?: string;
  readonly forcePathStyle: boolean;
  /** Secret in the data namespace with AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY; absent with IRSA. */
  readonly credentialsSecret?: string;
  /** Annotations of the backup agent's service account (the IRSA role on EKS). */
  readonly serviceAccountAnnotations: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** TCP port backup traffic leaves on, for the NetworkPolicy. */
  readonly port: number;
  /** Resources the backups need first (bucket, role). */
  readonly ready: readonly pulumi.Resource[];
  /**
   * The Redis snapshot job's writer (EKS with DR): the one service account its role trusts, that account's
   * annotations (the IRSA role, allowed only to put objects under `keyPrefix`) and what it needs first.
   * Absent: no snapshot job.
   */
  readonly redisSnapshot?: {
    readonly serviceAccount: string;
    readonly serviceAccountAnnotations: pulumi.Input<Record<string, pulumi.Input<string>>>;
    readonly keyPrefix: string;
    readonly ready: readonly pulumi.Resource[];
  };
}
