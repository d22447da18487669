import { alertInfo } from './alert-catalogue';
import type { AlertName } from './alert-catalogue';
import type { AlertCase, ExpectedAlert, SeriesInput } from './promtool-harness';
import { runbook, SERVICES } from './rules-fixture';

/** A promtool case, optionally against rules rendered with some alerts disabled. */
export interface RuleCase extends AlertCase {
  readonly alert: AlertName;
  readonly disabled?: readonly AlertName[];
}

function fired(
  name: AlertName,
  labels: Record<string, string>,
  summary: string,
  description: string,
): ExpectedAlert {
  return {
    labels: { severity: alertInfo(name).severity, ...labels },
    annotations: { summary, description, runbook_url: runbook(name) },
  };
}

const s = (series: string, values: string): SeriesInput => ({ series, values });

const APP = 'namespace="apps", method="GET", track="stable", version="1.4.0", pod="order-7d9f-abcde"';
const requests = (service: string, route: string, status: string, values: string) =>
  s(`http_requests_total{${APP}, service="${service}", route="${route}", status="${status}"}`, values);
const bucket = (service: string, le: string, values: string) =>
  s(
    `http_request_duration_seconds_bucket{${APP}, service="${service}", route="/api/orders", status="200", le="${le}"}`,
    values,
  );
const count = (service: string, values: string) =>
  s(
    `http_request_duration_seconds_count{${APP}, service="${service}", route="/api/orders", status="200"}`,
    values,
  );
/** Probes that fail hard: if they counted, every availability SLO would burn. */
const failingProbes = requests('order', '/health', '503', '0+1000x200');

const ORDER = { namespace: 'apps', service: 'order' };
const FAST_BUDGET = 'at this rate the 30-day error budget is gone in about two days or less.';
const SLOW_BUDGET = 'the 30-day error budget runs out before the period ends if this continues.';
const FAST_LATENCY = 'at this rate the 30-day latency budget is gone in about two days or less.';
const SLOW_LATENCY = 'the 30-day latency budget runs out before the period ends if this continues.';

const sloCases: RuleCase[] = [
  {
    alert: 'SLOAvailabilityBurnRateHigh',
    title: 'a fast burn (10% errors) pages',
    series: [
      requests('order', '/api/orders', '200', '0+90x60'),
      requests('order', '/api/orders', '500', '0+10x60'),
    ],
    evalTime: '30m',
    expected: [
      fired(
        'SLOAvailabilityBurnRateHigh',
        { ...ORDER, slo: 'availability' },
        'order in apps is burning its availability error budget fast',
        `10% of requests fail (5xx) over 1h and 5m, or over 6h and 30m: ${FAST_BUDGET}`,
      ),
    ],
  },
  {
    alert: 'SLOAvailabilityBurnRateHigh',
    title: 'a slow burn (0.5% errors) does not page, and failing /health probes do not count',
    series: [
      requests('order', '/api/orders', '200', '0+995x120'),
      requests('order', '/api/orders', '500', '0+5x120'),
      failingProbes,
    ],
    evalTime: '100m',
    expected: [],
  },
  {
    alert: 'SLOAvailabilityBurnRateElevated',
    title: 'a slow burn (0.5% errors, 5x) opens a ticket',
    series: [
      requests('order', '/api/orders', '200', '0+995x120'),
      requests('order', '/api/orders', '500', '0+5x120'),
      failingProbes,
    ],
    evalTime: '100m',
    expected: [
      fired(
        'SLOAvailabilityBurnRateElevated',
        { ...ORDER, slo: 'availability' },
        'order in apps is using up its availability error budget',
        `0.5% of requests fail (5xx) over 1d and 2h, or over 3d and 6h: ${SLOW_BUDGET}`,
      ),
    ],
  },
  {
    alert: 'SLOAvailabilityBurnRateElevated',
    title: 'no 5xx, only failing probes: silent',
    series: [requests('order', '/api/orders', '200', '0+1000x120'), failingProbes],
    evalTime: '100m',
    expected: [],
  },
  {
    alert: 'SLOLatencyBurnRateHigh',
    title: '20% of order requests slower than 0.5s pages',
    series: [
      bucket('order', '0.5', '0+80x60'),
      bucket('order', '+Inf', '0+100x60'),
      count('order', '0+100x60'),
    ],
    evalTime: '30m',
    expected: [
      fired(
        'SLOLatencyBurnRateHigh',
        { ...ORDER, slo: 'latency' },
        'order in apps is burning its latency error budget fast',
        `20% of requests are slower than the SLO threshold over 1h and 5m, or over 6h and 30m: ${FAST_LATENCY}`,
      ),
    ],
  },
  {
    alert: 'SLOLatencyBurnRateHigh',
    title: 'Prometheus 3 spells the 1 s bucket le="1.0": still read (80% slow notification requests page)',
    series: [
      bucket('notification', '0.5', '0+10x60'),
      bucket('notification', '1.0', '0+20x60'),
      bucket('notification', '+Inf', '0+100x60'),
      count('notification', '0+100x60'),
    ],
    evalTime: '30m',
    expected: [
      fired(
        'SLOLatencyBurnRateHigh',
        { namespace: 'apps', service: 'notification', slo: 'latency' },
        'notification in apps is burning its latency error budget fast',
        `80% of requests are slower than the SLO threshold over 1h and 5m, or over 6h and 30m: ${FAST_LATENCY}`,
      ),
    ],
  },
  {
    alert: 'SLOLatencyBurnRateHigh',
    title: 'a slow latency burn (4% slow) does not page',
    series: [
      bucket('order', '0.5', '0+96x120'),
      bucket('order', '+Inf', '0+100x120'),
      count('order', '0+100x120'),
    ],
    evalTime: '100m',
    expected: [],
  },
  {
    alert: 'SLOLatencyBurnRateElevated',
    title: 'a slow latency burn (4% slow, 4x) opens a ticket',
    series: [
      bucket('order', '0.5', '0+96x120'),
      bucket('order', '+Inf', '0+100x120'),
      count('order', '0+100x120'),
    ],
    evalTime: '100m',
    expected: [
      fired(
        'SLOLatencyBurnRateElevated',
        { ...ORDER, slo: 'latency' },
        'order in apps is using up its latency error budget',
        `4% of requests are slower than the SLO threshold over 1d and 2h, or over 3d and 6h: ${SLOW_LATENCY}`,
      ),
    ],
  },
  {
    alert: 'SLOLatencyBurnRateElevated',
    title: 'every request fast: silent',
    series: [
      bucket('order', '0.5', '0+100x120'),
      bucket('order', '+Inf', '0+100x120'),
      count('order', '0+100x120'),
    ],
    evalTime: '100m',
    expected: [],
  },
];

