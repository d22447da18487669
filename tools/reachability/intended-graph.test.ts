/**
 * The proof of issue 15: in all four environments the rendered NetworkPolicies allow exactly the intended
 * graph (stacks/intended-network.ts), and one change to dev's policies (a removed NetworkPolicy, a widened
 * selector) produces exactly the edges it should, each named with its policies or the side that blocks it.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { ensureCompiled } from '../../test/support/ensure-compiled';
import { readPlan } from '../release';
import { edgeKey } from './edge-diff';
import { compareWithIntended, planReachabilityInput } from './intended-check';
import { reachability, type NetworkPolicyObject, type ReachabilityInput } from './network-reachability';
import { stackNetworkFacts } from './stack-facts';

const root = join(__dirname, '..', '..');
const work = mkdtempSync(join(tmpdir(), 'intended-graph-'));
const ENVIRONMENTS = ['dev', 'qat', 'uat', 'prod'] as const;
let planOutput = '';
const inputs = new Map<string, ReachabilityInput>();

beforeAll(() => {
  ensureCompiled();
  const cli = join(root, 'dist', 'tools', 'plan', 'cli.js');
  const run = spawnSync(process.execPath, [cli, '--all', '--out', work], {
    encoding: 'utf8',
    timeout: 400_000,
  });
  planOutput = `${run.stdout}${run.stderr}`;
  if (run.status !== 0) throw new Error(`plan failed:\n${planOutput}`);
  for (const env of ENVIRONMENTS) inputs.set(env, planReachabilityInput(readPlan(join(work, env))));
}, 420_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

const dev = () => inputs.get('dev') as ReachabilityInput;
const facts = (env: string) => stackNetworkFacts(root, env);

describe.each(ENVIRONMENTS)('%s', (env) => {
  it('allows exactly the intended graph, and the plan says so', () => {
    const c = compareWithIntended(inputs.get(env) as ReachabilityInput, facts(env));
    expect(c.problems).toEqual([]);
    // Not vacuous: every service's scrape and DNS edges are among the compared ones.
    const keys = c.edges.map(edgeKey);
    for (const s of facts(env).services) {
      expect(keys).toContain(`monitoring/prometheus -> apps/${s.name}:8080/TCP`);
      expect(keys).toContain(`apps/${s.name} -> kube-system/kube-dns:53/UDP`);
    }
    expect(planOutput).toContain(
      `network: ${c.edges.length - c.unmanaged} connections allowed, equal to the intended graph (tools/run reachability -- ${env})`,
    );
  });
});

it('every environment is violation-free: schema, policies and network', () => {
  expect(planOutput.match(/^ {2}policies: passed$/gm)).toHaveLength(ENVIRONMENTS.length);
  expect(planOutput.match(/^ {2}schema: all \d+ objects valid/gm)).toHaveLength(ENVIRONMENTS.length);
  expect(planOutput).not.toMatch(/POLICY violations|INVALID objects|NETWORK differs/);
});

describe('prod with ACME DNS-01 certificates', () => {
  it('opens DNS to the nameservers for cert-manager’s controller alone, and the plan proves it', () => {
    const dir = mkdtempSync(join(work, 'acme-'));
    copyFileSync(join(root, 'Pulumi.yaml'), join(dir, 'Pulumi.yaml'));
    const doc = parseDocument(readFileSync(join(root, 'Pulumi.prod.yaml'), 'utf8'));
    doc.setIn(['config', 'platform:certificates'], {
      issuer: 'acme',
      acme: { email: 'ops@example.com', hostedZoneId: 'Z0123456789ABC' },
    });
    writeFileSync(join(dir, 'Pulumi.prod.yaml'), doc.toString());
    const cli = join(root, 'dist', 'tools', 'plan', 'cli.js');
    const run = spawnSync(process.execPath, [cli, 'prod', '--root', dir, '--out', join(dir, 'out')], {
      encoding: 'utf8',
      timeout: 240_000,
    });
    expect(`${run.stdout}${run.stderr}`).toMatch(
      /network: \d+ connections allowed, equal to the intended graph/,
    );
    expect(run.status).toBe(0);
    const acme = compareWithIntended(
      planReachabilityInput(readPlan(join(dir, 'out', 'prod'))),
      stackNetworkFacts(dir, 'prod'),
    );
    expect(acme.problems).toEqual([]);
    const to53 = acme.edges.map(edgeKey).filter((k) => /-> outside:53\//.test(k));
    expect(to53).toEqual([
      'platform/cert-manager -> outside:53/TCP',
      'platform/cert-manager -> outside:53/UDP',
    ]);
  }, 240_000);
});

describe('what differs between the environments is what their stack files say', () => {
  const keys = (env: string) => new Set(reachability(inputs.get(env) as ReachabilityInput).map(edgeKey));
  const only = (a: string, b: string) => {
    const theirs = keys(b);
    return [...keys(a)].filter((k) => !theirs.has(k)).sort();
  };

  it('prod over dev: Alertmanager, S3 for backups and telemetry, rack awareness, user’s blue-green checks, the mm2 listener, the DR Redis snapshot job', () => {
    expect(only('prod', 'dev')).toEqual([
      // DR: the brokers' mm2 listener port, open to the cluster's own components like every broker port.
      'data/kafka -> data/kafka:9094/TCP',
      'data/kafka -> outside:443/TCP',
      'data/kafka -> outside:6443/TCP',
      'data/kafka-entity-operator -> data/kafka:9094/TCP',
      'data/kafka-kafka-exporter -> data/kafka:9094/TCP',
      'data/mongodb -> outside:443/TCP',
      'data/redis-snapshot -> data/redis-sentinel:26379/TCP',
      'data/redis-snapshot -> data/redis:6379/TCP',
      'data/redis-snapshot -> kube-system/kube-dns:53/TCP',
      'data/redis-snapshot -> kube-system/kube-dns:53/UDP',
      'data/redis-snapshot -> outside:443/TCP',
      'data/strimzi-cluster-operator -> data/kafka:9094/TCP',
      'monitoring/alertmanager -> kube-system/kube-dns:53/TCP',
      'monitoring/alertmanager -> kube-system/kube-dns:53/UDP',
      'monitoring/alertmanager -> monitoring/alertmanager:9094/TCP',
      'monitoring/alertmanager -> monitoring/alertmanager:9094/UDP',
      'monitoring/alertmanager -> outside:443/TCP',
      'monitoring/grafana -> monitoring/alertmanager:9093/TCP',
      'monitoring/loki -> outside:443/TCP',
      'monitoring/prometheus -> monitoring/alertmanager:8080/TCP',
      'monitoring/prometheus -> monitoring/alertmanager:9093/TCP',
      'monitoring/tempo -> outside:443/TCP',
      'platform/argo-rollouts -> apps/user:8080/TCP',
    ]);
    // dev's backups go to the site's MinIO on 9000.
    expect(only('dev', 'prod')).toEqual(['data/mongodb -> outside:9000/TCP']);
  });
});

const named = (ns: string, name: string) => (p: NetworkPolicyObject) =>
  p.metadata.namespace === ns && p.metadata.name === name;
/** The policies with one of them replaced (or removed when `change` returns undefined). */
function mutate(
  ns: string,
  name: string,
  change: (p: NetworkPolicyObject) => NetworkPolicyObject | undefined,
): ReachabilityInput {
  const found = dev().policies.find(named(ns, name));
  if (found === undefined) throw new Error(`no NetworkPolicy ${ns}/${name} in the dev plan`);
  return {
    ...dev(),
    policies: dev().policies.flatMap((p) => (p === found ? [change(p)].filter((x) => x !== undefined) : [p])),
  };
}
const diff = (after: ReachabilityInput) => compareWithIntended(after, facts('dev'));

