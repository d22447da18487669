/**
 * Strimzi 0.48.0, kafka.strimzi.io/v1beta2: Kafka (KRaft with node pools), KafkaNodePool, KafkaTopic,
 * KafkaUser and KafkaMirrorMaker2 (its schema lives with charts/kafka-mirror-maker). Fields Strimzi documents
 * as ignored since 0.46 (ZooKeeper, spec.kafka.replicas and .storage, storage overrides, TLS sidecars,
 * zookeeperSessionTimeoutSeconds) are left out, so setting them fails the plan instead
 * of doing nothing. Kafka, Cruise Control and topic `config` stay free-form, as in the CRD.
 */
import { kubernetesRef } from '../ajv-setup';
import { QUANTITY, stringSchema } from '../kubernetes-patterns';
import {
  annotations,
  array,
  bool,
  customResource,
  enumOf,
  freeForm,
  integer,
  k8s,
  labels,
  number,
  object,
  only,
  requireWhen,
  requires,
  str,
  string,
  stringMap,
  strings,
  whenField,
} from './schema-builders';
import type { CrdSchema } from './schema-builders';
// Kept beside its chart (charts/kafka-mirror-maker), which documents the 0.48 layout it renders.

const API_VERSION = 'kafka.strimzi.io/v1beta2';

/** Strimzi's size strings for volumes are Kubernetes quantities, e.g. "100Gi". */
const size = stringSchema(QUANTITY);

// ---- templates: Strimzi's own subset of Kubernetes fields that it copies into the resources it creates ----

const metadataTemplate = object({ labels, annotations });
const resourceTemplate = object({ metadata: metadataTemplate });

const envVar = object({
  name: str,
  value: str,
  valueFrom: object({ secretKeyRef: k8s.secretKeySelector, configMapKeyRef: k8s.configMapKeySelector }),
});

const containerTemplate = object({
  env: array(envVar),
  securityContext: k8s.securityContext,
  volumeMounts: k8s.volumeMounts,
});

/** Strimzi supports only these volume sources for additional volumes. */
const additionalVolume = object(
  {
    name: str,
    secret: kubernetesRef('core.v1.SecretVolumeSource'),
    configMap: kubernetesRef('core.v1.ConfigMapVolumeSource'),
    // Strimzi's CRD types sizeLimit as a fabric8 Quantity object, not as a quantity string.
    emptyDir: object({ medium: str, sizeLimit: object({ amount: str, format: str }) }),
    persistentVolumeClaim: kubernetesRef('core.v1.PersistentVolumeClaimVolumeSource'),
    csi: kubernetesRef('core.v1.CSIVolumeSource'),
  },
  ['name'],
);

const podTemplate = object({
  metadata: metadataTemplate,
  imagePullSecrets: k8s.imagePullSecrets,
  securityContext: k8s.podSecurityContext,
  terminationGracePeriodSeconds: integer(0),
  affinity: k8s.affinity,
  tolerations: k8s.tolerations,
  topologySpreadConstraints: k8s.topologySpreadConstraints,
  priorityClassName: str,
  schedulerName: str,
  hostAliases: k8s.hostAliases,
  dnsPolicy: enumOf('ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None'),
  dnsConfig: kubernetesRef('core.v1.PodDNSConfig'),
  enableServiceLinks: bool,
  tmpDirSizeLimit: string({ pattern: '^([0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$' }),
  volumes: array(additionalVolume),
});

const ipFamilies = {
  ipFamilyPolicy: enumOf('SingleStack', 'PreferDualStack', 'RequireDualStack'),
  ipFamilies: array(enumOf('IPv4', 'IPv6')),
};
const serviceTemplate = object({ metadata: metadataTemplate, ...ipFamilies });
const pdbTemplate = object({ metadata: metadataTemplate, maxUnavailable: integer(0) });
const deploymentTemplate = object({
  metadata: metadataTemplate,
  deploymentStrategy: enumOf('RollingUpdate', 'Recreate'),
});

// ---- shared component settings ----

const probe = object({
  initialDelaySeconds: integer(0),
  timeoutSeconds: integer(1),
  periodSeconds: integer(1),
  successThreshold: integer(1),
  failureThreshold: integer(1),
});

const jvmOptions = object({
  '-Xmx': string({ pattern: '^[0-9]+[mMgG]?$' }),
  '-Xms': string({ pattern: '^[0-9]+[mMgG]?$' }),
  '-XX': stringMap,
  gcLoggingEnabled: bool,
  javaSystemProperties: array(object({ name: str, value: str })),
});

