/**
 * BackupBucket's writers under the Pulumi mocks: the MongoDB backup role always, and, when asked, a second
 * role for the Redis snapshot job that may only put objects under redis/ and that only its one service
 * account may assume.
 */
import * as pulumi from '@pulumi/pulumi';
import {
  BackupBucket,
  backupBucketPolicy,
  REDIS_SNAPSHOT_PREFIX,
  REDIS_SNAPSHOT_SERVICE_ACCOUNT,
  redisSnapshotPolicy,
} from './backup-bucket';

interface Recorded {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, unknown>;
}
const recorded: Recorded[] = [];

const mocksReady = pulumi.runtime.setMocks(
  {
    newResource(args) {
      recorded.push({ type: args.type, name: args.name, inputs: args.inputs as Record<string, unknown> });
      return {
        id: `${args.name}-id`,
        state: { ...args.inputs, arn: `arn:aws:iam::123456789012:role/${args.name}` },
      };
    },
    call(args) {
      return args.inputs as Record<string, unknown>;
    },
  },
  'platform',
  'test',
  true,
);

const base = {
  bucket: 'platform-prod-backups',
  retentionDays: 30,
  namespace: 'data',
  serviceAccount: 'mongodb',
  roleName: 'platform-prod-mongodb-backup',
  oidcProviderArn: 'arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC',
  oidcIssuer: 'https://oidc.eks.eu-west-1.amazonaws.com/id/ABC',
  partition: 'aws',
  tags: { environment: 'prod' },
};

/** Waits for the registrations of one component, then returns what it registered. */
async function build(name: string, extra: Partial<ConstructorParameters<typeof BackupBucket>[1]>) {
  await mocksReady;
  const start = recorded.length;
  const bucket = new BackupBucket(name, { ...base, ...extra });
  await new Promise<void>((resolve) => bucket.role.arn.apply(() => resolve()));
  await new Promise((resolve) => setTimeout(resolve, 50));
  return { bucket, resources: recorded.slice(start) };
}

const parsed = (r: Recorded, field: string) => JSON.parse(String(r.inputs[field])) as Record<string, unknown>;

describe('the Redis snapshot writer of the backup bucket', () => {
  it('may put objects (and abort multipart uploads) under redis/ only, nothing else', () => {
    expect(redisSnapshotPolicy('aws', 'platform-prod-backups')).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: ['s3:PutObject', 's3:AbortMultipartUpload'],
          Resource: 'arn:aws:s3:::platform-prod-backups/redis/*',
        },
      ],
    });
    expect(REDIS_SNAPSHOT_PREFIX).toBe('redis/');
    expect(redisSnapshotPolicy('aws-cn', 'b').Statement[0]!.Resource).toBe('arn:aws-cn:s3:::b/redis/*');
    // The MongoDB writer's wider rights are not the snapshot job's.
    expect(backupBucketPolicy('aws', 'b')).not.toEqual(redisSnapshotPolicy('aws', 'b'));
  });

  it('gets its own role, assumable only by data/redis-snapshot, with exactly that policy', async () => {
    const { bucket, resources } = await build('with-writer', {
      redisSnapshotWriter: { namespace: 'data', roleName: 'platform-prod-redis-snapshot' },
    });
    const roles = resources.filter((r) => r.type === 'aws:iam/role:Role');
    expect(roles.map((r) => r.inputs.name).sort()).toEqual([
      'platform-prod-mongodb-backup',
      'platform-prod-redis-snapshot',
    ]);
    const role = roles.find((r) => r.inputs.name === 'platform-prod-redis-snapshot')!;
    expect(JSON.stringify(parsed(role, 'assumeRolePolicy'))).toContain(
      '"oidc.eks.eu-west-1.amazonaws.com/id/ABC:sub":"system:serviceaccount:data:redis-snapshot"',
    );
    const policy = resources.find(
      (r) => r.type === 'aws:iam/policy:Policy' && r.inputs.name === 'platform-prod-redis-snapshot',
    )!;
    expect(parsed(policy, 'policy')).toEqual(redisSnapshotPolicy('aws', 'platform-prod-backups'));
    expect(bucket.redisSnapshot).toMatchObject({
      namespace: 'data',
      serviceAccount: REDIS_SNAPSHOT_SERVICE_ACCOUNT,
      keyPrefix: 'redis/',
    });
    expect(bucket.redisSnapshot!.role.attachments).toHaveLength(1);
  });

  it('is not created unless asked', async () => {
    const { bucket, resources } = await build('without-writer', {});
    expect(resources.filter((r) => r.type === 'aws:iam/role:Role').map((r) => r.inputs.name)).toEqual([
      'platform-prod-mongodb-backup',
    ]);
    expect(bucket.redisSnapshot).toBeUndefined();
  });
});
