import { loadKubernetesValidator } from '../index';
import type { KubernetesValidator } from '../index';
import { registerPlatformCrds } from './index';
import { STRIMZI_SCHEMAS } from './strimzi';

// Fixtures are plain JSON, mutated freely after structuredClone.
type Obj = Record<string, any>;

let validator: KubernetesValidator;

beforeAll(() => {
  validator = loadKubernetesValidator();
  registerPlatformCrds(validator, { only: STRIMZI_SCHEMAS });
});

function broken(obj: Obj, change: (copy: Obj) => void): Obj {
  const copy = structuredClone(obj);
  change(copy);
  return copy;
}

const kafka: Obj = {
  apiVersion: 'kafka.strimzi.io/v1beta2',
  kind: 'Kafka',
  metadata: { name: 'events', namespace: 'kafka', annotations: { 'strimzi.io/node-pools': 'enabled' } },
  spec: {
    kafka: {
      version: '4.0.0',
      metadataVersion: '4.0-IV3',
      listeners: [
        {
          name: 'plain',
          port: 9092,
          type: 'internal',
          tls: false,
          authentication: { type: 'scram-sha-512' },
        },
        { name: 'tls', port: 9093, type: 'internal', tls: true, authentication: { type: 'tls' } },
        {
          name: 'external',
          port: 9094,
          type: 'loadbalancer',
          tls: true,
          authentication: { type: 'scram-sha-512' },
          configuration: {
            bootstrap: { annotations: { 'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internal' } },
            externalTrafficPolicy: 'Local',
          },
        },
      ],
      authorization: { type: 'simple', superUsers: ['CN=platform-admin'] },
      rack: { topologyKey: 'topology.kubernetes.io/zone' },
      config: {
        'offsets.topic.replication.factor': 3,
        'transaction.state.log.min.isr': 2,
        'default.replication.factor': 3,
        'min.insync.replicas': 2,
        'auto.create.topics.enable': false,
      },
      resources: { requests: { cpu: '1', memory: '4Gi' }, limits: { memory: '4Gi' } },
      jvmOptions: { '-Xms': '2g', '-Xmx': '2g' },
      metricsConfig: {
        type: 'jmxPrometheusExporter',
        valueFrom: { configMapKeyRef: { name: 'kafka-metrics', key: 'kafka-metrics-config.yml' } },
      },
      template: {
        pod: {
          metadata: { labels: { 'app.kubernetes.io/part-of': 'events' } },
          topologySpreadConstraints: [
            {
              maxSkew: 1,
              topologyKey: 'topology.kubernetes.io/zone',
              whenUnsatisfiable: 'DoNotSchedule',
              labelSelector: { matchLabels: { 'strimzi.io/cluster': 'events' } },
            },
          ],
        },
        podDisruptionBudget: { maxUnavailable: 1 },
        kafkaContainer: { env: [{ name: 'KAFKA_HEAP_DUMP', value: 'false' }] },
      },
    },
    entityOperator: {
      topicOperator: { resources: { requests: { cpu: '100m', memory: '256Mi' } } },
      userOperator: { reconciliationIntervalMs: 60000 },
    },
    cruiseControl: { config: { 'goals.violation.distribution.threshold.multiplier': 1.1 } },
    kafkaExporter: { topicRegex: '.*', groupRegex: '.*' },
  },
};

const brokerPool: Obj = {
  apiVersion: 'kafka.strimzi.io/v1beta2',
  kind: 'KafkaNodePool',
  metadata: { name: 'brokers', namespace: 'kafka', labels: { 'strimzi.io/cluster': 'events' } },
  spec: {
    replicas: 3,
    roles: ['broker'],
    storage: {
      type: 'jbod',
      volumes: [
        {
          id: 0,
          type: 'persistent-claim',
          size: '100Gi',
          class: 'gp3',
          deleteClaim: false,
          kraftMetadata: 'shared',
        },
      ],
    },
    resources: { requests: { cpu: '2', memory: '8Gi' } },
    template: { pod: { affinity: { podAntiAffinity: {} } } },
  },
};