const configMapKeyRef = object({ configMapKeyRef: k8s.configMapKeySelector });

const logging = object(
  { type: enumOf('inline', 'external'), loggers: stringMap, valueFrom: configMapKeyRef },
  ['type'],
  {
    allOf: [requireWhen('type', 'external', ['valueFrom'])],
  },
);

const metricsConfig = object(
  {
    type: enumOf('jmxPrometheusExporter', 'strimziMetricsReporter'),
    valueFrom: configMapKeyRef,
    values: object({ allowList: strings }),
  },
  ['type'],
  // CEL: the JMX exporter reads its rules from a ConfigMap.
  requireWhen('type', 'jmxPrometheusExporter', ['valueFrom']),
);

const secretKeyRef = object({ secretName: str, key: str }, ['secretName', 'key']);
const trustedCertificates = array(
  object({ secretName: str, certificate: str, pattern: str }, ['secretName']),
);

// ---- Kafka ----

const listenerAuthentication = object(
  {
    type: enumOf('tls', 'scram-sha-512', 'oauth', 'custom'),
    // custom
    sasl: bool,
    listenerConfig: freeForm,
    secrets: array(secretKeyRef),
    // oauth (the commonly used subset)
    validIssuerUri: str,
    jwksEndpointUri: str,
    jwksRefreshSeconds: integer(1),
    jwksExpirySeconds: integer(1),
    jwksMinRefreshPauseSeconds: integer(0),
    introspectionEndpointUri: str,
    userInfoEndpointUri: str,
    tokenEndpointUri: str,
    userNameClaim: str,
    fallbackUserNameClaim: str,
    groupsClaim: str,
    groupsClaimDelimiter: str,
    customClaimCheck: str,
    checkIssuer: bool,
    checkAudience: bool,
    checkAccessTokenType: bool,
    accessTokenIsJwt: bool,
    clientId: str,
    clientSecret: secretKeyRef,
    clientAudience: str,
    clientScope: str,
    tlsTrustedCertificates: trustedCertificates,
    disableTlsHostnameVerification: bool,
    enableOauthBearer: bool,
    enablePlain: bool,
    maxSecondsWithoutReauthentication: integer(),
    connectTimeoutSeconds: integer(),
    readTimeoutSeconds: integer(),
    httpRetries: integer(),
    enableMetrics: bool,
  },
  ['type'],
);

const listenerServiceOverrides = {
  host: str,
  nodePort: integer(),
  loadBalancerIP: str,
  annotations: stringMap,
  labels: stringMap,
  externalIPs: strings,
};

const listenerConfiguration = object({
  brokerCertChainAndKey: object({ secretName: str, certificate: str, key: str }, [
    'secretName',
    'certificate',
    'key',
  ]),
  class: str,
  externalTrafficPolicy: enumOf('Local', 'Cluster'),
  loadBalancerSourceRanges: strings,
  bootstrap: object({ ...listenerServiceOverrides, alternativeNames: strings }),
  brokers: array(
    object(
      { ...listenerServiceOverrides, broker: integer(), advertisedHost: str, advertisedPort: integer() },
      ['broker'],
    ),
  ),
  ...ipFamilies,
  createBootstrapService: bool,
  finalizers: strings,
  useServiceDnsDomain: bool,
  maxConnections: integer(),
  maxConnectionCreationRate: integer(),
  preferredNodePortAddressType: enumOf('ExternalIP', 'ExternalDNS', 'InternalIP', 'InternalDNS', 'Hostname'),
  publishNotReadyAddresses: bool,
  hostTemplate: str,
  advertisedHostTemplate: str,
  allocateLoadBalancerNodePorts: bool,
});

const listener = object(
  {
    name: string({ pattern: '^[a-z0-9]{1,11}$' }),
    port: integer(9092),
    type: enumOf('internal', 'route', 'loadbalancer', 'nodeport', 'ingress', 'cluster-ip'),
    tls: bool,
    authentication: listenerAuthentication,
    configuration: listenerConfiguration,
    networkPolicyPeers: array(kubernetesRef('networking.v1.NetworkPolicyPeer')),
  },
  ['name', 'port', 'type', 'tls'],
);

const kafkaAuthorization = object(
  {
    type: enumOf('simple', 'opa', 'keycloak', 'custom'),
    superUsers: strings,
    // custom
    authorizerClass: str,
    supportsAdminApi: bool,
  },
  ['type'],
  requireWhen('type', 'custom', ['authorizerClass']),
);

