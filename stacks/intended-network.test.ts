import { join } from 'node:path';
import { platformValues, readStackConfig } from '../tools/plan/stack-file';
import { intendedNetwork, networkFactsOf, type NetworkFacts } from './intended-network';
import { parseEnvironment } from './spec';
import { standbySpec } from './standby-spec';

const base: NetworkFacts = {
  namespaces: { apps: 'apps', data: 'data', monitoring: 'monitoring', platform: 'platform' },
  services: [
    { name: 'order', blueGreen: false },
    { name: 'product', blueGreen: false },
    { name: 'user', blueGreen: false },
  ],
  alertmanager: false,
  backupStorePort: 9000,
  telemetryObjectStorage: false,
  kafkaRackAwareness: false,
  dns01: false,
};
const keys = (facts: NetworkFacts) =>
  intendedNetwork(facts).map((e) => `${e.from} -> ${e.to}:${e.port}/${e.protocol}`);
const added = (over: Partial<NetworkFacts>) => {
  const before = new Set(keys(base));
  return keys({ ...base, ...over }).filter((k) => !before.has(k));
};

describe('intendedNetwork', () => {
  it('lists each edge once, with a reason', () => {
    const edges = intendedNetwork(base);
    expect(new Set(keys(base)).size).toBe(edges.length);
    expect(edges.every((e) => e.why.length > 0)).toBe(true);
  });

  it('derives the services’ edges from the catalog: calls, stores, public route', () => {
    const k = keys(base);
    expect(k).toContain('apps/order -> apps/user:8080/TCP');
    expect(k).toContain('apps/order -> apps/product:8080/TCP');
    expect(k).not.toContain('apps/product -> apps/user:8080/TCP');
    // order uses MongoDB and Kafka, not Redis; product uses Redis through its sentinels too.
    expect(k).not.toContain('apps/order -> data/redis:6379/TCP');
    expect(k).toContain('apps/product -> data/redis-sentinel:26379/TCP');
    expect(k).toContain('platform/envoy-proxy -> apps/user:8080/TCP');
  });

  it('drops calls to services the environment does not deploy', () => {
    const k = keys({ ...base, services: [{ name: 'order', blueGreen: false }] });
    expect(k.filter((e) => e.startsWith('apps/order -> apps/'))).toEqual([]);
  });

  it('adds exactly the flows each fact brings', () => {
    expect(added({ dns01: true })).toEqual([
      'platform/cert-manager -> outside:53/TCP',
      'platform/cert-manager -> outside:53/UDP',
    ]);
    expect(added({ kafkaRackAwareness: true })).toEqual([
      'data/kafka -> outside:443/TCP',
      'data/kafka -> outside:6443/TCP',
    ]);
    expect(added({ telemetryObjectStorage: true })).toEqual([
      'monitoring/loki -> outside:443/TCP',
      'monitoring/tempo -> outside:443/TCP',
    ]);
    expect(added({ services: [...base.services.slice(0, 2), { name: 'user', blueGreen: true }] })).toEqual([
      'platform/argo-rollouts -> apps/user:8080/TCP',
    ]);
    expect(added({ backupStorePort: 443 })).toEqual(['data/mongodb -> outside:443/TCP']);
    expect(added({ redisSnapshot: true })).toEqual([
      'data/redis-snapshot -> data/redis:6379/TCP',
      'data/redis-snapshot -> data/redis-sentinel:26379/TCP',
      'data/redis-snapshot -> kube-system/kube-dns:53/TCP',
      'data/redis-snapshot -> kube-system/kube-dns:53/UDP',
      'data/redis-snapshot -> outside:9000/TCP',
    ]);
    expect(added({ alertmanager: true })).toEqual([
      'monitoring/alertmanager -> kube-system/kube-dns:53/TCP',
      'monitoring/alertmanager -> kube-system/kube-dns:53/UDP',
      'monitoring/alertmanager -> monitoring/alertmanager:9094/TCP',
      'monitoring/alertmanager -> monitoring/alertmanager:9094/UDP',
      'monitoring/alertmanager -> outside:443/TCP',
      'monitoring/grafana -> monitoring/alertmanager:9093/TCP',
      'monitoring/prometheus -> monitoring/alertmanager:8080/TCP',
      'monitoring/prometheus -> monitoring/alertmanager:9093/TCP',
    ]);
  });

  it('gives the internet-facing proxies nothing but the public services and xDS', () => {
    const fromProxy = keys(base).filter((k) => k.startsWith('platform/envoy-proxy -> '));
    expect(fromProxy).toEqual([
      'platform/envoy-proxy -> apps/order:8080/TCP',
      'platform/envoy-proxy -> apps/product:8080/TCP',
      'platform/envoy-proxy -> apps/user:8080/TCP',
      'platform/envoy-proxy -> kube-system/kube-dns:53/TCP',
      'platform/envoy-proxy -> kube-system/kube-dns:53/UDP',
      'platform/envoy-proxy -> platform/envoy-gateway:18000/TCP',
    ]);
  });

  it('follows the namespaces of the stack', () => {
    const k = keys({
      ...base,
      namespaces: { apps: 'shop', data: 'stores', monitoring: 'obs', platform: 'edge' },
    });
    expect(k).toContain('shop/order -> stores/mongodb:27017/TCP');
    expect(k).toContain('obs/prometheus -> shop/order:8080/TCP');
    expect(k.some((e) => e.includes('apps/'))).toBe(false);
  });
});

