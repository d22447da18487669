import * as aws from '@pulumi/aws';
import type * as pulumi from '@pulumi/pulumi';

export interface PrivateBucketArgs {
  /** Exact bucket name (global in S3, so the stack file chooses it). */
  readonly bucket: string;
  /** Objects expire after this many days. */
  readonly expirationDays: number;
  /** Id of the expiry rule (what S3 shows in the bucket's lifecycle). */
  readonly lifecycleRuleId: string;
  /** Keep overwritten and deleted objects for a week (backups); telemetry needs no versions. */
  readonly versioned: boolean;
  /** Protected buckets survive `pulumi destroy` and are never emptied by Pulumi. */
  readonly protect: boolean;
  readonly partition: string;
  readonly tags: Readonly<Record<string, string>>;
  /** Provider of another region (the DR standby); default: the parent's. */
  readonly provider?: aws.Provider;
  /** Customer-managed key for SSE-KMS; default: the account's aws/s3 key. */
  readonly kmsKeyArn?: pulumi.Input<string>;
}

/** The bucket and, when versioned, its versioning (replication must wait for it). */
export interface PrivateBucketParts {
  readonly bucket: aws.s3.Bucket;
  readonly versioning?: aws.s3.BucketVersioning;
}

/**
 * An S3 bucket as every platform bucket is: owner-enforced, no public access, KMS-encrypted, TLS only, with
 * expiry after the retention (and optionally versioned). Children are named `${name}-<suffix>`.
 */
export function privateBucket(name: string, args: PrivateBucketArgs, parent: pulumi.Resource): aws.s3.Bucket {
  return privateBucketParts(name, args, parent).bucket;
}

/** privateBucket, also returning the versioning resource. */
export function privateBucketParts(
  name: string,
  args: PrivateBucketArgs,
  parent: pulumi.Resource,
): PrivateBucketParts {
  const child = { parent, ...(args.provider && { provider: args.provider }) };
  const bucket = new aws.s3.Bucket(
    `${name}-bucket`,
    { bucket: args.bucket, forceDestroy: !args.protect, tags: { ...args.tags } },
    { ...child, protect: args.protect },
  );
  const id = bucket.id;
  new aws.s3.BucketOwnershipControls(
    `${name}-ownership`,
    { bucket: id, rule: { objectOwnership: 'BucketOwnerEnforced' } },
    child,
  );
  new aws.s3.BucketPublicAccessBlock(
    `${name}-public-access`,
    {
      bucket: id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    },
    child,
  );
  new aws.s3.BucketServerSideEncryptionConfiguration(
    `${name}-encryption`,
    {
      bucket: id,
      rules: [
        {
          applyServerSideEncryptionByDefault: {
            sseAlgorithm: 'aws:kms',
            ...(args.kmsKeyArn !== undefined && { kmsMasterKeyId: args.kmsKeyArn }),
          },
          bucketKeyEnabled: true,
        },
      ],
    },
    child,
  );
  const versioning = args.versioned
    ? new aws.s3.BucketVersioning(
        `${name}-versioning`,
        { bucket: id, versioningConfiguration: { status: 'Enabled' } },
        child,
      )
    : undefined;
  new aws.s3.BucketLifecycleConfiguration(
    `${name}-lifecycle`,
    {
      bucket: id,
      rules: [
        {
          id: args.lifecycleRuleId,
          status: 'Enabled',
          filter: {},
          expiration: { days: args.expirationDays },
          ...(args.versioned && { noncurrentVersionExpiration: { noncurrentDays: 7 } }),
          abortIncompleteMultipartUpload: { daysAfterInitiation: 2 },
        },
      ],
    },
    { ...child, dependsOn: versioning ? [versioning] : [] },
  );
  new aws.s3.BucketPolicy(
    `${name}-tls-only`,
    {
      bucket: id,
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'DenyInsecureTransport',
            Effect: 'Deny',
            Principal: '*',
            Action: 's3:*',
            Resource: [
              `arn:${args.partition}:s3:::${args.bucket}`,
              `arn:${args.partition}:s3:::${args.bucket}/*`,
            ],
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          },
        ],
      }),
    },
    child,
  );
  return { bucket, ...(versioning && { versioning }) };
}
