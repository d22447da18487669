import type * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { IrsaRole, type PolicyDocument } from './irsa-role';
import { privateBucket } from './private-bucket';

export interface BackupBucketArgs {
  /** Exact bucket name (global in S3, so the stack file chooses it). */
  readonly bucket: string;
  /** Backups expire after this many days; older object versions a week later. */
  readonly retentionDays: number;
  /** The one service account that writes backups (the MongoDB pods, whose sidecar runs PBM). */
  readonly namespace: string;
  readonly serviceAccount: string;
  readonly roleName: string;
  readonly oidcProviderArn: pulumi.Input<string>;
  readonly oidcIssuer: pulumi.Input<string>;
  readonly partition: string;
  readonly tags: Readonly<Record<string, string>>;
  /**
   * A second writer, the Redis snapshot job (DR): its own role, allowed only to put objects under
   * REDIS_SNAPSHOT_PREFIX. @default none
   */
  readonly redisSnapshotWriter?: { readonly namespace: string; readonly roleName: string };
}

/** The Redis snapshot job's service account, the one its role trusts (the data layer names its job's so). */
export const REDIS_SNAPSHOT_SERVICE_ACCOUNT = 'redis-snapshot';
/** Key prefix of the Redis snapshots in the backup bucket; the bucket's replication carries it to the standby. */
export const REDIS_SNAPSHOT_PREFIX = 'redis/';

/**
 * What the Redis snapshot job may do: put objects under redis/ (multipart uploads of large RDBs included,
 * which s3:PutObject covers but for aborting one). No reads, lists or deletes: a leaked token cannot read or
 * remove any backup, and the bucket's versioning keeps what an overwrite replaced.
 */
export function redisSnapshotPolicy(partition: string, bucket: string): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: ['s3:PutObject', 's3:AbortMultipartUpload'],
        Resource: `arn:${partition}:s3:::${bucket}/${REDIS_SNAPSHOT_PREFIX}*`,
      },
    ],
  };
}

/** What the backup agent may do: list the bucket, and read, write and delete its objects (PBM prunes). */
export function backupBucketPolicy(partition: string, bucket: string): PolicyDocument {
  const arn = `arn:${partition}:s3:::${bucket}`;
  return {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Action: ['s3:ListBucket', 's3:GetBucketLocation'], Resource: arn },
      {
        Effect: 'Allow',
        Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload'],
        Resource: `${arn}/*`,
      },
    ],
  };
}

/**
 * The S3 bucket MongoDB backups (PBM snapshots and oplog chunks) go to on EKS: private, encrypted,
 * versioned (a deleted or overwritten backup can be recovered), TLS only, with expiry after the retention;
 * and the IRSA role of the one service account that writes to it.
 */
export class BackupBucket extends pulumi.ComponentResource {
  readonly bucket: aws.s3.Bucket;
  readonly role: IrsaRole;
  readonly bucketName: string;
  /** The Redis snapshot job's writer, when asked for. */
  readonly redisSnapshot?: {
    readonly role: IrsaRole;
    readonly namespace: string;
    readonly serviceAccount: string;
    readonly keyPrefix: string;
  };

  constructor(name: string, args: BackupBucketArgs, opts?: pulumi.ComponentResourceOptions) {
    super('platform:eks:BackupBucket', name, {}, opts);
    const child = { parent: this };
    this.bucketName = args.bucket;
    // Backups must outlive an accidental `pulumi destroy` of the environment.
    this.bucket = privateBucket(
      name,
      {
        bucket: args.bucket,
        expirationDays: args.retentionDays,
        lifecycleRuleId: 'expire-backups',
        versioned: true,
        protect: true,
        partition: args.partition,
        tags: args.tags,
      },
      this,
    );
    this.role = new IrsaRole(
      `${name}-writer`,
      {
        roleName: args.roleName,
        description: `MongoDB backups (PBM) to s3://${args.bucket}`,
        oidcProviderArn: args.oidcProviderArn,
        oidcIssuer: args.oidcIssuer,
        namespace: args.namespace,
        serviceAccount: args.serviceAccount,
        policy: backupBucketPolicy(args.partition, args.bucket),
        tags: args.tags,
      },
      child,
    );
    const writer = args.redisSnapshotWriter;
    if (writer !== undefined) {
      const role = new IrsaRole(
        `${name}-redis-snapshot`,
        {
          roleName: writer.roleName,
          description: `Redis snapshots to s3://${args.bucket}/${REDIS_SNAPSHOT_PREFIX} (put only)`,
          oidcProviderArn: args.oidcProviderArn,
          oidcIssuer: args.oidcIssuer,
          namespace: writer.namespace,
          serviceAccount: REDIS_SNAPSHOT_SERVICE_ACCOUNT,
          policy: redisSnapshotPolicy(args.partition, args.bucket),
          tags: args.tags,
        },
        child,
      );
      this.redisSnapshot = {
        role,
        namespace: writer.namespace,
        serviceAccount: REDIS_SNAPSHOT_SERVICE_ACCOUNT,
        keyPrefix: REDIS_SNAPSHOT_PREFIX,
      };
    }
    this.registerOutputs({
      bucket: args.bucket,
      roleArn: this.role.arn,
      ...(this.redisSnapshot && { redisSnapshotRoleArn: this.redisSnapshot.role.arn }),
    });
  }
}
