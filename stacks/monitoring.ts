import {
  DEFAULT_CLUSTER_NAME,
  DEFAULT_KAFKA_NAME,
  EXPORTER_PORT as MONGODB_EXPORTER_PORT,
  KAFKA_METRICS_PORT,
  REDIS_EXPORTER_PORT,
  SERVICE_CONTAINER_PORT,
  TOPIC_OPERATOR_PORT,
  USER_OPERATOR_PORT,
  type ScrapeTarget,
} from '../charts';
import { renderAlertmanagerConfig, type AlertmanagerConfigProps } from '../charts/alertmanager-config';
import {
  KSM_BACKUP_CUSTOM_RESOURCE_STATE,
  KSM_BACKUP_RBAC_RULES,
  PrometheusRulesChart,
  type AlertName,
  type KafkaMirrorTarget,
} from '../charts/monitoring-rules';
import type { ServiceSlo } from '../charts/slo';
import { DashboardsChart } from '../charts/dashboards';
import { synthesize } from '../charts';
import type { ClusterInfo } from '../infra/cluster';
import type { CreatedCluster } from './cluster';
import { REDIS_NAME } from '../infra/data';
import { redisSnapshotAlertOf } from './data-layer';
import { MonitoringStack } from '../infra/monitoring';
import type { EnvironmentSpec, MonitoringSpec, NamespacesSpec } from './spec';

/**
 * Every metrics port Prometheus scrapes outside its namespace: the services' container port, and in the data
 * namespace the MongoDB and Redis exporters, the Kafka nodes' and Kafka Exporter's JMX/metrics port and the
 * entity operator's two. The plan test checks that every monitor's endpoint is one of these.
 */
export function scrapeTargets(ns: NamespacesSpec): ScrapeTarget[] {
  return [
    { namespace: ns.apps, ports: [SERVICE_CONTAINER_PORT] },
    {
      namespace: ns.data,
      ports: [
        MONGODB_EXPORTER_PORT,
        REDIS_EXPORTER_PORT,
        KAFKA_METRICS_PORT,
        TOPIC_OPERATOR_PORT,
        USER_OPERATOR_PORT,
      ],
    },
  ];
}

/** The SLO of each deployed service, in the form the rules, dashboards (and canary analysis) take. */
export function serviceSlos(spec: EnvironmentSpec): ServiceSlo[] {
  return spec.services.map((s) => {
    const slo = spec.monitoring.slo[s.name];
    if (slo === undefined) throw new Error(`no SLO resolved for service ${s.name}`);
    return { service: s.name, namespace: spec.namespaces.apps, objectives: slo };
  });
}

/** Alertmanager's inputs from `platform:monitoring` (receivers name Secrets of the monitoring namespace). */
export function alertmanagerProps(environment: string, m: MonitoringSpec): AlertmanagerConfigProps {
  const webhook = (r: { secret: string; key: string; url?: string }) => ({
    secret: { name: r.secret, key: r.key },
    ...(r.url !== undefined && { url: r.url }),
  });
  const { chat, paging, watchdog } = m.receivers;
  return {
    environment,
    context: 'platform:monitoring',
    receivers: {
      ...(chat && {
        chat:
          chat.type === 'slack'
            ? {
                kind: 'slack',
                secret: { name: chat.secret, key: chat.key },
                ...(chat.channel !== undefined && { channel: chat.channel }),
              }
            : { kind: 'webhook', ...webhook(chat) },
      }),
      ...(paging && {
        paging:
          paging.type === 'pagerduty'
            ? { kind: 'pagerduty', secret: { name: paging.secret, key: paging.key } }
            : { kind: 'webhook', ...webhook(paging) },
      }),
    },
    ...(watchdog && { watchdog: webhook(watchdog) }),
    grouping: m.grouping,
  };
}

/**
 * How old the newest MongoDB backup may get before MongodbBackupTooOld fires: the base backup's interval
 * (weekly, or daily for the daily and continuous schedules) plus six hours for a slow or retried run.
 */
export function backupMaxAgeMinutes(spec: EnvironmentSpec): number {
  const interval = spec.backup.schedule === 'weekly' ? 7 * 24 * 60 : 24 * 60;
  return interval + 6 * 60;
}

/**
 * The platform's PrometheusRules for this environment: SLOs of the deployed services and the platform alerts;
 * with `mirroredInto` (the DR standby, whose Kafka MirrorMaker 2 writes into) the KafkaMirror* alerts too.
 */
