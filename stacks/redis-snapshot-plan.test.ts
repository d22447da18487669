/**
 * End to end (issue 18, part D): the offline plan of prod, whose stack enables platform:dr, renders the daily
 * Redis snapshot CronJob, its NetworkPolicy, its ServiceAccount with the IRSA role, and that role allowed only
 * to put objects under redis/ of the backup bucket, and passes schema, policies and the network check; dev, qat
 * and uat render none of it. With the job's pod added to the plan's inventory, the rendered policies allow
 * exactly the intended graph with the job's edges.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { redisSnapshotPolicy } from '../infra/cluster/eks/backup-bucket';
import { ensureCompiled } from '../test/support/ensure-compiled';
import { readPlan, type PlanResource } from '../tools/release';
import {
  compareWithIntended,
  planReachabilityInput,
  stackNetworkFacts,
  type ReachPod,
} from '../tools/reachability';

const repo = join(__dirname, '..');
const cli = join(repo, 'dist', 'tools', 'plan', 'cli.js');
const work = mkdtempSync(join(tmpdir(), 'redis-snapshot-plan-'));
const ENVIRONMENTS = ['dev', 'qat', 'uat', 'prod'] as const;
let output = '';
let status: number | null = null;
const plans = new Map<string, readonly PlanResource[]>();

type Obj = Record<string, any>;

beforeAll(() => {
  ensureCompiled();
  const run = spawnSync(process.execPath, [cli, '--all', '--out', work], {
    encoding: 'utf8',
    timeout: 400_000,
  });
  output = `${run.stdout}${run.stderr}`;
  status = run.status;
  if (run.status !== 0) throw new Error(`plan failed:\n${output}`);
  for (const env of ENVIRONMENTS) plans.set(env, readPlan(join(work, env)));
}, 420_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

const prod = () => plans.get('prod')!;
const k8sObject = (resources: readonly PlanResource[], kind: string, name: string): Obj | undefined =>
  resources
    .map((r) => r.inputs as Obj)
    .find((i) => i.kind === kind && i.metadata?.name === name && i.metadata?.namespace === 'data');
const awsResource = (type: string, name: string): Obj => {
  const found = prod().find((r) => r.type === type && (r.inputs as Obj).name === name);
  if (found === undefined) throw new Error(`no ${type} named ${name} in the prod plan`);
  return found.inputs as Obj;
};
const prodStack = () => parseDocument(readFileSync(join(repo, 'Pulumi.prod.yaml'), 'utf8'));

describe('prod (DR enabled)', () => {
  it('plans cleanly: schema, policies and network', () => {
    expect(status).toBe(0);
    expect(output.match(/^ {2}policies: passed$/gm)).toHaveLength(ENVIRONMENTS.length);
    expect(output).not.toMatch(/POLICY violations|INVALID objects|NETWORK differs/);
  });

  it('renders the CronJob at the stack’s schedule, uploading to redis/prod/ of the backup bucket', () => {
    const schedule = prodStack().getIn(['config', 'platform:dr', 'redis', 'snapshot', 'schedule']);
    const bucket = prodStack().getIn(['config', 'platform:backup', 'storage', 'bucket']);
    expect(typeof schedule).toBe('string');
    const cronJob = k8sObject(prod(), 'CronJob', 'redis-snapshot')!;
    expect(cronJob).toBeDefined();
    expect(cronJob.spec).toMatchObject({ schedule, timeZone: 'Etc/UTC', concurrencyPolicy: 'Forbid' });
    const pod = cronJob.spec.jobTemplate.spec.template.spec;
    const env = Object.fromEntries(
      (pod.containers[0].env as Obj[]).map((e) => [e.name, e.value as string | undefined]),
    );
    expect(env.SNAPSHOT_DESTINATION).toBe(`s3://${String(bucket)}/redis/prod/`);
    expect(pod.serviceAccountName).toBe('redis-snapshot');
    expect(pod.initContainers[0].env).toContainEqual({
      name: 'REDIS_PASSWORD',
      valueFrom: { secretKeyRef: { name: 'redis-auth', key: 'password' } },
    });
    expect(k8sObject(prod(), 'NetworkPolicy', 'redis-snapshot')).toBeDefined();
    expect(k8sObject(prod(), 'ConfigMap', 'redis-snapshot')).toBeDefined();
  });

  it('gives the job’s ServiceAccount a role that may only put objects under redis/', () => {
    const bucket = String(prodStack().getIn(['config', 'platform:backup', 'storage', 'bucket']));
    const account = k8sObject(prod(), 'ServiceAccount', 'redis-snapshot')!;
    const role = awsResource('aws:iam/role:Role', 'platform-prod-redis-snapshot');
    expect(account.metadata.annotations['eks.amazonaws.com/role-arn']).toMatch(
      /^arn:aws:iam::\d+:role\/platform-prod-redis-snapshot$/,
    );
    expect(account.automountServiceAccountToken).toBe(false);
    expect(String(role.assumeRolePolicy)).toContain('system:serviceaccount:data:redis-snapshot');
    const policy = awsResource('aws:iam/policy:Policy', 'platform-prod-redis-snapshot');
    expect(JSON.parse(String(policy.policy))).toEqual(redisSnapshotPolicy('aws', bucket));
  });

  it('allows exactly the intended graph with the job’s edges once the job’s pod is in the inventory', () => {
    const input = planReachabilityInput(prod());
    const template = k8sObject(prod(), 'CronJob', 'redis-snapshot')!.spec.jobTemplate.spec.template;
    const job: ReachPod = {
      namespace: 'data',
      id: 'data/redis-snapshot',
      labels: template.metadata.labels,
      ports: [],
    };
    const withJob = { ...input, pods: [...input.pods, job] };
    const facts = stackNetworkFacts(repo, 'prod');
    expect(compareWithIntended(withJob, { ...facts, redisSnapshot: true }).problems).toEqual([]);
    // Not vacuous: without the declared edges, exactly the job's connections are extra.
    const extra = compareWithIntended(withJob, { ...facts, redisSnapshot: false }).diff.extra.map(
      (e) => `${e.from} -> ${e.to}:${String(e.port)}/${e.protocol}`,
    );
    expect(extra.sort()).toEqual([
      'data/redis-snapshot -> data/redis-sentinel:26379/TCP',
      'data/redis-snapshot -> data/redis:6379/TCP',
      'data/redis-snapshot -> kube-system/kube-dns:53/TCP',
      'data/redis-snapshot -> kube-system/kube-dns:53/UDP',
      'data/redis-snapshot -> outside:443/TCP',
    ]);
  });

  it('follows the stack’s schedule', () => {
    const dir = mkdtempSync(join(work, 'schedule-'));
    copyFileSync(join(repo, 'Pulumi.yaml'), join(dir, 'Pulumi.yaml'));
    const doc = prodStack();
    doc.setIn(['config', 'platform:dr', 'redis', 'snapshot', 'schedule'], '15 1 * * *');
    writeFileSync(join(dir, 'Pulumi.prod.yaml'), doc.toString());
    const run = spawnSync(process.execPath, [cli, 'prod', '--root', dir, '--out', join(dir, 'out')], {
      encoding: 'utf8',
      timeout: 240_000,
    });
    expect(run.status).toBe(0);
    const cronJob = k8sObject(readPlan(join(dir, 'out', 'prod')), 'CronJob', 'redis-snapshot')!;
    expect(cronJob.spec.schedule).toBe('15 1 * * *');
  }, 240_000);
});

describe.each(['dev', 'qat', 'uat'])('%s (no DR)', (env) => {
  it('renders no snapshot job, policy, account or role', () => {
    const resources = plans.get(env)!;
    expect(resources.filter((r) => r.name.includes('redis-snapshot')).map((r) => r.name)).toEqual([]);
    expect(k8sObject(resources, 'CronJob', 'redis-snapshot')).toBeUndefined();
    // The Redis pods admit no snapshot pods either.
    const redisPolicy = k8sObject(resources, 'NetworkPolicy', 'redis')!;
    expect(JSON.stringify(redisPolicy.spec.ingress)).not.toContain('redis-snapshot');
  });
});
