/**
 * The pod inventory of the four environments' offline plans: every NetworkPolicy the plan renders selects
 * pods of the inventory (a policy selecting nothing means a pod is missing here, or the policy is dead), and
 * the pods carry the labels and ports the policies name.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureCompiled } from '../../test/support/ensure-compiled';
import { readPlan, type PlanResource } from '../release';
import { selectorMatches, type NetworkPolicyObject, type ReachPod } from './network-reachability';
import { planNetworkPolicies, planPods } from './plan-pods';

const root = join(__dirname, '..', '..');
const work = mkdtempSync(join(tmpdir(), 'reachability-pods-'));
const STACKS = ['dev', 'qat', 'uat', 'prod'] as const;
const plans = new Map<string, readonly PlanResource[]>();

beforeAll(() => {
  ensureCompiled();
  const cli = join(root, 'dist', 'tools', 'plan', 'cli.js');
  const run = spawnSync(process.execPath, [cli, '--all', '--out', work], {
    encoding: 'utf8',
    timeout: 280_000,
  });
  if (run.status !== 0) throw new Error(`plan failed:\n${run.stdout}${run.stderr}`);
  for (const stack of STACKS) plans.set(stack, readPlan(join(work, stack)));
}, 300_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

const plan = (stack: string) => plans.get(stack) as readonly PlanResource[];
const ids = (pods: readonly ReachPod[]) => [...new Set(pods.map((p) => p.id))].sort();

describe.each(STACKS)('the pods of %s', (stack) => {
  it('every NetworkPolicy selects at least one pod of its namespace', () => {
    const { pods } = planPods(plan(stack));
    const policies = planNetworkPolicies(plan(stack)) as unknown as NetworkPolicyObject[];
    expect(policies.length).toBeGreaterThan(30);
    const unselected = policies
      .filter(
        (p) =>
          !pods.some(
            (pod) =>
              pod.namespace === p.metadata.namespace && selectorMatches(p.spec.podSelector ?? {}, pod.labels),
          ),
      )
      .map((p) => `${p.metadata.namespace}/${p.metadata.name}`);
    expect(unselected).toEqual([]);
  });

  it('lists the services, data stores, operators, monitoring stack, gateway and kube-dns', () => {
    const { pods, namespaces } = planPods(plan(stack));
    expect(ids(pods)).toEqual(
      expect.arrayContaining([
        'apps/analytics',
        'apps/notification',
        'apps/order',
        'apps/product',
        'apps/user',
        'data/kafka',
        'data/kafka-entity-operator',
        'data/kafka-kafka-exporter',
        'data/mongodb',
        'data/redis',
        'data/redis-sentinel',
        'data/psmdb-operator',
        'data/strimzi-cluster-operator',
        'monitoring/prometheus',
        'monitoring/grafana',
        'monitoring/kube-state-metrics',
        'monitoring/operator',
        'monitoring/alloy',
        'monitoring/loki',
        'monitoring/loki-gateway',
        'monitoring/tempo',
        'platform/argo-rollouts',
        'platform/envoy-proxy',
        'platform/envoy-gateway',
        'platform/cert-manager',
        'kube-system/kube-dns',
      ]),
    );
    // Alertmanager runs where alerting is on: not in dev.
    expect(ids(pods).includes('monitoring/alertmanager')).toBe(stack !== 'dev');
    expect(namespaces.map((n) => n.name).sort()).toEqual(['apps', 'data', 'monitoring', 'platform']);
    for (const p of pods) expect(p.id.startsWith(`${p.namespace}/`)).toBe(true);
  });

  it('a service pod carries the labels its policy selects (a Rollout as its steady-state stable pod)', () => {
    const { pods } = planPods(plan(stack));
    const policies = planNetworkPolicies(plan(stack)) as unknown as NetworkPolicyObject[];
    for (const service of ['analytics', 'notification', 'order', 'product', 'user']) {
      const own = policies.find((p) => p.metadata.namespace === 'apps' && p.metadata.name === service);
      const pod = pods.find((p) => p.id === `apps/${service}`);
      expect(pod?.ports).toEqual([{ name: 'http', containerPort: 8080, protocol: 'TCP' }]);
      expect(selectorMatches(own?.spec.podSelector ?? {}, pod?.labels ?? {})).toBe(true);
    }
  });

  it('lists the Redis snapshot CronJob’s pod where DR renders it (prod), selected by its own policy', () => {
    const { pods } = planPods(plan(stack));
    const job = pods.filter((p) => p.id === 'data/redis-snapshot');
    expect(job.length).toBe(stack === 'prod' ? 1 : 0);
    const policy = (planNetworkPolicies(plan(stack)) as unknown as NetworkPolicyObject[]).find(
      (p) => p.metadata.namespace === 'data' && p.metadata.name === 'redis-snapshot',
    );
    for (const pod of job) {
      expect(pod.labels['app.kubernetes.io/name']).toBe('redis-snapshot');
      expect(selectorMatches(policy?.spec.podSelector ?? { matchLabels: { none: 'none' } }, pod.labels)).toBe(
        true,
      );
    }
  });

  it('Kafka nodes carry their pools’ roles and listen on the listeners; mongod on 27017 and its exporter', () => {
    const { pods } = planPods(plan(stack));
    const nodes = pods.filter((p) => p.id === 'data/kafka');
    // One pod group per KafkaNodePool: combined in dev and qat, broker and controller pools in uat and prod.
    expect(nodes.map((n) => n.labels['strimzi.io/pool-name']).sort()).toEqual(
      ['dev', 'qat'].includes(stack) ? ['combined'] : ['broker', 'controller'],
    );
    const brokers = nodes.filter((p) => p.labels['strimzi.io/broker-role'] === 'true');
    expect(brokers.length).toBe(1);
    expect(brokers[0]?.ports.map((p) => p.containerPort)).toEqual(expect.arrayContaining([9091, 9093, 9404]));
    const mongod = pods.find((p) => p.id === 'data/mongodb');
    expect(mongod?.ports.map((p) => p.containerPort)).toEqual([27017, 9216]);
  });
});
