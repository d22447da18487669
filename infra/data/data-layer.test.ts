import * as aws from '@pulumi/aws';
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { mockCall, mockOutputs } from '../../tools/plan/mock-outputs';
import type { SecretBackend } from '../cluster';
import { DataLayer, type DataLayerArgs } from '.';

interface Recorded {
  readonly type: string;
  readonly name: string;
  /** Set for resources read with `.get` rather than created. */
  readonly id?: string;
  readonly inputs: Record<string, any>;
}

const recorded: Recorded[] = [];

// preview = false: outputs resolve as in `pulumi up`, so the CA read (gated on the Kafka cluster) happens.
const mocksReady = pulumi.runtime.setMocks(
  {
    newResource(args) {
      recorded.push({
        type: args.type,
        name: args.name,
        ...(args.id !== undefined && args.id !== '' && { id: args.id }),
        inputs: args.inputs as Record<string, any>,
      });
      return {
        id: args.id ?? `${args.name}-id`,
        state: {
          ...mockOutputs(args.type, args.name, args.inputs as Record<string, unknown>),
          ...args.inputs,
        },
      };
    },
    call(args) {
      return mockCall(args.token, (args.inputs ?? {}) as Record<string, unknown>);
    },
  },
  'platform',
  'test',
  false,
);

/** The Kubernetes SDK marks a Secret's stringData secret as a whole; the mock sees it in wire form. */
function unwrap(value: any): Record<string, unknown> {
  return value !== null && typeof value === 'object' && 'value' in value ? value.value : value;
}

function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 200));
}

function args(backend: (provider: k8s.Provider) => SecretBackend): DataLayerArgs {
  const provider = new k8s.Provider('k8s', { kubeconfig: '{}' });
  const resources = { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '1', memory: '1Gi' } };
  return {
    provider,
    secretBackend: backend(provider),
    namespaces: { data: 'data', apps: 'apps', monitoring: 'monitoring' },
    storageClass: 'standard',
    zones: { topologyKey: 'topology.kubernetes.io/zone', count: 3 },
    placement: {},
    mongodb: {
      members: 3,
      storage: '20Gi',
      resources,
      backup: {
        storage: {
          bucket: 'backups',
          region: 'eu-west-1',
          forcePathStyle: false,
          serviceAccountAnnotations: {},
          port: 443,
          ready: [],
        },
        schedule: '0 2 * * *',
        keep: 7,
        pointInTimeRecovery: { enabled: true, oplogSpanMinutes: 10 },
      },
    },
    redis: { dataNodes: 2, sentinels: 3, quorum: 2, storage: '5Gi', resources },
    kafka: {
      nodePools: { mode: 'combined', replicas: 3, storage: '50Gi', resources },
      config: { defaultReplicationFactor: 3, minInsyncReplicas: 2 },
      topics: [
        { name: 'order-events', partitions: 6, replicas: 3 },
        { name: 'user-events', partitions: 6, replicas: 3 },
        { name: 'notification-dlq', partitions: 1, replicas: 3 },
      ],
    },
    services: [
      { name: 'product', mongodb: true, redis: true },
      {
        name: 'notification',
        mongodb: true,
        redis: false,
        kafka: {
          produces: ['notification-dlq'],
          consumes: ['order-events', 'user-events'],
          groups: ['notification'],
        },
      },
    ],
    servicePeer: (service) => ({ namespace: 'apps', podLabels: { 'app.kubernetes.io/name': service } }),
    dependsOn: [],
  };
}

