/**
 * Percona Operator for MongoDB v1.21.1, psmdb.percona.com/v1: PerconaServerMongoDB. Covers replica sets (with
 * arbiter, non-voting and hidden members), sharding, backups (S3, GCS, Azure, filesystem; PITR; scheduled tasks),
 * PMM, TLS, users and the operator's global settings. mongod `configuration` stays a free-form YAML string, as in
 * the CRD. Requirements the operator enforces when it reconciles (at least one replica set, a volumeSpec per
 * replica set, the storage block matching its type) are added on top of the CRD.
 */
import { kubernetesRef } from '../ajv-setup';
import type { JsonSchema } from '../schema-types';
import {
  annotations,
  array,
  bool,
  customResource,
  enumOf,
  integer,
  intOrString,
  k8s,
  labels,
  mapOf,
  num,
  number,
  object,
  requireWhen,
  str,
  stringMap,
  strings,
} from './schema-builders';
import type { CrdSchema } from './schema-builders';

const imagePullPolicy = enumOf('Always', 'IfNotPresent', 'Never');
const serviceType = enumOf('ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName');

/** The CRD requires the IP, which the Kubernetes 1.30 HostAlias type leaves optional. */
const hostAliases = array(object({ ip: str, hostnames: strings }, ['ip']));
const affinity = object({ antiAffinityTopologyKey: str, advanced: k8s.affinity });
const podDisruptionBudget = object({ maxUnavailable: intOrString, minAvailable: intOrString });

const probeFields: Record<string, JsonSchema> = {
  exec: kubernetesRef('core.v1.ExecAction'),
  httpGet: kubernetesRef('core.v1.HTTPGetAction'),
  tcpSocket: kubernetesRef('core.v1.TCPSocketAction'),
  grpc: kubernetesRef('core.v1.GRPCAction'),
  initialDelaySeconds: integer(0),
  timeoutSeconds: integer(1),
  periodSeconds: integer(1),
  successThreshold: integer(1),
  failureThreshold: integer(1),
  terminationGracePeriodSeconds: integer(0),
};
/** The operator's liveness probe adds a start-up delay to the Kubernetes probe. */
const livenessProbe = object({ ...probeFields, startupDelaySeconds: integer(0) });

/** A PVC spec plus the labels and annotations the operator puts on the claim. */
const persistentVolumeClaim = object({
  accessModes: array(enumOf('ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod')),
  storageClassName: str,
  resources: k8s.volumeResources,
  selector: k8s.labelSelector,
  volumeMode: enumOf('Filesystem', 'Block'),
  volumeName: str,
  volumeAttributesClassName: str,
  dataSource: k8s.typedLocalObjectReference,
  dataSourceRef: k8s.typedObjectReference,
  annotations,
  labels,
});

const volumeSpec = object({ persistentVolumeClaim, emptyDir: k8s.emptyDir, hostPath: k8s.hostPath }, [], {
  minProperties: 1,
  maxProperties: 1,
});

const expose = {
  type: serviceType,
  loadBalancerSourceRanges: strings,
  loadBalancerClass: str,
  annotations,
  labels,
  internalTrafficPolicy: enumOf('Cluster', 'Local'),
  externalTrafficPolicy: enumOf('Cluster', 'Local'),
};

/** Scheduling and pod settings every member set (replica set, arbiter, non-voting, hidden, mongos) has. */
const podSettings: Record<string, JsonSchema> = {
  affinity,
  tolerations: k8s.tolerations,
  topologySpreadConstraints: k8s.topologySpreadConstraints,
  nodeSelector: stringMap,
  priorityClassName: str,
  runtimeClassName: str,
  serviceAccountName: str,
  annotations,
  labels,
  podDisruptionBudget,
  resources: k8s.resources,
  terminationGracePeriodSeconds: integer(0),
  sidecars: k8s.containers,
  sidecarVolumes: k8s.volumes,
  sidecarPVCs: array(k8s.persistentVolumeClaim),
};

/** Settings of data-bearing mongod pods. */
const mongodSettings: Record<string, JsonSchema> = {
  ...podSettings,
  // mongod.conf as a YAML string; the operator merges it into its own.
  configuration: str,
  containerSecurityContext: k8s.securityContext,
  podSecurityContext: k8s.podSecurityContext,
  livenessProbe,
  readinessProbe: object(probeFields),
  volumeSpec,
};