const up = (service: string, values: string) =>
  s(
    `up{namespace="apps", service="${service}", pod="${service}-1", job="apps/${service}", instance="10.0.0.1:8080"}`,
    values,
  );
const allUp = (down?: string, downValues = '0x10') =>
  SERVICES.map((svc) => up(svc, svc === down ? downValues : '1x10'));

const serviceCases: RuleCase[] = [
  {
    alert: 'ServiceDown',
    title: 'order unreachable for 5 minutes',
    series: allUp('order', '1x2 0x8'),
    evalTime: '8m',
    expected: [
      fired(
        'ServiceDown',
        ORDER,
        'order in apps is down',
        'No pod of order has answered a scrape for 1 minute.',
      ),
    ],
  },
  { alert: 'ServiceDown', title: 'all services up', series: allUp(), evalTime: '8m', expected: [] },
  {
    alert: 'NamespaceOutage',
    title: 'every service down',
    series: SERVICES.map((svc) => up(svc, '0x10')),
    evalTime: '5m',
    expected: [
      fired(
        'NamespaceOutage',
        { namespace: 'apps' },
        'Every service in apps is down',
        'None of the services (apps: user, product, order, notification, analytics) answers its scrape.',
      ),
    ],
  },
  {
    alert: 'NamespaceOutage',
    title: 'one service still up',
    series: allUp('order'),
    evalTime: '5m',
    expected: [],
  },
  {
    alert: 'ServiceHighErrorRate',
    title: '10% 5xx for 10 minutes',
    series: [
      requests('order', '/api/orders', '200', '0+90x20'),
      requests('order', '/api/orders', '500', '0+10x20'),
    ],
    evalTime: '15m',
    expected: [
      fired(
        'ServiceHighErrorRate',
        ORDER,
        'order answers more than 5% of requests with 5xx',
        '10% of the requests of order failed with a 5xx over the last 5 minutes.',
      ),
    ],
  },
  {
    alert: 'ServiceHighErrorRate',
    title: '2% 5xx while /health fails',
    series: [
      requests('order', '/api/orders', '200', '0+98x20'),
      requests('order', '/api/orders', '500', '0+2x20'),
      failingProbes,
    ],
    evalTime: '15m',
    expected: [],
  },
  {
    alert: 'ServiceHighLatency',
    title: 'p95 at 2.125s',
    series: [
      bucket('order', '0.5', '0+50x20'),
      bucket('order', '1', '0+80x20'),
      bucket('order', '2.5', '0+100x20'),
      bucket('order', '+Inf', '0+100x20'),
    ],
    evalTime: '15m',
    expected: [
      fired(
        'ServiceHighLatency',
        ORDER,
        'order p95 latency is above 1s',
        'The 95th percentile latency of order is 2.125s.',
      ),
    ],
  },
  {
    alert: 'ServiceHighLatency',
    title: 'p95 under 0.5s',
    series: [
      bucket('order', '0.5', '0+96x20'),
      bucket('order', '1', '0+100x20'),
      bucket('order', '2.5', '0+100x20'),
      bucket('order', '+Inf', '0+100x20'),
    ],
    evalTime: '15m',
    expected: [],
  },
];

const STORES = [
  ['ServiceDatabaseConnectionFailures', 'mongodb', 'MongoDB', 'redis'],
  ['ServiceCacheConnectionFailures', 'redis', 'Redis', 'kafka'],
  ['ServiceBrokerConnectionFailures', 'kafka', 'Kafka', 'mongodb'],
] as const;
const failures = (store: string, values: string) =>
  s(`datastore_connection_failures_total{${APP}, service="order", store="${store}"}`, values);

