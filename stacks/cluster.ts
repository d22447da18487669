import type * as pulumi from '@pulumi/pulumi';
import {
  awsPartition,
  BackupBucket,
  DrReplication,
  EksCluster,
  IrsaRole,
  OnPremCluster,
  TelemetryBucket,
  type BackupStorage,
  type ClusterAccess,
  type EksClusterArgs,
  type SecretBackend,
} from '../infra/cluster';
import { MONGODB_SERVICE_ACCOUNT } from '../infra/data';
import { LOKI_RELEASE, TEMPO_RELEASE, type ObjectStorage } from '../infra/monitoring';
import type { LoadedEnvironment } from './config';
import type { EksClusterSpec, EnvironmentSpec } from './spec';

export interface CreatedCluster {
  readonly access: ClusterAccess;
  readonly backupStorage: BackupStorage;
  /** S3 storage of Loki and Tempo (EKS stacks that name the buckets); absent: they use volumes. */
  readonly telemetryStorage: { readonly logs?: ObjectStorage; readonly traces?: ObjectStorage };
  /** Annotations for cert-manager's service account (its Route 53 role on EKS with ACME). */
  readonly certManagerServiceAccountAnnotations?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** EKS: the cluster component (its name and network for the DR standby and the failover records). */
  readonly eks?: EksCluster;
  /** DR enabled: what replicates to the standby region (the standby restores from its bucket). */
  readonly drReplication?: DrReplication;
}

/** Tags of every AWS resource of an EKS environment. */
export function awsTags(spec: EnvironmentSpec): Record<string, string> {
  return { environment: spec.name, project: 'platform', 'managed-by': 'pulumi' };
}

/** The EksCluster args of an environment's (or its standby's) resolved spec. */
export function eksClusterArgs(spec: EnvironmentSpec, c: EksClusterSpec): EksClusterArgs {
  return {
    environment: spec.name,
    region: c.region,
    availabilityZones: c.availabilityZones,
    vpcCidr: c.vpcCidr,
    publicSubnetCidrs: c.publicSubnetCidrs,
    privateSubnetCidrs: c.privateSubnetCidrs,
    natGateways: c.natGateways,
    serviceCidr: c.serviceCidr,
    kubernetesVersion: c.kubernetesVersion,
    admins: c.admins,
    publicAccessCidrs: c.publicAccessCidrs,
    amiType: c.amiType,
    nodeGroups: c.nodeGroups,
    services: spec.services.map((s) => s.name),
    secretsManagerPrefix: c.secretsManagerPrefix,
    tags: awsTags(spec),
    // ExternalDNS, only where the stack names a zone; it publishes the routes of the platform's Gateway.
    ...(spec.dns && { dns: { ...spec.dns, gatewayNamespace: spec.namespaces.platform } }),
  };
}

/** cert-manager's release runs as this service account (the chart's default name). */
const CERT_MANAGER_SERVICE_ACCOUNT = 'cert-manager';

/**
 * The one place that branches on the tier: it picks the cluster component, and everything downstream
 * takes the ClusterAccess it returns.
 */
