import { loadKubernetesValidator, type KubernetesValidator } from '../../tools/k8s-schema';
import { registerPlatformCrds } from '../../tools/k8s-schema/crds';
import { synthesize, type KubernetesObject } from '../lib';
import { KafkaClusterChart } from './kafka-cluster-chart';
import type { KafkaClusterProps, KafkaNodePools } from './kafka-cluster-props';

const brokerResources = { requests: { cpu: '1', memory: '4Gi' }, limits: { cpu: '2', memory: '4Gi' } };
const controllerResources = { requests: { cpu: '250m', memory: '1Gi' }, limits: { cpu: '1', memory: '2Gi' } };

const combined: KafkaNodePools = {
  mode: 'combined',
  replicas: 3,
  storage: '50Gi',
  resources: brokerResources,
};
const dedicated: KafkaNodePools = {
  mode: 'dedicated',
  controllers: { replicas: 3, storage: '10Gi', resources: controllerResources },
  brokers: { replicas: 3, storage: '200Gi', resources: brokerResources },
};

const orderPods = { namespace: 'apps', podLabels: { 'app.kubernetes.io/name': 'order' } };
const analyticsPods = { namespace: 'apps', podLabels: { 'app.kubernetes.io/name': 'analytics' } };

const base: KafkaClusterProps = {
  namespace: 'data',
  version: '4.1.0',
  nodePools: combined,
  storageClass: 'gp3',
  config: { defaultReplicationFactor: 3, minInsyncReplicas: 2 },
  topics: [
    { name: 'order-events', partitions: 6, replicas: 3, config: { 'retention.ms': 604800000 } },
    { name: 'user-events', partitions: 3, replicas: 3, config: { 'cleanup.policy': 'compact' } },
    { name: 'order-dlq', partitions: 1, replicas: 3 },
  ],
  users: [
    {
      name: 'order',
      produces: ['order-events', 'order-dlq'],
      consumes: ['user-events', 'order-events'],
      groups: ['order'],
      passwordSecret: { name: 'kafka-user-order', key: 'password' },
    },
    {
      name: 'analytics',
      produces: [],
      consumes: ['user-events'],
      groups: ['analytics', 'analytics-replay'],
      passwordSecret: { name: 'kafka-user-analytics', key: 'password' },
    },
  ],
  clients: [orderPods, analyticsPods],
  operatorPodLabels: { 'strimzi.io/kind': 'cluster-operator' },
  monitoringNamespace: 'monitoring',
};

const eksPlacement = {
  nodeSelector: { 'platform.io/node-group': 'data' },
  tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'data', effect: 'NoSchedule' }],
};

function render(props: Partial<KafkaClusterProps> = {}): KubernetesObject[] {
  return synthesize((app) => new KafkaClusterChart(app, 'kafka', { ...base, ...props }));
}