const clientCases: RuleCase[] = STORES.flatMap(([name, store, label, other]): RuleCase[] => [
  {
    alert: name,
    title: `${store} failures every minute`,
    series: [failures(store, '0+2x20')],
    evalTime: '15m',
    expected: [
      fired(
        name,
        ORDER,
        `order keeps failing to talk to ${label}`,
        `order counted 10 ${label} connection failures in the last 5 minutes.`,
      ),
    ],
  },
  {
    alert: name,
    title: `no new ${store} failures; failures of ${other} do not count`,
    series: [failures(store, '5x20'), failures(other, '0+2x20')],
    evalTime: '15m',
    expected: [],
  },
]);

const outbox = (metric: string, values: string) => s(`${metric}{${APP}, service="order"}`, values);
const dlq = (values: string) =>
  s(
    `events_dead_lettered_total{${APP.replace('order-7d9f', 'notification-5c4b')}, service="notification", topic="order-events.dlq"}`,
    values,
  );
const NOTIFICATION_DLQ = { namespace: 'apps', service: 'notification', topic: 'order-events.dlq' };
const DLQ_SUMMARY = 'notification sent events to the dead-letter topic order-events.dlq';

const eventCases: RuleCase[] = [
  {
    alert: 'OutboxBacklogGrowing',
    title: 'the relay is stuck: the oldest entry ages',
    series: [
      outbox('outbox_oldest_pending_age_seconds', '0+60x30'),
      outbox('outbox_pending_events', '0+1x30'),
    ],
    evalTime: '20m',
    expected: [
      fired(
        'OutboxBacklogGrowing',
        ORDER,
        'The outbox of order is not draining',
        'The oldest unpublished outbox entry of order is older than 5 minutes, or its backlog grew for 15 minutes.',
      ),
    ],
  },
  {
    alert: 'OutboxBacklogGrowing',
    title: 'the relay is too slow: young entries but a growing backlog',
    series: [outbox('outbox_oldest_pending_age_seconds', '30x40'), outbox('outbox_pending_events', '0+5x40')],
    evalTime: '30m',
    expected: [
      fired(
        'OutboxBacklogGrowing',
        ORDER,
        'The outbox of order is not draining',
        'The oldest unpublished outbox entry of order is older than 5 minutes, or its backlog grew for 15 minutes.',
      ),
    ],
  },
  {
    alert: 'OutboxBacklogGrowing',
    title: 'an outbox that drains',
    series: [outbox('outbox_oldest_pending_age_seconds', '0x30'), outbox('outbox_pending_events', '0x30')],
    evalTime: '20m',
    expected: [],
  },
  {
    alert: 'DeadLetterMessages',
    title: 'the first dead-lettered event (a new series born at 1)',
    series: [dlq('_x5 1x10')],
    evalTime: '7m',
    expected: [
      fired(
        'DeadLetterMessages',
        NOTIFICATION_DLQ,
        DLQ_SUMMARY,
        'notification dead-lettered about 1 events to order-events.dlq in the last 10 minutes.',
      ),
    ],
  },
  {
    alert: 'DeadLetterMessages',
    title: 'one dead-lettered event a minute',
    series: [dlq('0+1x20')],
    evalTime: '15m',
    expected: [
      fired(
        'DeadLetterMessages',
        NOTIFICATION_DLQ,
        DLQ_SUMMARY,
        'notification dead-lettered about 10 events to order-events.dlq in the last 10 minutes.',
      ),
    ],
  },
  {
    alert: 'DeadLetterMessages',
    title: 'old dead letters, none new',
    series: [dlq('3x30')],
    evalTime: '20m',
    expected: [],
  },
];

const POD = 'namespace="apps", pod="order-7d9f-abcde", container="order"';
const ORDER_POD = { namespace: 'apps', pod: 'order-7d9f-abcde', container: 'order', scope: 'pod' };
const PVC = 'namespace="data", persistentvolumeclaim="mongod-data-mongodb-rs0-0"';
const MONGO_PVC = { namespace: 'data', persistentvolumeclaim: 'mongod-data-mongodb-rs0-0' };
const HPA = 'namespace="apps", horizontalpodautoscaler="order"';