export function createCluster({ spec, secrets }: LoadedEnvironment): CreatedCluster {
  const c = spec.cluster;
  const name = `${spec.name}-cluster`;
  if (c.tier === 'onprem') {
    const cluster = new OnPremCluster(name, {
      ...(secrets.kubeconfig !== undefined && { kubeconfig: secrets.kubeconfig }),
      ...(c.context !== undefined && { context: c.context }),
      storageClass: c.storageClass,
      loadBalancer: c.loadBalancer,
      registry: c.registry,
      zones: c.zones,
      metricsServer: c.metricsServer,
    });
    return { access: cluster.access, backupStorage: onPremBackupStorage(spec), telemetryStorage: {} };
  }

  const tags = awsTags(spec);
  const cluster = new EksCluster(name, eksClusterArgs(spec, c));
  const storage = spec.backup.storage;
  const backups = new BackupBucket(
    `${name}-backups`,
    {
      bucket: storage.bucket,
      retentionDays: spec.backup.retentionDays,
      namespace: spec.namespaces.data,
      serviceAccount: MONGODB_SERVICE_ACCOUNT,
      roleName: `platform-${spec.name}-mongodb-backup`,
      oidcProviderArn: cluster.oidcProviderArn,
      oidcIssuer: cluster.oidcIssuer,
      partition: awsPartition(c.region).partition,
      tags,
      // DR: the daily Redis snapshots go to the same bucket (under redis/), so they replicate with it.
      ...(spec.dr?.enabled === true && {
        redisSnapshotWriter: {
          namespace: spec.namespaces.data,
          roleName: `platform-${spec.name}-redis-snapshot`,
        },
      }),
    },
    { parent: cluster, providers: [cluster.awsProvider] },
  );
  // DR (prod): backups and images replicate to the standby region, secrets get replicas there.
  const dr = spec.dr?.enabled === true ? spec.dr : undefined;
  const drReplication =
    dr &&
    new DrReplication(
      `${name}-dr`,
      {
        environment: spec.name,
        primaryRegion: c.region,
        standbyRegion: dr.standbyRegion,
        partition: awsPartition(c.region).partition,
        source: {
          bucketName: storage.bucket,
          bucketId: backups.bucket.id,
          // The component holds the bucket's versioning, which replication needs first.
          ready: [backups],
          retentionDays: spec.backup.retentionDays,
        },
        replicationTimeControl: dr.mongodb.replicationTimeControl,
        replicationLagBudgetMinutes: dr.mongodb.replicationLagBudgetMinutes,
        ecrReplication: dr.images.ecrReplication,
        alarmSubscriptions: dr.alarms.subscriptions,
        tags,
      },
      { parent: cluster, providers: [cluster.awsProvider] },
    );
  const access = dr ? withSecretReplicas(cluster.access, dr.secrets.replicaRegions) : cluster.access;
  const backupStorage: BackupStorage = {
    bucket: storage.bucket,
    region: storage.region,
    forcePathStyle: false,
    serviceAccountAnnotations: { 'eks.amazonaws.com/role-arn': backups.role.arn },
    port: 443,
    ready: [backups.bucket, ...backups.role.attachments],
    ...(backups.redisSnapshot && {
      redisSnapshot: {
        serviceAccount: backups.redisSnapshot.serviceAccount,
        serviceAccountAnnotations: { 'eks.amazonaws.com/role-arn': backups.redisSnapshot.role.arn },
        keyPrefix: backups.redisSnapshot.keyPrefix,
        ready: [backups.bucket, ...backups.redisSnapshot.role.attachments],
      },
    }),
  };
  const created = { access, backupStorage, eks: cluster, ...(drReplication && { drReplication }) };
  return { ...created, ...eksStorageAndRoles(spec, name, cluster) };
}

/**
 * What an EKS cluster of the environment gets beside its backups: Loki's and Tempo's buckets with their roles,
 * and cert-manager's Route 53 role with ACME. Shared by the primary and the DR standby (stacks/standby.ts).
 */
