/**
 * Issue 18, part A: prod's plan holds a warm DR standby built by the same components (stacks/standby.ts),
 * written apart to <out>/prod/standby/ and checked like the primary; uat is as before.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureCompiled } from '../support/ensure-compiled';

interface Resource {
  readonly type: string;
  readonly name: string;
  readonly parent?: string;
  readonly inputs: Record<string, unknown>;
}
type Dict = Record<string, unknown>;
const dict = (v: unknown): Dict => (v !== null && typeof v === 'object' ? (v as Dict) : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

const root = join(__dirname, '..', '..');
const work = mkdtempSync(join(tmpdir(), 'standby-plan-'));
let output = '';
let status: number | null = null;
const read = (dir: string): Resource[] =>
  JSON.parse(readFileSync(join(work, dir, 'resources.json'), 'utf8')) as Resource[];
let primary: Resource[] = [];
let standby: Resource[] = [];
let uat: Resource[] = [];

beforeAll(() => {
  ensureCompiled();
  const cli = join(root, 'dist', 'tools', 'plan', 'cli.js');
  const run = spawnSync(process.execPath, [cli, 'uat', 'prod', '--out', work], {
    encoding: 'utf8',
    timeout: 200_000,
  });
  output = `${run.stdout}${run.stderr}`;
  status = run.status;
  if (status !== 0) throw new Error(`plan failed (${String(status)}):\n${output}`);
  primary = read('prod');
  standby = read(join('prod', 'standby'));
  uat = read('uat');
}, 220_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

const ofType = (rs: readonly Resource[], type: string) => rs.filter((r) => r.type === type);
const objects = (rs: readonly Resource[], kind: string) =>
  rs.filter((r) => r.type.startsWith('kubernetes:') && r.inputs.kind === kind);
const one = <T>(items: readonly T[], what: string): T => {
  if (items.length !== 1) throw new Error(`expected one ${what}, found ${items.length}`);
  return items[0] as T;
};

it('plans prod with its standby: schema, policies and network pass for both clusters (exit 0)', () => {
  expect(status).toBe(0);
  const block = output.slice(output.indexOf('  standby -> '));
  expect(block).toMatch(/cluster platform-prod-standby in eu-central-1/);
  expect(block).toMatch(/^ {4}schema: all \d+ objects valid/m);
  expect(block).toMatch(/^ {4}policies: passed$/m);
  expect(block).toMatch(/^ {4}network: \d+ connections allowed, equal to the intended graph$/m);
  expect(output).not.toMatch(/POLICY violations|INVALID objects|NETWORK differs/);
});

it('the standby cluster runs in eu-central-1 on its own VPC with warm node groups', () => {
  const cluster = one(ofType(standby, 'eks:index:Cluster'), 'standby EKS cluster');
  expect(cluster.inputs.name).toBe('platform-prod-standby');
  const providers = ofType(standby, 'pulumi:providers:aws').map((p) => p.inputs.region);
  expect(new Set(providers)).toEqual(new Set(['eu-central-1']));
  expect(one(ofType(standby, 'aws:ec2/vpc:Vpc'), 'standby VPC').inputs.cidrBlock).toBe('10.41.0.0/16');
  expect(one(ofType(primary, 'aws:ec2/vpc:Vpc'), 'primary VPC').inputs.cidrBlock).toBe('10.40.0.0/16');
  const sizes = (rs: readonly Resource[], group: string) =>
    dict(
      one(
        rs.filter((r) => r.type === 'aws:eks/nodeGroup:NodeGroup' && r.name.endsWith(`-${group}`)),
        group,
      ).inputs.scalingConfig,
    );
  // Pulumi.prod.yaml's warm sizes; maxSize is the primary's, so the autoscaler may grow to prod's size.
  const warm = { system: [2, 2], workloads: [1, 1], data: [3, 3] } as const;
  for (const [group, [min, desired]] of Object.entries(warm)) {
    const s = sizes(standby, group);
    expect([s.minSize, s.desiredSize]).toEqual([min, desired]);
    expect(s.maxSize).toBe(sizes(primary, group).maxSize);
  }
  expect(sizes(primary, 'workloads').desiredSize).toBe(6);
});

it('the standby has the baseline and the data layer, through its own cluster', () => {
  for (const kind of [
    'PerconaServerMongoDB',
    'Kafka',
    'StatefulSet',
    'Gateway',
    'ConfigMap',
    'PrometheusRule',
  ]) {
    expect(objects(standby, kind).length).toBeGreaterThan(0);
  }
  const releases = ofType(standby, 'kubernetes:helm.sh/v3:Release').map((r) => String(r.inputs.name));
  expect(releases).toEqual(expect.arrayContaining(['kube-prometheus-stack', 'psmdb-operator', 'strimzi']));
  // Nothing of the primary's DR is built again: the Redis snapshot job runs in the primary only.
  expect(objects(standby, 'CronJob')).toEqual([]);
  const mongo = one(objects(standby, 'PerconaServerMongoDB'), 'standby MongoDB');
  const members = list(dict(mongo.inputs.spec).replsets).map((r) => dict(r).size);
  expect(members).toEqual([3]);
  const redis = objects(standby, 'StatefulSet').find((s) => dict(s.inputs.metadata).name === 'redis');
  expect(dict(redis?.inputs.spec).replicas).toBe(2);
  const sentinels = objects(standby, 'StatefulSet').find(
    (s) => dict(s.inputs.metadata).name === 'redis-sentinel',
  );
  expect(dict(sentinels?.inputs.spec).replicas).toBe(3);
  // The plan sends a Kubernetes object to the standby's file only through the standby's provider, and fails
  // when one named for the standby goes through another (tools/plan/plan-stack.ts).
  const k8sProviders = ofType(standby, 'pulumi:providers:kubernetes').map((p) => p.name);
  expect(k8sProviders).toEqual(['prod-standby-cluster-k8s']);
  expect(primary.filter((r) => r.name.startsWith('prod-standby-'))).toEqual([]);
});

it('the standby writes no Secrets Manager entry and reads the replicas of the primary ones', () => {
  expect(standby.filter((r) => r.type.startsWith('aws:secretsmanager/'))).toEqual([]);
  const primaryEntries = ofType(primary, 'aws:secretsmanager/secret:Secret').map((r) => r.inputs.name);
  expect(primaryEntries.length).toBeGreaterThan(10);
  const read = objects(standby, 'ExternalSecret').map((r) =>
    String(
      dict(list(dict(r.inputs.spec).dataFrom)[0]).extract &&
        dict(dict(list(dict(r.inputs.spec).dataFrom)[0]).extract).key,
    ),
  );
  expect(new Set(read)).toEqual(new Set(primaryEntries));
  // External Secrets in the standby reads Secrets Manager in its own region, under prod's prefix.
  const store = one(objects(standby, 'ClusterSecretStore'), 'standby ClusterSecretStore');
  expect(dict(dict(dict(store.inputs.spec).provider).aws).region).toBe('eu-central-1');
  const esoPolicy = one(
    ofType(standby, 'aws:iam/policy:Policy').filter((p) => p.name.includes('external-secrets')),
    'External Secrets policy',
  );
  expect(String(esoPolicy.inputs.policy)).toMatch(
    /arn:aws:secretsmanager:eu-central-1:\d{12}:secret:platform\/prod\/\*/,
  );
  for (const entry of ofType(primary, 'aws:secretsmanager/secret:Secret')) {
    expect(list(entry.inputs.replicas).map((r) => dict(r).region)).toEqual(['eu-central-1']);
  }
});