const controllerPool: Obj = {
  apiVersion: 'kafka.strimzi.io/v1beta2',
  kind: 'KafkaNodePool',
  metadata: { name: 'controllers', namespace: 'kafka', labels: { 'strimzi.io/cluster': 'events' } },
  spec: {
    replicas: 3,
    roles: ['controller'],
    storage: { type: 'persistent-claim', size: '20Gi', deleteClaim: true },
  },
};

const kafkaTopic: Obj = {
  apiVersion: 'kafka.strimzi.io/v1beta2',
  kind: 'KafkaTopic',
  metadata: { name: 'orders', namespace: 'kafka', labels: { 'strimzi.io/cluster': 'events' } },
  spec: { partitions: 12, replicas: 3, config: { 'retention.ms': 604800000, 'cleanup.policy': 'delete' } },
};

const kafkaUser: Obj = {
  apiVersion: 'kafka.strimzi.io/v1beta2',
  kind: 'KafkaUser',
  metadata: { name: 'order-service', namespace: 'kafka', labels: { 'strimzi.io/cluster': 'events' } },
  spec: {
    authentication: { type: 'scram-sha-512' },
    authorization: {
      type: 'simple',
      acls: [
        {
          resource: { type: 'topic', name: 'orders', patternType: 'literal' },
          operations: ['Read', 'Write', 'Describe'],
        },
        { resource: { type: 'group', name: 'order-service', patternType: 'prefix' }, operations: ['Read'] },
        { resource: { type: 'cluster' }, operations: ['IdempotentWrite'], host: '*' },
      ],
    },
    quotas: { producerByteRate: 1048576, consumerByteRate: 2097152 },
  },
};

describe('valid Strimzi objects', () => {
  it.each([
    ['Kafka', kafka],
    ['broker KafkaNodePool', brokerPool],
    ['controller KafkaNodePool', controllerPool],
    ['KafkaTopic', kafkaTopic],
    ['KafkaUser', kafkaUser],
  ])('accepts a realistic %s', (_name, obj) => {
    expect(validator.validate(obj)).toEqual([]);
  });
});

