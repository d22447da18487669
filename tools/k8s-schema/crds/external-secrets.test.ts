import { loadKubernetesValidator } from '../index';
import type { KubernetesValidator } from '../index';
import { EXTERNAL_SECRETS_SCHEMAS } from './external-secrets';
import { registerPlatformCrds } from './index';

// Fixtures are plain JSON, mutated freely after structuredClone.
type Obj = Record<string, any>;

let validator: KubernetesValidator;

beforeAll(() => {
  validator = loadKubernetesValidator();
  registerPlatformCrds(validator, { only: EXTERNAL_SECRETS_SCHEMAS });
});

function broken(obj: Obj, change: (copy: Obj) => void): Obj {
  const copy = structuredClone(obj);
  change(copy);
  return copy;
}

const clusterSecretStore: Obj = {
  apiVersion: 'external-secrets.io/v1',
  kind: 'ClusterSecretStore',
  metadata: { name: 'aws-secrets-manager' },
  spec: {
    provider: {
      aws: {
        service: 'SecretsManager',
        region: 'eu-west-1',
        auth: { jwt: { serviceAccountRef: { name: 'external-secrets', namespace: 'external-secrets' } } },
      },
    },
    conditions: [{ namespaceSelector: { matchLabels: { 'platform.example.com/secrets': 'aws' } } }],
  },
};

const parameterStore: Obj = {
  apiVersion: 'external-secrets.io/v1',
  kind: 'SecretStore',
  metadata: { name: 'parameters', namespace: 'shop' },
  spec: {
    provider: {
      aws: { service: 'ParameterStore', region: 'eu-west-1', role: 'arn:aws:iam::123456789012:role/shop' },
    },
  },
};

const kubernetesStore: Obj = {
  apiVersion: 'external-secrets.io/v1',
  kind: 'SecretStore',
  metadata: { name: 'from-platform', namespace: 'shop' },
  spec: {
    provider: {
      kubernetes: {
        remoteNamespace: 'platform',
        server: { caProvider: { type: 'ConfigMap', name: 'kube-root-ca.crt', key: 'ca.crt' } },
        auth: { serviceAccount: { name: 'secret-reader' } },
      },
    },
  },
};

const externalSecret: Obj = {
  apiVersion: 'external-secrets.io/v1',
  kind: 'ExternalSecret',
  metadata: { name: 'product-db', namespace: 'shop' },
  spec: {
    refreshInterval: '1h',
    secretStoreRef: { name: 'aws-secrets-manager', kind: 'ClusterSecretStore' },
    target: {
      name: 'product-db',
      creationPolicy: 'Owner',
      template: {
        type: 'Opaque',
        metadata: { labels: { 'app.kubernetes.io/name': 'product' } },
        data: { MONGODB_URI: 'mongodb://{{ .username }}:{{ .password }}@mongo:27017/product' },
      },
    },
    data: [
      { secretKey: 'username', remoteRef: { key: 'dev/product/mongodb', property: 'username' } },
      {
        secretKey: 'password',
        remoteRef: { key: 'dev/product/mongodb', property: 'password', version: 'AWSCURRENT' },
      },
    ],
    dataFrom: [{ extract: { key: 'dev/product/feature-flags' } }],
  },
};

describe('valid External Secrets objects', () => {
  it.each([
    ['AWS Secrets Manager ClusterSecretStore', clusterSecretStore],
    ['Parameter Store SecretStore', parameterStore],
    ['Kubernetes SecretStore', kubernetesStore],
    ['ExternalSecret', externalSecret],
  ])('accepts a %s', (_name, obj) => {
    expect(validator.validate(obj)).toEqual([]);
  });
});