describe('one change to dev’s policies, against the intended graph', () => {
  it('removing apps/order loses exactly order’s own connections and the ones into it', () => {
    const after = mutate('apps', 'order', () => undefined);
    const d = diff(after);
    expect(d.diff.extra).toEqual([]);
    expect(d.diff.missing.map(edgeKey)).toEqual([
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
    expect(d.problems[0]).toBe(
      'missing apps/order -> apps/product:8080/TCP: no egress rule of apps/allow-dns-egress, apps/default-deny allows it',
    );
    expect(d.problems[5]).toBe(
      'missing monitoring/prometheus -> apps/order:8080/TCP: no ingress rule of apps/default-deny allows it',
    );
  });

  it('widening data/mongodb-mongod’s podSelector to every data pod adds exactly its egress to the others', () => {
    const after = mutate('data', 'mongodb-mongod', (p) => ({ ...p, spec: { ...p.spec, podSelector: {} } }));
    const d = diff(after);
    expect(d.diff.missing).toEqual([]);
    // dev's backup store is the on-prem MinIO on 9000; nothing else in data declares the ports mongod's
    // rules open, and mongod's peers still select mongod pods only.
    expect(d.problems).toEqual(
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

  it('widening apps/user’s ingress from order to every apps pod adds exactly the other services’ calls', () => {
    const after = mutate('apps', 'user', (p) => ({
      ...p,
      spec: {
        ...p.spec,
        ingress: (p.spec.ingress ?? []).map((rule) => ({
          ...rule,
          from: (rule.from ?? []).map((peer) =>
            peer.podSelector?.matchLabels?.['app.kubernetes.io/name'] === 'order' && peer.namespaceSelector
              ? { ...peer, podSelector: {} }
              : peer,
          ),
        })),
      },
    }));
    const widened = (i: ReachabilityInput) =>
      JSON.stringify(i.policies.find(named('apps', 'user'))?.spec.ingress);
    expect(widened(after)).not.toBe(widened(dev()));
    expect(widened(after)).toContain('"podSelector":{}');
    // Egress still guards the other side: only pods whose own policies allow egress to user:8080 gain an
    // edge, so a widened ingress alone adds nothing here — the proof that both sides are checked.
    const d = diff(after);
    expect(d.diff.missing).toEqual([]);
    expect(d.problems).toEqual([]);
    // Widening the egress of notification too makes the edge real, and it is reported with both policies.
    const both = {
      ...after,
      policies: after.policies.map((p) =>
        p.metadata.namespace === 'apps' && p.metadata.name === 'notification'
          ? {
              ...p,
              spec: { ...p.spec, egress: [...(p.spec.egress ?? []), { to: [{ podSelector: {} }] }] },
            }
          : p,
      ),
    };
    expect(diff(both).problems.filter((l) => l.includes('-> apps/user'))).toEqual([
      'extra   apps/notification -> apps/user:8080/TCP  allowed by [apps/notification, apps/user]',
    ]);
  });
});