it('the standby keeps the primary identity where workloads see it', () => {
  const env = (rs: readonly Resource[], name: string) => {
    const workload = rs.find(
      (r) =>
        ['Deployment', 'Rollout'].includes(String(r.inputs.kind)) && dict(r.inputs.metadata).name === name,
    );
    const container = dict(list(dict(dict(dict(workload?.inputs.spec).template).spec).containers)[0]);
    return Object.fromEntries(list(container.env).map((e) => [dict(e).name, dict(e).value]));
  };
  const s = env(standby, 'order');
  expect([s.ENVIRONMENT, s.JWT_ISSUER]).toEqual(['prod', 'platform-prod']);
  const policy = objects(standby, 'ConfigMap').find(
    (c) => dict(c.inputs.metadata).name === 'platform-policy',
  );
  expect(JSON.stringify(policy?.inputs.data)).toContain('"prod"');
});

it('MongoDB in the standby restores from the replicated bucket with a role scoped to it, without PITR', () => {
  const backup = dict(
    dict(one(objects(standby, 'PerconaServerMongoDB'), 'standby MongoDB').inputs.spec).backup,
  );
  const s3 = dict(dict(dict(backup.storages).s3).s3);
  expect([s3.bucket, s3.region]).toEqual([
    'platform-prod-444455556666-mongodb-backups-eu-central-1',
    'eu-central-1',
  ]);
  expect(backup.pitr).toEqual({ enabled: false });
  const role = one(
    ofType(standby, 'aws:iam/role:Role').filter(
      (r) => r.inputs.name === 'platform-prod-standby-mongodb-backup',
    ),
    'standby PBM role',
  );
  expect(String(role.inputs.assumeRolePolicy)).toContain('system:serviceaccount:data:mongodb');
  const policy = one(
    ofType(standby, 'aws:iam/policy:Policy').filter((p) =>
      p.name.startsWith('prod-standby-cluster-mongodb-backup'),
    ),
    'standby PBM policy',
  );
  const text = String(policy.inputs.policy);
  expect(text).toContain('arn:aws:s3:::platform-prod-444455556666-mongodb-backups-eu-central-1/*');
  expect(text).not.toContain('s3:DeleteObject');
  expect(text).not.toMatch(/mongodb-backups"|mongodb-backups\/\*"/);
});

