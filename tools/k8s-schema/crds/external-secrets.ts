/**
 * External Secrets Operator v0.19.2, external-secrets.io/v1: SecretStore, ClusterSecretStore (AWS and Kubernetes
 * providers) and ExternalSecret. v1beta1 is deliberately not registered: ESO 0.19 still ships it in the CRDs but
 * with `served: false`, so the API server rejects v1beta1 objects; the validator then answers that the kind
 * exists in external-secrets.io/v1. The rules of ESO's validating webhook are added on top of the CRD.
 */
import {
  annotations,
  array,
  bool,
  customResource,
  enumOf,
  excludes,
  integer,
  k8s,
  labels,
  object,
  only,
  requires,
  str,
  string,
  stringMap,
  strings,
  whenField,
} from './schema-builders';
import type { CrdSchema } from './schema-builders';

const API_VERSION = 'external-secrets.io/v1';

const DNS_LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const resourceName = string({ minLength: 1, maxLength: 253, pattern: `^${DNS_LABEL}(\\.${DNS_LABEL})*$` });
const namespace = string({ minLength: 1, maxLength: 63, pattern: `^${DNS_LABEL}$` });
const secretKey = string({ minLength: 1, maxLength: 253, pattern: '^[-._a-zA-Z0-9]+$' });
/** Go duration, or "0" to sync once. */
const goDuration = string({ pattern: '^(0|([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+)$' });

/** ESO's SecretKeySelector: every field optional in the CRD (the namespace only for cluster stores). */
const secretKeySelector = object({ name: resourceName, key: secretKey, namespace });

const serviceAccountSelector = object({ name: resourceName, namespace, audiences: strings }, ['name']);

const awsProvider = object(
  {
    service: enumOf('SecretsManager', 'ParameterStore'),
    region: str,
    role: str,
    additionalRoles: strings,
    externalID: str,
    sessionTags: array(object({ key: str, value: str }, ['key', 'value'])),
    transitiveTagKeys: strings,
    prefix: str,
    secretsManager: object({ forceDeleteWithoutRecovery: bool, recoveryWindowInDays: integer() }),
    auth: object({
      jwt: object({ serviceAccountRef: serviceAccountSelector }),
      secretRef: object({
        accessKeyIDSecretRef: secretKeySelector,
        secretAccessKeySecretRef: secretKeySelector,
        sessionTokenSecretRef: secretKeySelector,
      }),
    }),
  },
  ['service', 'region'],
);

const kubernetesProvider = object({
  server: object({
    url: str,
    caBundle: str,
    caProvider: object(
      { type: enumOf('Secret', 'ConfigMap'), name: resourceName, key: secretKey, namespace },
      ['type', 'name'],
    ),
  }),
  auth: object({
    serviceAccount: serviceAccountSelector,
    token: object({ bearerToken: secretKeySelector }),
    cert: object({ clientCert: secretKeySelector, clientKey: secretKeySelector }),
  }),
  authRef: secretKeySelector,
  remoteNamespace: namespace,
});

/** Only the AWS and Kubernetes providers are modelled. */
const storeSpec = object(
  {
    controller: str,
    provider: object({ aws: awsProvider, kubernetes: kubernetesProvider }, [], {
      minProperties: 1,
      maxProperties: 1,
    }),
    refreshInterval: integer(0),
    retrySettings: object({ maxRetries: integer(), retryInterval: str }),
    conditions: array(
      object({
        namespaceSelector: k8s.labelSelector,
        namespaces: array(namespace),
        namespaceRegexes: strings,
      }),
    ),
  },
  ['provider'],
);

const storeRef = object({ name: resourceName, kind: enumOf('SecretStore', 'ClusterSecretStore') });

const GENERATOR_KINDS = [
  'ACRAccessToken',
  'ClusterGenerator',
  'ECRAuthorizationToken',
  'Fake',
  'GCRAccessToken',
  'GithubAccessToken',
  'QuayAccessToken',
  'Password',
  'SSHKey',
  'STSSessionToken',
  'UUID',
  'VaultDynamicSecret',
  'Webhook',
  'Grafana',
  'MFA',
];

const sourceRef = object({
  storeRef,
  generatorRef: object({ apiVersion: str, kind: enumOf(...GENERATOR_KINDS), name: resourceName }, [
    'kind',
    'name',
  ]),
});

const conversionStrategy = enumOf('Default', 'Unicode');
const decodingStrategy = enumOf('Auto', 'Base64', 'Base64URL', 'None');
const metadataPolicy = enumOf('None', 'Fetch');

const remoteRef = object(
  { key: str, property: str, version: str, conversionStrategy, decodingStrategy, metadataPolicy },
  ['key'],
);

const dataFromItem = object(
  {
    extract: remoteRef,
    find: object({
      path: str,
      name: object({ regexp: str }),
      tags: stringMap,
      conversionStrategy,
      decodingStrategy,
    }),
    rewrite: array(
      object({
        regexp: object({ source: str, target: str }, ['source', 'target']),
        transform: object({ template: str }, ['template']),
        merge: object({ into: str, priority: strings, conflictPolicy: str, strategy: str }),
      }),
    ),
    sourceRef,
  },
  [],
  {
    // Webhook: one source per entry (a generator sourceRef counts as a source).
    anyOf: [requires('extract'), requires('find'), requires('sourceRef')],
    ...excludes('extract', 'find'),
  },
);

const templateItems = array(
  object({ key: secretKey, templateAs: enumOf('Values', 'KeysAndValues') }, ['key']),
);

const target = object(
  {
    name: resourceName,
    creationPolicy: enumOf('Owner', 'Orphan', 'Merge', 'None'),
    deletionPolicy: enumOf('Delete', 'Merge', 'Retain'),
    immutable: bool,
    template: object({
      type: str,
      engineVersion: enumOf('v2'),
      mergePolicy: enumOf('Replace', 'Merge'),
      metadata: object({ annotations, labels }),
      data: stringMap,
      templateFrom: array(
        object({
          configMap: object({ name: resourceName, items: templateItems }, ['name', 'items']),
          secret: object({ name: resourceName, items: templateItems }, ['name', 'items']),
          target: enumOf('Data', 'Annotations', 'Labels'),
          literal: str,
        }),
      ),
    }),
  },
  [],
  {
    // Webhook: Delete needs a Secret the controller owns; Merge needs one to exist. Owner is the default.
    allOf: [
      {
        if: whenField('deletionPolicy', 'Delete'),
        then: only({ creationPolicy: enumOf('Owner', 'Orphan') }),
      },
      {
        if: whenField('deletionPolicy', 'Merge'),
        then: only({ creationPolicy: enumOf('Owner', 'Orphan', 'Merge') }),
      },
    ],
  },
);

const externalSecretSpec = object(
  {
    secretStoreRef: storeRef,
    target,
    refreshInterval: goDuration,
    refreshPolicy: enumOf('CreatedOnce', 'Periodic', 'OnChange'),
    data: array(object({ secretKey, remoteRef, sourceRef }, ['secretKey', 'remoteRef'])),
    dataFrom: array(dataFromItem),
  },
  [],
  // Webhook: something must be fetched.
  { anyOf: [requires('data'), requires('dataFrom')] },
);

export const EXTERNAL_SECRETS_SCHEMAS: readonly CrdSchema[] = [
  { apiVersion: API_VERSION, kind: 'SecretStore', schema: customResource(storeSpec) },
  { apiVersion: API_VERSION, kind: 'ClusterSecretStore', schema: customResource(storeSpec) },
  { apiVersion: API_VERSION, kind: 'ExternalSecret', schema: customResource(externalSecretSpec) },
];
