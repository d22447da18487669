/** S3 storage of Loki or Tempo on EKS: the bucket the stack created and the IRSA role that reaches it. */
export interface ObjectStorage {
  readonly bucket: string;
  readonly region: string;
  readonly roleArn: unknown;
}

export interface LokiInput {
  /** Keep logs this long ("7d", "4w"). */
  readonly retention: string;
  /** Volume per pod: all data (single binary) or the write-ahead log and caches (scalable). */
  readonly storage: string;
  readonly storageClass: string;
  readonly topologyKey: string;
  /** undefined: single binary on a volume; set: simple scalable with chunks and indexes in S3. */
  readonly objectStorage?: ObjectStorage;
}

/** The Loki gateway (nginx in front of read and write paths): where Alloy pushes and Grafana queries. */
export const LOKI_RELEASE = 'loki';
export const LOKI_GATEWAY_PORT = 80;
/** The schema every Loki store starts with: TSDB index, schema v13 (needed for structured metadata). */
const SCHEMA = {
  configs: [
    {
      from: '2025-01-01',
      store: 'tsdb',
      schema: 'v13',
      index: { prefix: 'loki_index_', period: '24h' },
    },
  ],
};

/**
 * Values of the pinned Loki chart. On a volume: one SingleBinary pod (dev, qat, EKS stacks without a
 * bucket). With S3: SimpleScalable, three write, read and backend pods over the zones with replication 3.
 * Retention is enforced by the compactor; structured metadata (trace and request ids) is allowed.
 */
export function lokiValues(input: LokiInput): Record<string, unknown> {
  const s3 = input.objectStorage;
  const objectStore = s3 ? 's3' : 'filesystem';
  const persistence = { enabled: true, size: input.storage, storageClass: input.storageClass };
  const spread = {
    topologySpreadConstraints: [
      {
        maxSkew: 1,
        topologyKey: input.topologyKey,
        whenUnsatisfiable: 'ScheduleAnyway',
        labelSelector: { matchLabels: { 'app.kubernetes.io/name': 'loki' } },
      },
    ],
  };
  return {
    deploymentMode: s3 ? 'SimpleScalable' : 'SingleBinary',
    loki: {
      auth_enabled: false,
      commonConfig: { replication_factor: s3 ? 3 : 1 },
      schemaConfig: {
        configs: SCHEMA.configs.map((c) => ({ ...c, object_store: objectStore })),
      },
      storage: s3
        ? {
            type: 's3',
            bucketNames: { chunks: s3.bucket, ruler: s3.bucket, admin: s3.bucket },
            s3: { region: s3.region },
          }
        : { type: 'filesystem' },
      limits_config: {
        retention_period: input.retention,
        allow_structured_metadata: true,
        volume_enabled: true,
      },
      compactor: {
        retention_enabled: true,
        delete_request_store: objectStore,
        working_directory: '/var/loki/compactor',
      },
      pattern_ingester: { enabled: false },
    },
    ...(s3 && { serviceAccount: { annotations: { 'eks.amazonaws.com/role-arn': s3.roleArn } } }),
    singleBinary: s3 ? { replicas: 0 } : { replicas: 1, persistence },
    write: s3 ? { replicas: 3, persistence, ...spread } : { replicas: 0 },
    read: s3 ? { replicas: 3, ...spread } : { replicas: 0 },
    backend: s3 ? { replicas: 3, persistence, ...spread } : { replicas: 0 },
    gateway: { enabled: true, replicas: s3 ? 2 : 1 },
    // Caches (memcached) and the chart's canary and self-test pods are not needed at this volume.
    chunksCache: { enabled: false },
    resultsCache: { enabled: false },
    lokiCanary: { enabled: false },
    test: { enabled: false },
  };
}
