import type { ObjectStorage } from './loki-values';

export interface TempoInput {
  /** Keep traces this long (Go duration in hours, "72h"). */
  readonly retention: string;
  readonly storage: string;
  readonly storageClass: string;
  /** undefined: blocks on the volume; set: blocks in S3 (the volume holds the WAL). */
  readonly objectStorage?: ObjectStorage;
}

export const TEMPO_RELEASE = 'tempo';
/** Tempo's query API (Grafana) and its OTLP receivers (Alloy forwards to gRPC). */
export const TEMPO_PORTS = { http: 3200, otlpGrpc: 4317, otlpHttp: 4318 } as const;

/** Values of the pinned Tempo chart (single binary): OTLP receivers only, retention, local or S3 blocks. */
export function tempoValues(input: TempoInput): Record<string, unknown> {
  const s3 = input.objectStorage;
  return {
    tempo: {
      retention: input.retention,
      reportingEnabled: false,
      receivers: {
        otlp: {
          protocols: {
            grpc: { endpoint: `0.0.0.0:${TEMPO_PORTS.otlpGrpc}` },
            http: { endpoint: `0.0.0.0:${TEMPO_PORTS.otlpHttp}` },
          },
        },
      },
      storage: {
        trace: s3
          ? {
              backend: 's3',
              s3: { bucket: s3.bucket, region: s3.region, endpoint: `s3.${s3.region}.amazonaws.com` },
              wal: { path: '/var/tempo/wal' },
            }
          : { backend: 'local', local: { path: '/var/tempo/traces' }, wal: { path: '/var/tempo/wal' } },
      },
      resources: {
        requests: { cpu: '200m', memory: '512Mi' },
        limits: { cpu: '1', memory: '2Gi' },
      },
    },
    persistence: { enabled: true, size: input.storage, storageClassName: input.storageClass },
    ...(s3 && { serviceAccount: { annotations: { 'eks.amazonaws.com/role-arn': s3.roleArn } } }),
  };
}