const kafkaTemplate = object({
  pod: podTemplate,
  podSet: resourceTemplate,
  bootstrapService: serviceTemplate,
  brokersService: serviceTemplate,
  externalBootstrapService: resourceTemplate,
  perPodService: resourceTemplate,
  externalBootstrapRoute: resourceTemplate,
  perPodRoute: resourceTemplate,
  externalBootstrapIngress: resourceTemplate,
  perPodIngress: resourceTemplate,
  persistentVolumeClaim: resourceTemplate,
  podDisruptionBudget: pdbTemplate,
  kafkaContainer: containerTemplate,
  initContainer: containerTemplate,
  clusterCaCert: resourceTemplate,
  serviceAccount: resourceTemplate,
  jmxSecret: resourceTemplate,
  clusterRoleBinding: resourceTemplate,
});

const kafkaCluster = object(
  {
    version: str,
    metadataVersion: str,
    image: str,
    listeners: array(listener, { minItems: 1 }),
    config: freeForm,
    authorization: kafkaAuthorization,
    rack: object({ topologyKey: str }, ['topologyKey']),
    brokerRackInitImage: str,
    livenessProbe: probe,
    readinessProbe: probe,
    jvmOptions,
    jmxOptions: object({ authentication: object({ type: enumOf('password') }, ['type']) }),
    resources: k8s.resources,
    metricsConfig,
    logging,
    template: kafkaTemplate,
    quotas: object(
      {
        type: enumOf('kafka', 'strimzi'),
        producerByteRate: integer(0),
        consumerByteRate: integer(0),
        requestPercentage: integer(0),
        controllerMutationRate: number(0),
        excludedPrincipals: strings,
        minAvailableBytesPerVolume: integer(0),
        minAvailableRatioPerVolume: { type: 'number', minimum: 0, maximum: 1 },
      },
      ['type'],
    ),
  },
  ['listeners'],
);

const operatorSettings = {
  watchedNamespace: str,
  image: str,
  reconciliationIntervalMs: integer(0),
  livenessProbe: probe,
  readinessProbe: probe,
  resources: k8s.resources,
  logging,
  jvmOptions,
};

const entityOperator = object({
  topicOperator: object({ ...operatorSettings, startupProbe: probe }),
  userOperator: object({ ...operatorSettings, secretPrefix: str }),
  template: object({
    deployment: deploymentTemplate,
    pod: podTemplate,
    topicOperatorContainer: containerTemplate,
    userOperatorContainer: containerTemplate,
    serviceAccount: resourceTemplate,
    podDisruptionBudget: pdbTemplate,
    entityOperatorRole: resourceTemplate,
    topicOperatorRoleBinding: resourceTemplate,
    userOperatorRoleBinding: resourceTemplate,
  }),
});

const capacityRate = string({ pattern: '^[0-9]+([KMG]i?)?B/s$' });
const capacityCpu = string({ pattern: '^[0-9]+([.][0-9]{0,3}|[m]?)$' });

const cruiseControl = object({
  image: str,
  resources: k8s.resources,
  livenessProbe: probe,
  readinessProbe: probe,
  jvmOptions,
  logging,
  config: freeForm,
  metricsConfig,
  brokerCapacity: object({
    disk: string({ pattern: '^[0-9]+([.][0-9]*)?([KMGTPE]i?|e[0-9]+)?$' }),
    cpuUtilization: integer(0, 100),
    cpu: capacityCpu,
    inboundNetwork: capacityRate,
    outboundNetwork: capacityRate,
    overrides: array(
      object(
        {
          brokers: array(integer()),
          cpu: capacityCpu,
          inboundNetwork: capacityRate,
          outboundNetwork: capacityRate,
        },
        ['brokers'],
      ),
    ),
  }),
  apiUsers: object(
    { type: enumOf('hashLoginService'), valueFrom: object({ secretKeyRef: k8s.secretKeySelector }) },
    ['type', 'valueFrom'],
  ),
  autoRebalance: array(
    object({ mode: enumOf('add-brokers', 'remove-brokers'), template: object({ name: str }) }, ['mode']),
    { minItems: 1 },
  ),
  template: object({
    deployment: deploymentTemplate,
    pod: podTemplate,
    apiService: serviceTemplate,
    podDisruptionBudget: pdbTemplate,
    cruiseControlContainer: containerTemplate,
    serviceAccount: resourceTemplate,
  }),
});

