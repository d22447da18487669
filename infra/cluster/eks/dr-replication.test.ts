/**
 * DrReplication under the Pulumi mocks, built the way the program builds it (stacks/cluster.ts from the
 * repo's stack files): prod with DR renders the standby provider, key, bucket, replication role and rule,
 * lag alarm and ECR replication, and its secrets get replicas; uat (no DR) renders none of them; every AWS
 * resource passes the plan's cloud policies.
 */
import * as aws from '@pulumi/aws';
import { join } from 'node:path';
import { createCluster, type CreatedCluster } from '../../../stacks/cluster';
import { parseEnvironment, type EnvironmentSpec } from '../../../stacks/spec';
import { MOCK_ACCOUNT, mockOutputs } from '../../../tools/plan/mock-outputs';
import { providerName, recordingMocks, type RecordedResource } from '../../../test/support/recording-mocks';
import { platformValues, readStackConfig } from '../../../tools/plan/stack-file';
import { checkCloudResources } from '../../../tools/policy/cloud-policies';
import { DistributedSecret } from '../../data/distributed-secret';
import {
  DR_REPLICATION_RULE_ID,
  DrReplication,
  S3_REPLICATION_ACTIONS,
  standbyBucketName,
} from './dr-replication';

const { recorded, ready: mocksReady, settle } = recordingMocks();
type Recorded = RecordedResource;
/** `type::name` of the resources registered with `protect: true`. */
const protectedResources = (): string[] =>
  recorded.filter((r) => r.protect).map((r) => `${r.type}::${r.name}`);

const root = join(__dirname, '..', '..', '..');
const specOf = (stack: string): EnvironmentSpec =>
  parseEnvironment(stack, platformValues(readStackConfig(root, stack)));
const STACKS = ['prod', 'uat'] as const;
type Stack = (typeof STACKS)[number];
const specs = {} as Record<Stack, EnvironmentSpec>;
const created = {} as Record<Stack, CreatedCluster>;

beforeAll(async () => {
  await mocksReady;
  for (const stack of STACKS) {
    specs[stack] = specOf(stack);
    created[stack] = createCluster({ spec: specs[stack], secrets: {} });
    // One platform secret per stack, as the data layer creates them, through the stack's secret backend.
    new DistributedSecret(`${stack}-probe`, {
      provider: created[stack].access.provider,
      backend: created[stack].access.secretBackend,
      secretName: 'probe',
      namespaces: ['data'],
      data: { password: 'x' },
    });
  }
  // Without RTC and ECR replication, built directly (the stack files have no such DR section).
  const primary = new aws.Provider('norctc-aws', { region: 'us-east-1' });
  new DrReplication(
    'norctc-dr',
    {
      environment: 'norctc',
      primaryRegion: 'us-east-1',
      standbyRegion: 'us-west-2',
      partition: 'aws',
      source: { bucketName: 'norctc-backups', bucketId: 'norctc-backups', ready: [], retentionDays: 7 },
      replicationTimeControl: false,
      replicationLagBudgetMinutes: 30,
      ecrReplication: false,
      accountId: '999988887777',
      alarmSubscriptions: [
        { protocol: 'email', endpoint: 'oncall@example.com' },
        { protocol: 'https', endpoint: 'https://pager.example.com/hook' },
      ],
      tags: {},
    },
    { providers: [primary] },
  );
  await settle();
}, 60_000);

const ofStack = (stack: Stack) => recorded.filter((r) => r.name.startsWith(`${stack}-`));
const drOf = (stack: Stack) => recorded.filter((r) => r.name.startsWith(`${stack}-cluster-dr`));
const nameOfUrn = (urn: string) => urn.slice(urn.lastIndexOf('::') + 2);
const parse = (v: unknown): Record<string, unknown> => JSON.parse(String(v)) as Record<string, unknown>;