it('the standby schedules no PBM backup into the replica bucket, and its MongodbBackupTooOld is off', () => {
  const backupOf = (rs: readonly Resource[]) =>
    dict(dict(one(objects(rs, 'PerconaServerMongoDB'), 'MongoDB').inputs.spec).backup);
  const standbyBackup = backupOf(standby);
  // Restore-only: the agents and the storage stay (restores need them), no task and no PITR write anything.
  expect(standbyBackup.enabled).toBe(true);
  expect(Object.keys(dict(standbyBackup.storages))).toEqual(['s3']);
  expect(standbyBackup.tasks).toBeUndefined();
  expect(standbyBackup.pitr).toEqual({ enabled: false });
  // The primary still backs up on its schedule, with PITR.
  const primaryBackup = backupOf(primary);
  expect(list(primaryBackup.tasks).map((t) => dict(t).schedule)).toEqual(['0 2 * * *']);
  expect(dict(primaryBackup.pitr).enabled).toBe(true);
  const alerts = (rs: readonly Resource[]) =>
    objects(rs, 'PrometheusRule').flatMap((r) =>
      list(dict(r.inputs.spec).groups).flatMap((g) => list(dict(g).rules).map((rule) => dict(rule).alert)),
    );
  expect(alerts(primary)).toContain('MongodbBackupTooOld');
  expect(alerts(standby)).toContain('MongodbNoPrimary');
  expect(alerts(standby)).not.toContain('MongodbBackupTooOld');
});

it('with DR, both MongoDB clusters use the system users Pulumi generated, from one replicated entry', () => {
  const entry = one(
    ofType(primary, 'aws:secretsmanager/secret:Secret').filter(
      (r) => r.inputs.name === 'platform/prod/mongodb-system-users',
    ),
    'system users entry',
  );
  expect(list(entry.inputs.replicas).map((r) => dict(r).region)).toEqual(['eu-central-1']);
  const usersSecret = (rs: readonly Resource[]) =>
    one(
      objects(rs, 'ExternalSecret').filter(
        (r) => dict(dict(r.inputs.spec).target).name === 'mongodb-system-users',
      ),
      'system users ExternalSecret',
    );
  for (const rs of [primary, standby]) {
    const spec = dict(usersSecret(rs).inputs.spec);
    expect(dict(dict(list(spec.dataFrom)[0]).extract).key).toBe('platform/prod/mongodb-system-users');
    expect(dict(usersSecret(rs).inputs.metadata).namespace).toBe('data');
    const mongo = dict(one(objects(rs, 'PerconaServerMongoDB'), 'MongoDB').inputs.spec);
    expect(dict(mongo.secrets).users).toBe('mongodb-system-users');
  }
  // One generated password per system user, in the primary's program only written to Secrets Manager.
  const passwords = ofType(primary, 'random:index/randomPassword:RandomPassword')
    .map((r) => r.name)
    .filter((n) => n.includes('-system-'));
  expect(passwords.sort()).toEqual(
    ['backup', 'clusteradmin', 'clustermonitor', 'databaseadmin', 'useradmin'].map(
      (u) => `prod-data-mongodb-system-${u}-password`,
    ),
  );
  // uat (no DR) leaves the Secret to the operator, as before.
  expect(
    objects(uat, 'ExternalSecret').filter(
      (r) => dict(dict(r.inputs.spec).target).name === 'mongodb-system-users',
    ),
  ).toEqual([]);
});