const kubernetesCases: RuleCase[] = [
  {
    alert: 'PodCrashLooping',
    title: 'a restart every minute',
    series: [s(`kube_pod_container_status_restarts_total{${POD}, job="kube-state-metrics"}`, '0+1x20')],
    evalTime: '10m',
    expected: [
      fired(
        'PodCrashLooping',
        ORDER_POD,
        'Container order of apps/order-7d9f-abcde is crash looping',
        'apps/order-7d9f-abcde (order) keeps restarting.',
      ),
    ],
  },
  {
    alert: 'PodCrashLooping',
    title: 'in CrashLoopBackOff (restarts spaced out by the back-off)',
    series: [
      s(`kube_pod_container_status_restarts_total{${POD}}`, '4x20'),
      s(`kube_pod_container_status_waiting_reason{${POD}, reason="CrashLoopBackOff"}`, '1x20'),
    ],
    evalTime: '10m',
    expected: [
      fired(
        'PodCrashLooping',
        ORDER_POD,
        'Container order of apps/order-7d9f-abcde is crash looping',
        'apps/order-7d9f-abcde (order) keeps restarting.',
      ),
    ],
  },
  {
    alert: 'PodCrashLooping',
    title: 'old restarts only, and a crash loop in a namespace we do not watch',
    series: [
      s(`kube_pod_container_status_restarts_total{${POD}}`, '2x20'),
      s(
        'kube_pod_container_status_restarts_total{namespace="kube-system", pod="x", container="x"}',
        '0+1x20',
      ),
    ],
    evalTime: '10m',
    expected: [],
  },
  {
    alert: 'ContainerCpuThrottled',
    title: 'half the periods throttled',
    series: [
      s(`container_cpu_cfs_periods_total{${POD}}`, '0+100x30'),
      s(`container_cpu_cfs_throttled_periods_total{${POD}}`, '0+50x30'),
    ],
    evalTime: '25m',
    expected: [
      fired(
        'ContainerCpuThrottled',
        ORDER_POD,
        'Container order of apps/order-7d9f-abcde is CPU throttled',
        '50% of the CPU periods of order in apps/order-7d9f-abcde were throttled.',
      ),
    ],
  },
  {
    alert: 'ContainerCpuThrottled',
    title: '10% throttled',
    series: [
      s(`container_cpu_cfs_periods_total{${POD}}`, '0+100x30'),
      s(`container_cpu_cfs_throttled_periods_total{${POD}}`, '0+10x30'),
    ],
    evalTime: '25m',
    expected: [],
  },
  {
    alert: 'ContainerMemoryNearLimit',
    title: 'working set at 95% of the limit',
    series: [
      s(`container_memory_working_set_bytes{${POD}, image="registry/order:1.4.0"}`, '950x30'),
      s(`kube_pod_container_resource_limits{${POD}, resource="memory", unit="byte"}`, '1000x30'),
      s(`kube_pod_container_resource_limits{${POD}, resource="cpu", unit="core"}`, '1x30'),
    ],
    evalTime: '20m',
    expected: [
      fired(
        'ContainerMemoryNearLimit',
        ORDER_POD,
        'Container order of apps/order-7d9f-abcde is near its memory limit',
        'order in apps/order-7d9f-abcde uses 95% of its memory limit.',
      ),
    ],
  },
  {
    alert: 'ContainerMemoryNearLimit',
    title: 'working set at half the limit',
    series: [
      s(`container_memory_working_set_bytes{${POD}}`, '500x30'),
      s(`kube_pod_container_resource_limits{${POD}, resource="memory", unit="byte"}`, '1000x30'),
    ],
    evalTime: '20m',
    expected: [],
  },
  {
    alert: 'PersistentVolumeFillingUp',
    title: '10% free',
    series: [
      s(`kubelet_volume_stats_available_bytes{${PVC}}`, '100x20'),
      s(`kubelet_volume_stats_capacity_bytes{${PVC}}`, '1000x20'),
    ],
    evalTime: '10m',
    expected: [
      fired(
        'PersistentVolumeFillingUp',
        MONGO_PVC,
        'Volume data/mongod-data-mongodb-rs0-0 is more than 85% full',
        'Only 10% of data/mongod-data-mongodb-rs0-0 is free.',
      ),
    ],
  },
  {
    alert: 'PersistentVolumeFillingUp',
    title: 'half free',
    series: [
      s(`kubelet_volume_stats_available_bytes{${PVC}}`, '500x20'),
      s(`kubelet_volume_stats_capacity_bytes{${PVC}}`, '1000x20'),
    ],
    evalTime: '10m',
    expected: [],
  },
  {
    alert: 'PersistentVolumeFullIn4h',
    title: 'losing 2 bytes a minute with 300 left',
    series: [
      s(`kubelet_volume_stats_available_bytes{${PVC}}`, '400-2x60'),
      s(`kubelet_volume_stats_capacity_bytes{${PVC}}`, '1000x60'),
    ],
    evalTime: '50m',
    expected: [
      fired(
        'PersistentVolumeFullIn4h',
        MONGO_PVC,
        'Volume data/mongod-data-mongodb-rs0-0 will be full within 4 hours',
        'data/mongod-data-mongodb-rs0-0 fills up within 4 hours at the growth of the last hour.',
      ),
    ],
  },
  {
    alert: 'PersistentVolumeFullIn4h',
    title: 'slow growth',
    series: [
      s(`kubelet_volume_stats_available_bytes{${PVC}}`, '400-0.1x60'),
      s(`kubelet_volume_stats_capacity_bytes{${PVC}}`, '1000x60'),
    ],
    evalTime: '50m',
    expected: [],
  },
  {
    alert: 'HpaMaxedOut',
    title: 'at 6 of 6 replicas for 20 minutes',
    series: [
      s(`kube_horizontalpodautoscaler_status_current_replicas{${HPA}}`, '6x30'),
      s(`kube_horizontalpodautoscaler_spec_max_replicas{${HPA}}`, '6x30'),
      s(`kube_horizontalpodautoscaler_spec_min_replicas{${HPA}}`, '2x30'),
    ],
    evalTime: '20m',
    expected: [
      fired(
        'HpaMaxedOut',
        { namespace: 'apps', horizontalpodautoscaler: 'order' },
        'HPA apps/order has been at its maximum replicas for 15 minutes',
        'apps/order runs 6 replicas, its maximum.',
      ),
    ],
  },
  {
    alert: 'HpaMaxedOut',
    title: 'a fixed-size HPA (min = max) is not saturation',
    series: [
      s(`kube_horizontalpodautoscaler_status_current_replicas{${HPA}}`, '3x30'),
      s(`kube_horizontalpodautoscaler_spec_max_replicas{${HPA}}`, '3x30'),
      s(`kube_horizontalpodautoscaler_spec_min_replicas{${HPA}}`, '3x30'),
    ],
    evalTime: '20m',
    expected: [],
  },
];

