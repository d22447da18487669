import { loadKubernetesValidator } from '../index';
import type { KubernetesValidator } from '../index';
import { registerPlatformCrds } from './index';
import { PERCONA_MONGODB_SCHEMAS } from './percona-mongodb';

// Fixtures are plain JSON, mutated freely after structuredClone.
type Obj = Record<string, any>;

let validator: KubernetesValidator;

beforeAll(() => {
  validator = loadKubernetesValidator();
  registerPlatformCrds(validator, { only: PERCONA_MONGODB_SCHEMAS });
});

function broken(obj: Obj, change: (copy: Obj) => void): Obj {
  const copy = structuredClone(obj);
  change(copy);
  return copy;
}

const replset: Obj = {
  name: 'rs0',
  size: 3,
  configuration: 'operationProfiling:\n  mode: slowOp\n  slowOpThresholdMs: 200\n',
  affinity: { antiAffinityTopologyKey: 'topology.kubernetes.io/zone' },
  tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'mongodb', effect: 'NoSchedule' }],
  podDisruptionBudget: { maxUnavailable: 1 },
  resources: { requests: { cpu: '500m', memory: '2Gi' }, limits: { memory: '2Gi' } },
  volumeSpec: {
    persistentVolumeClaim: {
      storageClassName: 'gp3',
      accessModes: ['ReadWriteOnce'],
      resources: { requests: { storage: '50Gi' } },
    },
  },
  expose: { enabled: false },
  arbiter: { enabled: false, size: 1 },
};

const cluster: Obj = {
  apiVersion: 'psmdb.percona.com/v1',
  kind: 'PerconaServerMongoDB',
  metadata: { name: 'product-db', namespace: 'shop' },
  spec: {
    crVersion: '1.21.1',
    image: 'percona/percona-server-mongodb:8.0.12-4',
    imagePullPolicy: 'IfNotPresent',
    updateStrategy: 'SmartUpdate',
    upgradeOptions: { apply: 'disabled', schedule: '0 2 * * *' },
    secrets: { users: 'product-db-users', encryptionKey: 'product-db-encryption' },
    replsets: [replset],
    sharding: { enabled: false },
    pmm: { enabled: false, image: 'percona/pmm-client:3.4.0' },
    backup: {
      enabled: true,
      image: 'percona/percona-backup-mongodb:2.11.0',
      storages: {
        s3: {
          type: 's3',
          main: true,
          s3: {
            bucket: 'platform-dev-mongodb-backups',
            region: 'eu-west-1',
            prefix: 'product-db',
            credentialsSecret: 'product-db-backup-s3',
          },
        },
      },
      pitr: { enabled: true, oplogSpanMin: 10, compressionType: 'gzip' },
      tasks: [
        {
          name: 'daily',
          enabled: true,
          schedule: '0 3 * * *',
          keep: 7,
          storageName: 's3',
          type: 'logical',
          compressionType: 'gzip',
        },
      ],
    },
    users: [
      {
        name: 'product',
        db: 'product',
        passwordSecretRef: { name: 'product-db-app', key: 'password' },
        roles: [{ name: 'readWrite', db: 'product' }],
      },
    ],
  },
};

describe('valid PerconaServerMongoDB objects', () => {
  it('accepts a realistic replica set cluster with backups', () => {
    expect(validator.validate(cluster)).toEqual([]);
  });

  it('accepts a sharded cluster', () => {
    const sharded = broken(cluster, (o) => {
      o['spec']['sharding'] = {
        enabled: true,
        configsvrReplSet: { size: 3, volumeSpec: replset['volumeSpec'] },
        mongos: { size: 2, expose: { type: 'ClusterIP' }, resources: { requests: { cpu: '250m' } } },
      };
    });
    expect(validator.validate(sharded)).toEqual([]);
  });
});