describe('Kafka mistakes', () => {
  it('rejects a misspelt listener type and names the listener', () => {
    const obj = broken(kafka, (o) => {
      o['spec']['kafka']['listeners'][0]['type'] = 'internall';
    });
    expect(validator.validate(obj)).toEqual([
      {
        path: 'spec.kafka.listeners[0].type',
        message:
          'must be "internal" or "route" or "loadbalancer" or "nodeport" or "ingress" or "cluster-ip" (got string "internall")',
      },
    ]);
  });

  it('requires listener tls and an authentication type, and rejects an unknown one', () => {
    const obj = broken(kafka, (o) => {
      delete o['spec']['kafka']['listeners'][0]['tls'];
      o['spec']['kafka']['listeners'][1]['authentication'] = { type: 'scram-sha-256' };
    });
    expect(validator.validate(obj)).toEqual([
      { path: 'spec.kafka.listeners[0].tls', message: 'missing required field "tls"' },
      {
        path: 'spec.kafka.listeners[1].authentication.type',
        message: 'must be "tls" or "scram-sha-512" or "oauth" or "custom" (got string "scram-sha-256")',
      },
    ]);
  });

  it('checks listener names and ports like Strimzi does', () => {
    const obj = broken(kafka, (o) => {
      o['spec']['kafka']['listeners'][0]['name'] = 'plain-text';
      o['spec']['kafka']['listeners'][0]['port'] = 9000;
    });
    expect(validator.validate(obj).map((v) => v.path)).toEqual([
      'spec.kafka.listeners[0].name',
      'spec.kafka.listeners[0].port',
    ]);
  });

  it('leaves broker config free-form but rejects settings that moved to node pools', () => {
    const obj = broken(kafka, (o) => {
      o['spec']['kafka']['config']['any.custom.setting'] = 'x';
      o['spec']['kafka']['replicas'] = 3;
      o['spec']['zookeeper'] = { replicas: 3, storage: { type: 'ephemeral' } };
    });
    expect(validator.validate(obj)).toEqual([
      { path: 'spec.zookeeper', message: 'unknown field "zookeeper"' },
      { path: 'spec.kafka.replicas', message: 'unknown field "replicas"' },
    ]);
  });

  it('requires the JMX exporter ConfigMap and a rack topology key', () => {
    const obj = broken(kafka, (o) => {
      o['spec']['kafka']['metricsConfig'] = { type: 'jmxPrometheusExporter' };
      o['spec']['kafka']['rack'] = {};
    });
    expect(validator.validate(obj)).toEqual([
      { path: 'spec.kafka.rack.topologyKey', message: 'missing required field "topologyKey"' },
      { path: 'spec.kafka.metricsConfig.valueFrom', message: 'missing required field "valueFrom"' },
    ]);
  });

  it('checks pod templates with the built-in Kubernetes types', () => {
    const obj = broken(kafka, (o) => {
      o['spec']['kafka']['template']['pod']['topologySpreadConstraints'][0]['maxSkew'] = '1';
      o['spec']['kafka']['template']['pod']['metadata']['labels']['team'] = 'data platform';
    });
    expect(validator.validate(obj).map((v) => v.path)).toEqual([
      'spec.kafka.template.pod.metadata.labels.team',
      'spec.kafka.template.pod.topologySpreadConstraints[0].maxSkew',
    ]);
  });

  it('rejects an unknown authorization type and a misspelt entity operator', () => {
    const obj = broken(kafka, (o) => {
      o['spec']['kafka']['authorization']['type'] = 'acl';
      o['spec']['entityOperator']['topicOperater'] = {};
    });
    expect(validator.validate(obj)).toEqual([
      {
        path: 'spec.kafka.authorization.type',
        message: 'must be "simple" or "opa" or "keycloak" or "custom" (got string "acl")',
      },
      {
        path: 'spec.entityOperator.topicOperater',
        message: 'unknown field "topicOperater" (did you mean "topicOperator"?)',
      },
    ]);
  });
});

describe('KafkaNodePool mistakes', () => {
  it('rejects replicas as a string and an unknown role', () => {
    const obj = broken(brokerPool, (o) => {
      o['spec']['replicas'] = '3';
      o['spec']['roles'] = ['broker', 'zookeeper'];
    });
    expect(validator.validate(obj)).toEqual([
      { path: 'spec.replicas', message: 'must be integer (got string "3")' },
      { path: 'spec.roles[1]', message: 'must be "controller" or "broker" (got string "zookeeper")' },
    ]);
  });

  it('requires replicas, roles and storage', () => {
    const obj = broken(brokerPool, (o) => {
      o['spec'] = {};
    });
    expect(validator.validate(obj)).toEqual([
      { path: 'spec.replicas', message: 'missing required field "replicas"' },
      { path: 'spec.roles', message: 'missing required field "roles"' },
      { path: 'spec.storage', message: 'missing required field "storage"' },
    ]);
  });

  it('checks storage: type, sizes, JBOD volumes', () => {
    const obj = broken(brokerPool, (o) => {
      o['spec']['storage']['volumes'][0]['size'] = '100 GB';
      delete o['spec']['storage']['volumes'][0]['id'];
    });
    expect(validator.validate(obj)).toEqual([
      { path: 'spec.storage.volumes[0].id', message: 'missing required field "id"' },
      {
        path: 'spec.storage.volumes[0].size',
        message: expect.stringMatching(/^must be a Kubernetes quantity/),
      },
    ]);
    const noVolumes = broken(brokerPool, (o) => {
      o['spec']['storage'] = { type: 'jbod' };
    });
    expect(validator.validate(noVolumes)).toEqual([
      { path: 'spec.storage.volumes', message: 'missing required field "volumes"' },
    ]);
    const noSize = broken(controllerPool, (o) => {
      o['spec']['storage'] = { type: 'persistent-claim', volumes: [{ id: 0, type: 'ephemeral' }] };
    });
    expect(validator.validate(noSize)).toEqual([
      { path: 'spec.storage.size', message: 'missing required field "size"' },
      { path: 'spec.storage.volumes', message: 'is not allowed' },
    ]);
    const badType = broken(controllerPool, (o) => {
      o['spec']['storage']['type'] = 'persistent';
    });
    expect(validator.validate(badType)).toEqual([
      {
        path: 'spec.storage.type',
        message: 'must be "ephemeral" or "persistent-claim" or "jbod" (got string "persistent")',
      },
    ]);
  });
});

