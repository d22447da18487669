import { intendedNetwork, type NetworkFacts } from './intended-network';

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
