import { mutate, renderedService } from './rendered-service.fixture';
import { checkPolicies, type K8sObject } from './policies';

function environment(): K8sObject[] {
  return renderedService();
}

const rules = (objects: K8sObject[]) =>
  checkPolicies(objects).errors.map((f) => `${f.rule} ${f.object}: ${f.message}`);

describe('checkPolicies', () => {
  it('passes what the charts render', () => {
    expect(checkPolicies(environment())).toEqual({ errors: [], warnings: [] });
  });

  it('flags a namespace without a default-deny policy', () => {
    const objects = environment().filter(
      (o) => !(o.metadata.namespace === 'monitoring' && o.metadata.name === 'default-deny'),
    );
    expect(rules(objects)).toEqual([
      'namespace-default-deny Namespace/monitoring: has no default-deny NetworkPolicy (ingress and egress)',
    ]);
  });

  it('flags an object in a namespace the environment does not create', () => {
    const objects = mutate(environment(), 'Service', (s) => (s.metadata.namespace = 'elsewhere'));
    expect(rules(objects)).toContain(
      'namespace-exists elsewhere/Service/product: namespace "elsewhere" is not created by this environment',
    );
  });

  it('flags a privileged, root, writable container with no limits and a latest image', () => {
    const objects = mutate(environment(), 'Deployment', (d) => {
      const c = d.spec.template.spec.containers[0];
      c.image = 'registry.local/product:latest';
      c.securityContext = { privileged: true };
      delete c.resources.limits;
      delete d.spec.template.spec.securityContext;
    });
    expect(rules(objects)).toEqual([
      'image-pinned apps/Deployment/product: container "product" uses the "latest" tag',
      'container-resources apps/Deployment/product: container "product" has no limits.cpu',
      'container-resources apps/Deployment/product: container "product" has no limits.memory',
      'container-security apps/Deployment/product: container "product" must set allowPrivilegeEscalation: false',
      'container-security apps/Deployment/product: container "product" must not be privileged',
      'container-security apps/Deployment/product: container "product" must run as non-root',
      'container-security apps/Deployment/product: container "product" must drop ALL capabilities',
      'container-security apps/Deployment/product: container "product" must have a read-only root filesystem',
      'container-security apps/Deployment/product: container "product" needs seccompProfile RuntimeDefault',
    ]);
  });

  it('flags a workload no NetworkPolicy selects', () => {
    const objects = mutate(environment(), 'Deployment', (d) => {
      d.spec.template.metadata.labels['app.kubernetes.io/name'] = 'renamed';
    });
    expect(rules(objects)).toContain(
      'workload-network-policy apps/Deployment/product: no NetworkPolicy selects its pods',
    );
  });

  it('flags an HPA with min above max or a missing target, and duplicates', () => {
    const objects = mutate(environment(), 'HorizontalPodAutoscaler', (h) => {
      h.spec.minReplicas = 9;
      h.spec.maxReplicas = 3;
      h.spec.scaleTargetRef.name = 'ghost';
    });
    const found = rules([...objects, objects[0] as K8sObject]);
    expect(found).toEqual(
      expect.arrayContaining([
        'hpa-bounds apps/HorizontalPodAutoscaler/product: minReplicas (9) must be <= maxReplicas (3)',
        'hpa-target apps/HorizontalPodAutoscaler/product: scales Deployment/ghost, which is not declared',
        'unique-objects Namespace/apps: declared more than once',
      ]),
    );
  });

  it('warns about a single replica', () => {
    const objects = mutate(environment(), 'Deployment', (d) => (d.spec.replicas = 1));
    expect(checkPolicies(objects).warnings.map((w) => w.rule)).toEqual(['workload-replicas']);
  });
});