const MONGO = 'namespace="data", job="data/mongodb-mongod"';
const mongoPod = (i: number) => `${MONGO}, pod="mongodb-rs0-${i}", instance="10.0.1.${i}:9216"`;
const myState = (states: readonly number[]) =>
  states.map((st, i) => s(`mongodb_mongod_replset_my_state{${mongoPod(i)}, set="rs0"}`, `${st}x10`));
const MEMBER2 = 'mongodb-rs0-2.mongodb-rs0.data.svc.cluster.local:27017';
const lag = (value: number) =>
  [0, 1].map((i) =>
    s(
      `mongodb_mongod_replset_member_replication_lag{${mongoPod(i)}, set="rs0", name="${MEMBER2}", state="SECONDARY", self="0"}`,
      `${value}x20`,
    ),
  );
const exporter = (ups: readonly number[], mongoUps: readonly number[]) => [
  ...ups.map((v, i) => s(`up{${mongoPod(i)}}`, `${v}x20`)),
  ...mongoUps.map((v, i) => s(`mongodb_up{${mongoPod(i)}, cluster_role="mongod"}`, `${v}x20`)),
];
const backup = (state: string, values: string) =>
  s(
    `psmdb_backup_completed_timestamp_seconds{namespace="data", cluster="mongodb", name="cron-mongodb-20260101000000-abcde", state="${state}", customresource_group="psmdb.percona.com"}`,
    values,
  );
const EXPORTER_DOWN = (pod: string) =>
  fired(
    'MongodbExporterDown',
    { namespace: 'data', pod, scope: 'pod' },
    `MongoDB exporter on data/${pod} is down or cannot reach mongod`,
    `The exporter of data/${pod} is not scraped or cannot reach mongod (no pod label: no exporter target is scraped at all).`,
  );
const BACKUP_OLD = (labels: Record<string, string>) =>
  fired(
    'MongodbBackupTooOld',
    { namespace: 'data', cluster: 'mongodb', ...labels },
    'The newest MongoDB backup of mongodb in data is too old',
    'No backup of mongodb reached state ready in the last 1500 minutes.',
  );

const mongodbCases: RuleCase[] = [
  {
    alert: 'MongodbNoPrimary',
    title: 'three secondaries',
    series: myState([2, 2, 2]),
    evalTime: '5m',
    expected: [
      fired(
        'MongodbNoPrimary',
        { namespace: 'data', set: 'rs0' },
        'MongoDB replica set rs0 in data has no primary',
        'Members of rs0 report, but none of them is PRIMARY.',
      ),
    ],
  },
  {
    alert: 'MongodbNoPrimary',
    title: 'a primary and two secondaries',
    series: myState([2, 1, 2]),
    evalTime: '5m',
    expected: [],
  },
  {
    alert: 'MongodbReplicationLag',
    title: 'a secondary 45s behind',
    series: lag(45),
    evalTime: '10m',
    expected: [
      fired(
        'MongodbReplicationLag',
        { namespace: 'data', set: 'rs0', name: MEMBER2 },
        `MongoDB member ${MEMBER2} lags the primary by more than 30s`,
        `${MEMBER2} is 45s behind the primary of rs0.`,
      ),
    ],
  },
  { alert: 'MongodbReplicationLag', title: '5s behind', series: lag(5), evalTime: '10m', expected: [] },
  {
    alert: 'MongodbExporterDown',
    title: 'one exporter not scraped',
    series: exporter([1, 0, 1], [1, 1]),
    evalTime: '10m',
    expected: [EXPORTER_DOWN('mongodb-rs0-1')],
  },
  {
    alert: 'MongodbExporterDown',
    title: 'an exporter that cannot reach its mongod',
    series: exporter([1, 1, 1], [1, 1, 0]),
    evalTime: '10m',
    expected: [EXPORTER_DOWN('mongodb-rs0-2')],
  },
  {
    alert: 'MongodbExporterDown',
    title: 'all exporters up and connected',
    series: exporter([1, 1, 1], [1, 1, 1]),
    evalTime: '10m',
    expected: [],
  },
  {
    alert: 'MongodbBackupTooOld',
    title: 'the newest ready backup is 28 hours old (limit 25 hours)',
    series: [backup('ready', '-100000x20')],
    evalTime: '10m',
    expected: [BACKUP_OLD({})],
  },
  {
    alert: 'MongodbBackupTooOld',
    title: 'only a failed backup exists',
    series: [backup('error', '0x20')],
    evalTime: '10m',
    expected: [BACKUP_OLD({ state: 'ready' })],
  },
  {
    alert: 'MongodbBackupTooOld',
    title: 'a backup completed 10 minutes ago',
    series: [backup('ready', '0x20')],
    evalTime: '10m',
    expected: [],
  },
];

const REDIS_DATA =
  'namespace="data", job="redis-headless", service="redis-headless", app_kubernetes_io_component="data"';
const REDIS_SENTINEL =
  'namespace="data", job="redis-sentinel-headless", service="redis-sentinel-headless", app_kubernetes_io_component="sentinel"';
