import { KAFKA_JMX_METRICS } from './jmx-metric-name';

/**
 * Metrics the dashboards read that no service of ours exposes and no rule of ours records: what the
 * exporters of the monitoring stack and the data charts export. Only names a dashboard uses are listed; each
 * exporter says which version and where its names come from. The dashboards' metric test refuses any name
 * that is neither here, nor on a service's /metrics, nor recorded by charts/slo.
 */
export interface Exporter {
  /** Which exporter, and the version the names were checked against. */
  readonly exporter: string;
  /** Where the names come from (source file or documentation). */
  readonly source: string;
  readonly metrics: readonly string[];
}

export const EXTERNAL_METRICS: readonly Exporter[] = [
  {
    exporter: 'Prometheus scrape (every target)',
    source: 'https://prometheus.io/docs/concepts/jobs_instances/ (automatically generated series)',
    metrics: ['up'],
  },
  {
    exporter: 'kube-state-metrics v2.x (kube-prometheus-stack)',
    source: 'kube-state-metrics docs/metrics/: node, pod, namespace and horizontalpodautoscaler metrics',
    metrics: [
      'kube_node_info',
      'kube_node_status_allocatable',
      'kube_namespace_status_phase',
      'kube_pod_status_phase',
      'kube_pod_container_resource_requests',
      'kube_pod_container_resource_limits',
      'kube_pod_container_status_restarts_total',
      'kube_horizontalpodautoscaler_status_current_replicas',
      'kube_horizontalpodautoscaler_spec_max_replicas',
    ],
  },
  {
    exporter: 'node-exporter 1.x (kube-prometheus-stack)',
    source:
      'node_exporter collector/cpu_linux.go, collector/meminfo.go (MemTotal, MemAvailable from /proc/meminfo)',
    metrics: ['node_cpu_seconds_total', 'node_memory_MemAvailable_bytes', 'node_memory_MemTotal_bytes'],
  },
  {
    exporter: 'kubelet: cAdvisor (/metrics/cadvisor) and volume stats (/metrics), Kubernetes 1.30+',
    source: 'cadvisor docs/storage/prometheus.md; kubelet pkg/kubelet/metrics/collectors/volume_stats.go',
    metrics: [
      'container_cpu_usage_seconds_total',
      'container_memory_working_set_bytes',
      'kubelet_volume_stats_used_bytes',
      'kubelet_volume_stats_capacity_bytes',
    ],
  },
  {
    exporter: 'percona/mongodb_exporter 0.47 with --compatible-mode (charts/mongodb-replica-set)',
    source:
      'mongodb_exporter exporter/v1_compatibility.go (conversions(), replSetMetrics(), myState(), oplogStatus()); mongodb_up from exporter.go',
    metrics: [
      'mongodb_up',
      'mongodb_mongod_replset_my_state',
      'mongodb_mongod_replset_number_of_members',
      'mongodb_mongod_replset_member_replication_lag',
      'mongodb_mongod_replset_oplog_head_timestamp',
      'mongodb_mongod_replset_oplog_tail_timestamp',
      'mongodb_op_counters_total',
      'mongodb_mongod_op_counters_repl_total',
      'mongodb_connections',
      'mongodb_memory',
    ],
  },
  {
    exporter: 'oliver006/redis_exporter 1.77 (sidecars of charts/redis-sentinel)',
    source:
      'redis_exporter exporter/exporter.go (metricMapGauges, metricMapCounters, metricDescriptions) and sentinels.go',
    metrics: [
      'redis_up',
      'redis_instance_info',
      'redis_connected_slaves',
      'redis_master_link_up',
      'redis_memory_used_bytes',
      'redis_memory_max_bytes',
      'redis_commands_processed_total',
      'redis_keyspace_hits_total',
      'redis_keyspace_misses_total',
      'redis_connected_clients',
      'redis_sentinel_master_status',
      'redis_sentinel_master_sentinels',
      'redis_sentinel_master_ok_sentinels',
      'redis_sentinel_master_ok_slaves',
    ],
  },
  {
    exporter: 'Strimzi Kafka: Prometheus JMX exporter with KAFKA_JMX_RULES (charts/kafka-cluster)',
    source:
      'derived from the beans in jmx-metric-name.ts through charts/kafka-cluster/kafka-metrics-config.ts',
    metrics: Object.values(KAFKA_JMX_METRICS),
  },
  {
    exporter: 'Kafka Exporter (danielqsj/kafka_exporter 1.x, bundled with Strimzi 0.4x)',
    source:
      'kafka_exporter kafka_exporter.go (kafka_brokers, kafka_topic_partition_*, kafka_consumergroup_*)',
    metrics: [
      'kafka_brokers',
      'kafka_topic_partition_current_offset',
      'kafka_consumergroup_current_offset',
      'kafka_consumergroup_lag',
    ],
  },
];

/** Every allow-listed name, each with the exporter that provides it. */
export function externalMetricNames(): ReadonlyMap<string, string> {
  const names = new Map<string, string>();
  for (const { exporter, metrics } of EXTERNAL_METRICS) for (const m of metrics) names.set(m, exporter);
  return names;
}
