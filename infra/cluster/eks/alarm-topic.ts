import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { PolicyDocument } from './irsa-role';

export const ALARM_SUBSCRIPTION_PROTOCOLS = ['email', 'https'] as const;

export interface AlarmSubscription {
  readonly protocol: (typeof ALARM_SUBSCRIPTION_PROTOCOLS)[number];
  readonly endpoint: string;
}

export interface AlarmTopicArgs {
  /** Physical topic name; one per region, since an alarm can only notify a topic in its own region. */
  readonly topicName: string;
  readonly region: string;
  readonly partition: string;
  readonly accountId: pulumi.Input<string>;
  /** `platform:dr.alarms.subscriptions`: each confirms its subscription once per topic. */
  readonly subscriptions: readonly AlarmSubscription[];
  /** Where the resources go; the parent's provider when absent. */
  readonly provider?: aws.Provider;
  readonly tags: Readonly<Record<string, string>>;
}

/** Refuses a subscription SNS would refuse or that could never be confirmed, naming the entry. */
export function assertValidSubscriptions(subscriptions: readonly AlarmSubscription[]): void {
  subscriptions.forEach((s, i) => {
    const at = `platform:dr.alarms.subscriptions[${i}]`;
    if (!(ALARM_SUBSCRIPTION_PROTOCOLS as readonly string[]).includes(s.protocol)) {
      throw new Error(
        `${at}.protocol: ${JSON.stringify(s.protocol)} is not allowed; use one of ${ALARM_SUBSCRIPTION_PROTOCOLS.join(', ')}`,
      );
    }
    if (s.protocol === 'https' && !s.endpoint.startsWith('https://')) {
      throw new Error(
        `${at}.endpoint: ${JSON.stringify(s.endpoint)} must be an https:// URL for protocol https`,
      );
    }
    if (s.protocol === 'email' && !/^[^@\s]+@[^@\s]+$/.test(s.endpoint)) {
      throw new Error(
        `${at}.endpoint: ${JSON.stringify(s.endpoint)} must be an email address for protocol email`,
      );
    }
  });
}

/**
 * The key policy of an alarm topic's key: the account administers it, CloudWatch may encrypt messages to
 * the topic (only for alarms of this account), and SNS may decrypt them for delivery. The AWS-managed SNS
 * key (aws/sns) cannot be used: its policy cannot grant CloudWatch, whose alarm actions then fail silently.
 */
export function alarmTopicKeyPolicy(p: {
  readonly partition: string;
  readonly accountId: string;
  readonly region: string;
}): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'AccountAdministers',
        Effect: 'Allow',
        Principal: { AWS: `arn:${p.partition}:iam::${p.accountId}:root` },
        Action: 'kms:*',
        Resource: '*',
      },
      {
        Sid: 'CloudWatchAlarmsPublish',
        Effect: 'Allow',
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        Resource: '*',
        Condition: { StringEquals: { 'aws:SourceAccount': p.accountId } },
      },
      {
        Sid: 'SnsDelivers',
        Effect: 'Allow',
        Principal: { Service: 'sns.amazonaws.com' },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        Resource: '*',
        Condition: { StringEquals: { 'kms:ViaService': `sns.${p.region}.amazonaws.com` } },
      },
    ],
  };
}

/** The topic policy: only this account's CloudWatch alarms publish; nobody else may. */
export function alarmTopicPolicy(p: {
  readonly topicArn: string;
  readonly accountId: string;
}): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'CloudWatchAlarmsPublish',
        Effect: 'Allow',
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: 'sns:Publish',
        Resource: p.topicArn,
        Condition: { StringEquals: { 'aws:SourceAccount': p.accountId } },
      },
    ],
  };
}

/**
 * An SNS topic for DR alarms, encrypted with a rotated key of ours that CloudWatch may use, with the
 * configured email/https subscriptions. Email and https endpoints must confirm their subscription (AWS sends
 * the confirmation on creation) before they receive anything.
 */
export class AlarmTopic extends pulumi.ComponentResource {
  readonly key: aws.kms.Key;
  readonly topic: aws.sns.Topic;
  readonly arn: pulumi.Output<string>;
  readonly subscriptions: aws.sns.TopicSubscription[];

  constructor(name: string, args: AlarmTopicArgs, opts?: pulumi.ComponentResourceOptions) {
    assertValidSubscriptions(args.subscriptions);
    super('platform:eks:AlarmTopic', name, {}, opts);
    const child = { parent: this, ...(args.provider && { provider: args.provider }) };
    this.key = new aws.kms.Key(
      `${name}-key`,
      {
        description: `Encrypts the DR alarm topic ${args.topicName} in ${args.region}`,
        enableKeyRotation: true,
        deletionWindowInDays: 30,
        policy: pulumi
          .output(args.accountId)
          .apply((accountId) =>
            JSON.stringify(
              alarmTopicKeyPolicy({ partition: args.partition, accountId, region: args.region }),
            ),
          ),
        tags: { ...args.tags },
      },
      child,
    );
    this.topic = new aws.sns.Topic(
      `${name}-topic`,
      { name: args.topicName, kmsMasterKeyId: this.key.arn, tags: { ...args.tags } },
      child,
    );
    new aws.sns.TopicPolicy(
      `${name}-topic`,
      {
        arn: this.topic.arn,
        policy: pulumi
          .all([this.topic.arn, args.accountId])
          .apply(([topicArn, accountId]) => JSON.stringify(alarmTopicPolicy({ topicArn, accountId }))),
      },
      child,
    );
    this.subscriptions = args.subscriptions.map(
      (s, i) =>
        new aws.sns.TopicSubscription(
          `${name}-subscription-${i}`,
          { topic: this.topic.arn, protocol: s.protocol, endpoint: s.endpoint },
          child,
        ),
    );
    this.arn = this.topic.arn;
    this.registerOutputs({ arn: this.arn });
  }
}