describe('DataLayer', () => {
  beforeAll(() => mocksReady);
  beforeEach(() => {
    recorded.length = 0;
  });

  it('gives each service one Secret with exactly its credentials, and plain settings beside it', async () => {
    const layer = new DataLayer(
      't1',
      args(() => ({ kind: 'kubernetes' })),
    );
    await settle();
    expect(layer.services.product?.env).toEqual({
      STORAGE: 'mongo',
      CACHE: 'redis',
      MONGODB_DATABASE: 'product',
      MONGODB_REPLICA_SET: 'rs0',
      REDIS_SENTINELS: expect.stringMatching(/^redis-sentinel-0\.[^,]+:26379,.+:26379,.+:26379$/),
      REDIS_MASTER_NAME: 'mymaster',
    });
    expect(layer.services.product?.secretNames).toEqual(['product-data']);
    expect(layer.services.notification?.env).toMatchObject({
      KAFKA_BROKERS: 'kafka-kafka-bootstrap.data.svc:9093',
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_CONSUMER_GROUP: 'notification',
    });
    expect(layer.services.notification?.secretNames).toEqual(['notification-data', 'kafka-cluster-ca']);

    const secrets = recorded.filter((r) => r.type === 'kubernetes:core/v1:Secret' && r.id === undefined);
    const byName = new Map(
      secrets.map((s) => [`${s.inputs.metadata.namespace}/${s.inputs.metadata.name}`, s]),
    );
    expect([...byName.keys()].sort()).toEqual([
      'apps/kafka-cluster-ca',
      'apps/notification-data',
      'apps/product-data',
      'data/kafka-user-notification',
      'data/mongodb-user-notification',
      'data/mongodb-user-product',
      'data/redis-auth',
    ]);
    expect(Object.keys(unwrap(byName.get('apps/product-data')!.inputs.stringData)).sort()).toEqual([
      'MONGODB_URI',
      'REDIS_PASSWORD',
    ]);
    expect(Object.keys(unwrap(byName.get('apps/notification-data')!.inputs.stringData)).sort()).toEqual([
      'KAFKA_PASSWORD',
      'KAFKA_USERNAME',
      'MONGODB_URI',
    ]);
  });

  it('builds the MongoDB URI with the replica set, the members and authSource=admin', async () => {
    const layer = new DataLayer(
      't2',
      args(() => ({ kind: 'kubernetes' })),
    );
    const uri = await new Promise<string>((resolve) => layer.mongodb.access.product!.uri.apply(resolve));
    expect(uri).toMatch(
      /^mongodb:\/\/product:planned-password-[\w-]+@mongodb-rs0-0\.mongodb-rs0\.data\.svc\.cluster\.local:27017,mongodb-rs0-1\.[^,]+,mongodb-rs0-2\.[^/]+\/product\?replicaSet=rs0&authSource=admin$/,
    );
    expect(pulumi.isSecret(layer.mongodb.access.product!.uri)).toBeTruthy();
  });

  it('reads the Kafka cluster CA once the cluster exists and copies it next to the services', async () => {
    new DataLayer(
      't3',
      args(() => ({ kind: 'kubernetes' })),
    );
    await settle();
    const reads = recorded.filter(
      (r) => r.id !== undefined && r.type === 'kubernetes:core/v1:Secret' && r.name.startsWith('t3-'),
    );
    expect(reads.map((r) => r.id)).toEqual(['data/kafka-cluster-ca-cert']);
  });

  it('on EKS keeps every password in Secrets Manager under the environment path, synced by ExternalSecrets', async () => {
    const awsProvider = new aws.Provider('aws', { region: 'eu-west-1' });
    new DataLayer(
      't4',
      args(() => ({
        kind: 'aws-secrets-manager',
        clusterSecretStore: 'aws-secrets-manager',
        pathPrefix: 'platform/uat/',
        awsProvider,
      })),
    );
    await settle();
    const remote = recorded
      .filter((r) => r.type === 'aws:secretsmanager/secret:Secret')
      .map((r) => r.inputs.name);
    expect(remote.sort()).toEqual([
      'platform/uat/kafka-user-notification',
      'platform/uat/mongodb-user-notification',
      'platform/uat/mongodb-user-product',
      'platform/uat/notification-data',
      'platform/uat/product-data',
      'platform/uat/redis-auth',
    ]);
    const external = recorded.filter((r) => r.type === 'kubernetes:external-secrets.io/v1:ExternalSecret');
    expect(external).toHaveLength(6);
    for (const e of external) {
      expect(e.inputs.spec.dataFrom).toEqual([
        { extract: { key: `platform/uat/${e.inputs.metadata.name}` } },
      ]);
      expect(e.inputs.metadata.annotations).toEqual({ 'pulumi.com/waitFor': 'condition=Ready' });
    }
    // Only the CA copy (public, read from the cluster) is a plain Kubernetes Secret.
    const plain = recorded.filter((r) => r.type === 'kubernetes:core/v1:Secret' && r.id === undefined);
    expect(plain.map((s) => s.inputs.metadata.name)).toEqual(['kafka-cluster-ca']);
  });
});
