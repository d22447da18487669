import type * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { IrsaRole, type PolicyDocument } from './irsa-role';
import { privateBucket } from './private-bucket';

export interface TelemetryBucketArgs {
  /** Exact bucket name (global in S3). */
  readonly bucket: string;
  /** What is stored, for the role's description: "Loki chunks and indexes", "Tempo trace blocks". */
  readonly contents: string;
  /** Objects expire a day after the store's own retention would delete them (a safety net, not the retention). */
  readonly expirationDays: number;
  /** The service account of the pods that read and write the bucket (every Loki or Tempo component shares one). */
  readonly namespace: string;
  readonly serviceAccount: string;
  readonly roleName: string;
  readonly oidcProviderArn: pulumi.Input<string>;
  readonly oidcIssuer: pulumi.Input<string>;
  readonly partition: string;
  readonly tags: Readonly<Record<string, string>>;
}

/** Loki and Tempo list, read, write and delete (compaction) their own objects, nothing else. */
export function telemetryBucketPolicy(partition: string, bucket: string): PolicyDocument {
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
 * The S3 bucket Loki or Tempo keeps its data in on EKS (private, encrypted, TLS only, unversioned: the data
 * is telemetry and expires), and the IRSA role its pods use; the role reaches this bucket only.
 */
export class TelemetryBucket extends pulumi.ComponentResource {
  readonly bucket: aws.s3.Bucket;
  readonly role: IrsaRole;
  readonly bucketName: string;

  constructor(name: string, args: TelemetryBucketArgs, opts?: pulumi.ComponentResourceOptions) {
    super('platform:eks:TelemetryBucket', name, {}, opts);
    this.bucketName = args.bucket;
    this.bucket = privateBucket(
      name,
      {
        bucket: args.bucket,
        expirationDays: args.expirationDays,
        lifecycleRuleId: 'expire-telemetry',
        versioned: false,
        protect: false,
        partition: args.partition,
        tags: args.tags,
      },
      this,
    );
    this.role = new IrsaRole(
      `${name}-role`,
      {
        roleName: args.roleName,
        description: `${args.contents} in s3://${args.bucket}`,
        oidcProviderArn: args.oidcProviderArn,
        oidcIssuer: args.oidcIssuer,
        namespace: args.namespace,
        serviceAccount: args.serviceAccount,
        policy: telemetryBucketPolicy(args.partition, args.bucket),
        tags: args.tags,
      },
      { parent: this },
    );
    this.registerOutputs({ bucket: args.bucket, roleArn: this.role.arn });
  }
}