describe('intendedNetwork: Kafka MirrorMaker 2 (DR)', () => {
  const strimziTo9094 = [
    'data/kafka -> data/kafka:9094/TCP',
    'data/kafka-entity-operator -> data/kafka:9094/TCP',
    'data/kafka-kafka-exporter -> data/kafka:9094/TCP',
    'data/strimzi-cluster-operator -> data/kafka:9094/TCP',
  ];
  const mirrorMaker = [
    'data/mirror-mirrormaker2 -> data/kafka:9093/TCP',
    'data/mirror-mirrormaker2 -> data/mirror-mirrormaker2:8083/TCP',
    'data/mirror-mirrormaker2 -> kube-system/kube-dns:53/TCP',
    'data/mirror-mirrormaker2 -> kube-system/kube-dns:53/UDP',
    'data/strimzi-cluster-operator -> data/mirror-mirrormaker2:8083/TCP',
    'monitoring/prometheus -> data/mirror-mirrormaker2:9404/TCP',
  ];

  /** The peered VPC's edges that an outside address does not have. */
  const beyondOutside = (facts: NetworkFacts, vpc: string) => {
    const k = keys(facts);
    const outside = new Set(k.filter((e) => e.includes('outside')).map((e) => e.replaceAll('outside', vpc)));
    return k.filter((e) => e.includes(vpc) && !outside.has(e));
  };

  it('in prod: the cluster’s own components on the mm2 listener', () => {
    expect(added({ kafkaMirror: 'source' })).toEqual(strimziTo9094);
  });

  it('in the standby: MirrorMaker 2 to its brokers, DNS, its REST API and metrics', () => {
    expect(added({ kafkaMirror: 'target' })).toEqual(mirrorMaker);
  });

  it('gives the peered VPC what any outside address has, and only the mirror’s path besides', () => {
    const source = { ...base, kafkaMirror: 'source' as const, peerVpcs: true };
    const target = { ...base, kafkaMirror: 'target' as const, peerVpcs: true };
    expect(beyondOutside(source, 'standby-vpc')).toEqual(['standby-vpc -> data/kafka:9094/TCP']);
    expect(beyondOutside(target, 'primary-vpc')).toEqual([
      'data/mirror-mirrormaker2 -> primary-vpc:9094/TCP',
    ]);
    const outsideEdges = keys(source).filter((e) => e.includes('outside'));
    expect(outsideEdges.length).toBeGreaterThan(0);
    for (const e of outsideEdges) expect(keys(source)).toContain(e.replaceAll('outside', 'standby-vpc'));
    // Each side names only the other region's VPC.
    expect(keys(source).some((e) => e.includes('primary-vpc'))).toBe(false);
    expect(keys(target).some((e) => e.includes('standby-vpc'))).toBe(false);
  });

  it('names no peered VPC without the fact', () => {
    const k = keys({ ...base, kafkaMirror: 'target' });
    expect(k.some((e) => e.includes('-vpc'))).toBe(false);
  });
});

describe('networkFactsOf: the primary and the DR standby of one stack', () => {
  const repo = join(__dirname, '..');
  const parsed = (stack: string) => {
    const config = readStackConfig(repo, stack);
    const secretKeys = new Set(
      config.secretKeys.filter((k) => k.startsWith('platform:')).map((k) => k.slice('platform:'.length)),
    );
    return parseEnvironment(stack, platformValues(config), { secretKeys });
  };

  it('gives prod’s standby the facts of its derived spec', () => {
    const prod = parsed('prod');
    expect(networkFactsOf(prod, 'standby')).toEqual(networkFactsOf(standbySpec(prod)!));
    expect(networkFactsOf(prod, 'standby').kafkaMirror).toBeUndefined();
  });

  it('refuses the standby side of a stack without DR', () => {
    expect(() => networkFactsOf(parsed('uat'), 'standby')).toThrow(
      'uat: no DR standby to compare (platform:dr.enabled is not true)',
    );
  });
});
