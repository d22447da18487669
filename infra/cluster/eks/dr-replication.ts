import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { AlarmTopic, assertValidSubscriptions, type AlarmSubscription } from './alarm-topic';
import { ecrReplicationRules } from './container-registry';
import type { PolicyDocument } from './irsa-role';
import { privateBucketParts } from './private-bucket';

/** Id of the one replication rule on the backup bucket (also a dimension of its CloudWatch metrics). */
export const DR_REPLICATION_RULE_ID = 'standby-region';
/** S3 Replication Time Control's only threshold: 99.99 % of objects within 15 minutes. */
export const RTC_MINUTES = 15;
/** The documented S3 cross-region replication permissions (AWS, "Setting up permissions for live replication"). */
export const S3_REPLICATION_ACTIONS = {
  sourceBucket: ['s3:GetReplicationConfiguration', 's3:ListBucket'],
  sourceObjects: [
    's3:GetObjectVersionForReplication',
    's3:GetObjectVersionAcl',
    's3:GetObjectVersionTagging',
  ],
  destinationObjects: ['s3:ReplicateObject', 's3:ReplicateDelete', 's3:ReplicateTags'],
} as const;

const MAX_BUCKET_NAME = 63;

export interface DrReplicationArgs {
  readonly environment: string;
  /** The cluster's region: the source bucket's, the registry's and the secrets'. */
  readonly primaryRegion: string;
  readonly standbyRegion: string;
  readonly partition: string;
  /** The MongoDB backup bucket (PBM snapshots, PITR oplog chunks, Redis snapshots under `redis/`). */
  readonly source: {
    readonly bucketName: string;
    readonly bucketId: pulumi.Input<string>;
    /** What must exist first: the source bucket's versioning (S3 refuses replication without it). */
    readonly ready: readonly pulumi.Resource[];
    readonly retentionDays: number;
  };
  /** RTC: a 15-minute SLA and its metrics; without it S3 replication has no time bound. */
  readonly replicationTimeControl: boolean;
  /** The alarm fires when ReplicationLatency exceeds this (the RPO calculation counts on it). */
  readonly replicationLagBudgetMinutes: number;
  readonly ecrReplication: boolean;
  /** The account of the registry (ECR destinations name it); default: the caller's. */
  readonly accountId?: pulumi.Input<string>;
  /**
   * `platform:dr.alarms.subscriptions`: who the lag alarm's topic notifies. @default [] (the topic exists,
   * nobody is told; the spec warns about that)
   */
  readonly alarmSubscriptions?: readonly AlarmSubscription[];
  readonly tags: Readonly<Record<string, string>>;
}

/** `<source>-<standby region>`: S3 names are global, so the replica bucket needs its own. */
export function standbyBucketName(source: string, standbyRegion: string): string {
  const name = `${source}-${standbyRegion}`;
  if (name.length > MAX_BUCKET_NAME) {
    throw new Error(
      `platform:backup.storage.bucket: the standby bucket name "${name}" (the bucket and the standby region) has ` +
        `${name.length} characters; S3 allows at most ${MAX_BUCKET_NAME}, so the bucket may have at most ` +
        `${MAX_BUCKET_NAME - standbyRegion.length - 1}`,
    );
  }
  return name;
}

/** S3's trust policy: only the S3 service assumes the replication role. */
export const S3_REPLICATION_TRUST: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 's3.amazonaws.com' }, Action: 'sts:AssumeRole' }],
};

/**
 * What S3 needs to replicate the source bucket's versions into the standby bucket, nothing more: the
 * documented actions on the two buckets, decrypting with the source region's S3 key (aws/s3, whose ARN is
 * not known here, so scoped by service and encryption context) and encrypting with the standby key.
 */