const memberSet = object({ enabled: bool, size: integer(0), ...mongodSettings }, ['enabled', 'size']);

const arbiter = object({ enabled: bool, size: integer(0), ...podSettings }, ['enabled', 'size']);

const storage = object({
  // mmapv1 is refused by the operator.
  engine: enumOf('wiredTiger', 'inMemory'),
  directoryPerDB: bool,
  syncPeriodSecs: integer(),
  wiredTiger: object({
    engineConfig: object({
      cacheSizeRatio: num,
      directoryForIndexes: bool,
      journalCompressor: enumOf('none', 'snappy', 'zlib', 'zstd'),
    }),
    collectionConfig: object({ blockCompressor: enumOf('none', 'snappy', 'zlib', 'zstd') }),
    indexConfig: object({ prefixCompression: bool }),
  }),
  inMemory: object({ engineConfig: object({ inMemorySizeRatio: num }) }),
});

const replset = object(
  {
    name: str,
    size: integer(0),
    ...mongodSettings,
    storage,
    expose: object({ enabled: bool, ...expose }, ['enabled']),
    arbiter,
    nonvoting: memberSet,
    hidden: memberSet,
    hostAliases,
    splitHorizons: mapOf(stringMap),
    primaryPreferTagSelector: stringMap,
    externalNodes: array(
      object(
        {
          host: str,
          port: integer(),
          votes: integer(0, 1),
          priority: integer(0, 1000),
          horizons: stringMap,
          tags: stringMap,
        },
        ['host', 'votes', 'priority'],
      ),
    ),
  },
  // The operator refuses a replica set without volumes.
  ['size', 'volumeSpec'],
);

const mongos = object({
  size: integer(0),
  ...podSettings,
  configuration: str,
  containerSecurityContext: k8s.securityContext,
  podSecurityContext: k8s.podSecurityContext,
  livenessProbe,
  readinessProbe: object(probeFields),
  hostAliases,
  port: integer(1, 65535),
  hostPort: integer(1, 65535),
  setParameter: object({ cursorTimeoutMillis: integer(0) }),
  expose: object({ ...expose, nodePort: integer(), servicePerPod: bool }),
});

const sharding = object(
  {
    enabled: bool,
    balancer: object({ enabled: bool }),
    configsvrReplSet: replset,
    mongos,
  },
  ['enabled'],
);

/** Compression PBM implements. */
const compressionType = enumOf('none', 'gzip', 'pgzip', 'snappy', 'lz4', 's2', 'zstd');

const s3 = object(
  {
    bucket: str,
    region: str,
    prefix: str,
    endpointUrl: str,
    credentialsSecret: str,
    storageClass: str,
    forcePathStyle: bool,
    insecureSkipTLSVerify: bool,
    maxUploadParts: integer(1),
    uploadPartSize: integer(1),
    debugLogLevels: str,
    retryer: object({ numMaxRetries: integer(0), minRetryDelay: str, maxRetryDelay: str }),
    serverSideEncryption: object({
      kmsKeyID: str,
      sseAlgorithm: str,
      sseCustomerAlgorithm: str,
      sseCustomerKey: str,
    }),
  },
  ['bucket'],
);

const backupStorage = object(
  {
    type: enumOf('s3', 'gcs', 'azure', 'filesystem'),
    main: bool,
    s3,
    gcs: object(
      {
        bucket: str,
        prefix: str,
        credentialsSecret: str,
        chunkSize: integer(),
        retryer: object({ backoffInitial: integer(), backoffMax: integer(), backoffMultiplier: num }, [
          'backoffInitial',
          'backoffMax',
          'backoffMultiplier',
        ]),
      },
      ['bucket', 'credentialsSecret'],
    ),
    azure: object({ container: str, prefix: str, endpointUrl: str, credentialsSecret: str }, [
      'credentialsSecret',
    ]),
    filesystem: object({ path: str }, ['path']),
  },
  ['type'],
  // The operator reads the block named by `type`.
  { allOf: ['s3', 'gcs', 'azure', 'filesystem'].map((type) => requireWhen('type', type, [type])) },
);

const backupTask = object(
  {
    name: str,
    enabled: bool,
    schedule: str,
    keep: integer(0),
    retention: object({ type: enumOf('count'), count: integer(0), deleteFromStorage: bool }, [
      'type',
      'deleteFromStorage',
    ]),
    storageName: str,
    type: enumOf('logical', 'physical', 'incremental', 'incremental-base'),
    compressionType,
    compressionLevel: integer(),
  },
  ['name', 'enabled'],
);

