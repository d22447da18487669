import { loadKubernetesValidator, type KubernetesValidator } from '../../tools/k8s-schema';
import { registerPlatformCrds } from '../../tools/k8s-schema/crds';
import { synthesize, type KubernetesObject } from '../lib';
import { KafkaMirrorMakerChart } from './kafka-mirror-maker-chart';
import type {
  KafkaMirrorMakerProps,
  KafkaMirrorSourceProps,
  MirrorSelection,
} from './kafka-mirror-maker-props';
import { KafkaMirrorSourceChart } from './kafka-mirror-source-chart';

const selection: MirrorSelection = {
  topicPatterns: ['(user|order|notification|analytics)-events'],
  knownTopics: [
    'user-events',
    'order-events',
    'order-dlq',
    'notification-events',
    'analytics-events',
    'product-events',
  ],
  groups: ['order', 'notification', 'analytics'],
  syncGroupOffsetsIntervalSeconds: 60,
  emitCheckpointsIntervalSeconds: 30,
};

const standby: KafkaMirrorMakerProps = {
  namespace: 'data',
  version: '4.1.0',
  selection,
  source: {
    alias: 'primary',
    bootstrapServers: 'kafka-mirror.prod.internal:9094',
    caSecret: 'kafka-source-cluster-ca',
    userName: 'mirror-maker-source',
    passwordSecret: { name: 'kafka-user-mirror-maker-source', key: 'password' },
    cidrs: ['10.40.0.0/16'],
    port: 9094,
  },
  target: { alias: 'standby' },
  monitoringNamespace: 'monitoring',
  placement: {
    nodeSelector: { 'platform.io/node-group': 'data' },
    tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'data', effect: 'NoSchedule' }],
  },
};

const prod: KafkaMirrorSourceProps = {
  namespace: 'data',
  selection,
  passwordSecret: { name: 'kafka-user-mirror-maker-source', key: 'password' },
};

type Obj = Record<string, any>;