export function s3ReplicationPolicy(p: {
  readonly partition: string;
  readonly accountId: string;
  readonly primaryRegion: string;
  readonly standbyRegion: string;
  readonly sourceBucket: string;
  readonly destinationBucket: string;
  readonly standbyKeyArn: string;
}): PolicyDocument {
  const source = `arn:${p.partition}:s3:::${p.sourceBucket}`;
  const destination = `arn:${p.partition}:s3:::${p.destinationBucket}`;
  const s3Via = (region: string) => `s3.${region}.amazonaws.com`;
  return {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Action: [...S3_REPLICATION_ACTIONS.sourceBucket], Resource: source },
      { Effect: 'Allow', Action: [...S3_REPLICATION_ACTIONS.sourceObjects], Resource: `${source}/*` },
      {
        Effect: 'Allow',
        Action: [...S3_REPLICATION_ACTIONS.destinationObjects],
        Resource: `${destination}/*`,
      },
      {
        Effect: 'Allow',
        Action: ['kms:Decrypt'],
        Resource: `arn:${p.partition}:kms:${p.primaryRegion}:${p.accountId}:key/*`,
        Condition: {
          StringEquals: { 'kms:ViaService': s3Via(p.primaryRegion) },
          StringLike: { 'kms:EncryptionContext:aws:s3:arn': [source, `${source}/*`] },
        },
      },
      {
        Effect: 'Allow',
        Action: ['kms:Encrypt', 'kms:GenerateDataKey'],
        Resource: p.standbyKeyArn,
        Condition: {
          StringEquals: { 'kms:ViaService': s3Via(p.standbyRegion) },
          StringLike: { 'kms:EncryptionContext:aws:s3:arn': [destination, `${destination}/*`] },
        },
      },
    ],
  };
}

/**
 * The AWS side of disaster recovery (README, "Disaster recovery"): the backup bucket replicated to a
 * versioned, KMS-encrypted bucket in the standby region (with RTC and a lag alarm), the platform's ECR
 * repositories replicated there. Source-side resources use the parent's AWS provider; the standby's use
 * the component's own provider for the standby region. Secrets Manager replicas are set on the secrets
 * themselves (DistributedSecret, through the cluster's secret backend).
 */
export class DrReplication extends pulumi.ComponentResource {
  readonly standbyProvider: aws.Provider;
  readonly standbyKey: aws.kms.Key;
  readonly standbyBucket: aws.s3.Bucket;
  readonly standbyBucketName: string;
  readonly role: aws.iam.Role;
  readonly replication: aws.s3.BucketReplicationConfig;
  readonly lagAlarm: aws.cloudwatch.MetricAlarm;
  /** The DR alarm topic of the primary region (S3 publishes the replication metrics there). */
  readonly alarmTopic: AlarmTopic;
  readonly ecrReplication?: aws.ecr.ReplicationConfiguration;

