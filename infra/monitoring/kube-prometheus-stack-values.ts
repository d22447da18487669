import { MONITORING_SELECTOR } from '../../charts';

/** What the kube-prometheus-stack values are computed from: one environment's monitoring, resolved. */
export interface KubePrometheusStackInput {
  readonly environment: string;
  /** Namespaces whose ServiceMonitors, PodMonitors and PrometheusRules Prometheus reads. */
  readonly watchedNamespaces: readonly string[];
  readonly storageClass: string;
  /** Node label of a failure domain (zone on EKS, hostname where there is one zone). */
  readonly topologyKey: string;
  readonly prometheus: {
    readonly replicas: number;
    readonly retention: string;
    readonly storage: string;
    readonly scrapeInterval: string;
    readonly evaluationInterval: string;
  };
  /** undefined: no Alertmanager (level basic). */
  readonly alertmanager?: {
    readonly replicas: number;
    /** The rendered alertmanager.yaml (receivers read their URLs and keys from the mounted Secrets). */
    readonly config: Readonly<Record<string, unknown>>;
    /** Secrets mounted at /etc/alertmanager/secrets/<name>/. */
    readonly secrets: readonly string[];
  };
  /** Secret with `admin-user` and `admin-password` for Grafana's admin login. */
  readonly grafanaAdminSecret: string;
  /** Grafana data sources for logs and traces (Loki, Tempo); exemplars then link to Tempo. */
  readonly traceDataSources?: readonly Readonly<Record<string, unknown>>[];
  /** kube-state-metrics: metrics from custom resources, and the RBAC rules to read them. */
  readonly kubeStateMetrics?: {
    readonly customResourceState: object;
    readonly rbacRules: readonly object[];
  };
}

/** Keys of the Grafana admin Secret, as the Grafana chart reads them. */
export const GRAFANA_ADMIN_KEYS = { user: 'admin-user', password: 'admin-password' } as const;
/** Data source uid our dashboards query. */
export const PROMETHEUS_DATASOURCE_UID = 'prometheus';

const hasSelector = { matchLabels: { ...MONITORING_SELECTOR } };

/**
 * Values for the pinned kube-prometheus-stack chart. Selection is explicit both ways: Prometheus reads only
 * monitors and rules labelled with MONITORING_SELECTOR in the platform's namespaces, and the chart labels
 * its own monitors (Prometheus, Alertmanager, operator, kubelet, kube-state-metrics, node-exporter, Grafana)
 * the same way. The chart's default rules and dashboards are off: the platform's alerts and dashboards are
 * generated (charts/monitoring-rules, charts/dashboards) and tested, and a second, untested set would page
 * for the same causes under other names.
 */