function find(objects: KubernetesObject[], kind: string, name?: string): Record<string, any> {
  const found = objects.find((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
  if (!found) throw new Error(`no ${kind} ${name ?? ''} rendered`);
  return found as Record<string, any>;
}

function all(objects: KubernetesObject[], kind: string): Record<string, any>[] {
  return objects.filter((o) => o.kind === kind) as Record<string, any>[];
}

let validator: KubernetesValidator;

beforeAll(() => {
  validator = loadKubernetesValidator();
  registerPlatformCrds(validator, { only: render() });
});

describe('KafkaClusterChart', () => {
  const core = ['ConfigMap', 'Kafka', 'KafkaNodePool', 'NetworkPolicy', 'PodMonitor'];
  const cases: [string, Partial<KafkaClusterProps>, string[]][] = [
    ['combined pools', {}, [...core, 'KafkaTopic', 'KafkaUser']],
    [
      'dedicated pools, rack awareness and a tainted node group',
      {
        nodePools: dedicated,
        rackTopologyKey: 'topology.kubernetes.io/zone',
        antiAffinityTopologyKey: 'topology.kubernetes.io/zone',
        placement: eksPlacement,
        metadataVersion: '4.1-IV1',
      },
      [...core, 'KafkaTopic', 'KafkaUser'],
    ],
    ['no topics, users or clients', { topics: [], users: [], clients: [] }, core],
  ];
  it.each(cases)('renders only objects the strict schemas accept: %s', (_case, props, kinds) => {
    const objects = render(props);
    expect([...new Set(objects.map((o) => o.kind))].sort()).toEqual(kinds.sort());
    for (const o of objects) {
      expect({ object: `${o.kind} ${o.metadata.name}`, violations: validator.validate(o) }).toEqual({
        object: `${o.kind} ${o.metadata.name}`,
        violations: [],
      });
    }
  });

  it('validates against schemas that do reject a field Strimzi no longer reads', () => {
    const kafka = structuredClone(find(render(), 'Kafka'));
    kafka.spec.kafka.replicas = 3;
    expect(validator.validate(kafka)).toEqual([
      { path: 'spec.kafka.replicas', message: 'unknown field "replicas"' },
    ]);
  });

  it('renders the cluster, its pools, topics, users, metrics and policies, all in the namespace', () => {
    const objects = render();
    expect(objects.map((o) => `${o.kind} ${o.metadata.name}`).sort()).toEqual([
      'ConfigMap kafka-kafka-metrics',
      'Kafka kafka',
      'KafkaNodePool combined',
      'KafkaTopic order-dlq',
      'KafkaTopic order-events',
      'KafkaTopic user-events',
      'KafkaUser analytics',
      'KafkaUser order',
      'NetworkPolicy kafka-cluster-operator',
      'NetworkPolicy kafka-kafka-cluster',
      'NetworkPolicy kafka-kube-api-egress',
      'PodMonitor kafka-entity-operator',
      'PodMonitor kafka-kafka',
      'PodMonitor kafka-kafka-exporter',
    ]);
    for (const o of objects) expect(o.metadata.namespace).toBe('data');
    for (const kind of ['KafkaNodePool', 'KafkaTopic', 'KafkaUser']) {
      for (const o of all(objects, kind)) expect(o.metadata.labels['strimzi.io/cluster']).toBe('kafka');
    }
    // Strimzi refuses strimzi.io/ labels other than the cluster label on its custom resources.
    for (const o of objects) {
      const strimziLabels = Object.keys(o.metadata.labels ?? {}).filter((l) => l.startsWith('strimzi.io/'));
      expect(strimziLabels.filter((l) => l !== 'strimzi.io/cluster')).toEqual([]);
    }
  });

  it('runs 3 combined controller+broker nodes on persistent JBOD volumes that outlive the cluster', () => {
    const pools = all(render(), 'KafkaNodePool');
    expect(pools).toHaveLength(1);
    expect(pools[0]!.spec).toMatchObject({
      replicas: 3,
      roles: ['controller', 'broker'],
      storage: {
        type: 'jbod',
        volumes: [
          {
            id: 0,
            type: 'persistent-claim',
            size: '50Gi',
            class: 'gp3',
            deleteClaim: false,
            kraftMetadata: 'shared',
          },
        ],
      },
      resources: brokerResources,
    });
  });

  it('runs 3 dedicated controllers and 3 brokers, each pool with its own storage size and resources', () => {
    const objects = render({ nodePools: dedicated });
    expect(all(objects, 'KafkaNodePool').map((p) => p.metadata.name)).toEqual(['controller', 'broker']);
    const controller = find(objects, 'KafkaNodePool', 'controller').spec;
    const broker = find(objects, 'KafkaNodePool', 'broker').spec;
    expect(controller.replicas).toBe(3);
    expect(controller.roles).toEqual(['controller']);
    expect(controller.storage.volumes[0].size).toBe('10Gi');
    expect(controller.resources).toEqual(controllerResources);
    expect(broker.replicas).toBe(3);
    expect(broker.roles).toEqual(['broker']);
    expect(broker.storage.volumes[0].size).toBe('200Gi');
    expect(broker.resources).toEqual(brokerResources);
  });

  it('sets the cluster durability config and closes automatic topic creation', () => {
    const kafka = find(render(), 'Kafka').spec.kafka;
    expect(kafka.version).toBe('4.1.0');
    expect(kafka.metadataVersion).toBeUndefined();
    expect(kafka.config).toEqual({
      'default.replication.factor': 3,
      'min.insync.replicas': 2,
      'offsets.topic.replication.factor': 3,
      'transaction.state.log.replication.factor': 3,
      'transaction.state.log.min.isr': 2,
      'share.coordinator.state.topic.replication.factor': 3,
      'share.coordinator.state.topic.min.isr': 2,
      'auto.create.topics.enable': false,
      'unclean.leader.election.enable': false,
      'allow.everyone.if.no.acl.found': false,
    });
  });

  it('has one internal TLS listener with SCRAM-SHA-512 whose Strimzi policy admits only the clients', () => {
    const kafka = find(render(), 'Kafka').spec.kafka;
    expect(kafka.authorization).toEqual({ type: 'simple' });
    expect(kafka.listeners).toEqual([
      {
        name: 'tls',
        port: 9093,
        type: 'internal',
        tls: true,
        authentication: { type: 'scram-sha-512' },
        networkPolicyPeers: [
          {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'apps' } },
            podSelector: { matchLabels: { 'app.kubernetes.io/name': 'order' } },
          },
          {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'apps' } },
            podSelector: { matchLabels: { 'app.kubernetes.io/name': 'analytics' } },
          },
        ],
      },
    ]);
    // Strimzi reads an empty peer list as "everyone"; without clients only the cluster's own pods qualify.
    const closed = find(render({ clients: [] }), 'Kafka').spec.kafka.listeners[0];
    expect(closed.networkPolicyPeers).toEqual([
      { podSelector: { matchLabels: { 'strimzi.io/cluster': 'kafka' } } },
    ]);
  });

  it('turns rack awareness on only when asked, with follower fetching and API access for the nodes', () => {
    const off = render();
    expect(find(off, 'Kafka').spec.kafka.rack).toBeUndefined();
    expect(find(off, 'Kafka').spec.kafka.config['replica.selector.class']).toBeUndefined();
    expect(find(off, 'NetworkPolicy', 'kafka-kube-api-egress').spec.podSelector).toEqual({
      matchLabels: { 'strimzi.io/cluster': 'kafka', 'strimzi.io/name': 'kafka-entity-operator' },
    });

    const on = render({ rackTopologyKey: 'topology.kubernetes.io/zone' });
    expect(find(on, 'Kafka').spec.kafka.rack).toEqual({ topologyKey: 'topology.kubernetes.io/zone' });
    expect(find(on, 'Kafka').spec.kafka.config['replica.selector.class']).toBe(
      'org.apache.kafka.common.replica.RackAwareReplicaSelector',
    );
    expect(find(on, 'NetworkPolicy', 'kafka-kube-api-egress').spec.podSelector).toEqual({
      matchLabels: { 'strimzi.io/cluster': 'kafka' },
      matchExpressions: [
        { key: 'strimzi.io/name', operator: 'In', values: ['kafka-entity-operator', 'kafka-kafka'] },
      ],
    });
  });

  it('grants each user exactly its declared operations on literal topics and groups', () => {
    const objects = render();
    expect(find(objects, 'KafkaUser', 'order').spec.authorization).toEqual({
      type: 'simple',
      acls: [
        {
          type: 'allow',
          resource: { type: 'topic', name: 'order-dlq', patternType: 'literal' },
          operations: ['Write', 'Describe'],
        },
        {
          type: 'allow',
          resource: { type: 'topic', name: 'order-events', patternType: 'literal' },
          operations: ['Read', 'Write', 'Describe'],
        },
        {
          type: 'allow',
          resource: { type: 'topic', name: 'user-events', patternType: 'literal' },
          operations: ['Read', 'Describe'],
        },
        {
          type: 'allow',
          resource: { type: 'group', name: 'order', patternType: 'literal' },
          operations: ['Read'],
        },
      ],
    });
    expect(find(objects, 'KafkaUser', 'analytics').spec.authorization.acls).toEqual([
      {
        type: 'allow',
        resource: { type: 'topic', name: 'user-events', patternType: 'literal' },
        operations: ['Read', 'Describe'],
      },
      {
        type: 'allow',
        resource: { type: 'group', name: 'analytics', patternType: 'literal' },
        operations: ['Read'],
      },
      {
        type: 'allow',
        resource: { type: 'group', name: 'analytics-replay', patternType: 'literal' },
        operations: ['Read'],
      },
    ]);
    for (const user of all(objects, 'KafkaUser')) {
      expect(JSON.stringify(user.spec)).not.toContain('*');
      expect(JSON.stringify(user.spec)).not.toContain('prefix');
    }
  });

  it('authenticates users with SCRAM-SHA-512 from the password Secret Pulumi creates', () => {
    expect(find(render(), 'KafkaUser', 'order').spec.authentication).toEqual({
      type: 'scram-sha-512',
      password: { valueFrom: { secretKeyRef: { name: 'kafka-user-order', key: 'password' } } },
    });
  });

  it('declares topics with their partitions, replicas and config', () => {
    const objects = render();
    expect(find(objects, 'KafkaTopic', 'order-events').spec).toEqual({
      partitions: 6,
      replicas: 3,
      config: { 'retention.ms': 604800000 },
    });
    expect(find(objects, 'KafkaTopic', 'order-dlq').spec).toEqual({ partitions: 1, replicas: 3 });
  });

  it('exports JMX metrics from the rendered ConfigMap, consumer lag, and PodMonitors for all three', () => {
    const objects = render();
    const kafka = find(objects, 'Kafka').spec;
    const configMap = find(objects, 'ConfigMap', 'kafka-kafka-metrics');
    expect(kafka.kafka.metricsConfig).toEqual({
      type: 'jmxPrometheusExporter',
      valueFrom: { configMapKeyRef: { name: 'kafka-kafka-metrics', key: 'kafka-metrics-config.yml' } },
    });
    expect(Object.keys(configMap.data)).toEqual(['kafka-metrics-config.yml']);
    expect(kafka.kafkaExporter).toMatchObject({ topicRegex: '.*', groupRegex: '.*' });
    expect(kafka.entityOperator).toMatchObject({ topicOperator: {}, userOperator: {} });
    expect(kafka.cruiseControl).toBeUndefined();

    const nodes = find(objects, 'PodMonitor', 'kafka-kafka').spec;
    expect(nodes.selector).toEqual({
      matchLabels: {
        'strimzi.io/cluster': 'kafka',
        'strimzi.io/kind': 'Kafka',
        'strimzi.io/name': 'kafka-kafka',
      },
    });
    expect(nodes.namespaceSelector).toEqual({ matchNames: ['data'] });
    expect(nodes.podMetricsEndpoints).toMatchObject([{ port: 'tcp-prometheus', path: '/metrics' }]);
    const exporter = find(objects, 'PodMonitor', 'kafka-kafka-exporter').spec;
    expect(exporter.selector.matchLabels).toEqual({
      'strimzi.io/cluster': 'kafka',
      'strimzi.io/name': 'kafka-kafka-exporter',
    });
    expect(exporter.podMetricsEndpoints).toEqual([{ port: 'tcp-prometheus', path: '/metrics' }]);
    expect(find(objects, 'PodMonitor', 'kafka-entity-operator').spec.podMetricsEndpoints).toEqual([
      { portNumber: 8080, path: '/metrics' },
      { portNumber: 8081, path: '/metrics' },
    ]);
  });

  it('allows one pod down at a time for the nodes, the entity operator and the exporter', () => {
    const spec = find(render(), 'Kafka').spec;
    expect(spec.kafka.template.podDisruptionBudget).toEqual({ maxUnavailable: 1 });
    expect(spec.entityOperator.template.podDisruptionBudget).toEqual({ maxUnavailable: 1 });
    expect(spec.kafkaExporter.template.podDisruptionBudget).toEqual({ maxUnavailable: 1 });
  });

  it('places nodes, entity operator and exporter on the data node group and spreads each pool', () => {
    const objects = render({
      nodePools: dedicated,
      placement: eksPlacement,
      antiAffinityTopologyKey: 'topology.kubernetes.io/zone',
    });
    const nodeAffinity = {
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [
          { matchExpressions: [{ key: 'platform.io/node-group', operator: 'In', values: ['data'] }] },
        ],
      },
    };
    for (const poolName of ['controller', 'broker']) {
      const pod = find(objects, 'KafkaNodePool', poolName).spec.template.pod;
      expect(pod.affinity.nodeAffinity).toEqual(nodeAffinity);
      expect(pod.tolerations).toEqual(eksPlacement.tolerations);
      expect(pod.topologySpreadConstraints).toEqual([
        {
          maxSkew: 1,
          topologyKey: 'topology.kubernetes.io/zone',
          whenUnsatisfiable: 'DoNotSchedule',
          labelSelector: { matchLabels: { 'strimzi.io/cluster': 'kafka', 'strimzi.io/pool-name': poolName } },
        },
      ]);
      expect(pod.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution).toEqual([
        {
          weight: 100,
          podAffinityTerm: {
            topologyKey: 'kubernetes.io/hostname',
            labelSelector: {
              matchLabels: {
                'strimzi.io/cluster': 'kafka',
                'strimzi.io/kind': 'Kafka',
                'strimzi.io/name': 'kafka-kafka',
              },
            },
          },
        },
      ]);
    }
    const spec = find(objects, 'Kafka').spec;
    for (const pod of [spec.entityOperator.template.pod, spec.kafkaExporter.template.pod]) {
      expect(pod).toEqual({ affinity: { nodeAffinity }, tolerations: eksPlacement.tolerations });
    }

    const anywhere = render({ placement: { nodeSelector: {}, tolerations: [] } });
    expect(find(anywhere, 'Kafka').spec.entityOperator.template.pod).toBeUndefined();
    const pod = find(anywhere, 'KafkaNodePool').spec.template.pod;
    expect(pod.affinity.nodeAffinity).toBeUndefined();
    expect(pod.tolerations).toBeUndefined();
    expect(pod.topologySpreadConstraints[0].topologyKey).toBe('kubernetes.io/hostname');
  });

  describe('network policies', () => {
    const policies = (props: Partial<KafkaClusterProps> = {}) =>
      Object.fromEntries(all(render(props), 'NetworkPolicy').map((p) => [p.metadata.name, p.spec]));
    const tcp = (...ports: number[]) => ports.map((port) => ({ protocol: 'TCP', port }));
    const clusterPeer = { podSelector: { matchLabels: { 'strimzi.io/cluster': 'kafka' } } };
    const operatorPeer = { podSelector: { matchLabels: { 'strimzi.io/kind': 'cluster-operator' } } };
    const monitoringPeer = {
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } },
    };

    it('admits clients to 9093, the cluster and operator everywhere, and monitoring to the metrics ports', () => {
      expect(policies()['kafka-kafka-cluster']).toEqual({
        podSelector: { matchLabels: { 'strimzi.io/cluster': 'kafka' } },
        policyTypes: ['Ingress', 'Egress'],
        ingress: [
          {
            from: [
              {
                namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'apps' } },
                podSelector: { matchLabels: { 'app.kubernetes.io/name': 'order' } },
              },
              {
                namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'apps' } },
                podSelector: { matchLabels: { 'app.kubernetes.io/name': 'analytics' } },
              },
            ],
            ports: tcp(9093),
          },
          { from: [clusterPeer] },
          { from: [operatorPeer] },
          { from: [monitoringPeer], ports: tcp(9404, 8080, 8081) },
        ],
        egress: [{ to: [clusterPeer] }],
      });
    });

    it('opens no client rule at all when there are no clients', () => {
      const ingress = policies({ clients: [] })['kafka-kafka-cluster'].ingress;
      expect(ingress).toHaveLength(3);
      for (const rule of ingress) expect(rule.from.length).toBeGreaterThan(0);
      expect(JSON.stringify(ingress)).not.toContain('9093');
    });

    it('lets the entity operator reach the Kubernetes API on 443 and 6443 only', () => {
      expect(policies()['kafka-kube-api-egress']).toEqual({
        podSelector: {
          matchLabels: { 'strimzi.io/cluster': 'kafka', 'strimzi.io/name': 'kafka-entity-operator' },
        },
        policyTypes: ['Egress'],
        egress: [{ ports: tcp(443, 6443) }],
      });
    });

    it('lets the cluster operator reach the API and the cluster, and be scraped by monitoring', () => {
      expect(policies({ operatorMetricsPort: 8081 })['kafka-cluster-operator']).toEqual({
        podSelector: { matchLabels: { 'strimzi.io/kind': 'cluster-operator' } },
        policyTypes: ['Ingress', 'Egress'],
        ingress: [{ from: [monitoringPeer], ports: tcp(8081) }],
        egress: [{ ports: tcp(443, 6443) }, { to: [clusterPeer] }],
      });
    });
  });

  describe('refuses, naming the field, the value and what is allowed', () => {
    it('a replication factor greater than the brokers', () => {
      expect(() => render({ config: { defaultReplicationFactor: 4, minInsyncReplicas: 2 } })).toThrow(
        'kafka.config.defaultReplicationFactor must be <= brokers (3) (got 4)',
      );
      expect(() =>
        render({ topics: [...(base.topics ?? []), { name: 'wide', partitions: 3, replicas: 4 }] }),
      ).toThrow('kafka.topics[3].replicas must be <= brokers (3) (got 4)');
    });

    it('min.insync.replicas not below the replication factor', () => {
      expect(() => render({ config: { defaultReplicationFactor: 3, minInsyncReplicas: 3 } })).toThrow(
        'kafka.config.minInsyncReplicas must be < config.defaultReplicationFactor (3) (got 3)',
      );
      expect(() =>
        render({
          topics: [{ name: 'strict', partitions: 1, replicas: 3, config: { 'min.insync.replicas': 3 } }],
          users: [],
        }),
      ).toThrow('kafka.topics[0].config["min.insync.replicas"] must be < replicas (3) (got 3)');
      expect(() => render({ topics: [{ name: 'thin', partitions: 1, replicas: 2 }], users: [] })).toThrow(
        'kafka.topics[0].replicas must be > config.minInsyncReplicas (2) (got 2)',
      );
    });

    it('an even or too small controller quorum', () => {
      expect(() =>
        render({
          nodePools: { ...dedicated, controllers: { ...dedicated.controllers, replicas: 4 } },
        }),
      ).toThrow('kafka.nodePools.controllers.replicas must be an odd number >= 3 (got 4)');
      expect(() =>
        render({
          nodePools: { ...dedicated, controllers: { ...dedicated.controllers, replicas: 1 } },
        }),
      ).toThrow('kafka.nodePools.controllers.replicas must be an odd number >= 3 (got 1)');
      expect(() => render({ nodePools: { ...combined, replicas: 2 } })).toThrow(
        'kafka.nodePools.replicas must be an odd number >= 3, since every combined node is a KRaft controller (got 2)',
      );
    });

    it('a user naming an undeclared topic', () => {
      const [order, analytics] = base.users ?? [];
      expect(() =>
        render({ users: [order!, { ...analytics!, consumes: ['user-events', 'payments'] }] }),
      ).toThrow(
        'kafka.users[1].consumes[1] must name a declared topic (declared: order-events, user-events, order-dlq) (got "payments")',
      );
    });

    it('duplicate topic and user names', () => {
      expect(() =>
        render({ topics: [...(base.topics ?? []), { name: 'user-events', partitions: 1, replicas: 3 }] }),
      ).toThrow('kafka.topics[3].name duplicates topics[1].name (got "user-events")');
      const [order] = base.users ?? [];
      expect(() => render({ users: [order!, order!] })).toThrow(
        'kafka.users[1].name duplicates users[0].name (got "order")',
      );
    });

    it('a wildcard consumer group', () => {
      const [order] = base.users ?? [];
      expect(() => render({ users: [{ ...order!, groups: ['*'] }] })).toThrow(
        'kafka.users[0].groups[0] must be a literal group id of letters, digits, ".", "_" and "-" (got "*")',
      );
    });

    it('topic names that are not valid Kubernetes names, and unpinned versions', () => {
      expect(() =>
        render({ topics: [{ name: 'Order_Events', partitions: 1, replicas: 3 }], users: [] }),
      ).toThrow(
        'kafka.topics[0].name must be 1-249 lowercase letters, digits, "." or "-", alphanumeric at both ends (got "Order_Events")',
      );
      expect(() => render({ version: '4.1' })).toThrow(
        'kafka.version must be a pinned Kafka version such as "4.1.0" (got "4.1")',
      );
    });
  });
});