const kafkaExporter = object({
  image: str,
  groupRegex: str,
  topicRegex: str,
  groupExcludeRegex: str,
  topicExcludeRegex: str,
  resources: k8s.resources,
  logging: str,
  livenessProbe: probe,
  readinessProbe: probe,
  enableSaramaLogging: bool,
  showAllOffsets: bool,
  template: object({
    deployment: deploymentTemplate,
    pod: podTemplate,
    container: containerTemplate,
    serviceAccount: resourceTemplate,
    podDisruptionBudget: pdbTemplate,
  }),
});

const certificateAuthority = object({
  generateCertificateAuthority: bool,
  generateSecretOwnerReference: bool,
  validityDays: integer(1),
  renewalDays: integer(1),
  certificateExpirationPolicy: enumOf('renew-certificate', 'replace-key'),
});

const kafka = customResource(
  object(
    {
      kafka: kafkaCluster,
      entityOperator,
      clusterCa: certificateAuthority,
      clientsCa: certificateAuthority,
      cruiseControl,
      kafkaExporter,
      maintenanceTimeWindows: strings,
    },
    ['kafka'],
  ),
);

// ---- KafkaNodePool ----

const volumeFields = {
  id: integer(0),
  size,
  sizeLimit: string({ pattern: '^([0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$' }),
  class: str,
  selector: stringMap,
  deleteClaim: bool,
  kraftMetadata: enumOf('shared'),
};

/** Strimzi refuses a persistent claim without a size. */
const PERSISTENT_CLAIM_NEEDS_SIZE = requireWhen('type', 'persistent-claim', ['size']);

const jbodVolume = object(
  { ...volumeFields, type: enumOf('ephemeral', 'persistent-claim') },
  ['type', 'id'],
  {
    ...PERSISTENT_CLAIM_NEEDS_SIZE,
  },
);

const nodePoolStorage = object(
  {
    ...volumeFields,
    type: enumOf('ephemeral', 'persistent-claim', 'jbod'),
    volumes: array(jbodVolume, { minItems: 1 }),
  },
  ['type'],
  {
    allOf: [
      PERSISTENT_CLAIM_NEEDS_SIZE,
      { if: whenField('type', 'jbod'), then: requires('volumes'), else: only({ volumes: false }) },
    ],
  },
);

const kafkaNodePool = customResource(
  object(
    {
      replicas: integer(0),
      roles: array(enumOf('controller', 'broker'), { minItems: 1 }),
      storage: nodePoolStorage,
      resources: k8s.resources,
      jvmOptions,
      template: object({
        podSet: resourceTemplate,
        pod: podTemplate,
        perPodService: resourceTemplate,
        perPodRoute: resourceTemplate,
        perPodIngress: resourceTemplate,
        persistentVolumeClaim: resourceTemplate,
        kafkaContainer: containerTemplate,
        initContainer: containerTemplate,
      }),
    },
    ['replicas', 'roles', 'storage'],
  ),
);

// ---- KafkaTopic and KafkaUser ----

const kafkaTopic = customResource(
  object({
    topicName: str,
    partitions: integer(1),
    replicas: integer(1, 32767),
    config: freeForm,
  }),
  { specRequired: false },
);

const ACL_OPERATIONS = [
  'Read',
  'Write',
  'Create',
  'Delete',
  'Alter',
  'Describe',
  'ClusterAction',
  'AlterConfigs',
  'DescribeConfigs',
  'IdempotentWrite',
  'All',
];

const aclResource = object(
  {
    type: enumOf('topic', 'group', 'cluster', 'transactionalId'),
    name: str,
    patternType: enumOf('literal', 'prefix'),
  },
  ['type'],
  {
    // Named resources need a name; the cluster resource has none.
    if: whenField('type', 'cluster'),
    then: only({ name: false, patternType: false }),
    else: requires('name'),
  },
);

const kafkaUser = customResource(
  object({
    authentication: object(
      {
        type: enumOf('tls', 'tls-external', 'scram-sha-512'),
        password: object({ valueFrom: object({ secretKeyRef: k8s.secretKeySelector }, ['secretKeyRef']) }, [
          'valueFrom',
        ]),
      },
      ['type'],
    ),
    authorization: object(
      {
        type: enumOf('simple'),
        acls: array(
          object(
            {
              type: enumOf('allow', 'deny'),
              resource: aclResource,
              host: str,
              operations: array(enumOf(...ACL_OPERATIONS), { minItems: 1 }),
            },
            // The deprecated singular `operation` is not modelled.
            ['resource', 'operations'],
          ),
        ),
      },
      ['type', 'acls'],
    ),
    quotas: object({
      producerByteRate: integer(0),
      consumerByteRate: integer(0),
      requestPercentage: integer(0),
      controllerMutationRate: number(0),
    }),
    template: object({ secret: resourceTemplate }),
  }),
  { specRequired: false },
);

