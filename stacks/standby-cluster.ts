import {
  awsPartition,
  EksCluster,
  IrsaRole,
  type BackupStorage,
  type ClusterAccess,
  type DrReplication,
  type PolicyDocument,
} from '../infra/cluster';
import { MONGODB_SERVICE_ACCOUNT } from '../infra/data';
import { awsTags, eksClusterArgs, eksStorageAndRoles, type CreatedCluster } from './cluster';
import type { EnvironmentSpec } from './spec';

/**
 * PBM's permissions in the standby: read the replicated backups and write its own metadata (PBM checks its
 * storage by writing a marker), never delete: the replica holds the primary's backups, which only S3
 * replication and the lifecycle rules remove.
 */
export function standbyBackupPolicy(bucketArn: string, keyArn: string): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Action: ['s3:ListBucket', 's3:GetBucketLocation'], Resource: bucketArn },
      { Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: `${bucketArn}/*` },
      // The replicas are encrypted with the standby region's key (DrReplication).
      { Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: keyArn },
    ],
  };
}

/** The cluster's access with the secret backend reading the replicas of the primary's entries. */
function readingReplicas(access: ClusterAccess): ClusterAccess {
  const backend = access.secretBackend;
  if (backend.kind !== 'aws-secrets-manager') return access;
  return { ...access, secretBackend: { ...backend, entries: 'replica' } };
}

/**
 * The DR standby's cluster: the same EksCluster (and telemetry buckets, cert-manager role) as the primary,
 * from the standby's derived spec (stacks/standby-spec.ts), with three differences: no ECR repositories (ECR
 * replication creates them), secrets read from the replicas of the primary's entries, and MongoDB backup
 * storage that is the replicated standby bucket with a role scoped to it (the restore source).
 */
export function createStandbyCluster(spec: EnvironmentSpec, replication: DrReplication): CreatedCluster {
  const c = spec.cluster;
  if (c.tier !== 'eks') {
    throw new Error(`${spec.name}: platform:cluster.tier is ${c.tier}; the DR standby is an EKS cluster`);
  }
  const name = `${spec.name}-cluster`;
  const cluster = new EksCluster(name, { ...eksClusterArgs(spec, c), repositories: 'replicated' });
  const bucket = replication.standbyBucketName;
  const bucketArn = `arn:${awsPartition(c.region).partition}:s3:::${bucket}`;
  const role = new IrsaRole(
    `${name}-mongodb-backup`,
    {
      roleName: `platform-${spec.name}-mongodb-backup`,
      description: `PBM of ${spec.name}: reads the replicated backups in s3://${bucket} (restore)`,
      oidcProviderArn: cluster.oidcProviderArn,
      oidcIssuer: cluster.oidcIssuer,
      namespace: spec.namespaces.data,
      serviceAccount: MONGODB_SERVICE_ACCOUNT,
      policy: replication.standbyKey.arn.apply((keyArn) => standbyBackupPolicy(bucketArn, keyArn)),
      tags: awsTags(spec),
    },
    { parent: cluster, providers: [cluster.awsProvider] },
  );
  const backupStorage: BackupStorage = {
    bucket,
    region: c.region,
    forcePathStyle: false,
    serviceAccountAnnotations: { 'eks.amazonaws.com/role-arn': role.arn },
    port: 443,
    // The bucket is the replication's: restores wait for it as well as for the role.
    ready: [replication.standbyBucket, ...role.attachments],
  };
  return {
    access: readingReplicas(cluster.access),
    backupStorage,
    eks: cluster,
    ...eksStorageAndRoles(spec, name, cluster),
  };
}