const roles = (list: readonly string[]) =>
  list.map((role, i) =>
    s(`redis_instance_info{${REDIS_DATA}, pod="redis-${i}", role="${role}", redis_version="8.0.2"}`, '1x10'),
  );
const masterStatus = (value: number) =>
  [0, 1, 2].map((i) =>
    s(
      `redis_sentinel_master_status{${REDIS_SENTINEL}, pod="redis-sentinel-${i}", master_name="mymaster", master_address="10.0.2.1:6379", master_status="${value === 1 ? 'ok' : 'odown'}"}`,
      `${value}x10`,
    ),
  );
const okSentinels = (values: readonly number[]) =>
  values.map((v, i) =>
    s(
      `redis_sentinel_master_ok_sentinels{${REDIS_SENTINEL}, pod="redis-sentinel-${i}", master_name="mymaster", master_address="10.0.2.1:6379"}`,
      `${v}x10`,
    ),
  );
const linkUp = (values: readonly number[]) =>
  values.map((v, i) =>
    s(
      `redis_master_link_up{${REDIS_DATA}, pod="redis-${i + 1}", master_host="10.0.2.1", master_port="6379"}`,
      `${v}x10`,
    ),
  );
const NO_MASTER_TEXT = [
  'Redis data has no master',
  'No Redis data node reports role master, or no sentinel sees the master as ok.',
] as const;

const redisCases: RuleCase[] = [
  {
    alert: 'RedisNoMaster',
    title: 'three replicas, no master',
    series: [...roles(['slave', 'slave', 'slave']), ...masterStatus(1)],
    evalTime: '5m',
    expected: [
      fired('RedisNoMaster', { namespace: 'data', job: 'redis-headless', role: 'master' }, ...NO_MASTER_TEXT),
    ],
  },
  {
    alert: 'RedisNoMaster',
    title: 'the sentinels see the master down',
    series: [...roles(['master', 'slave', 'slave']), ...masterStatus(0)],
    evalTime: '5m',
    expected: [fired('RedisNoMaster', { namespace: 'data' }, ...NO_MASTER_TEXT)],
  },
  {
    alert: 'RedisNoMaster',
    title: 'a master the sentinels see ok',
    series: [...roles(['master', 'slave', 'slave']), ...masterStatus(1)],
    evalTime: '5m',
    expected: [],
  },
  {
    alert: 'RedisSentinelQuorumLost',
    title: 'every sentinel sees only itself',
    series: okSentinels([1, 1, 1]),
    evalTime: '5m',
    expected: [
      fired(
        'RedisSentinelQuorumLost',
        { namespace: 'data' },
        'Redis sentinels in data have lost their quorum',
        'At most 1 sentinels agree on the master; the quorum is 2.',
      ),
    ],
  },
  {
    alert: 'RedisSentinelQuorumLost',
    title: 'one sentinel down, two still agree',
    series: okSentinels([2, 2]),
    evalTime: '5m',
    expected: [],
  },
  {
    alert: 'RedisReplicaDisconnected',
    title: 'redis-1 lost its link',
    series: linkUp([0, 1]),
    evalTime: '5m',
    expected: [
      fired(
        'RedisReplicaDisconnected',
        { namespace: 'data', pod: 'redis-1', scope: 'pod' },
        'Redis replica data/redis-1 lost its link to the master',
        'The replica data/redis-1 has no replication link to its master.',
      ),
    ],
  },
  {
    alert: 'RedisReplicaDisconnected',
    title: 'both replicas linked',
    series: linkUp([1, 1]),
    evalTime: '5m',
    expected: [],
  },
];

const KSM = 'job="kube-state-metrics", namespace="data"';
/** kube-state-metrics' CronJob series (Unix seconds; promtool starts at 0, so negative values are the past). */
const cronJob = (metric: string, cronjob: string, secondsAgo: number) =>
  s(`kube_cronjob_${metric}{${KSM}, cronjob="${cronjob}"}`, `${-secondsAgo}x30`);
const HOUR = 3600;
const SNAPSHOT_MISSING = fired(
  'RedisSnapshotMissing',
  { namespace: 'data', cronjob: 'redis-snapshot' },
  'The Redis snapshot data/redis-snapshot has not succeeded for too long',
  'No run of data/redis-snapshot succeeded in the last 26 hours, or kube-state-metrics does not see the CronJob.',
);