export function ruleObjects(spec: EnvironmentSpec, mirroredInto?: KafkaMirrorTarget) {
  const ns = spec.namespaces;
  return synthesize(
    (app) =>
      new PrometheusRulesChart(app, 'rules', {
        namespace: ns.monitoring,
        environment: spec.name,
        slos: serviceSlos(spec),
        runbookBaseUrl: spec.monitoring.runbookBaseUrl,
        // Names were checked against the catalogue when the config was parsed.
        disabledAlerts: spec.monitoring.disabledAlerts as AlertName[],
        appsNamespace: ns.apps,
        services: spec.services.map((s) => s.name),
        datastores: {
          namespace: ns.data,
          mongodb: { cluster: DATA_STORE_NAMES.mongodb, backupMaxAgeMinutes: backupMaxAgeMinutes(spec) },
          redis: {
            name: DATA_STORE_NAMES.redis,
            sentinelQuorum: spec.data.redis.quorum,
            ...redisSnapshotAlertOf(spec),
          },
          kafka: { cluster: DATA_STORE_NAMES.kafka, ...(mirroredInto && { mirrorMaker: mirroredInto }) },
        },
      }),
  );
}

/** Grafana's dashboards for this environment, as ConfigMaps the Grafana sidecar loads. */
export function dashboardObjects(spec: EnvironmentSpec) {
  const ns = spec.namespaces;
  return synthesize(
    (app) =>
      new DashboardsChart(app, 'dashboards', {
        namespace: ns.monitoring,
        environment: spec.name,
        services: spec.services.map((s) => s.name),
        appsNamespace: ns.apps,
        dataNamespace: ns.data,
        slos: serviceSlos(spec),
      }),
  );
}

/** The environment's monitoring stack, after the baseline (which installed the Prometheus Operator CRDs). */
export function createMonitoring(
  spec: EnvironmentSpec,
  cluster: ClusterInfo,
  telemetryStorage: CreatedCluster['telemetryStorage'],
  mirroredInto?: KafkaMirrorTarget,
): MonitoringStack {
  const ns = spec.namespaces;
  const m = spec.monitoring;
  const withAlertmanager = m.level !== 'basic';
  const alertmanager = withAlertmanager
    ? renderAlertmanagerConfig(alertmanagerProps(spec.name, m))
    : undefined;
  return new MonitoringStack(`${spec.name}-monitoring`, {
    provider: cluster.provider,
    secretBackend: cluster.secretBackend,
    environment: spec.name,
    namespace: ns.monitoring,
    watchedNamespaces: [ns.monitoring, ns.apps, ns.data, ns.platform],
    scrapeTargets: scrapeTargets(ns),
    rolloutsControllerNamespace: ns.platform,
    storageClass: cluster.storageClass,
    topologyKey: cluster.zones.count > 1 ? cluster.zones.topologyKey : 'kubernetes.io/hostname',
    prometheus: {
      replicas: m.prometheusReplicas,
      retention: m.retention,
      storage: m.storage,
      scrapeInterval: m.scrapeInterval,
      evaluationInterval: m.evaluationInterval,
    },
    ...(alertmanager && {
      alertmanager: {
        replicas: m.alertmanagerReplicas,
        config: alertmanager.config,
        secrets: alertmanager.secretNames,
      },
    }),
    logsAndTraces: {
      logNamespaces: [ns.apps, ns.data, ns.platform, ns.monitoring],
      otlpClientNamespaces: [ns.apps],
      logs: {
        retention: m.logs.retention,
        storage: m.logs.storage,
        ...(telemetryStorage.logs && { objectStorage: telemetryStorage.logs }),
      },
      traces: {
        retention: m.traces.retention,
        storage: m.traces.storage,
        ...(telemetryStorage.traces && { objectStorage: telemetryStorage.traces }),
      },
    },
    // Backups are PerconaServerMongoDBBackup objects; kube-state-metrics turns them into series.
    kubeStateMetrics: {
      customResourceState: KSM_BACKUP_CUSTOM_RESOURCE_STATE,
      rbacRules: KSM_BACKUP_RBAC_RULES,
    },
    objects: [...ruleObjects(spec, mirroredInto), ...dashboardObjects(spec)],
    dependsOn: [...cluster.ready],
  });
}

/** Names the monitoring rules use for the data stores the data layer deploys. */
export const DATA_STORE_NAMES = {
  mongodb: DEFAULT_CLUSTER_NAME,
  redis: REDIS_NAME,
  kafka: DEFAULT_KAFKA_NAME,
};