describe('store mistakes', () => {
  it('rejects an unknown AWS service and requires the region', () => {
    const obj = broken(clusterSecretStore, (o) => {
      o['spec']['provider']['aws']['service'] = 'SecretManager';
      delete o['spec']['provider']['aws']['region'];
    });
    expect(validator.validate(obj)).toEqual([
      { path: 'spec.provider.aws.region', message: 'missing required field "region"' },
      {
        path: 'spec.provider.aws.service',
        message: 'must be "SecretsManager" or "ParameterStore" (got string "SecretManager")',
      },
    ]);
  });

  it('names a misspelt auth field and requires the service account name', () => {
    const obj = broken(clusterSecretStore, (o) => {
      o['spec']['provider']['aws']['auth']['jwt'] = { serviceAccount: { name: 'x' } };
      o['spec']['provider']['aws']['auth']['secretRef'] = {
        accessKeyIDSecretRef: { key: 'id' },
        sessionTokenSecretRef: {},
      };
    });
    expect(validator.validate(obj)).toEqual([
      {
        path: 'spec.provider.aws.auth.jwt.serviceAccount',
        message: 'unknown field "serviceAccount" (did you mean "serviceAccountRef"?)',
      },
    ]);
    const noName = broken(clusterSecretStore, (o) => {
      o['spec']['provider']['aws']['auth']['jwt']['serviceAccountRef'] = { namespace: 'external-secrets' };
    });
    expect(validator.validate(noName)).toEqual([
      { path: 'spec.provider.aws.auth.jwt.serviceAccountRef.name', message: 'missing required field "name"' },
    ]);
  });

  it('requires exactly one provider', () => {
    const obj = broken(parameterStore, (o) => {
      o['spec']['provider'] = {};
    });
    expect(validator.validate(obj)).toEqual([
      { path: 'spec.provider', message: 'must NOT have fewer than 1 properties (got object)' },
    ]);
  });

  it('takes refreshInterval of a store in seconds', () => {
    const obj = broken(parameterStore, (o) => {
      o['spec']['refreshInterval'] = '1h';
    });
    expect(validator.validate(obj)).toEqual([
      { path: 'spec.refreshInterval', message: 'must be integer (got string "1h")' },
    ]);
  });
});

describe('ExternalSecret mistakes', () => {
  it('requires secretKey and remoteRef.key', () => {
    const obj = broken(externalSecret, (o) => {
      delete o['spec']['data'][0]['secretKey'];
      delete o['spec']['data'][1]['remoteRef']['key'];
    });
    expect(validator.validate(obj)).toEqual([
      { path: 'spec.data[0].secretKey', message: 'missing required field "secretKey"' },
      { path: 'spec.data[1].remoteRef.key', message: 'missing required field "key"' },
    ]);
  });

  it('rejects a misspelt field, a wrong store kind and a bad creation policy', () => {
    const obj = broken(externalSecret, (o) => {
      o['spec']['secretStoreRef']['kind'] = 'ClusterStore';
      o['spec']['target']['creationPolicy'] = 'owner';
      o['spec']['data'][0]['remoteRef']['proprety'] = 'username';
    });
    expect(validator.validate(obj)).toEqual([
      {
        path: 'spec.secretStoreRef.kind',
        message: 'must be "SecretStore" or "ClusterSecretStore" (got string "ClusterStore")',
      },
      {
        path: 'spec.target.creationPolicy',
        message: 'must be "Owner" or "Orphan" or "Merge" or "None" (got string "owner")',
      },
      {
        path: 'spec.data[0].remoteRef.proprety',
        message: 'unknown field "proprety" (did you mean "property"?)',
      },
    ]);
  });

  it('rejects a refresh interval that is not a Go duration', () => {
    const obj = broken(externalSecret, (o) => {
      o['spec']['refreshInterval'] = '1 hour';
    });
    expect(validator.validate(obj).map((v) => v.path)).toEqual(['spec.refreshInterval']);
  });

  it('requires something to fetch, and one source per dataFrom entry', () => {
    const empty = broken(externalSecret, (o) => {
      delete o['spec']['data'];
      delete o['spec']['dataFrom'];
    });
    expect(validator.validate(empty)).toEqual([
      { path: 'spec.data', message: 'missing required field "data"' },
      { path: 'spec.dataFrom', message: 'missing required field "dataFrom"' },
    ]);
    const both = broken(externalSecret, (o) => {
      o['spec']['dataFrom'][0]['find'] = { name: { regexp: '^dev/' } };
    });
    expect(validator.validate(both)).toEqual([{ path: 'spec.dataFrom[0].find', message: 'is not allowed' }]);
  });

  it('refuses deletionPolicy Delete on a secret the controller does not own', () => {
    const obj = broken(externalSecret, (o) => {
      o['spec']['target']['creationPolicy'] = 'Merge';
      o['spec']['target']['deletionPolicy'] = 'Delete';
    });
    expect(validator.validate(obj)).toEqual([
      { path: 'spec.target.creationPolicy', message: 'must be "Owner" or "Orphan" (got string "Merge")' },
    ]);
  });

  it('points v1beta1 objects, which ESO 0.19 no longer serves, at v1', () => {
    const obj = { ...externalSecret, apiVersion: 'external-secrets.io/v1beta1' };
    expect(validator.validate(obj)).toEqual([
      {
        path: '',
        message:
          'no schema for apiVersion "external-secrets.io/v1beta1" kind "ExternalSecret": kind "ExternalSecret" exists in apiVersion "external-secrets.io/v1"',
      },
    ]);
  });
});