export function kubePrometheusStackValues(input: KubePrometheusStackInput): Record<string, unknown> {
  const p = input.prometheus;
  const am = input.alertmanager;
  const namespaceSelector = {
    matchExpressions: [
      { key: 'kubernetes.io/metadata.name', operator: 'In', values: [...input.watchedNamespaces].sort() },
    ],
  };
  const volume = (size: string) => ({
    volumeClaimTemplate: {
      spec: {
        storageClassName: input.storageClass,
        accessModes: ['ReadWriteOnce'],
        resources: { requests: { storage: size } },
      },
    },
  });
  return {
    // The CRDs come from the prometheus-operator-crds release of the cluster baseline.
    crds: { enabled: false },
    commonLabels: { ...MONITORING_SELECTOR },
    defaultRules: { create: false },
    windowsMonitoring: { enabled: false },
    // Control-plane components are not reachable on EKS and vary on prem; the kubelet is.
    kubeControllerManager: { enabled: false },
    kubeScheduler: { enabled: false },
    kubeEtcd: { enabled: false },
    kubeProxy: { enabled: false },
    coreDns: { enabled: false },
    kubeDns: { enabled: false },
    kubeApiServer: { enabled: false },
    kubelet: { enabled: true },
    prometheusOperator: { enabled: true, resources: sized('100m', '128Mi', '500m', '256Mi') },
    prometheus: {
      enabled: true,
      prometheusSpec: {
        replicas: p.replicas,
        retention: p.retention,
        scrapeInterval: p.scrapeInterval,
        evaluationInterval: p.evaluationInterval,
        externalLabels: { environment: input.environment },
        // Exemplars (a trace id on the latency histogram's buckets) are kept, so a slow bucket opens its trace.
        enableFeatures: ['exemplar-storage'],
        serviceMonitorSelectorNilUsesHelmValues: false,
        podMonitorSelectorNilUsesHelmValues: false,
        ruleSelectorNilUsesHelmValues: false,
        probeSelectorNilUsesHelmValues: false,
        scrapeConfigSelectorNilUsesHelmValues: false,
        serviceMonitorSelector: hasSelector,
        podMonitorSelector: hasSelector,
        ruleSelector: hasSelector,
        probeSelector: hasSelector,
        scrapeConfigSelector: hasSelector,
        serviceMonitorNamespaceSelector: namespaceSelector,
        podMonitorNamespaceSelector: namespaceSelector,
        ruleNamespaceSelector: namespaceSelector,
        probeNamespaceSelector: namespaceSelector,
        scrapeConfigNamespaceSelector: namespaceSelector,
        storageSpec: volume(p.storage),
        // Replicas on different failure domains, so one zone or node loss keeps one Prometheus.
        podAntiAffinity: 'hard',
        podAntiAffinityTopologyKey: input.topologyKey,
        resources: sized('500m', '2Gi', '2', '4Gi'),
      },
    },
    alertmanager: am
      ? {
          enabled: true,
          config: am.config,
          alertmanagerSpec: {
            replicas: am.replicas,
            secrets: [...am.secrets],
            storage: volume('2Gi'),
            podAntiAffinity: 'hard',
            podAntiAffinityTopologyKey: input.topologyKey,
            resources: sized('50m', '64Mi', '200m', '256Mi'),
          },
        }
      : { enabled: false },
    grafana: {
      enabled: true,
      admin: {
        existingSecret: input.grafanaAdminSecret,
        userKey: GRAFANA_ADMIN_KEYS.user,
        passwordKey: GRAFANA_ADMIN_KEYS.password,
      },
      defaultDashboardsEnabled: false,
      serviceMonitor: { enabled: true, labels: { ...MONITORING_SELECTOR } },
      sidecar: {
        // Our dashboards live in the monitoring namespace; their folder comes from an annotation.
        dashboards: {
          enabled: true,
          label: 'grafana_dashboard',
          labelValue: '1',
          folderAnnotation: 'grafana_folder',
          provider: { foldersFromFilesStructure: true },
        },
        datasources: {
          enabled: true,
          defaultDatasourceEnabled: true,
          uid: PROMETHEUS_DATASOURCE_UID,
          alertmanager: { enabled: am !== undefined },
          ...(input.traceDataSources && {
            exemplarTraceIdDestinations: { datasourceUid: 'tempo', traceIdLabelName: 'trace_id' },
          }),
        },
      },
      ...(input.traceDataSources && { additionalDataSources: input.traceDataSources.map((d) => ({ ...d })) }),
      resources: sized('100m', '128Mi', '500m', '512Mi'),
    },
    kubeStateMetrics: { enabled: true },
    'kube-state-metrics': {
      prometheus: { monitor: { enabled: true, additionalLabels: { ...MONITORING_SELECTOR } } },
      ...(input.kubeStateMetrics && {
        customResourceState: { enabled: true, config: input.kubeStateMetrics.customResourceState },
        rbac: { extraRules: [...input.kubeStateMetrics.rbacRules] },
      }),
    },
    nodeExporter: { enabled: true },
    'prometheus-node-exporter': {
      prometheus: { monitor: { enabled: true, additionalLabels: { ...MONITORING_SELECTOR } } },
    },
  };
}

function sized(cpu: string, memory: string, cpuLimit: string, memoryLimit: string) {
  return { requests: { cpu, memory }, limits: { cpu: cpuLimit, memory: memoryLimit } };
}