export function eksStorageAndRoles(
  spec: EnvironmentSpec,
  name: string,
  cluster: EksCluster,
): Pick<CreatedCluster, 'telemetryStorage' | 'certManagerServiceAccountAnnotations'> {
  if (spec.cluster.tier !== 'eks') throw new Error(`${spec.name}: platform:cluster.tier must be eks here`);
  const c = spec.cluster;
  const tags = awsTags(spec);
  // Loki's and Tempo's buckets, each with a role for the one service account of its pods (the chart's default).
  const telemetry = (store: 'logs' | 'traces'): ObjectStorage | undefined => {
    const bucket = spec.monitoring[store].bucket;
    if (bucket === undefined) return undefined;
    const what =
      store === 'logs'
        ? { app: LOKI_RELEASE, contents: 'Loki chunks and indexes' }
        : { app: TEMPO_RELEASE, contents: 'Tempo trace blocks' };
    const retentionDays =
      store === 'logs'
        ? durationDays(spec.monitoring.logs.retention)
        : durationDays(spec.monitoring.traces.retention);
    const created = new TelemetryBucket(
      `${name}-${what.app}`,
      {
        bucket,
        contents: what.contents,
        expirationDays: retentionDays + 1,
        namespace: spec.namespaces.monitoring,
        serviceAccount: what.app,
        roleName: `platform-${spec.name}-${what.app}`,
        oidcProviderArn: cluster.oidcProviderArn,
        oidcIssuer: cluster.oidcIssuer,
        partition: awsPartition(c.region).partition,
        tags,
      },
      { parent: cluster, providers: [cluster.awsProvider] },
    );
    return { bucket, region: c.region, roleArn: created.role.arn };
  };
  const logs = telemetry('logs');
  const traces = telemetry('traces');
  const telemetryStorage = { ...(logs && { logs }), ...(traces && { traces }) };
  if (spec.certificates.issuer !== 'acme') return { telemetryStorage };

  // DNS-01 on Route 53: cert-manager may change records in the one hosted zone, nothing else.
  const zone = spec.certificates.acme.hostedZoneId;
  const certManagerRole = new IrsaRole(
    `${name}-cert-manager`,
    {
      roleName: `platform-${spec.name}-cert-manager`,
      description: `cert-manager DNS-01 in hosted zone ${zone} (${spec.name})`,
      oidcProviderArn: cluster.oidcProviderArn,
      oidcIssuer: cluster.oidcIssuer,
      namespace: spec.namespaces.platform,
      serviceAccount: CERT_MANAGER_SERVICE_ACCOUNT,
      policy: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: ['route53:ChangeResourceRecordSets', 'route53:ListResourceRecordSets'],
            Resource: `arn:aws:route53:::hostedzone/${zone}`,
          },
          { Effect: 'Allow', Action: 'route53:GetChange', Resource: 'arn:aws:route53:::change/*' },
          { Effect: 'Allow', Action: 'route53:ListHostedZonesByName', Resource: '*' },
        ],
      },
      tags,
    },
    { parent: cluster, providers: [cluster.awsProvider] },
  );
  return {
    telemetryStorage,
    certManagerServiceAccountAnnotations: { 'eks.amazonaws.com/role-arn': certManagerRole.arn },
  };
}

/** The cluster's access with every Secrets Manager entry replicated to `regions` (DistributedSecret). */
function withSecretReplicas(access: ClusterAccess, regions: readonly string[]): ClusterAccess {
  const backend: SecretBackend = access.secretBackend;
  if (backend.kind !== 'aws-secrets-manager') return access;
  return { ...access, secretBackend: { ...backend, replicaRegions: [...regions] } };
}

/** Whole days of a schema-checked retention ("30d", "4w", "336h"), rounded up. */
export function durationDays(duration: string): number {
  const match = /^(\d+)([hdw])$/.exec(duration);
  if (!match) throw new Error(`not a retention in hours, days or weeks: ${duration}`);
  const n = Number(match[1]);
  return match[2] === 'w' ? n * 7 : match[2] === 'd' ? n : Math.ceil(n / 24);
}

/** On prem, backups go to the site's S3-compatible service with an access key kept in a Secret. */
function onPremBackupStorage(spec: EnvironmentSpec): BackupStorage {
  const storage = spec.backup.storage;
  const url = new URL(storage.endpointUrl ?? 'https://s3.amazonaws.com');
  const port = url.port !== '' ? Number(url.port) : url.protocol === 'http:' ? 80 : 443;
  return {
    bucket: storage.bucket,
    region: storage.region,
    ...(storage.endpointUrl !== undefined && { endpointUrl: storage.endpointUrl }),
    forcePathStyle: storage.forcePathStyle,
    ...(storage.credentialsSecret !== undefined && { credentialsSecret: storage.credentialsSecret }),
    serviceAccountAnnotations: {},
    port,
    ready: [],
  };
}
