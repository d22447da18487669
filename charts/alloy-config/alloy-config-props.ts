/** What the Alloy DaemonSet's configuration (chart value `alloy.configMap.content`) is rendered from. */
export interface AlloyConfigProps {
  /**
   * Namespaces whose pods' logs are shipped to Loki (e.g. apps, data, platform, monitoring); pods of any other
   * namespace are ignored. Non-empty, distinct DNS labels.
   */
  readonly namespaces: readonly string[];
  /**
   * Loki's push API, http(s) without credentials.
   * @default DEFAULT_LOKI_PUSH_URL (the loki-gateway Service of the monitoring namespace)
   */
  readonly lokiPushUrl?: string;
  /**
   * Tempo's OTLP gRPC receiver as `host:port`.
   * @default DEFAULT_TEMPO_OTLP_ENDPOINT
   */
  readonly tempoOtlpEndpoint?: string;
  /**
   * Send spans to Tempo without TLS. Inside the cluster the hop is pod-to-pod on the cluster network, fenced
   * by NetworkPolicies, and Tempo's in-cluster receiver has no certificate; set false once Tempo serves TLS.
   * @default true
   */
  readonly tempoInsecure?: boolean;
}

export const DEFAULT_LOKI_PUSH_URL = 'http://loki-gateway.monitoring.svc.cluster.local/loki/api/v1/push';
export const DEFAULT_TEMPO_OTLP_ENDPOINT = 'tempo.monitoring.svc.cluster.local:4317';

/** Where Alloy receives OTLP from the services: the lead opens these on the Alloy pods/Service. */
export const OTLP_GRPC_PORT = 4317;
export const OTLP_HTTP_PORT = 4318;

/**
 * The same ports in the shape of the `alloy` chart's `alloy.extraPorts` (the chart adds them to the container
 * and to its Service).
 */
export const ALLOY_EXTRA_PORTS: readonly {
  readonly name: string;
  readonly port: number;
  readonly targetPort: number;
  readonly protocol: 'TCP';
}[] = [
  { name: 'otlp-grpc', port: OTLP_GRPC_PORT, targetPort: OTLP_GRPC_PORT, protocol: 'TCP' },
  { name: 'otlp-http', port: OTLP_HTTP_PORT, targetPort: OTLP_HTTP_PORT, protocol: 'TCP' },
];

/**
 * Labels the `alloy` chart puts on its pods (plus `app.kubernetes.io/instance: <release name>`), for
 * NetworkPolicy selectors.
 */
export const ALLOY_POD_LABELS: Readonly<Record<string, string>> = { 'app.kubernetes.io/name': 'alloy' };

/**
 * The stream labels every shipped log line carries, all of bounded cardinality. The pod name is deliberately
 * not among them (it changes on every rollout and HPA step, so it would multiply streams): it rides along as
 * structured metadata.
 */
export const ALLOY_LOG_LABELS = ['namespace', 'app', 'track', 'container', 'level'] as const;
export type AlloyLogLabel = (typeof ALLOY_LOG_LABELS)[number];

/** High-cardinality per-line fields, kept as Loki structured metadata (queryable, not indexed as streams). */
export const ALLOY_STRUCTURED_METADATA = ['trace_id', 'span_id', 'request_id', 'pod'] as const;

/** Values of the `level` label: pino's level names, `unknown` for lines without a recognisable level. */
export const LOG_LEVEL_VALUES = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'unknown'] as const;

/** Pino's numeric levels, mapped to names for lines written without the services' level formatter. */
export const PINO_LEVEL_NAMES: Readonly<Record<string, (typeof LOG_LEVEL_VALUES)[number]>> = {
  '10': 'trace',
  '20': 'debug',
  '30': 'info',
  '40': 'warn',
  '50': 'error',
  '60': 'fatal',
};

/**
 * Request paths whose successful access-log lines are dropped: probes and scrapes every few seconds per pod.
 * A failing probe (status >= 400) is kept, as the services themselves log it at info.
 */
export const PROBE_PATHS = ['/health', '/ready', '/metrics'] as const;

/** The pod label that names a service (from charts/lib) and the one naming its track. */
export { NAME_LABEL, TRACK_LABEL } from '../lib/labels';