  constructor(name: string, args: DrReplicationArgs, opts?: pulumi.ComponentResourceOptions) {
    // Checked before registering anything, so a bad name leaves no half-built component.
    const destinationName = standbyBucketName(args.source.bucketName, args.standbyRegion);
    assertValidSubscriptions(args.alarmSubscriptions ?? []);
    super('platform:eks:DrReplication', name, {}, opts);
    const child = { parent: this };
    const tags = { ...args.tags, 'dr-role': 'standby' };

    this.standbyProvider = new aws.Provider(`${name}-standby`, { region: args.standbyRegion }, child);
    const inStandby = { parent: this, provider: this.standbyProvider };
    this.standbyKey = new aws.kms.Key(
      `${name}-backups-key`,
      {
        description: `Replicas of s3://${args.source.bucketName} in ${args.standbyRegion} (${args.environment} DR)`,
        enableKeyRotation: true,
        deletionWindowInDays: 30,
        tags,
      },
      // Deleting the key would make every replica unreadable: it lives as long as the bucket.
      { ...inStandby, protect: true },
    );
    new aws.kms.Alias(
      `${name}-backups-key`,
      {
        name: `alias/platform-${args.environment}-dr-backups`,
        targetKeyId: this.standbyKey.keyId,
      },
      inStandby,
    );
    const destination = privateBucketParts(
      `${name}-standby-backups`,
      {
        bucket: destinationName,
        expirationDays: args.source.retentionDays,
        lifecycleRuleId: 'expire-backups',
        versioned: true,
        protect: true,
        partition: args.partition,
        tags,
        provider: this.standbyProvider,
        kmsKeyArn: this.standbyKey.arn,
      },
      this,
    );
    this.standbyBucket = destination.bucket;
    this.standbyBucketName = destinationName;

    this.role = new aws.iam.Role(
      `${name}-s3-replication`,
      {
        name: `platform-${args.environment}-backup-replication`,
        description: `S3 replication of s3://${args.source.bucketName} to s3://${destinationName}`,
        assumeRolePolicy: JSON.stringify(S3_REPLICATION_TRUST),
        tags: { ...args.tags },
      },
      child,
    );
    const accountId = args.accountId ?? aws.getCallerIdentityOutput({}, { parent: this }).accountId;
    const rolePolicy = new aws.iam.RolePolicy(
      `${name}-s3-replication`,
      {
        role: this.role.id,
        policy: pulumi.all([accountId, this.standbyKey.arn]).apply(([account, keyArn]) =>
          JSON.stringify(
            s3ReplicationPolicy({
              partition: args.partition,
              accountId: account,
              primaryRegion: args.primaryRegion,
              standbyRegion: args.standbyRegion,
              sourceBucket: args.source.bucketName,
              destinationBucket: destinationName,
              standbyKeyArn: keyArn,
            }),
          ),
        ),
      },
      child,
    );

    const rtc = args.replicationTimeControl;
    this.replication = new aws.s3.BucketReplicationConfig(
      `${name}-backups`,
      {
        bucket: args.source.bucketId,
        role: this.role.arn,
        rules: [
          {
            // The whole bucket: PBM's snapshots and oplog chunks, and the Redis snapshots under redis/.
            id: DR_REPLICATION_RULE_ID,
            status: 'Enabled',
            priority: 1,
            filter: {},
            // PBM prunes expired backups; the standby follows so a restore never picks a pruned one.
            deleteMarkerReplication: { status: 'Enabled' },
            sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: 'Enabled' } },
            destination: {
              bucket: `arn:${args.partition}:s3:::${destinationName}`,
              storageClass: 'STANDARD',
              encryptionConfiguration: { replicaKmsKeyId: this.standbyKey.arn },
              // Metrics always, so the lag alarm has its data; the 15-minute SLA only with RTC.
              metrics: { status: 'Enabled', ...(rtc && { eventThreshold: { minutes: RTC_MINUTES } }) },
              ...(rtc && { replicationTime: { status: 'Enabled', time: { minutes: RTC_MINUTES } } }),
            },
          },
        ],
      },
      {
        ...child,
        dependsOn: [
          ...args.source.ready,
          ...(destination.versioning ? [destination.versioning] : []),
          rolePolicy,
        ],
      },
    );
    // An alarm notifies only topics of its own region: the source bucket's.
    this.alarmTopic = new AlarmTopic(
      `${name}-alarms`,
      {
        topicName: `platform-${args.environment}-dr-alarms-${args.primaryRegion}`,
        region: args.primaryRegion,
        partition: args.partition,
        accountId,
        subscriptions: args.alarmSubscriptions ?? [],
        tags: { ...args.tags },
      },
      child,
    );
    // The budget the RPO calculation counts on (stacks/spec/dr-objectives.ts): S3 publishes the latency in
    // seconds, per rule, in the source bucket's region.
    this.lagAlarm = new aws.cloudwatch.MetricAlarm(
      `${name}-replication-lag`,
      {
        name: `platform-${args.environment}-backup-replication-lag`,
        alarmDescription:
          `Backups reach s3://${destinationName} later than the ${args.replicationLagBudgetMinutes}-minute ` +
          'budget the DR RPO counts on (README, "Disaster recovery")',
        namespace: 'AWS/S3',
        metricName: 'ReplicationLatency',
        dimensions: {
          SourceBucket: args.source.bucketName,
          DestinationBucket: destinationName,
          RuleId: DR_REPLICATION_RULE_ID,
        },
        statistic: 'Maximum',
        period: 60,
        // One minute's maximum above the budget is already a backup later than the RPO allows.
        evaluationPeriods: 1,
        threshold: args.replicationLagBudgetMinutes * 60,
        comparisonOperator: 'GreaterThanThreshold',
        // No writes, no data points: nothing is late.
        treatMissingData: 'notBreaching',
        alarmActions: [this.alarmTopic.arn],
        okActions: [this.alarmTopic.arn],
        tags: { ...args.tags },
      },
      { ...child, dependsOn: [this.replication] },
    );

    if (args.ecrReplication) {
      this.ecrReplication = new aws.ecr.ReplicationConfiguration(
        `${name}-images`,
        { replicationConfiguration: ecrReplicationRules(accountId, [args.standbyRegion]) },
        child,
      );
    }
    this.registerOutputs({
      standbyRegion: args.standbyRegion,
      standbyBucket: destinationName,
      standbyKeyArn: this.standbyKey.arn,
      roleArn: this.role.arn,
      alarmTopicArn: this.alarmTopic.arn,
    });
  }
}
