import type { AlertingRule, RuleGroup } from '../slo';
import { NON_SLI_ROUTES, promString } from '../slo';
import { alertInfo } from './alert-catalogue';
import type { AlertName } from './alert-catalogue';
import { BACKUP_COMPLETED_METRIC } from './backup-age-metrics';
import type { DatastoreTargets } from './prometheus-rules-props';

/** What the platform alerts need, with defaults resolved. */
export interface PlatformAlertTargets {
  readonly appsNamespace: string;
  readonly services: readonly string[];
  readonly workloadNamespaces: readonly string[];
  readonly datastores: DatastoreTargets;
}

/** A per-pod alert: Alertmanager groups and inhibits these apart from service-level ones. */
const POD_SCOPE = { scope: 'pod' } as const;

function alert(
  name: AlertName,
  expr: string,
  forDuration: string | undefined,
  description: string,
  labels: Readonly<Record<string, string>> = {},
): AlertingRule {
  const info = alertInfo(name);
  return {
    alert: name,
    expr,
    ...(forDuration !== undefined && { for: forDuration }),
    labels: { severity: info.severity, ...labels },
    annotations: { summary: info.summary, description },
  };
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `label=~"a|b"` matching exactly the given values. */
function oneOf(label: string, values: readonly string[]): string {
  return `${label}=~${promString(values.map(escapeRegex).join('|'))}`;
}

function eq(label: string, value: string): string {
  return `${label}=${promString(value)}`;
}

function serviceAlerts(t: PlatformAlertTargets): RuleGroup {
  const ns = eq('namespace', t.appsNamespace);
  const services = oneOf('service', t.services);
  const traffic = `${ns}, ${services}, route!~${promString(NON_SLI_ROUTES.join('|'))}`;
  const failures = (store: string) =>
    `sum by (namespace, service) (increase(datastore_connection_failures_total{${ns}, ${services}, store="${store}"}[5m])) > 0`;
  return {
    name: 'platform-services',
    rules: [
      // One rule per service: absent() keeps the service's labels only for equality matchers.
      ...t.services.map((service) => {
        const up = `up{${ns}, ${eq('service', service)}}`;
        return alert(
          'ServiceDown',
          `sum by (namespace, service) (${up}) == 0\nor\nabsent(${up})`,
          '1m',
          'No pod of {{ $labels.service }} has answered a scrape for 1 minute.',
          { namespace: t.appsNamespace, service },
        );
      }),
      alert(
        'NamespaceOutage',
        `sum by (namespace) (up{${ns}, ${services}}) == 0\nor\nabsent(up{${ns}, ${services}})`,
        '1m',
        'None of the services ({{ $labels.namespace }}: ' + t.services.join(', ') + ') answers its scrape.',
        { namespace: t.appsNamespace },
      ),
      alert(
        'ServiceHighErrorRate',
        `sum by (namespace, service) (rate(http_requests_total{${traffic}, status=~"5.."}[5m]))\n/\n` +
          `sum by (namespace, service) (rate(http_requests_total{${traffic}}[5m]))\n> 0.05`,
        '5m',
        '{{ $value | humanizePercentage }} of the requests of {{ $labels.service }} failed with a 5xx over the last 5 minutes.',
      ),
      alert(
        'ServiceHighLatency',
        `histogram_quantile(0.95, sum by (namespace, service, le) (rate(http_request_duration_seconds_bucket{${traffic}}[5m])))\n> 1`,
        '5m',
        'The 95th percentile latency of {{ $labels.service }} is {{ $value | humanizeDuration }}.',
      ),
      alert(
        'ServiceDatabaseConnectionFailures',
        failures('mongodb'),
        '5m',
        '{{ $labels.service }} counted {{ printf "%.0f" $value }} MongoDB connection failures in the last 5 minutes.',
      ),
      alert(
        'ServiceCacheConnectionFailures',
        failures('redis'),
        '5m',
        '{{ $labels.service }} counted {{ printf "%.0f" $value }} Redis connection failures in the last 5 minutes.',
      ),
      alert(
        'ServiceBrokerConnectionFailures',
        failures('kafka'),
        '5m',
        '{{ $labels.service }} counted {{ printf "%.0f" $value }} Kafka connection failures in the last 5 minutes.',
      ),
      alert(
        'OutboxBacklogGrowing',
        `max by (namespace, service) (outbox_oldest_pending_age_seconds{${ns}, ${services}}) > 300\n` +
          `or\n(\n  sum by (namespace, service) (outbox_pending_events{${ns}, ${services}}) > 0\n  and\n` +
          `  sum by (namespace, service) (deriv(outbox_pending_events{${ns}, ${services}}[15m])) > 0\n)`,
        '10m',
        'The oldest unpublished outbox entry of {{ $labels.service }} is older than 5 minutes, or its backlog grew for 15 minutes.',
      ),
      // A counter series is born at 1 on its first dead-lettered event, which increase() cannot see: the
      // `unless ... offset` term catches series that did not exist 10 minutes ago.
      alert(
        'DeadLetterMessages',
        `sum by (namespace, service, topic) (increase(events_dead_lettered_total{${ns}, ${services}}[10m])) > 0\n` +
          `or\nsum by (namespace, service, topic) (\n  events_dead_lettered_total{${ns}, ${services}}\n` +
          `  unless\n  events_dead_lettered_total{${ns}, ${services}} offset 10m\n) > 0`,
        undefined,
        '{{ $labels.service }} dead-lettered about {{ printf "%.0f" $value }} events to {{ $labels.topic }} in the last 10 minutes.',
      ),
    ],
  };
}

function kubernetesAlerts(t: PlatformAlertTargets): RuleGroup {
  const ns = oneOf('namespace', t.workloadNamespaces);
  const byContainer = 'namespace, pod, container';
  const pvc = 'namespace, persistentvolumeclaim';
  const hpa = 'namespace, horizontalpodautoscaler';
  return {
    name: 'platform-kubernetes',
    rules: [
      alert(
        'PodCrashLooping',
        `max by (${byContainer}) (increase(kube_pod_container_status_restarts_total{${ns}}[15m])) >= 3\n` +
          `or\nmax by (${byContainer}) (max_over_time(kube_pod_container_status_waiting_reason{${ns}, reason="CrashLoopBackOff"}[5m])) >= 1`,
        '5m',
        '{{ $labels.namespace }}/{{ $labels.pod }} ({{ $labels.container }}) keeps restarting.',
        POD_SCOPE,
      ),
      alert(
        'ContainerCpuThrottled',
        `sum by (${byContainer}) (increase(container_cpu_cfs_throttled_periods_total{${ns}, container!=""}[5m]))\n/\n` +
          `sum by (${byContainer}) (increase(container_cpu_cfs_periods_total{${ns}, container!=""}[5m]))\n> 0.25`,
        '15m',
        '{{ $value | humanizePercentage }} of the CPU periods of {{ $labels.container }} in {{ $labels.namespace }}/{{ $labels.pod }} were throttled.',
        POD_SCOPE,
      ),
      alert(
        'ContainerMemoryNearLimit',
        `max by (${byContainer}) (container_memory_working_set_bytes{${ns}, container!=""})\n/\n` +
          `max by (${byContainer}) (kube_pod_container_resource_limits{${ns}, resource="memory"})\n> 0.9`,
        '15m',
        '{{ $labels.container }} in {{ $labels.namespace }}/{{ $labels.pod }} uses {{ $value | humanizePercentage }} of its memory limit.',
        POD_SCOPE,
      ),
      alert(
        'PersistentVolumeFillingUp',
        `max by (${pvc}) (kubelet_volume_stats_available_bytes{${ns}})\n/\n` +
          `max by (${pvc}) (kubelet_volume_stats_capacity_bytes{${ns}})\n< 0.15`,
        '5m',
        'Only {{ $value | humanizePercentage }} of {{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }} is free.',
      ),
      // Only volumes past half full: an almost empty volume that grows fast for an hour is not news yet.
      alert(
        'PersistentVolumeFullIn4h',
        `max by (${pvc}) (predict_linear(kubelet_volume_stats_available_bytes{${ns}}[1h], 4 * 3600)) < 0\n` +
          `and\nmax by (${pvc}) (kubelet_volume_stats_available_bytes{${ns}})\n/\n` +
          `max by (${pvc}) (kubelet_volume_stats_capacity_bytes{${ns}})\n< 0.5`,
        '10m',
        '{{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }} fills up within 4 hours at the growth of the last hour.',
      ),
      // An HPA whose minimum equals its maximum is always "at max"; that is a fixed size, not saturation.
      alert(
        'HpaMaxedOut',
        `max by (${hpa}) (kube_horizontalpodautoscaler_status_current_replicas{${ns}})\n>=\n` +
          `max by (${hpa}) (kube_horizontalpodautoscaler_spec_max_replicas{${ns}})\nunless\n` +
          `max by (${hpa}) (kube_horizontalpodautoscaler_spec_max_replicas{${ns}})\n==\n` +
          `max by (${hpa}) (kube_horizontalpodautoscaler_spec_min_replicas{${ns}})`,
        '15m',
        '{{ $labels.namespace }}/{{ $labels.horizontalpodautoscaler }} runs {{ printf "%.0f" $value }} replicas, its maximum.',
      ),
    ],
  };
}

function mongodbAlerts(t: PlatformAlertTargets): RuleGroup {
  const { namespace, mongodb } = t.datastores;
  // The PodMonitor of charts/mongodb-replica-set is `<cluster>-mongod`; the operator's job label is ns/name.
  const sel = `${eq('namespace', namespace)}, ${eq('job', `${namespace}/${mongodb.cluster}-mongod`)}`;
  const backupSel = `${eq('namespace', namespace)}, ${eq('cluster', mongodb.cluster)}, state="ready"`;
  const maxAgeSeconds = mongodb.backupMaxAgeMinutes * 60;
  return {
    name: 'platform-mongodb',
    rules: [
      alert(
        'MongodbNoPrimary',
        `count by (namespace, set) (mongodb_mongod_replset_my_state{${sel}})\nunless\n` +
          `count by (namespace, set) (mongodb_mongod_replset_my_state{${sel}} == 1)`,
        '1m',
        'Members of {{ $labels.set }} report, but none of them is PRIMARY.',
      ),
      alert(
        'MongodbReplicationLag',
        `max by (namespace, set, name) (mongodb_mongod_replset_member_replication_lag{${sel}}) > 30`,
        '5m',
        '{{ $labels.name }} is {{ $value | humanizeDuration }} behind the primary of {{ $labels.set }}.',
      ),
      alert(
        'MongodbExporterDown',
        `max by (namespace, pod) (up{${sel}}) == 0\nor\nmax by (namespace, pod) (mongodb_up{${sel}}) == 0\nor\n` +
          `absent(up{${sel}})`,
        '5m',
        'The exporter of {{ $labels.namespace }}/{{ $labels.pod }} is not scraped or cannot reach mongod (no pod label: no exporter target is scraped at all).',
        POD_SCOPE,
      ),
      // absent_over_time() also fires when no backup completed within the window, or KSM does not export backups (see backup-age-metrics.ts).
      alert(
        'MongodbBackupTooOld',
        `time() - max by (namespace, cluster) (${BACKUP_COMPLETED_METRIC}{${backupSel}}) > ${maxAgeSeconds}\n` +
          `or\nabsent_over_time(${BACKUP_COMPLETED_METRIC}{${backupSel}}[${mongodb.backupMaxAgeMinutes}m])`,
        '5m',
        `No backup of {{ $labels.cluster }} reached state ready in the last ${mongodb.backupMaxAgeMinutes} minutes.`,
      ),
    ],
  };
}

function redisAlerts(t: PlatformAlertTargets): RuleGroup {
  const { namespace, redis } = t.datastores;
  const data = `${eq('namespace', namespace)}, ${eq('job', `${redis.name}-headless`)}`;
  const sentinels = `${eq('namespace', namespace)}, ${eq('job', `${redis.name}-sentinel-headless`)}`;
  return {
    name: 'platform-redis',
    rules: [
      alert(
        'RedisNoMaster',
        `absent(redis_instance_info{${data}, role="master"})\nor\n` +
          `max by (namespace) (redis_sentinel_master_status{${sentinels}}) == 0`,
        '1m',
        'No Redis data node reports role master, or no sentinel sees the master as ok.',
        { namespace },
      ),
      // The exporter counts the sentinel itself plus the peers it sees up; the best-connected sentinel decides.
      alert(
        'RedisSentinelQuorumLost',
        `max by (namespace) (redis_sentinel_master_ok_sentinels{${sentinels}}) < ${redis.sentinelQuorum}\nor\n` +
          `absent(redis_sentinel_master_ok_sentinels{${sentinels}})`,
        '2m',
        `At most {{ printf "%.0f" $value }} sentinels agree on the master; the quorum is ${redis.sentinelQuorum}.`,
        { namespace },
      ),
      alert(
        'RedisReplicaDisconnected',
        `max by (namespace, pod) (redis_master_link_up{${data}}) == 0`,
        '2m',
        'The replica {{ $labels.namespace }}/{{ $labels.pod }} has no replication link to its master.',
        POD_SCOPE,
      ),
      ...(redis.snapshot === undefined ? [] : [snapshotAlert(namespace, redis.snapshot)]),
    ],
  };
}

/**
 * The snapshot job's last success (kube-state-metrics, which sets the series only once a run succeeded) is too
 * old; a job that never succeeded counts from its creation, so a new one has a full interval before it alerts;
 * and no series at all means KSM does not see the CronJob that should be there.
 */
function snapshotAlert(
  namespace: string,
  snapshot: NonNullable<DatastoreTargets['redis']['snapshot']>,
): AlertingRule {
  const sel = `${eq('namespace', namespace)}, ${eq('cronjob', snapshot.cronJob)}`;
  const by = 'namespace, cronjob';
  const maxAgeSeconds = snapshot.maxAgeHours * 3600;
  return alert(
    'RedisSnapshotMissing',
    `time() - max by (${by}) (kube_cronjob_status_last_successful_time{${sel}}) > ${maxAgeSeconds}\nor\n` +
      `(time() - max by (${by}) (kube_cronjob_created{${sel}}) > ${maxAgeSeconds}\n` +
      `  unless on (${by}) kube_cronjob_status_last_successful_time{${sel}})\nor\n` +
      `absent(kube_cronjob_created{${sel}})`,
    '10m',
    `No run of {{ $labels.namespace }}/{{ $labels.cronjob }} succeeded in the last ${snapshot.maxAgeHours} hours, or kube-state-metrics does not see the CronJob.`,
  );
}

function kafkaAlerts(t: PlatformAlertTargets): RuleGroup {
  const { namespace, kafka } = t.datastores;
  const nodes = `${eq('namespace', namespace)}, ${eq('strimzi_io_cluster', kafka.cluster)}`;
  const exporter = `${eq('namespace', namespace)}, ${eq('job', `${namespace}/${kafka.cluster}-kafka-exporter`)}`;
  const by = 'namespace, strimzi_io_cluster';
  return {
    name: 'platform-kafka',
    rules: [
      alert(
        'KafkaOfflinePartitions',
        `sum by (${by}) (kafka_controller_kafkacontroller_offlinepartitionscount{${nodes}}) > 0`,
        '1m',
        '{{ printf "%.0f" $value }} partitions of {{ $labels.strimzi_io_cluster }} have no leader.',
      ),
      alert(
        'KafkaUnderMinIsrPartitions',
        `sum by (${by}) (kafka_server_replicamanager_underminisrpartitioncount{${nodes}}) > 0`,
        '5m',
        '{{ printf "%.0f" $value }} partitions of {{ $labels.strimzi_io_cluster }} are below min.insync.replicas.',
      ),
      alert(
        'KafkaConsumerLagGrowing',
        `sum by (namespace, consumergroup, topic) (kafka_consumergroup_lag{${exporter}}) > 100\nand\n` +
          `sum by (namespace, consumergroup, topic) (deriv(kafka_consumergroup_lag{${exporter}}[10m])) > 0`,
        '15m',
        '{{ $labels.consumergroup }} is {{ printf "%.0f" $value }} messages behind on {{ $labels.topic }} and falling further behind.',
      ),
      alert(
        'KafkaNoActiveController',
        `sum by (${by}) (kafka_controller_kafkacontroller_activecontrollercount{${nodes}}) != 1\nor\n` +
          `absent(kafka_controller_kafkacontroller_activecontrollercount{${nodes}})`,
        '1m',
        'The KRaft controllers of {{ $labels.strimzi_io_cluster }} do not report exactly one active controller.',
      ),
      ...(kafka.mirrorMaker === undefined ? [] : mirrorAlerts(namespace, kafka.mirrorMaker)),
    ],
  };
}

/** MirrorMaker 2 into the DR standby: metrics from charts/kafka-mirror-maker's JMX rules and PodMonitor. */
function mirrorAlerts(
  namespace: string,
  mirror: NonNullable<DatastoreTargets['kafka']['mirrorMaker']>,
): AlertingRule[] {
  const sel = `${eq('namespace', namespace)}, ${eq('job', `${namespace}/${mirror.name}-mirror-maker`)}`;
  return [
    alert(
      'KafkaMirrorReplicationLagHigh',
      `max by (namespace, topic) (kafka_connect_mirror_source_connector_replication_latency_ms_max{${sel}}) / 1000 > ${mirror.replicationLagBudgetSeconds}`,
      '5m',
      `Records of {{ $labels.topic }} reach the standby {{ printf "%.0f" $value }} s after they were written in prod; the budget is ${mirror.replicationLagBudgetSeconds} s.`,
    ),
    alert(
      'KafkaMirrorConnectorFailed',
      // Failed connectors, failed tasks, or no connector metrics at all (MirrorMaker 2 down is silent otherwise).
      `max by (namespace, connector) (kafka_connect_connector_status{${sel}, status="failed"}) > 0\nor\n` +
        `max by (namespace, connector) (kafka_connect_connector_task_status{${sel}, status="failed"}) > 0\nor\n` +
        `absent(kafka_connect_connector_status{${sel}})`,
      '5m',
      'MirrorMaker 2 in {{ $labels.namespace }} has a failed connector or task, or reports no connectors: the standby receives nothing.',
    ),
    alert(
      'KafkaMirrorCheckpointLagHigh',
      `max by (namespace, group) (kafka_connect_mirror_checkpoint_connector_checkpoint_latency_ms_max{${sel}}) / 1000 > ${mirror.checkpointLagBudgetSeconds}`,
      '10m',
      `Offsets of {{ $labels.group }} are checkpointed to the standby {{ printf "%.0f" $value }} s late; the budget is ${mirror.checkpointLagBudgetSeconds} s.`,
    ),
  ];
}

function watchdog(): RuleGroup {
  return {
    name: 'platform-watchdog',
    rules: [
      alert(
        'Watchdog',
        'vector(1)',
        undefined,
        'Always firing; Alertmanager routes it to the dead man’s switch.',
      ),
    ],
  };
}

/** The platform's non-SLO alerts, one group per area. */
export function platformRuleGroups(targets: PlatformAlertTargets): RuleGroup[] {
  return [
    serviceAlerts(targets),
    kubernetesAlerts(targets),
    mongodbAlerts(targets),
    redisAlerts(targets),
    kafkaAlerts(targets),
    watchdog(),
  ];
}