// ---- KafkaMirrorMaker2 (DR, issue 18) ----
// The form Strimzi 0.48 supports: `connectCluster` + `clusters` + `mirrors[].sourceCluster/targetCluster` (the
// `target` / `mirrors[].source` layout of proposal 115 comes with later releases). Deprecated fields
// (`topicsBlacklistPattern`, `pause`, `externalConfiguration`, jaeger tracing) are left out, so using them
// fails the plan. Connector and cluster `config` stay free-form, as in the CRD.

const clientAuthentication = object(
  {
    type: enumOf('tls', 'scram-sha-256', 'scram-sha-512', 'plain', 'oauth'),
    username: str,
    passwordSecret: object({ secretName: str, password: str }, ['secretName', 'password']),
    certificateAndKey: object({ secretName: str, certificate: str, key: str }, [
      'secretName',
      'certificate',
      'key',
    ]),
  },
  ['type'],
  {
    allOf: [
      requireWhen('type', 'scram-sha-512', ['username', 'passwordSecret']),
      requireWhen('type', 'scram-sha-256', ['username', 'passwordSecret']),
      requireWhen('type', 'plain', ['username', 'passwordSecret']),
      requireWhen('type', 'tls', ['certificateAndKey']),
    ],
  },
);

const mirrorMakerCluster = object(
  {
    alias: string({ pattern: '^[a-zA-Z0-9\\._\\-]{1,100}$' }),
    bootstrapServers: str,
    tls: object({ trustedCertificates }),
    authentication: clientAuthentication,
    config: freeForm,
  },
  ['alias', 'bootstrapServers'],
);

const mirrorConnector = object({
  tasksMax: integer(1),
  config: freeForm,
  autoRestart: object({ enabled: bool, maxRestarts: integer(0) }),
  state: enumOf('paused', 'stopped', 'running'),
});

const mirrorMakerMirror = object(
  {
    sourceCluster: str,
    targetCluster: str,
    sourceConnector: mirrorConnector,
    heartbeatConnector: mirrorConnector,
    checkpointConnector: mirrorConnector,
    topicsPattern: str,
    topicsExcludePattern: str,
    groupsPattern: str,
    groupsExcludePattern: str,
  },
  ['sourceCluster', 'targetCluster'],
);

const kafkaMirrorMaker2 = customResource(
  object(
    {
      version: str,
      replicas: integer(0),
      image: str,
      connectCluster: str,
      clusters: array(mirrorMakerCluster, { minItems: 1 }),
      mirrors: array(mirrorMakerMirror, { minItems: 1 }),
      resources: k8s.resources,
      livenessProbe: probe,
      readinessProbe: probe,
      jvmOptions,
      logging,
      clientRackInitImage: str,
      rack: object({ topologyKey: str }, ['topologyKey']),
      metricsConfig,
      template: object({
        podSet: resourceTemplate,
        pod: podTemplate,
        apiService: object({ metadata: metadataTemplate }),
        headlessService: object({ metadata: metadataTemplate }),
        connectContainer: containerTemplate,
        initContainer: containerTemplate,
        podDisruptionBudget: object({ metadata: metadataTemplate, maxUnavailable: integer(0) }),
        serviceAccount: resourceTemplate,
        clusterRoleBinding: resourceTemplate,
        jmxSecret: resourceTemplate,
      }),
    },
    ['connectCluster', 'clusters'],
  ),
);

export const STRIMZI_SCHEMAS: readonly CrdSchema[] = [
  { apiVersion: API_VERSION, kind: 'Kafka', schema: kafka },
  { apiVersion: API_VERSION, kind: 'KafkaNodePool', schema: kafkaNodePool },
  { apiVersion: API_VERSION, kind: 'KafkaTopic', schema: kafkaTopic },
  { apiVersion: API_VERSION, kind: 'KafkaUser', schema: kafkaUser },
  // DR (issue 18): MirrorMaker 2 in the standby; without it the plan rejects the object as an unknown kind.
  { apiVersion: API_VERSION, kind: 'KafkaMirrorMaker2', schema: kafkaMirrorMaker2 },
];