const snapshotCases: RuleCase[] = [
  {
    alert: 'RedisSnapshotMissing',
    title: 'the last successful run was 28 hours ago (limit 26)',
    series: [
      cronJob('created', 'redis-snapshot', 30 * 24 * HOUR),
      cronJob('status_last_successful_time', 'redis-snapshot', 28 * HOUR),
    ],
    evalTime: '15m',
    expected: [SNAPSHOT_MISSING],
  },
  {
    alert: 'RedisSnapshotMissing',
    title: 'no run ever succeeded, and the CronJob is 30 hours old',
    series: [cronJob('created', 'redis-snapshot', 30 * HOUR)],
    evalTime: '15m',
    expected: [SNAPSHOT_MISSING],
  },
  {
    alert: 'RedisSnapshotMissing',
    title: 'kube-state-metrics sees no such CronJob (only another one)',
    series: [cronJob('created', 'other', 30 * HOUR)],
    evalTime: '15m',
    expected: [SNAPSHOT_MISSING],
  },
  {
    alert: 'RedisSnapshotMissing',
    title: 'the last run succeeded 20 hours ago',
    series: [
      cronJob('created', 'redis-snapshot', 30 * 24 * HOUR),
      cronJob('status_last_successful_time', 'redis-snapshot', 20 * HOUR),
    ],
    evalTime: '15m',
    expected: [],
  },
  {
    alert: 'RedisSnapshotMissing',
    title: 'a CronJob created 2 hours ago has not run yet',
    series: [cronJob('created', 'redis-snapshot', 2 * HOUR)],
    evalTime: '15m',
    expected: [],
  },
  {
    alert: 'RedisSnapshotMissing',
    title: 'another CronJob is overdue, the snapshot is fresh',
    series: [
      cronJob('created', 'redis-snapshot', 30 * 24 * HOUR),
      cronJob('status_last_successful_time', 'redis-snapshot', 1 * HOUR),
      cronJob('created', 'other', 30 * 24 * HOUR),
      cronJob('status_last_successful_time', 'other', 40 * HOUR),
    ],
    evalTime: '15m',
    expected: [],
  },
];

const KAFKA = 'namespace="data", strimzi_io_cluster="kafka", job="data/kafka-kafka"';
const perNode = (metric: string, role: string, values: readonly number[]) =>
  values.map((v, i) =>
    s(`${metric}{${KAFKA}, pod="kafka-${role}-${i}", strimzi_io_pool_name="${role}"}`, `${v}x20`),
  );
const KAFKA_CLUSTER = { namespace: 'data', strimzi_io_cluster: 'kafka' };
const groupLag = (values: string) =>
  s(
    `kafka_consumergroup_lag{namespace="data", job="data/kafka-kafka-exporter", pod="kafka-kafka-exporter-0", consumergroup="notification", topic="order-events", partition="0"}`,
    values,
  );

const kafkaCases: RuleCase[] = [
  {
    alert: 'KafkaOfflinePartitions',
    title: 'the active controller counts 3 offline partitions',
    series: perNode('kafka_controller_kafkacontroller_offlinepartitionscount', 'controller', [3, 0, 0]),
    evalTime: '5m',
    expected: [
      fired(
        'KafkaOfflinePartitions',
        KAFKA_CLUSTER,
        'Kafka cluster kafka has offline partitions',
        '3 partitions of kafka have no leader.',
      ),
    ],
  },
  {
    alert: 'KafkaOfflinePartitions',
    title: 'none offline',
    series: perNode('kafka_controller_kafkacontroller_offlinepartitionscount', 'controller', [0, 0, 0]),
    evalTime: '5m',
    expected: [],
  },
  {
    alert: 'KafkaUnderMinIsrPartitions',
    title: 'one partition under min ISR',
    series: perNode('kafka_server_replicamanager_underminisrpartitioncount', 'broker', [1, 0, 0]),
    evalTime: '10m',
    expected: [
      fired(
        'KafkaUnderMinIsrPartitions',
        KAFKA_CLUSTER,
        'Kafka cluster kafka has partitions under min ISR',
        '1 partitions of kafka are below min.insync.replicas.',
      ),
    ],
  },
  {
    alert: 'KafkaUnderMinIsrPartitions',
    title: 'all in sync',
    series: perNode('kafka_server_replicamanager_underminisrpartitioncount', 'broker', [0, 0, 0]),
    evalTime: '10m',
    expected: [],
  },
  {
    alert: 'KafkaConsumerLagGrowing',
    title: 'lag grows by 10 a minute',
    series: [groupLag('0+10x60')],
    evalTime: '40m',
    expected: [
      fired(
        'KafkaConsumerLagGrowing',
        { namespace: 'data', consumergroup: 'notification', topic: 'order-events' },
        'Consumer group notification falls behind on order-events',
        'notification is 400 messages behind on order-events and falling further behind.',
      ),
    ],
  },
  {
    alert: 'KafkaConsumerLagGrowing',
    title: 'a large but steady lag',
    series: [groupLag('500x60')],
    evalTime: '40m',
    expected: [],
  },
  {
    alert: 'KafkaNoActiveController',
    title: 'no controller active',
    series: perNode('kafka_controller_kafkacontroller_activecontrollercount', 'controller', [0, 0, 0]),
    evalTime: '5m',
    expected: [
      fired(
        'KafkaNoActiveController',
        KAFKA_CLUSTER,
        'Kafka cluster kafka has no active controller',
        'The KRaft controllers of kafka do not report exactly one active controller.',
      ),
    ],
  },
  {
    alert: 'KafkaNoActiveController',
    title: 'one active controller',
    series: perNode('kafka_controller_kafkacontroller_activecontrollercount', 'controller', [0, 1, 0]),
    evalTime: '5m',
    expected: [],
  },
];

const MIRROR = 'namespace="data", job="data/mirror-mirror-maker", pod="mirror-mirrormaker2-0"';
const replicationLatency = (ms: number) =>
  s(
    `kafka_connect_mirror_source_connector_replication_latency_ms_max{${MIRROR}, target="standby", topic="order-events", partition="0"}`,
    `${ms}x20`,
  );
const connector = (name: string, status: string) =>
  s(`kafka_connect_connector_status{${MIRROR}, connector="${name}", status="${status}"}`, '1x20');