describe('data-store high-availability policies', () => {
  const pool = (name: string, roles: string[], replicas: number) => ({
    apiVersion: 'kafka.strimzi.io/v1beta2',
    kind: 'KafkaNodePool',
    metadata: { name, namespace: 'data', labels: { 'strimzi.io/cluster': 'kafka' } },
    spec: { roles, replicas },
  });
  const kafka = {
    apiVersion: 'kafka.strimzi.io/v1beta2',
    kind: 'Kafka',
    metadata: { name: 'kafka', namespace: 'data' },
    spec: { kafka: { config: { 'default.replication.factor': 3, 'min.insync.replicas': 2 } } },
  };
  const topic = (replicas: number, config: Record<string, unknown> = {}) => ({
    apiVersion: 'kafka.strimzi.io/v1beta2',
    kind: 'KafkaTopic',
    metadata: { name: 'order-events', namespace: 'data', labels: { 'strimzi.io/cluster': 'kafka' } },
    spec: { partitions: 6, replicas, config },
  });
  const rules = (objects: any[]) =>
    checkPolicies(objects)
      .errors.filter((e) =>
        ['pdb-one-down', 'replica-set-size', 'kafka-replication', 'kraft-quorum'].includes(e.rule),
      )
      .map((e) => `${e.rule} ${e.object}: ${e.message}`);

  it('accepts 3 controllers, 3 brokers and topics with replication 3 and min.insync.replicas 2', () => {
    expect(
      rules([kafka, pool('controllers', ['controller'], 3), pool('brokers', ['broker'], 3), topic(3)]),
    ).toEqual([]);
  });

  it('refuses a topic with more replicas than brokers, and min.insync.replicas not below replicas', () => {
    expect(
      rules([
        kafka,
        pool('combined', ['controller', 'broker'], 3),
        topic(4),
        { ...topic(2), metadata: { ...topic(2).metadata, name: 't2' } },
      ]),
    ).toEqual([
      'kafka-replication data/KafkaTopic/order-events: replicas (4) must be <= the 3 broker(s) of "kafka"',
      'kafka-replication data/KafkaTopic/t2: min.insync.replicas (2) must be below replicas (2), or one broker down stops producers',
    ]);
  });

  it('refuses an even KRaft quorum', () => {
    expect(rules([kafka, pool('controllers', ['controller'], 2), pool('brokers', ['broker'], 3)])).toEqual([
      'kraft-quorum data/KafkaNodePool/controllers: the KRaft controllers must be an odd number >= 3 (got 2)',
    ]);
  });

  it('refuses budgets that let more than one member go, and even replica sets', () => {
    const pdb = (maxUnavailable: unknown) => ({
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: 'redis', namespace: 'data' },
      spec: { maxUnavailable, selector: { matchLabels: { app: 'redis' } } },
    });
    const psmdb = {
      apiVersion: 'psmdb.percona.com/v1',
      kind: 'PerconaServerMongoDB',
      metadata: { name: 'mongodb', namespace: 'data' },
      spec: { replsets: [{ name: 'rs0', size: 4, podDisruptionBudget: { maxUnavailable: 2 } }] },
    };
    expect(rules([pdb(2), { ...pdb('50%'), metadata: { name: 'r2', namespace: 'data' } }, psmdb])).toEqual([
      'pdb-one-down data/PodDisruptionBudget/redis: maxUnavailable must be at most 1 (got 2)',
      'pdb-one-down data/PodDisruptionBudget/r2: maxUnavailable must be the number 1, not a percentage (got "50%")',
      'replica-set-size data/PerconaServerMongoDB/mongodb: spec.replsets[0].size must be an odd number >= 3 (got 4)',
      'pdb-one-down data/PerconaServerMongoDB/mongodb: spec.replsets[0].podDisruptionBudget.maxUnavailable must be at most 1 (got 2)',
    ]);
  });
});

describe('route policies', () => {
  it('refuses a route that could reach /internal/, which only services may call', () => {
    const route = (matches: unknown[] | undefined): K8sObject => ({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: 'product', namespace: 'apps' },
      spec: { rules: [{ ...(matches && { matches }), backendRefs: [{ name: 'product', port: 8080 }] }] },
    });
    const found = (matches: unknown[] | undefined) =>
      checkPolicies([...environment(), route(matches)])
        .errors.map((f) => `${f.rule} ${f.object}: ${f.message}`)
        .filter((r) => r.startsWith('route-internal-paths'));
    expect(found([{ path: { type: 'PathPrefix', value: '/api/products' } }])).toEqual([]);
    expect(found([{ path: { type: 'Exact', value: '/internal-docs' } }])).toEqual([]);
    expect(found([{ path: { type: 'PathPrefix', value: '/internal' } }])).toEqual([
      'route-internal-paths apps/HTTPRoute/product: rules[0] routes /internal/ (service-to-service only): PathPrefix "/internal" matches it; match /api/... prefixes instead',
    ]);
    expect(found([{ path: { type: 'PathPrefix', value: '/' } }])).toHaveLength(1);
    expect(found(undefined)).toHaveLength(1);
    expect(found([{ path: { type: 'RegularExpression', value: '/.*' } }])).toHaveLength(1);
    // A redirect forwards to no backend, whatever it matches.
    const redirect = route(undefined);
    (redirect.spec as any).rules = [
      { filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https' } }] },
    ];
    expect(checkPolicies([...environment(), redirect]).errors).toEqual([]);
  });
});
