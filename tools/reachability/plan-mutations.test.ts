/**
 * The dev plan's matrix against itself after one change: a removed NetworkPolicy and a widened selector each
 * produce exactly the edges they should, each named with its policies (or the reason it is gone).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureCompiled } from '../../test/support/ensure-compiled';
import { readPlan, type PlanResource } from '../release';
import { diffEdges, edgeKey, formatDiff } from './edge-diff';
import { reachability, type NetworkPolicyObject, type ReachabilityInput } from './network-reachability';
import { planNetworkPolicies, planPods } from './plan-pods';

const root = join(__dirname, '..', '..');
const work = mkdtempSync(join(tmpdir(), 'reachability-mutations-'));
let input: ReachabilityInput;

beforeAll(() => {
  ensureCompiled();
  const cli = join(root, 'dist', 'tools', 'plan', 'cli.js');
  const run = spawnSync(process.execPath, [cli, 'dev', '--out', work], {
    encoding: 'utf8',
    timeout: 240_000,
  });
  if (run.status !== 0) throw new Error(`plan failed:\n${run.stdout}${run.stderr}`);
  const resources: readonly PlanResource[] = readPlan(join(work, 'dev'));
  const { pods, namespaces } = planPods(resources);
  input = { pods, namespaces, policies: planNetworkPolicies(resources) as unknown as NetworkPolicyObject[] };
}, 280_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

const named = (ns: string, name: string) => (p: NetworkPolicyObject) =>
  p.metadata.namespace === ns && p.metadata.name === name;
/** The policies with one of them replaced (or removed when `change` returns undefined). */
function mutate(
  ns: string,
  name: string,
  change: (p: NetworkPolicyObject) => NetworkPolicyObject | undefined,
): ReachabilityInput {
  const found = input.policies.find(named(ns, name));
  if (found === undefined) throw new Error(`no NetworkPolicy ${ns}/${name} in the dev plan`);
  return {
    ...input,
    policies: input.policies.flatMap((p) => (p === found ? [change(p)].filter((x) => x !== undefined) : [p])),
  };
}
const diff = (after: ReachabilityInput) => diffEdges(reachability(after), reachability(input));

describe('one change to the dev plan’s policies', () => {
  it('the unchanged matrix equals itself', () => {
    expect(diff(input)).toEqual({ extra: [], missing: [] });
  });

  it('removing apps/order loses exactly order’s own connections and Prometheus scraping it', () => {
    const after = mutate('apps', 'order', () => undefined);
    const d = diff(after);
    expect(d.extra).toEqual([]);
    expect(d.missing.map(edgeKey)).toEqual([
      'apps/order -> apps/product:8080/TCP',
      'apps/order -> apps/user:8080/TCP',
      'apps/order -> data/kafka:9093/TCP',
      'apps/order -> data/mongodb:27017/TCP',
      'apps/order -> monitoring/alloy:4318/TCP',
      'monitoring/prometheus -> apps/order:8080/TCP',
      'platform/envoy-proxy -> apps/order:8080/TCP',
    ]);
    // DNS stays: apps/allow-dns-egress still allows it.
    expect(reachability(after).map(edgeKey)).toContain('apps/order -> kube-system/kube-dns:53/UDP');
    const lines = formatDiff(after, d);
    expect(lines[0]).toBe(
      'missing apps/order -> apps/product:8080/TCP: no egress rule of apps/allow-dns-egress, apps/default-deny allows it',
    );
    expect(lines[5]).toBe(
      'missing monitoring/prometheus -> apps/order:8080/TCP: no ingress rule of apps/default-deny allows it',
    );
  });

  it('widening data/mongodb-mongod’s podSelector to every data pod adds exactly its egress to the others', () => {
    const after = mutate('data', 'mongodb-mongod', (p) => ({ ...p, spec: { ...p.spec, podSelector: {} } }));
    const d = diff(after);
    expect(d.missing).toEqual([]);
    // dev's backup store is the on-prem MinIO on 9000; nothing else in data declares the ports mongod's
    // rules open, and mongod's peers still select mongod pods only.
    expect(formatDiff(after, d)).toEqual(
      [
        'kafka',
        'kafka-entity-operator',
        'kafka-kafka-exporter',
        'psmdb-operator',
        'redis',
        'redis-sentinel',
        'strimzi-cluster-operator',
      ].map((pod) => `extra   data/${pod} -> outside:9000/TCP  allowed by [data/mongodb-mongod]`),
    );
  });
});