it('no Pulumi name, AWS name or bucket collides between primary and standby, and no ECR repository is redeclared', () => {
  const names = new Set(primary.map((r) => r.name));
  expect(standby.filter((r) => names.has(r.name)).map((r) => r.name)).toEqual([]);
  const physical = (rs: readonly Resource[]) =>
    rs
      .filter((r) => !r.type.startsWith('kubernetes:') && !r.type.startsWith('platform:'))
      .flatMap((r) =>
        ['name', 'bucket', 'roleName', 'aliasName']
          .map((k) => r.inputs[k])
          .filter((v): v is string => typeof v === 'string')
          .map((v) => `${r.type} ${v}`),
      );
  const taken = new Set(physical(primary));
  expect(physical(standby).filter((n) => taken.has(n))).toEqual([]);
  expect(physical(standby).some((n) => n.includes('platform-prod-standby'))).toBe(true);
  const buckets = (rs: readonly Resource[]) =>
    ofType(rs, 'aws:s3/bucket:Bucket').map((b) => String(b.inputs.bucket));
  expect(buckets(standby).filter((b) => buckets(primary).includes(b))).toEqual([]);
  expect(standby.filter((r) => r.type.startsWith('aws:ecr/'))).toEqual([]);
  expect(ofType(primary, 'aws:ecr/repository:Repository').length).toBe(5);
});

it('standby services are passive (0 replicas, no HPA) and pull the same digests from the standby region', () => {
  const images = (rs: readonly Resource[]) =>
    Object.fromEntries(
      rs
        .filter((r) => ['Deployment', 'Rollout'].includes(String(r.inputs.kind)))
        .filter((r) => dict(r.inputs.metadata).namespace === 'apps')
        .map((r) => {
          const spec = dict(r.inputs.spec);
          const image = String(dict(list(dict(dict(spec.template).spec).containers)[0]).image);
          return [String(dict(r.inputs.metadata).name), { image, replicas: spec.replicas }];
        }),
    );
  const p = images(primary);
  const s = images(standby);
  expect(Object.keys(s).sort()).toEqual(['analytics', 'notification', 'order', 'product', 'user']);
  for (const [name, { image }] of Object.entries(s)) {
    expect(image).toBe(String(p[name]?.image).replace('.dkr.ecr.eu-west-1.', '.dkr.ecr.eu-central-1.'));
    expect(image).toMatch(/^444455556666\.dkr\.ecr\.eu-central-1\.amazonaws\.com\/platform\/.+@sha256:/);
  }
  // Passive (failover.serve: primary): no pods and no HPA, so no consumer re-processes mirrored events.
  for (const { replicas } of Object.values(s)) expect(replicas).toBe(0);
  expect(objects(standby, 'HorizontalPodAutoscaler')).toEqual([]);
  expect(objects(primary, 'HorizontalPodAutoscaler').length).toBe(5);
});

it('uat plans the same resources as before the standby (names and types)', () => {
  const fixture = readFileSync(join(__dirname, 'standby-uat-resources.fixture.txt'), 'utf8')
    .trim()
    .split('\n');
  expect(uat.map((r) => `${r.type} ${r.name}`).sort()).toEqual(fixture);
  expect(output).not.toMatch(/Plan of stack "uat"[\s\S]*?standby ->[\s\S]*?Plan of stack "prod"/);
});