const task = (name: string, status: string) =>
  s(
    `kafka_connect_connector_task_status{${MIRROR}, connector="${name}", task="0", status="${status}"}`,
    '1x20',
  );
const SOURCE_CONNECTOR = 'primary->standby.MirrorSourceConnector';
const CHECKPOINT_CONNECTOR = 'primary->standby.MirrorCheckpointConnector';
const checkpointLatency = (ms: number) =>
  s(
    `kafka_connect_mirror_checkpoint_connector_checkpoint_latency_ms_max{${MIRROR}, source="primary", target="standby", group="order", topic="order-events", partition="0"}`,
    `${ms}x30`,
  );

const mirrorCases: RuleCase[] = [
  {
    alert: 'KafkaMirrorReplicationLagHigh',
    title: 'records reach the standby 90 s late, budget 60 s',
    series: [replicationLatency(90000)],
    evalTime: '10m',
    expected: [
      fired(
        'KafkaMirrorReplicationLagHigh',
        { namespace: 'data', topic: 'order-events' },
        'MirrorMaker 2 replicates order-events to the DR standby too slowly',
        'Records of order-events reach the standby 90 s after they were written in prod; the budget is 60 s.',
      ),
    ],
  },
  {
    alert: 'KafkaMirrorReplicationLagHigh',
    title: 'within the budget',
    series: [replicationLatency(30000)],
    evalTime: '10m',
    expected: [],
  },
  {
    alert: 'KafkaMirrorConnectorFailed',
    title: 'the source connector failed',
    series: [connector(SOURCE_CONNECTOR, 'failed'), connector(CHECKPOINT_CONNECTOR, 'running')],
    evalTime: '10m',
    expected: [
      fired(
        'KafkaMirrorConnectorFailed',
        { namespace: 'data', connector: SOURCE_CONNECTOR },
        `MirrorMaker 2 in data is not replicating (${SOURCE_CONNECTOR})`,
        'MirrorMaker 2 in data has a failed connector or task, or reports no connectors: the standby receives nothing.',
      ),
    ],
  },
  {
    alert: 'KafkaMirrorConnectorFailed',
    title: 'a task failed while its connector runs',
    series: [connector(CHECKPOINT_CONNECTOR, 'running'), task(CHECKPOINT_CONNECTOR, 'failed')],
    evalTime: '10m',
    expected: [
      fired(
        'KafkaMirrorConnectorFailed',
        { namespace: 'data', connector: CHECKPOINT_CONNECTOR },
        `MirrorMaker 2 in data is not replicating (${CHECKPOINT_CONNECTOR})`,
        'MirrorMaker 2 in data has a failed connector or task, or reports no connectors: the standby receives nothing.',
      ),
    ],
  },
  {
    alert: 'KafkaMirrorConnectorFailed',
    title: 'no connector metrics at all (MirrorMaker 2 down)',
    series: [],
    evalTime: '10m',
    expected: [
      fired(
        'KafkaMirrorConnectorFailed',
        { namespace: 'data', job: 'data/mirror-mirror-maker' },
        'MirrorMaker 2 in data is not replicating',
        'MirrorMaker 2 in data has a failed connector or task, or reports no connectors: the standby receives nothing.',
      ),
    ],
  },
  {
    alert: 'KafkaMirrorConnectorFailed',
    title: 'every connector and task running',
    series: [
      connector(SOURCE_CONNECTOR, 'running'),
      connector(CHECKPOINT_CONNECTOR, 'running'),
      task(SOURCE_CONNECTOR, 'running'),
    ],
    evalTime: '10m',
    expected: [],
  },
  {
    alert: 'KafkaMirrorCheckpointLagHigh',
    title: 'offsets of a group checkpointed 300 s late, budget 120 s',
    series: [checkpointLatency(300000)],
    evalTime: '15m',
    expected: [
      fired(
        'KafkaMirrorCheckpointLagHigh',
        { namespace: 'data', group: 'order' },
        'Offsets of consumer group order reach the DR standby late',
        'Offsets of order are checkpointed to the standby 300 s late; the budget is 120 s.',
      ),
    ],
  },
  {
    alert: 'KafkaMirrorCheckpointLagHigh',
    title: 'checkpoints within the budget',
    series: [checkpointLatency(60000)],
    evalTime: '15m',
    expected: [],
  },
];

const watchdogCases: RuleCase[] = [
  {
    alert: 'Watchdog',
    title: 'always firing',
    series: [],
    evalTime: '1m',
    expected: [
      fired(
        'Watchdog',
        {},
        'Alerting pipeline heartbeat',
        'Always firing; Alertmanager routes it to the dead man’s switch.',
      ),
    ],
  },
  {
    alert: 'Watchdog',
    title: 'silent where disabled',
    disabled: ['Watchdog'],
    series: [],
    evalTime: '1m',
    expected: [],
  },
];

/** promtool cases for every alert: at least one input that fires it and one that must not. */
export const ALERT_CASES: readonly RuleCase[] = [
  ...sloCases,
  ...serviceCases,
  ...clientCases,
  ...eventCases,
  ...kubernetesCases,
  ...mongodbCases,
  ...redisCases,
  ...snapshotCases,
  ...kafkaCases,
  ...mirrorCases,
  ...watchdogCases,
];