describe('KafkaTopic and KafkaUser mistakes', () => {
  it('rejects a topic with zero partitions or a misspelt field', () => {
    const obj = broken(kafkaTopic, (o) => {
      o['spec']['partitions'] = 0;
      o['spec']['replica'] = 3;
    });
    expect(validator.validate(obj)).toEqual([
      { path: 'spec.replica', message: 'unknown field "replica" (did you mean "replicas"?)' },
      { path: 'spec.partitions', message: 'must be >= 1 (got number 0)' },
    ]);
  });

  it('checks ACL resources and operations', () => {
    const obj = broken(kafkaUser, (o) => {
      o['spec']['authorization']['acls'][0]['operations'] = ['Read', 'Produce'];
      o['spec']['authorization']['acls'][1]['resource']['patternType'] = 'prefixed';
      delete o['spec']['authorization']['acls'][0]['resource']['name'];
      o['spec']['authorization']['acls'][2]['resource']['name'] = 'kafka-cluster';
    });
    expect(validator.validate(obj)).toEqual([
      { path: 'spec.authorization.acls[0].resource.name', message: 'missing required field "name"' },
      {
        path: 'spec.authorization.acls[0].operations[1]',
        message: expect.stringMatching(/^must be "Read" or "Write" or .* \(got string "Produce"\)$/),
      },
      {
        path: 'spec.authorization.acls[1].resource.patternType',
        message: 'must be "literal" or "prefix" (got string "prefixed")',
      },
      { path: 'spec.authorization.acls[2].resource.name', message: 'is not allowed' },
    ]);
  });

  it('rejects an unknown user authentication type', () => {
    const obj = broken(kafkaUser, (o) => {
      o['spec']['authentication']['type'] = 'scram-sha-256';
    });
    expect(validator.validate(obj)).toEqual([
      {
        path: 'spec.authentication.type',
        message: 'must be "tls" or "tls-external" or "scram-sha-512" (got string "scram-sha-256")',
      },
    ]);
  });
});

describe('KafkaMirrorMaker2 (registered with the Strimzi kinds)', () => {
  const mirror: Obj = {
    apiVersion: 'kafka.strimzi.io/v1beta2',
    kind: 'KafkaMirrorMaker2',
    metadata: { name: 'mirror', namespace: 'data' },
    spec: {
      version: '4.0.0',
      replicas: 1,
      connectCluster: 'standby',
      clusters: [
        { alias: 'primary', bootstrapServers: 'kafka-mirror.example.internal:9094' },
        { alias: 'standby', bootstrapServers: 'kafka-kafka-bootstrap.data.svc:9093' },
      ],
      mirrors: [{ sourceCluster: 'primary', targetCluster: 'standby', topicsPattern: 'order-events' }],
    },
  };

  it('accepts the 0.48 layout', () => {
    expect(validator.validate(mirror)).toEqual([]);
  });

  it('rejects the later `target` layout, which 0.48 does not read', () => {
    const obj = broken(mirror, (o) => {
      o['spec']['target'] = { alias: 'standby' };
    });
    expect(validator.validate(obj)).toEqual([{ path: 'spec.target', message: 'unknown field "target"' }]);
  });
});