describe('PerconaServerMongoDB mistakes', () => {
  it('rejects replica set size as a string and names a misspelt field', () => {
    const obj = broken(cluster, (o) => {
      o['spec']['replsets'][0]['size'] = '3';
      o['spec']['replsets'][0]['afinity'] = { antiAffinityTopologyKey: 'kubernetes.io/hostname' };
    });
    expect(validator.validate(obj)).toEqual([
      { path: 'spec.replsets[0].afinity', message: 'unknown field "afinity" (did you mean "affinity"?)' },
      { path: 'spec.replsets[0].size', message: 'must be integer (got string "3")' },
    ]);
  });

  it('requires image, replica sets and their size and volumes', () => {
    const noImage = broken(cluster, (o) => {
      delete o['spec']['image'];
      o['spec']['replsets'] = [{ name: 'rs0' }];
    });
    expect(validator.validate(noImage)).toEqual([
      { path: 'spec.image', message: 'missing required field "image"' },
      { path: 'spec.replsets[0].size', message: 'missing required field "size"' },
      { path: 'spec.replsets[0].volumeSpec', message: 'missing required field "volumeSpec"' },
    ]);
    const noReplsets = broken(cluster, (o) => {
      o['spec']['replsets'] = [];
    });
    expect(validator.validate(noReplsets)).toEqual([
      { path: 'spec.replsets', message: 'must NOT have fewer than 1 items (got array)' },
    ]);
  });

  it('checks the PVC request as a Kubernetes quantity', () => {
    const obj = broken(cluster, (o) => {
      o['spec']['replsets'][0]['volumeSpec']['persistentVolumeClaim']['resources']['requests']['storage'] =
        '50 GB';
    });
    expect(validator.validate(obj)).toEqual([
      {
        path: 'spec.replsets[0].volumeSpec.persistentVolumeClaim.resources.requests.storage',
        message: expect.stringMatching(/^must be a Kubernetes quantity/),
      },
    ]);
  });

  it('keeps mongod configuration a string', () => {
    const obj = broken(cluster, (o) => {
      o['spec']['replsets'][0]['configuration'] = { operationProfiling: { mode: 'slowOp' } };
    });
    expect(validator.validate(obj)).toEqual([
      { path: 'spec.replsets[0].configuration', message: 'must be string (got object)' },
    ]);
  });

  it('checks backup storages, tasks and PITR', () => {
    const obj = broken(cluster, (o) => {
      const backup = o['spec']['backup'];
      backup['storages']['s3']['s3']['bucketName'] = backup['storages']['s3']['s3']['bucket'];
      delete backup['storages']['s3']['s3']['bucket'];
      backup['tasks'][0]['type'] = 'snapshot';
      backup['pitr']['compressionType'] = 'gz';
    });
    expect(validator.validate(obj)).toEqual([
      { path: 'spec.backup.storages.s3.s3.bucket', message: 'missing required field "bucket"' },
      {
        path: 'spec.backup.storages.s3.s3.bucketName',
        message: 'unknown field "bucketName"',
      },
      {
        path: 'spec.backup.pitr.compressionType',
        message: expect.stringMatching(/^must be "none" or "gzip" or .* \(got string "gz"\)$/),
      },
      {
        path: 'spec.backup.tasks[0].type',
        message:
          'must be "logical" or "physical" or "incremental" or "incremental-base" (got string "snapshot")',
      },
    ]);
  });

  it('requires the storage block its type names', () => {
    const obj = broken(cluster, (o) => {
      o['spec']['backup']['storages']['s3']['type'] = 'gcs';
    });
    expect(validator.validate(obj)).toEqual([
      { path: 'spec.backup.storages.s3.gcs', message: 'missing required field "gcs"' },
    ]);
  });

  it('requires task names and user roles', () => {
    const obj = broken(cluster, (o) => {
      delete o['spec']['backup']['tasks'][0]['name'];
      delete o['spec']['users'][0]['roles'];
    });
    expect(validator.validate(obj)).toEqual([
      { path: 'spec.backup.tasks[0].name', message: 'missing required field "name"' },
      { path: 'spec.users[0].roles', message: 'missing required field "roles"' },
    ]);
  });

  it('rejects an unknown update strategy and an expose without enabled', () => {
    const obj = broken(cluster, (o) => {
      o['spec']['updateStrategy'] = 'Rolling';
      o['spec']['replsets'][0]['expose'] = { type: 'LoadBalancer' };
    });
    expect(validator.validate(obj)).toEqual([
      {
        path: 'spec.updateStrategy',
        message: 'must be "SmartUpdate" or "RollingUpdate" or "OnDelete" (got string "Rolling")',
      },
      { path: 'spec.replsets[0].expose.enabled', message: 'missing required field "enabled"' },
    ]);
  });
});