function renderStandby(props: Partial<KafkaMirrorMakerProps> = {}): KubernetesObject[] {
  return synthesize((app) => new KafkaMirrorMakerChart(app, 'mirror', { ...standby, ...props }));
}
function renderSource(props: Partial<KafkaMirrorSourceProps> = {}): KubernetesObject[] {
  return synthesize((app) => new KafkaMirrorSourceChart(app, 'mirror-source', { ...prod, ...props }));
}
function find(objects: KubernetesObject[], kind: string, name?: string): Obj {
  const found = objects.find((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
  if (!found) throw new Error(`no ${kind} rendered`);
  return found as Obj;
}
function aclOf(user: Obj, type: string, name?: string): string[] | undefined {
  const rule = (user.spec.authorization.acls as Obj[]).find(
    (a) => a.resource.type === type && (name === undefined || a.resource.name === name),
  );
  return rule?.operations as string[] | undefined;
}

let validator: KubernetesValidator;

beforeAll(() => {
  validator = loadKubernetesValidator();
  // KafkaMirrorMaker2 is among the platform CRDs (tools/k8s-schema/crds/strimzi.ts).
  registerPlatformCrds(validator, { only: [...renderStandby(), ...renderSource()] });
});

describe('KafkaMirrorMakerChart (standby side)', () => {
  it('renders only objects the strict schemas accept, all in the standby Kafka namespace', () => {
    const objects = [...renderStandby(), ...renderSource()];
    expect(objects.map((o) => `${o.kind} ${o.metadata.name}`).sort()).toEqual([
      'ConfigMap mirror-mirror-maker-metrics',
      'KafkaMirrorMaker2 mirror',
      'KafkaUser mirror-maker-source',
      'KafkaUser mirror-maker-target',
      'NetworkPolicy mirror-mirror-maker',
      'NetworkPolicy mirror-mirror-maker-to-kafka',
      'NetworkPolicy mirror-operator-to-mirror-maker',
      'PodMonitor mirror-mirror-maker',
    ]);
    for (const o of objects) {
      expect({ object: `${o.kind} ${o.metadata.name}`, violations: validator.validate(o) }).toEqual({
        object: `${o.kind} ${o.metadata.name}`,
        violations: [],
      });
      expect(o.metadata.namespace).toBe('data');
    }
  });

  it('validates against a schema that rejects what Strimzi 0.48 would not read', () => {
    const mm2 = structuredClone(find(renderStandby(), 'KafkaMirrorMaker2'));
    mm2.spec.mirrors[0].topicsBlacklistPattern = '.*';
    delete mm2.spec.clusters[0].authentication.passwordSecret;
    expect(
      validator
        .validate(mm2)
        .map((v) => v.path)
        .sort(),
    ).toEqual(['spec.clusters[0].authentication.passwordSecret', 'spec.mirrors[0].topicsBlacklistPattern']);
  });

  it('mirrors the selected topics with the same names, offsets and heartbeats at the spec intervals', () => {
    const mm2 = find(renderStandby(), 'KafkaMirrorMaker2').spec;
    expect(mm2.connectCluster).toBe('standby');
    expect(mm2.clusters.map((c: Obj) => [c.alias, c.bootstrapServers])).toEqual([
      ['primary', 'kafka-mirror.prod.internal:9094'],
      ['standby', 'kafka-kafka-bootstrap.data.svc:9093'],
    ]);
    const [mirror] = mm2.mirrors;
    expect(mirror).toMatchObject({
      sourceCluster: 'primary',
      targetCluster: 'standby',
      topicsPattern: '(user|order|notification|analytics)-events',
      groupsPattern: 'analytics|notification|order',
    });
    const identity = 'org.apache.kafka.connect.mirror.IdentityReplicationPolicy';
    expect(mirror.sourceConnector.config).toMatchObject({
      'replication.factor': 3,
      'replication.policy.class': identity,
      'offset-syncs.topic.location': 'target',
    });
    expect(mirror.sourceConnector.tasksMax).toBe(4);
    expect(mirror.checkpointConnector.config).toMatchObject({
      'replication.policy.class': identity,
      'sync.group.offsets.enabled': 'true',
      'sync.group.offsets.interval.seconds': 60,
      'emit.checkpoints.interval.seconds': 30,
    });
    expect(mirror.heartbeatConnector.config['replication.policy.class']).toBe(identity);
    expect(mm2.metricsConfig.valueFrom.configMapKeyRef.name).toBe('mirror-mirror-maker-metrics');
  });

  it('authenticates to both clusters with SCRAM-SHA-512 over TLS, trusting each cluster CA', () => {
    const [source, target] = find(renderStandby(), 'KafkaMirrorMaker2').spec.clusters as Obj[];
    expect(source!.authentication).toEqual({
      type: 'scram-sha-512',
      username: 'mirror-maker-source',
      passwordSecret: { secretName: 'kafka-user-mirror-maker-source', password: 'password' },
    });
    expect(source!.tls.trustedCertificates).toEqual([
      { secretName: 'kafka-source-cluster-ca', certificate: 'ca.crt' },
    ]);
    expect(target!.authentication).toEqual({
      type: 'scram-sha-512',
      username: 'mirror-maker-target',
      passwordSecret: { secretName: 'mirror-maker-target', password: 'password' },
    });
    expect(target!.tls.trustedCertificates).toEqual([
      { secretName: 'kafka-cluster-ca-cert', certificate: 'ca.crt' },
    ]);
  });

  it('gives the target user write access to the mirrored and internal topics and the services’ groups', () => {
    const user = find(renderStandby(), 'KafkaUser');
    expect(user.metadata.labels['strimzi.io/cluster']).toBe('kafka');
    // No password Secret: Strimzi generates the target user's, next to MirrorMaker 2.
    expect(user.spec.authentication).toEqual({ type: 'scram-sha-512' });
    for (const topic of [
      'analytics-events',
      'notification-events',
      'order-events',
      'user-events',
      'heartbeats',
    ]) {
      expect({ topic, ops: aclOf(user, 'topic', topic) }).toEqual({
        topic,
        ops: expect.arrayContaining(['Write', 'Create', 'Describe', 'Alter']),
      });
    }
    expect(aclOf(user, 'topic', 'order-dlq')).toBeUndefined();
    expect(aclOf(user, 'topic', 'primary.checkpoints.internal')).toContain('Write');
    expect(aclOf(user, 'topic', 'mirror-connect')).toContain('Create');
    expect(aclOf(user, 'group', 'order')).toEqual(['Read', 'Describe']);
  });

  it('lets the workers reach DNS, the standby brokers and the source CIDR on the listener port only', () => {
    const spec = find(renderStandby(), 'NetworkPolicy', 'mirror-mirror-maker').spec;
    expect(spec.podSelector.matchLabels).toEqual({
      'strimzi.io/cluster': 'mirror',
      'strimzi.io/kind': 'KafkaMirrorMaker2',
      'strimzi.io/name': 'mirror-mirrormaker2',
    });
    const egress = spec.egress as Obj[];
    expect(egress.find((r) => r.to[0].ipBlock !== undefined)).toEqual({
      to: [{ ipBlock: { cidr: '10.40.0.0/16' } }],
      ports: [{ protocol: 'TCP', port: 9094 }],
    });
    expect(egress.some((r) => r.ports?.some((p: Obj) => p.port === 53))).toBe(true);
    expect(
      egress.find((r) => r.to[0].podSelector?.matchLabels['strimzi.io/kind'] === 'Kafka')?.ports,
    ).toEqual([{ protocol: 'TCP', port: 9093 }]);
    const pm = find(renderStandby(), 'PodMonitor').spec;
    expect(pm.selector.matchLabels).toEqual(spec.podSelector.matchLabels);
  });

  it('opens the standby brokers to the workers and the workers’ REST API to the operator, nothing wider', () => {
    const objects = renderStandby();
    const workers = { podSelector: { matchLabels: find(objects, 'PodMonitor').spec.selector.matchLabels } };
    expect(find(objects, 'NetworkPolicy', 'mirror-mirror-maker-to-kafka').spec).toEqual({
      podSelector: {
        matchLabels: {
          'strimzi.io/cluster': 'kafka',
          'strimzi.io/kind': 'Kafka',
          'strimzi.io/name': 'kafka-kafka',
        },
      },
      policyTypes: ['Ingress'],
      ingress: [{ from: [workers], ports: [{ protocol: 'TCP', port: 9093 }] }],
    });
    expect(find(objects, 'NetworkPolicy', 'mirror-operator-to-mirror-maker').spec).toEqual({
      podSelector: { matchLabels: { 'strimzi.io/kind': 'cluster-operator' } },
      policyTypes: ['Egress'],
      egress: [{ to: [workers], ports: [{ protocol: 'TCP', port: 8083 }] }],
    });
  });
});

describe('KafkaMirrorSourceChart (prod side)', () => {
  it('grants the source user only reads: the mirrored topics, their configs, the cluster and the groups', () => {
    const user = find(renderSource(), 'KafkaUser');
    expect(user.spec.authentication).toEqual({
      type: 'scram-sha-512',
      password: { valueFrom: { secretKeyRef: { name: 'kafka-user-mirror-maker-source', key: 'password' } } },
    });
    expect(aclOf(user, 'cluster')).toEqual(['Describe']);
    expect(aclOf(user, 'topic', 'order-events')).toEqual(['Read', 'Describe', 'DescribeConfigs']);
    expect(aclOf(user, 'topic', 'product-events')).toBeUndefined();
    expect(aclOf(user, 'group', 'analytics')).toEqual(['Read', 'Describe']);
    const ops = (user.spec.authorization.acls as Obj[]).flatMap((a) => a.operations as string[]);
    expect(ops).not.toContain('Write');
    expect(ops).not.toContain('Create');
  });
});

describe('bad props are refused with the field, the value and what is allowed', () => {
  it.each<[string, Partial<KafkaMirrorMakerProps>, string]>([
    [
      'no topics',
      { selection: { ...selection, topicPatterns: [] } },
      'kafkaMirror.selection.topicPatterns must name at least one topic pattern',
    ],
    [
      'offset sync interval 0',
      { selection: { ...selection, syncGroupOffsetsIntervalSeconds: 0 } },
      'kafkaMirror.selection.syncGroupOffsetsIntervalSeconds must be an integer >= 1 (got 0)',
    ],
    [
      'checkpoint interval 0',
      { selection: { ...selection, emitCheckpointsIntervalSeconds: 0 } },
      'kafkaMirror.selection.emitCheckpointsIntervalSeconds must be an integer >= 1 (got 0)',
    ],
    [
      'a pattern that matches no topic',
      { selection: { ...selection, topicPatterns: ['ordr-events'] } },
      "kafkaMirror.selection.topicPatterns[0] must match at least one of the cluster's topics",
    ],
    [
      'an invalid pattern',
      { selection: { ...selection, topicPatterns: ['(order'] } },
      'kafkaMirror.selection.topicPatterns[0] must be a valid regular expression (got "(order")',
    ],
    [
      'no source CIDR',
      { source: { ...standby.source, cidrs: [] } },
      'kafkaMirror.source.cidrs must name the source VPC CIDR',
    ],
    [
      'a bad CIDR',
      { source: { ...standby.source, cidrs: ['10.40.0.0/33'] } },
      'kafkaMirror.source.cidrs[0] must be an IPv4 CIDR',
    ],
    [
      'same aliases',
      { target: { alias: 'primary' } },
      'kafkaMirror.target.alias must differ from source.alias (got "primary")',
    ],
    [
      'a bootstrap list',
      { source: { ...standby.source, bootstrapServers: 'a:9094,b:9094' } },
      'kafkaMirror.source.bootstrapServers must be one host:port',
    ],
  ])('%s', (_case, props, message) => {
    expect(() => renderStandby(props)).toThrow(message);
  });

  it('accepts 0 replicas (mirroring stopped on failover) with everything else unchanged', () => {
    const stopped = find(renderStandby({ replicas: 0 }), 'KafkaMirrorMaker2');
    expect(stopped.spec.replicas).toBe(0);
    expect({ ...stopped.spec, replicas: 1 }).toEqual(find(renderStandby(), 'KafkaMirrorMaker2').spec);
  });

  it('refuses the same selection on the prod side', () => {
    expect(() => renderSource({ selection: { ...selection, topicPatterns: [] } })).toThrow(
      'kafkaMirror.selection.topicPatterns must name at least one topic pattern',
    );
  });
});