describe('KafkaClusterChart mirrorMakerListener (DR: MirrorMaker 2 in the standby reads through it)', () => {
  const mirror = { mirrorMakerListener: { allowedCidrs: ['10.41.0.0/16'] } };

  it('is absent by default: one internal listener, no NLB annotations, no extra policy', () => {
    const objects = render();
    const kafka = find(objects, 'Kafka');
    expect(kafka.spec.kafka.listeners.map((l: Record<string, unknown>) => l.name)).toEqual(['tls']);
    expect(kafka.spec.kafka.template).toEqual({ podDisruptionBudget: { maxUnavailable: 1 } });
    expect(all(objects, 'NetworkPolicy').map((p) => p.metadata.name)).not.toContain(
      'kafka-mirror-maker-listener',
    );
  });

  it('adds a TLS + SCRAM-SHA-512 loadbalancer listener on internal NLBs, admitted from the standby CIDR only', () => {
    const objects = render(mirror);
    for (const o of objects)
      expect({ o: `${o.kind} ${o.metadata.name}`, v: validator.validate(o) }).toEqual({
        o: `${o.kind} ${o.metadata.name}`,
        v: [],
      });
    const kafka = find(objects, 'Kafka').spec.kafka;
    expect(kafka.listeners[1]).toEqual({
      name: 'mm2',
      port: 9094,
      type: 'loadbalancer',
      tls: true,
      authentication: { type: 'scram-sha-512' },
      configuration: { loadBalancerSourceRanges: ['10.41.0.0/16'] },
      networkPolicyPeers: [{ ipBlock: { cidr: '10.41.0.0/16' } }],
    });
    for (const service of ['externalBootstrapService', 'perPodService']) {
      expect(kafka.template[service].metadata.annotations).toMatchObject({
        'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internal',
        'service.beta.kubernetes.io/aws-load-balancer-target-group-attributes':
          'preserve_client_ip.enabled=true',
      });
    }
    // Extra bootstrap names go into the brokers' certificates (Strimzi `bootstrap.alternativeNames`).
    const named = find(
      render({
        mirrorMakerListener: {
          allowedCidrs: ['10.41.0.0/16'],
          bootstrapAlternativeNames: ['kafka-mirror.example.internal'],
        },
      }),
      'Kafka',
    );
    expect(validator.validate(named)).toEqual([]);
    expect(named.spec.kafka.listeners[1].configuration).toEqual({
      loadBalancerSourceRanges: ['10.41.0.0/16'],
      bootstrap: { alternativeNames: ['kafka-mirror.example.internal'] },
    });
    const policy = find(objects, 'NetworkPolicy', 'kafka-mirror-maker-listener');
    expect(policy.spec).toEqual({
      podSelector: {
        matchLabels: {
          'strimzi.io/cluster': 'kafka',
          'strimzi.io/kind': 'Kafka',
          'strimzi.io/name': 'kafka-kafka',
        },
      },
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ ipBlock: { cidr: '10.41.0.0/16' } }], ports: [{ protocol: 'TCP', port: 9094 }] }],
    });
    // The other policies are the ones rendered without the listener.
    const others = (o: KubernetesObject[]) =>
      all(o, 'NetworkPolicy').filter((p) => p.metadata.name !== 'kafka-mirror-maker-listener');
    expect(others(objects)).toEqual(others(render()));
  });

  it('refuses no CIDR, a bad CIDR and a reserved port', () => {
    expect(() => render({ mirrorMakerListener: { allowedCidrs: [] } })).toThrow(
      'kafka.mirrorMakerListener.allowedCidrs must name at least one CIDR (the standby VPC) (got [])',
    );
    expect(() => render({ mirrorMakerListener: { allowedCidrs: ['10.41.0.0'] } })).toThrow(
      'kafka.mirrorMakerListener.allowedCidrs[0] must be an IPv4 CIDR such as "10.41.0.0/16" (got "10.41.0.0")',
    );
    expect(() => render({ mirrorMakerListener: { allowedCidrs: ['10.41.0.0/16'], port: 9093 } })).toThrow(
      'kafka.mirrorMakerListener.port must be an integer from 9094 to 65535 (got 9093)',
    );
  });
});