const backup = object(
  {
    enabled: bool,
    image: str,
    annotations,
    labels,
    resources: k8s.resources,
    serviceAccountName: str,
    runtimeClassName: str,
    startingDeadlineSeconds: integer(0),
    containerSecurityContext: k8s.securityContext,
    podSecurityContext: k8s.podSecurityContext,
    volumeMounts: k8s.volumeMounts,
    storages: mapOf(backupStorage),
    pitr: object({
      enabled: bool,
      oplogOnly: bool,
      oplogSpanMin: number(0),
      compressionType,
      compressionLevel: integer(),
    }),
    configuration: object({
      backupOptions: object(
        {
          oplogSpanMin: num,
          numParallelCollections: integer(1),
          priority: mapOf(num),
          timeouts: object({ startingStatus: integer(0) }),
        },
        ['oplogSpanMin'],
      ),
      restoreOptions: object({
        batchSize: integer(),
        numInsertionWorkers: integer(),
        numDownloadWorkers: integer(),
        numParallelCollections: integer(),
        maxDownloadBufferMb: integer(),
        downloadChunkMb: integer(),
        mongodLocation: str,
        mongodLocationMap: stringMap,
      }),
    }),
    tasks: array(backupTask),
  },
  ['enabled', 'image'],
);

const pmm = object(
  {
    enabled: bool,
    image: str,
    serverHost: str,
    customClusterName: str,
    mongodParams: str,
    mongosParams: str,
    resources: k8s.resources,
    containerSecurityContext: k8s.securityContext,
  },
  ['image'],
);

const user = object(
  {
    name: str,
    db: str,
    passwordSecretRef: object({ name: str, key: str }, ['name']),
    roles: array(object({ name: str, db: str }, ['name', 'db'])),
  },
  ['name', 'roles'],
);

const perconaServerMongoDb = customResource(
  object(
    {
      crVersion: str,
      image: str,
      imagePullPolicy,
      imagePullSecrets: k8s.imagePullSecrets,
      initImage: str,
      initContainerSecurityContext: k8s.securityContext,
      pause: bool,
      unmanaged: bool,
      platform: enumOf('kubernetes', 'openshift'),
      updateStrategy: enumOf('SmartUpdate', 'RollingUpdate', 'OnDelete'),
      upgradeOptions: object({ versionServiceEndpoint: str, apply: str, schedule: str, setFCV: bool }),
      unsafeFlags: object({
        tls: bool,
        replsetSize: bool,
        mongosSize: bool,
        terminationGracePeriod: bool,
        backupIfUnhealthy: bool,
      }),
      clusterServiceDNSSuffix: str,
      clusterServiceDNSMode: enumOf('Internal', 'External', 'ServiceMesh'),
      multiCluster: object({ enabled: bool, DNSSuffix: str }, ['enabled']),
      enableVolumeExpansion: bool,
      enableExternalVolumeAutoscaling: bool,
      ignoreAnnotations: strings,
      ignoreLabels: strings,
      schedulerName: str,
      secrets: object({
        users: str,
        encryptionKey: str,
        keyFile: str,
        ssl: str,
        sslInternal: str,
        vault: str,
        ldapSecret: str,
        sse: str,
      }),
      tls: object({
        mode: enumOf('disabled', 'allowTLS', 'preferTLS', 'requireTLS'),
        certValidityDuration: str,
        allowInvalidCertificates: bool,
        issuerConf: object({ name: str, kind: str, group: str }, ['name']),
      }),
      replsets: array(replset, { minItems: 1 }),
      sharding,
      backup,
      pmm,
      logcollector: object({
        enabled: bool,
        image: str,
        imagePullPolicy,
        configuration: str,
        resources: k8s.resources,
        containerSecurityContext: k8s.securityContext,
      }),
      users: array(user),
    },
    // The operator refuses a cluster without an image or without replica sets.
    ['image', 'replsets'],
  ),
);

export const PERCONA_MONGODB_SCHEMAS: readonly CrdSchema[] = [
  { apiVersion: 'psmdb.percona.com/v1', kind: 'PerconaServerMongoDB', schema: perconaServerMongoDb },
];
