import { SLO_ALERT_TEXT } from '../slo';

/** "critical" pages, "warning" opens a ticket, "none" is only the Watchdog (proves the pipeline works). */
export type AlertSeverity = 'critical' | 'warning' | 'none';

export interface AlertInfo {
  readonly name: string;
  readonly severity: AlertSeverity;
  /** The `summary` annotation: a Go template over the alert's labels. */
  readonly summary: string;
  /** What it means, for the README's alert table. */
  readonly meaning: string;
  /** The first thing the person on call should look at. */
  readonly firstCheck: string;
}

/**
 * Every alert the platform's rules can raise, as data: the chart takes severities and summaries from here, the
 * stack config validates `disabledAlerts` against the names, and the README table is generated from it.
 */
export const ALERTS = [
  {
    name: 'SLOAvailabilityBurnRateHigh',
    severity: 'critical',
    summary: SLO_ALERT_TEXT.SLOAvailabilityBurnRateHigh.summary,
    meaning:
      'The service fails (5xx) so often that its 30-day error budget is gone in about two days (14.4x over 1h and 5m, or 6x over 6h and 30m).',
    firstCheck:
      'The service dashboard: which routes return 5xx since when; recent deploys and canaries (`kubectl rollout history`), then the service logs.',
  },
  {
    name: 'SLOAvailabilityBurnRateElevated',
    severity: 'warning',
    summary: SLO_ALERT_TEXT.SLOAvailabilityBurnRateElevated.summary,
    meaning:
      'The service fails steadily enough to spend its 30-day error budget before the period ends (3x over 1d and 2h, or 1x over 3d and 6h).',
    firstCheck: 'The SLO dashboard: the budget left and which routes fail; plan a fix before it pages.',
  },
  {
    name: 'SLOLatencyBurnRateHigh',
    severity: 'critical',
    summary: SLO_ALERT_TEXT.SLOLatencyBurnRateHigh.summary,
    meaning:
      'So many requests are slower than the SLO threshold that the 30-day latency budget is gone in about two days.',
    firstCheck:
      'The service dashboard: latency per route and the dependency latency panel (MongoDB, Redis, other services); CPU throttling of its pods.',
  },
  {
    name: 'SLOLatencyBurnRateElevated',
    severity: 'warning',
    summary: SLO_ALERT_TEXT.SLOLatencyBurnRateElevated.summary,
    meaning: 'Requests are slow steadily enough to spend the 30-day latency budget before the period ends.',
    firstCheck: 'The SLO dashboard: which routes got slower and since which version.',
  },
  {
    name: 'ServiceDown',
    severity: 'critical',
    summary: '{{ $labels.service }} in {{ $labels.namespace }} is down',
    meaning: 'Prometheus has not reached any pod of the service for 1 minute.',
    firstCheck:
      '`kubectl -n <namespace> get pods -l app.kubernetes.io/name=<service>` and the events of pods that are not ready.',
  },
  {
    name: 'NamespaceOutage',
    severity: 'critical',
    summary: 'Every service in {{ $labels.namespace }} is down',
    meaning:
      'No service pod in the apps namespace answers its scrape: a namespace-wide cause (nodes, network policy, DNS, a bad shared rollout).',
    firstCheck:
      '`kubectl get nodes` and `kubectl -n <namespace> get pods,events`; recent NetworkPolicy or baseline changes.',
  },
  {
    name: 'ServiceHighErrorRate',
    severity: 'warning',
    summary: '{{ $labels.service }} answers more than 5% of requests with 5xx',
    meaning: 'More than 5 % of the service’s requests (probes excluded) failed with a 5xx for 5 minutes.',
    firstCheck: 'The service logs for errors and its dependency panel; a recent deploy.',
  },
  {
    name: 'ServiceHighLatency',
    severity: 'warning',
    summary: '{{ $labels.service }} p95 latency is above 1s',
    meaning: 'The 95th percentile request duration of the service was above 1 s for 5 minutes.',
    firstCheck: 'Dependency latency (MongoDB, Redis, Kafka) and CPU throttling of the service’s pods.',
  },
  {
    name: 'PodCrashLooping',
    severity: 'warning',
    summary:
      'Container {{ $labels.container }} of {{ $labels.namespace }}/{{ $labels.pod }} is crash looping',
    meaning: 'The container restarted at least 3 times in 15 minutes or sits in CrashLoopBackOff.',
    firstCheck:
      '`kubectl -n <namespace> logs <pod> -c <container> --previous` and `kubectl describe pod` (OOMKilled, failed probes).',
  },
  {
    name: 'ContainerCpuThrottled',
    severity: 'warning',
    summary:
      'Container {{ $labels.container }} of {{ $labels.namespace }}/{{ $labels.pod }} is CPU throttled',
    meaning:
      'More than 25 % of the container’s CFS periods were throttled for 15 minutes: its CPU limit is too low for its load.',
    firstCheck: 'The container’s CPU usage against its limit; raise the limit or scale out.',
  },
  {
    name: 'ContainerMemoryNearLimit',
    severity: 'warning',
    summary:
      'Container {{ $labels.container }} of {{ $labels.namespace }}/{{ $labels.pod }} is near its memory limit',
    meaning:
      'The container’s working set is above 90 % of its memory limit for 15 minutes; the next step is an OOM kill.',
    firstCheck: 'The memory trend of the container (leak or load?) and its limit.',
  },
  {
    name: 'PersistentVolumeFillingUp',
    severity: 'warning',
    summary: 'Volume {{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }} is more than 85% full',
    meaning: 'Less than 15 % of the volume is free.',
    firstCheck:
      'What grows on the volume (database size, oplog, AOF, Kafka retention); expand the PVC or free space.',
  },
  {
    name: 'PersistentVolumeFullIn4h',
    severity: 'critical',
    summary: 'Volume {{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }} will be full within 4 hours',
    meaning: 'At the growth of the last hour the volume runs out of space within 4 hours.',
    firstCheck:
      'What writes so fast (a runaway log, a retention setting, a stuck consumer); expand the PVC now.',
  },
  {
    name: 'HpaMaxedOut',
    severity: 'warning',
    summary:
      'HPA {{ $labels.namespace }}/{{ $labels.horizontalpodautoscaler }} has been at its maximum replicas for 15 minutes',
    meaning: 'The autoscaler wants more pods than it may run: the service is at its capacity ceiling.',
    firstCheck: 'The load and latency of the service; raise maxReplicas or find what makes it slow.',
  },
  {
    name: 'MongodbNoPrimary',
    severity: 'critical',
    summary: 'MongoDB replica set {{ $labels.set }} in {{ $labels.namespace }} has no primary',
    meaning: 'No reachable member is PRIMARY: writes fail.',
    firstCheck:
      '`rs.status()` on a member (via `kubectl exec`), the mongod pods and their events; a lost majority.',
  },
  {
    name: 'MongodbReplicationLag',
    severity: 'warning',
    summary: 'MongoDB member {{ $labels.name }} lags the primary by more than 30s',
    meaning:
      'A secondary is more than 30 s behind the primary for 5 minutes; reads from it are stale and it may fall off the oplog.',
    firstCheck: 'The member’s disk and CPU, network between members, and the oplog window.',
  },
  {
    name: 'MongodbExporterDown',
    severity: 'warning',
    summary: 'MongoDB exporter on {{ $labels.namespace }}/{{ $labels.pod }} is down or cannot reach mongod',
    meaning:
      'A member’s mongodb_exporter is not scraped, or it cannot reach its mongod: the MongoDB alerts are blind for it.',
    firstCheck: '`kubectl -n <namespace> logs <pod> -c mongodb-exporter` and the monitoring user secret.',
  },
  {
    name: 'RedisNoMaster',
    severity: 'critical',
    summary: 'Redis {{ $labels.namespace }} has no master',
    meaning:
      'No Redis data node reports the master role, or the sentinels see the master down: cache writes fail.',
    firstCheck:
      '`SENTINEL MASTERS` on a sentinel pod and the data pods’ logs; a failover that did not finish.',
  },
  {
    name: 'RedisSentinelQuorumLost',
    severity: 'critical',
    summary: 'Redis sentinels in {{ $labels.namespace }} have lost their quorum',
    meaning:
      'Fewer sentinels agree on the master than the quorum: the next master failure is not failed over.',
    firstCheck: 'The sentinel pods (`kubectl get pods`), `SENTINEL CKQUORUM <master>` on one of them.',
  },
  {
    name: 'RedisReplicaDisconnected',
    severity: 'warning',
    summary: 'Redis replica {{ $labels.namespace }}/{{ $labels.pod }} lost its link to the master',
    meaning: 'A replica’s replication link is down for 2 minutes: it serves stale data and cannot take over.',
    firstCheck: 'The replica’s logs (full resync, auth) and the network policy between data pods.',
  },
  {
    name: 'RedisSnapshotMissing',
    severity: 'warning',
    summary:
      'The Redis snapshot {{ $labels.namespace }}/{{ $labels.cronjob }} has not succeeded for too long',
    meaning:
      'No run of the DR snapshot CronJob succeeded for more than 26 hours (or it is not seen): the standby’s newest Redis snapshot is getting old.',
    firstCheck:
      '`kubectl -n <namespace> get jobs -l app.kubernetes.io/component=snapshot` and the failed pod’s `fetch`/`upload` logs; the IRSA role of its ServiceAccount.',
  },
  {
    name: 'KafkaOfflinePartitions',
    severity: 'critical',
    summary: 'Kafka cluster {{ $labels.strimzi_io_cluster }} has offline partitions',
    meaning: 'Some partitions have no leader: producing to and consuming from them fails.',
    firstCheck: 'The broker pods, `kafka-topics.sh --describe --unavailable-partitions`, broker logs.',
  },
  {
    name: 'KafkaUnderMinIsrPartitions',
    severity: 'critical',
    summary: 'Kafka cluster {{ $labels.strimzi_io_cluster }} has partitions under min ISR',
    meaning:
      'Some partitions have fewer in-sync replicas than min.insync.replicas: producers with acks=all fail.',
    firstCheck: 'Which brokers are down or lagging (`--under-min-isr-partitions`), their disks and network.',
  },
  {
    name: 'KafkaConsumerLagGrowing',
    severity: 'warning',
    summary: 'Consumer group {{ $labels.consumergroup }} falls behind on {{ $labels.topic }}',
    meaning:
      'The group’s lag is above 100 messages and grew for 15 minutes: its consumers do not keep up or are stuck.',
    firstCheck:
      'The consuming service’s pods and logs, its dead-letter topic, `kafka-consumer-groups.sh --describe`.',
  },
  {
    name: 'KafkaNoActiveController',
    severity: 'critical',
    summary: 'Kafka cluster {{ $labels.strimzi_io_cluster }} has no active controller',
    meaning:
      'No KRaft controller is active (or more than one claims to be): metadata changes and leader elections stop.',
    firstCheck:
      'The controller pods and their raft state (`kafka_server_raftmetrics_current_state`), controller logs.',
  },
  {
    name: 'KafkaMirrorReplicationLagHigh',
    severity: 'warning',
    summary: 'MirrorMaker 2 replicates {{ $labels.topic }} to the DR standby too slowly',
    meaning:
      'Records of a mirrored topic reach the standby later than the DR replication lag budget for 5 minutes: the Kafka RPO the plan computed no longer holds.',
    firstCheck:
      'The MirrorMaker 2 pods in the standby (`kubectl -n <namespace> get kafkamirrormaker2`), their CPU, the VPC peering and the MirrorMaker listener NLB in prod.',
  },
  {
    name: 'KafkaMirrorConnectorFailed',
    severity: 'critical',
    summary:
      'MirrorMaker 2 in {{ $labels.namespace }} is not replicating{{ with $labels.connector }} ({{ . }}){{ end }}',
    meaning:
      'A MirrorMaker 2 connector or task is FAILED, or no connector reports at all, for 5 minutes: nothing reaches the DR standby and the Kafka RPO grows without bound.',
    firstCheck:
      'The KafkaMirrorMaker2 status (`kubectl describe kafkamirrormaker2`), its pods’ logs (authentication, ACLs, TLS), then restart the connector with the `strimzi.io/restart-connector` annotation.',
  },
  {
    name: 'KafkaMirrorCheckpointLagHigh',
    severity: 'warning',
    summary: 'Offsets of consumer group {{ $labels.group }} reach the DR standby late',
    meaning:
      'The checkpoint connector translates the group’s offsets later than its budget for 10 minutes: after a failover that group would re-read more than planned.',
    firstCheck:
      'The checkpoint connector’s task status and logs, and whether the group still commits in prod (`kafka-consumer-groups.sh --describe`).',
  },
  {
    name: 'ServiceDatabaseConnectionFailures',
    severity: 'warning',
    summary: '{{ $labels.service }} keeps failing to talk to MongoDB',
    meaning: 'The service counted MongoDB connection or command failures during each of the last 5 minutes.',
    firstCheck:
      'The MongoDB alerts and pods, the service’s credentials secret and the network policy to the data namespace.',
  },
  {
    name: 'ServiceCacheConnectionFailures',
    severity: 'warning',
    summary: '{{ $labels.service }} keeps failing to talk to Redis',
    meaning: 'The service counted Redis connection failures during each of the last 5 minutes.',
    firstCheck: 'The Redis alerts and pods, the sentinel endpoints the service uses.',
  },
  {
    name: 'ServiceBrokerConnectionFailures',
    severity: 'warning',
    summary: '{{ $labels.service }} keeps failing to talk to Kafka',
    meaning: 'The service counted Kafka connection failures during each of the last 5 minutes.',
    firstCheck: 'The Kafka alerts and broker pods, the service’s KafkaUser secret and ACLs.',
  },
  {
    name: 'OutboxBacklogGrowing',
    severity: 'warning',
    summary: 'The outbox of {{ $labels.service }} is not draining',
    meaning:
      'The oldest unpublished outbox entry is older than 5 minutes, or the backlog grew for 15 minutes: events reach Kafka late.',
    firstCheck: 'The service’s relay logs and ServiceBrokerConnectionFailures; Kafka health.',
  },
  {
    name: 'DeadLetterMessages',
    severity: 'warning',
    summary: '{{ $labels.service }} sent events to the dead-letter topic {{ $labels.topic }}',
    meaning: 'A consumer gave up on events and parked them on a dead-letter topic.',
    firstCheck:
      'The consumer’s logs for the failure, then the messages on the dead-letter topic; replay once fixed.',
  },
  {
    name: 'MongodbBackupTooOld',
    severity: 'warning',
    summary: 'The newest MongoDB backup of {{ $labels.cluster }} in {{ $labels.namespace }} is too old',
    meaning:
      'No PerconaServerMongoDBBackup completed (state ready) within the age the backup schedule allows.',
    firstCheck:
      '`kubectl -n <namespace> get psmdb-backup` (state, error), the backup-agent container logs, the S3 credentials.',
  },
  {
    name: 'Watchdog',
    severity: 'none',
    summary: 'Alerting pipeline heartbeat',
    meaning:
      'Always firing, so the path Prometheus → Alertmanager → receiver is proven alive; its absence is the alarm.',
    firstCheck: 'If it stops arriving: Prometheus and Alertmanager pods, then the receiver integration.',
  },
] as const satisfies readonly AlertInfo[];

export type AlertName = (typeof ALERTS)[number]['name'];
export const ALERT_NAMES: readonly AlertName[] = ALERTS.map((a) => a.name);

const BY_NAME: ReadonlyMap<string, AlertInfo> = new Map(ALERTS.map((a) => [a.name, a]));

export function alertInfo(name: AlertName): AlertInfo {
  const info = BY_NAME.get(name);
  if (info === undefined) throw new Error(`unknown alert ${name}`);
  return info;
}

export function isAlertName(name: string): name is AlertName {
  return BY_NAME.has(name);
}