describe('DrReplication (prod, platform:dr enabled)', () => {
  const dr = () => {
    const d = specs.prod.dr;
    if (d?.enabled !== true) throw new Error('prod must have DR enabled for these tests');
    return d;
  };
  const one = (type: string, name?: string): Recorded => {
    const found = drOf('prod').filter((r) => r.type === type && (name === undefined || r.name === name));
    expect(found.map((r) => r.name)).toHaveLength(1);
    return found[0] as Recorded;
  };
  const sourceBucket = () => specs.prod.backup.storage.bucket;
  const destination = () => standbyBucketName(sourceBucket(), dr().standbyRegion);

  it('renders exactly the replication resources', () => {
    expect(
      drOf('prod')
        .map((r) => `${r.type} ${r.name}`)
        .sort(),
    ).toEqual(
      [
        'platform:eks:DrReplication prod-cluster-dr',
        'pulumi:providers:aws prod-cluster-dr-standby',
        'aws:kms/key:Key prod-cluster-dr-backups-key',
        'aws:kms/alias:Alias prod-cluster-dr-backups-key',
        'aws:s3/bucket:Bucket prod-cluster-dr-standby-backups-bucket',
        'aws:s3/bucketOwnershipControls:BucketOwnershipControls prod-cluster-dr-standby-backups-ownership',
        'aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock prod-cluster-dr-standby-backups-public-access',
        'aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration prod-cluster-dr-standby-backups-encryption',
        'aws:s3/bucketVersioning:BucketVersioning prod-cluster-dr-standby-backups-versioning',
        'aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration prod-cluster-dr-standby-backups-lifecycle',
        'aws:s3/bucketPolicy:BucketPolicy prod-cluster-dr-standby-backups-tls-only',
        'aws:iam/role:Role prod-cluster-dr-s3-replication',
        'aws:iam/rolePolicy:RolePolicy prod-cluster-dr-s3-replication',
        'aws:s3/bucketReplicationConfig:BucketReplicationConfig prod-cluster-dr-backups',
        'aws:cloudwatch/metricAlarm:MetricAlarm prod-cluster-dr-replication-lag',
        'aws:ecr/replicationConfiguration:ReplicationConfiguration prod-cluster-dr-images',
        'platform:eks:AlarmTopic prod-cluster-dr-alarms',
        'aws:kms/key:Key prod-cluster-dr-alarms-key',
        'aws:sns/topic:Topic prod-cluster-dr-alarms-topic',
        'aws:sns/topicPolicy:TopicPolicy prod-cluster-dr-alarms-topic',
        // Prod's platform:dr.alarms.subscriptions: one https endpoint (the paging service).
        'aws:sns/topicSubscription:TopicSubscription prod-cluster-dr-alarms-subscription-0',
      ].sort(),
    );
  });

  it('subscribes prod’s platform:dr.alarms.subscriptions to the lag alarm’s topic', () => {
    expect(dr().alarms.subscriptions).toEqual([
      { protocol: 'https', endpoint: expect.stringMatching(/^https:\/\//) },
    ]);
    const sub = one('aws:sns/topicSubscription:TopicSubscription', 'prod-cluster-dr-alarms-subscription-0');
    expect(sub.inputs).toMatchObject({
      protocol: 'https',
      endpoint: dr().alarms.subscriptions[0]?.endpoint,
    });
  });

  it('puts the key and the bucket in the standby region, the rest in the primary', () => {
    const provider = one('pulumi:providers:aws', 'prod-cluster-dr-standby');
    expect(provider.inputs.region).toBe('eu-central-1');
    expect(dr().standbyRegion).toBe('eu-central-1');
    const standby = drOf('prod').filter(
      (r) => r.custom && r.type.startsWith('aws:') && /-(backups-key|standby-backups-)/.test(r.name),
    );
    expect(standby).toHaveLength(9);
    for (const r of standby) expect([r.name, providerName(r)]).toEqual([r.name, 'prod-cluster-dr-standby']);
    const primary = drOf('prod').filter((r) => r.custom && r.type.startsWith('aws:') && !standby.includes(r));
    expect(primary.map((r) => r.name).sort()).toEqual([
      'prod-cluster-dr-alarms-key',
      'prod-cluster-dr-alarms-subscription-0',
      'prod-cluster-dr-alarms-topic',
      'prod-cluster-dr-alarms-topic',
      'prod-cluster-dr-backups',
      'prod-cluster-dr-images',
      'prod-cluster-dr-replication-lag',
      'prod-cluster-dr-s3-replication',
      'prod-cluster-dr-s3-replication',
    ]);
    const primaryProvider = recorded.find(
      (r) => r.type === 'pulumi:providers:aws' && r.name === 'prod-cluster-aws',
    );
    expect(primaryProvider?.inputs.region).toBe('eu-west-1');
    for (const r of primary) expect([r.name, providerName(r)]).toEqual([r.name, 'prod-cluster-aws']);
  });

  it('encrypts the standby bucket with a rotated standby key, versioned, protected, same retention', () => {
    const key = one('aws:kms/key:Key', 'prod-cluster-dr-backups-key');
    expect(key.inputs.enableKeyRotation).toBe(true);
    const alias = one('aws:kms/alias:Alias');
    expect(alias.inputs).toMatchObject({
      name: 'alias/platform-prod-dr-backups',
      targetKeyId: 'prod-cluster-dr-backups-key-key-id',
    });
    const bucket = one('aws:s3/bucket:Bucket');
    expect(bucket.inputs).toMatchObject({ bucket: destination(), forceDestroy: false });
    expect(destination()).toBe('platform-prod-444455556666-mongodb-backups-eu-central-1');
    const sse = one('aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration');
    expect(sse.inputs.rules).toEqual([
      {
        applyServerSideEncryptionByDefault: {
          sseAlgorithm: 'aws:kms',
          kmsMasterKeyId: mockOutputs(key.type, key.name, key.inputs).arn,
        },
        bucketKeyEnabled: true,
      },
    ]);
    expect(one('aws:s3/bucketVersioning:BucketVersioning').inputs.versioningConfiguration).toEqual({
      status: 'Enabled',
    });
    const lifecycle = one('aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration');
    const rules = lifecycle.inputs.rules as { expiration: { days: number } }[];
    expect(rules[0]?.expiration.days).toBe(specs.prod.backup.retentionDays);
    // The source's lifecycle, for comparison: the replicas live exactly as long.
    const sourceLifecycle = recorded.find((r) => r.name === 'prod-cluster-backups-lifecycle');
    expect((sourceLifecycle?.inputs.rules as { expiration: { days: number } }[])[0]?.expiration.days).toBe(
      35,
    );
  });

  it('protects the standby bucket and key like the source bucket', () => {
    expect(protectedResources()).toContain('aws:s3/bucket:Bucket::prod-cluster-backups-bucket');
    const mine = protectedResources()
      .filter((k) => k.includes('::prod-cluster-dr'))
      .sort();
    expect(mine).toEqual([
      'aws:kms/key:Key::prod-cluster-dr-backups-key',
      'aws:s3/bucket:Bucket::prod-cluster-dr-standby-backups-bucket',
    ]);
  });

  it('gives the replication role S3 trust only and the documented CRR actions, scoped', () => {
    const role = one('aws:iam/role:Role');
    expect(parse(role.inputs.assumeRolePolicy)).toEqual({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 's3.amazonaws.com' }, Action: 'sts:AssumeRole' }],
    });
    const policy = parse(one('aws:iam/rolePolicy:RolePolicy').inputs.policy) as {
      Statement: {
        Action: string[];
        Resource: string;
        Condition?: Record<string, Record<string, unknown>>;
      }[];
    };
    const source = `arn:aws:s3:::${sourceBucket()}`;
    const dest = `arn:aws:s3:::${destination()}`;
    const byResource = Object.fromEntries(policy.Statement.map((s) => [s.Resource, s.Action]));
    expect(byResource[source]).toEqual([...S3_REPLICATION_ACTIONS.sourceBucket]);
    expect(byResource[`${source}/*`]).toEqual([...S3_REPLICATION_ACTIONS.sourceObjects]);
    expect(byResource[`${dest}/*`]).toEqual([...S3_REPLICATION_ACTIONS.destinationObjects]);
    const key = one('aws:kms/key:Key', 'prod-cluster-dr-backups-key');
    const keyArn = mockOutputs(key.type, key.name, key.inputs).arn as string;
    expect(byResource[keyArn]).toEqual(['kms:Encrypt', 'kms:GenerateDataKey']);
    expect(byResource[`arn:aws:kms:eu-west-1:${MOCK_ACCOUNT}:key/*`]).toEqual(['kms:Decrypt']);
    // Nothing wider than these: no wildcard action, no '*' resource, KMS only through S3.
    for (const s of policy.Statement) {
      expect(s.Action.every((a) => !a.includes('*'))).toBe(true);
      expect(s.Resource).not.toBe('*');
      if (s.Action.some((a) => a.startsWith('kms:')))
        expect(s.Condition?.StringEquals?.['kms:ViaService']).toMatch(
          /^s3\.eu-(west|central)-1\.amazonaws\.com$/,
        );
    }
    expect(policy.Statement).toHaveLength(5);
  });

  it('replicates the whole backup bucket with delete markers, the standby key and RTC', () => {
    const config = one('aws:s3/bucketReplicationConfig:BucketReplicationConfig');
    expect(config.inputs.bucket).toBe('prod-cluster-backups-bucket-id');
    expect(config.inputs.role).toBe(`arn:aws:iam::${MOCK_ACCOUNT}:role/platform-prod-backup-replication`);
    const key = one('aws:kms/key:Key', 'prod-cluster-dr-backups-key');
    expect(config.inputs.rules).toEqual([
      {
        id: DR_REPLICATION_RULE_ID,
        status: 'Enabled',
        priority: 1,
        filter: {},
        deleteMarkerReplication: { status: 'Enabled' },
        sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: 'Enabled' } },
        destination: {
          bucket: `arn:aws:s3:::${destination()}`,
          storageClass: 'STANDARD',
          encryptionConfiguration: { replicaKmsKeyId: mockOutputs(key.type, key.name, key.inputs).arn },
          metrics: { status: 'Enabled', eventThreshold: { minutes: 15 } },
          replicationTime: { status: 'Enabled', time: { minutes: 15 } },
        },
      },
    ]);
    expect(dr().mongodb.replicationTimeControl).toBe(true);
  });

  it('is registered after both buckets are versioned and the role may replicate', () => {
    const deps = one('aws:s3/bucketReplicationConfig:BucketReplicationConfig').dependencies.map(nameOfUrn);
    expect(deps).toEqual(
      expect.arrayContaining([
        'prod-cluster-backups-versioning',
        'prod-cluster-dr-standby-backups-versioning',
        'prod-cluster-dr-s3-replication',
      ]),
    );
  });

  it('alarms when ReplicationLatency exceeds the budget of Pulumi.prod.yaml (10 min = 600 s)', () => {
    const alarm = one('aws:cloudwatch/metricAlarm:MetricAlarm');
    expect(dr().mongodb.replicationLagBudgetMinutes).toBe(10);
    expect(alarm.inputs).toMatchObject({
      namespace: 'AWS/S3',
      metricName: 'ReplicationLatency',
      statistic: 'Maximum',
      threshold: 600,
      comparisonOperator: 'GreaterThanThreshold',
      dimensions: {
        SourceBucket: sourceBucket(),
        DestinationBucket: destination(),
        RuleId: DR_REPLICATION_RULE_ID,
      },
    });
  });

  it('notifies the primary region’s DR alarm topic when the lag alarm fires and clears', () => {
    const alarm = one('aws:cloudwatch/metricAlarm:MetricAlarm');
    const topic = one('aws:sns/topic:Topic');
    const arn = mockOutputs(topic.type, topic.name, topic.inputs).arn;
    expect(topic.inputs).toMatchObject({
      name: 'platform-prod-dr-alarms-eu-west-1',
      kmsMasterKeyId: mockOutputs('aws:kms/key:Key', 'prod-cluster-dr-alarms-key', {}).arn,
    });
    expect(alarm.inputs.alarmActions).toEqual([arn]);
    expect(alarm.inputs.okActions).toEqual([arn]);
    const policy = parse(one('aws:sns/topicPolicy:TopicPolicy').inputs.policy) as {
      Statement: { Principal: unknown; Action: string; Resource: string }[];
    };
    expect(policy.Statement).toEqual([
      expect.objectContaining({
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: 'sns:Publish',
        Resource: arn,
      }),
    ]);
  });

  it('replicates the platform ECR repositories to the standby region', () => {
    const ecr = one('aws:ecr/replicationConfiguration:ReplicationConfiguration');
    expect(ecr.inputs.replicationConfiguration).toEqual({
      rules: [
        {
          destinations: [{ region: 'eu-central-1', registryId: MOCK_ACCOUNT }],
          repositoryFilters: [{ filter: 'platform', filterType: 'PREFIX_MATCH' }],
        },
      ],
    });
  });

  it('replicates the platform secrets to the configured replica regions', () => {
    expect(dr().secrets.replicaRegions).toEqual(['eu-central-1']);
    const secret = recorded.find((r) => r.name === 'prod-probe-remote');
    expect(secret?.type).toBe('aws:secretsmanager/secret:Secret');
    expect(secret?.inputs.replicas).toEqual([{ region: 'eu-central-1' }]);
  });

  it('passes every AWS policy rule (the plan’s cloud checks)', () => {
    const resources = ofStack('prod')
      .filter((r) => r.custom)
      .map((r) => ({ type: r.type, name: r.name, props: r.inputs }));
    expect(resources.length).toBeGreaterThan(50);
    expect(checkCloudResources(resources, { environment: 'prod' })).toEqual([]);
  });

  it('the policy check would catch a standby bucket without encryption (the check can fail)', () => {
    const resources = drOf('prod')
      .filter((r) => r.custom && !r.type.includes('ServerSideEncryption'))
      .map((r) => ({ type: r.type, name: r.name, props: r.inputs }));
    expect(checkCloudResources(resources).map((f) => f.rule)).toEqual(['s3-encrypted']);
  });
});

describe('a stack without DR (uat)', () => {
  it('has no DR section enabled', () => {
    expect(specs.uat.dr?.enabled ?? false).toBe(false);
  });

  it('renders none of the replication resources', () => {
    expect(ofStack('uat').length).toBeGreaterThan(50);
    expect(drOf('uat')).toEqual([]);
    const drTypes = [
      'aws:s3/bucketReplicationConfig:BucketReplicationConfig',
      'aws:ecr/replicationConfiguration:ReplicationConfiguration',
      'aws:cloudwatch/metricAlarm:MetricAlarm',
    ];
    expect(ofStack('uat').filter((r) => drTypes.includes(r.type))).toEqual([]);
    expect(
      ofStack('uat')
        .filter((r) => r.type === 'pulumi:providers:aws')
        .map((r) => r.name),
    ).toEqual(['uat-cluster-aws']);
  });

  it('creates its secrets without replicas', () => {
    const secret = recorded.find((r) => r.name === 'uat-probe-remote');
    expect(secret?.type).toBe('aws:secretsmanager/secret:Secret');
    expect(secret?.inputs).not.toHaveProperty('replicas');
  });
});

describe('DrReplication without RTC or ECR replication', () => {
  const mine = () => recorded.filter((r) => r.name.startsWith('norctc-dr'));
  it('keeps the metrics for the alarm but sets no replication time', () => {
    const config = mine().find((r) => r.type === 'aws:s3/bucketReplicationConfig:BucketReplicationConfig');
    const rule = (config?.inputs.rules as { destination: Record<string, unknown> }[])[0];
    expect(rule?.destination.metrics).toEqual({ status: 'Enabled' });
    expect(rule?.destination).not.toHaveProperty('replicationTime');
  });
  it('alarms at its own budget (30 min = 1800 s) and replicates no images', () => {
    const alarm = mine().find((r) => r.type === 'aws:cloudwatch/metricAlarm:MetricAlarm');
    expect(alarm?.inputs.threshold).toBe(1800);
    expect(mine().filter((r) => r.type.startsWith('aws:ecr/'))).toEqual([]);
    const provider = mine().find((r) => r.type === 'pulumi:providers:aws');
    expect(provider?.inputs.region).toBe('us-west-2');
  });
  it('subscribes the configured endpoints to its alarm topic in us-east-1', () => {
    const subs = mine().filter((r) => r.type === 'aws:sns/topicSubscription:TopicSubscription');
    expect(subs.map((s) => [s.inputs.protocol, s.inputs.endpoint])).toEqual([
      ['email', 'oncall@example.com'],
      ['https', 'https://pager.example.com/hook'],
    ]);
    const topic = mine().find((r) => r.type === 'aws:sns/topic:Topic');
    expect(topic?.inputs.name).toBe('platform-norctc-dr-alarms-us-east-1');
    const key = mine().find((r) => r.name === 'norctc-dr-alarms-key');
    expect(String(key?.inputs.policy)).toContain('"aws:SourceAccount":"999988887777"');
  });
  it('scopes the policy to its account and regions', () => {
    const policy = recorded.find(
      (r) => r.name === 'norctc-dr-s3-replication' && r.type === 'aws:iam/rolePolicy:RolePolicy',
    );
    const doc = parse(policy?.inputs.policy) as { Statement: { Resource: string }[] };
    expect(doc.Statement.map((s) => s.Resource)).toContain('arn:aws:kms:us-east-1:999988887777:key/*');
  });
});

describe('standbyBucketName', () => {
  it('appends the standby region', () => {
    expect(standbyBucketName('backups', 'eu-central-1')).toBe('backups-eu-central-1');
  });
  it('refuses a name S3 would refuse, naming the field, the value and the limit', () => {
    const long = 'b'.repeat(51);
    expect(() => standbyBucketName(long, 'eu-central-1')).toThrow(
      `platform:backup.storage.bucket: the standby bucket name "${long}-eu-central-1" (the bucket and the standby region) has 64 characters; S3 allows at most 63, so the bucket may have at most 50`,
    );
  });
});
