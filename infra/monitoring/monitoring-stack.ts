import type * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import * as random from '@pulumi/random';
import {
  MonitoringNetworkPoliciesChart,
  synthesize,
  type KubernetesObject,
  type ScrapeTarget,
} from '../../charts';
import type { SecretBackend } from '../cluster';
import { DistributedSecret } from '../data';
import { applyObjects, pinnedRelease } from '../kubernetes';
import { ARGO_ROLLOUTS_METRICS_PORT, ARGO_ROLLOUTS_POD_LABELS } from '../delivery';
import { CHARTS } from '../versions';
import { grafanaDataSources } from './grafana-datasources';
import { LogsAndTraces, type LogsAndTracesArgs } from './logs-and-traces';
import {
  GRAFANA_ADMIN_KEYS,
  kubePrometheusStackValues,
  type KubePrometheusStackInput,
} from './kube-prometheus-stack-values';

export interface MonitoringStackArgs {
  readonly provider: k8s.Provider;
  readonly secretBackend: SecretBackend;
  readonly environment: string;
  readonly namespace: string;
  /** Namespaces whose monitors and rules Prometheus reads (its own included). */
  readonly watchedNamespaces: readonly string[];
  /** Metrics ports Prometheus may reach outside its namespace. */
  readonly scrapeTargets: readonly ScrapeTarget[];
  /** Where the Argo Rollouts controller runs: it queries Prometheus, which scrapes it. */
  readonly rolloutsControllerNamespace: string;
  readonly storageClass: string;
  readonly topologyKey: string;
  readonly prometheus: KubePrometheusStackInput['prometheus'];
  readonly alertmanager?: KubePrometheusStackInput['alertmanager'];
  readonly kubeStateMetrics?: KubePrometheusStackInput['kubeStateMetrics'];
  /** Loki, Tempo and Alloy, and who may send them traces. */
  readonly logsAndTraces: Omit<
    LogsAndTracesArgs,
    'provider' | 'namespace' | 'storageClass' | 'topologyKey' | 'dependsOn'
  > & {
    readonly otlpClientNamespaces: readonly string[];
  };
  /** PrometheusRules and dashboard ConfigMaps, rendered by their charts. */
  readonly objects: readonly KubernetesObject[];
  /** The baseline (namespaces, Prometheus Operator CRDs) this stack is installed after. */
  readonly dependsOn: readonly pulumi.Resource[];
}

/** The Secret with Grafana's admin login. */
export const GRAFANA_ADMIN_SECRET = 'grafana-admin';

/**
 * One environment's monitoring: kube-prometheus-stack (Prometheus, Alertmanager where the level has it,
 * Grafana, kube-state-metrics, node-exporter) pinned in versions.ts and installed after the Prometheus
 * Operator CRDs, Grafana's admin password generated into a Secret (never in the plan), the namespace's
 * NetworkPolicies, and the platform's PrometheusRules and dashboards.
 */
export class MonitoringStack extends pulumi.ComponentResource {
  readonly ready: pulumi.Resource[];

  constructor(name: string, args: MonitoringStackArgs, opts?: pulumi.ComponentResourceOptions) {
    super('platform:monitoring:MonitoringStack', name, {}, opts);
    const onCluster = (...deps: pulumi.Resource[]) => ({
      parent: this,
      provider: args.provider,
      dependsOn: [...args.dependsOn, ...deps],
    });

    const policies = applyObjects(
      `${name}-network-policies`,
      synthesize(
        (app) =>
          new MonitoringNetworkPoliciesChart(app, 'monitoring-network-policies', {
            namespace: args.namespace,
            scrapeTargets: args.scrapeTargets,
            alertmanager: args.alertmanager !== undefined,
            progressiveDelivery: {
              controllerNamespace: args.rolloutsControllerNamespace,
              controllerPodLabels: ARGO_ROLLOUTS_POD_LABELS,
              metricsPort: ARGO_ROLLOUTS_METRICS_PORT,
            },
            logsAndTraces: {
              otlpClientNamespaces: args.logsAndTraces.otlpClientNamespaces,
              objectStorage:
                args.logsAndTraces.logs.objectStorage !== undefined ||
                args.logsAndTraces.traces.objectStorage !== undefined,
            },
          }),
      ),
      onCluster(),
    );

    const password = new random.RandomPassword(
      `${name}-grafana-admin-password`,
      { length: 32, special: false },
      { parent: this },
    );
    const grafanaAdmin = new DistributedSecret(
      `${name}-grafana-admin`,
      {
        provider: args.provider,
        backend: args.secretBackend,
        secretName: GRAFANA_ADMIN_SECRET,
        namespaces: [args.namespace],
        data: { [GRAFANA_ADMIN_KEYS.user]: 'admin', [GRAFANA_ADMIN_KEYS.password]: password.result },
        dependsOn: args.dependsOn,
      },
      { parent: this },
    );

    const release = pinnedRelease(
      `${name}-kube-prometheus-stack`,
      CHARTS.kubePrometheusStack,
      {
        releaseName: KUBE_PROMETHEUS_STACK_RELEASE,
        namespace: args.namespace,
        values: kubePrometheusStackValues({
          environment: args.environment,
          watchedNamespaces: args.watchedNamespaces,
          storageClass: args.storageClass,
          topologyKey: args.topologyKey,
          prometheus: args.prometheus,
          ...(args.alertmanager && { alertmanager: args.alertmanager }),
          grafanaAdminSecret: GRAFANA_ADMIN_SECRET,
          traceDataSources: grafanaDataSources(args.namespace),
          ...(args.kubeStateMetrics && { kubeStateMetrics: args.kubeStateMetrics }),
        }),
      },
      onCluster(policies, ...grafanaAdmin.ready),
    );

    const logsAndTraces = new LogsAndTraces(
      `${name}-logs-and-traces`,
      {
        logNamespaces: args.logsAndTraces.logNamespaces,
        logs: args.logsAndTraces.logs,
        traces: args.logsAndTraces.traces,
        provider: args.provider,
        namespace: args.namespace,
        storageClass: args.storageClass,
        topologyKey: args.topologyKey,
        dependsOn: [...args.dependsOn, policies],
      },
      { parent: this },
    );

    // Rules and dashboards need only the CRDs (baseline) and the namespace: they do not wait for the release.
    const content = applyObjects(`${name}-content`, args.objects, onCluster());
    this.ready = [policies, ...grafanaAdmin.ready, release, content, ...logsAndTraces.ready];
    this.registerOutputs({});
  }
}

/** The kube-prometheus-stack release: its Prometheus Service is `<release>-prometheus`. */
export const KUBE_PROMETHEUS_STACK_RELEASE = 'kube-prometheus-stack';

/** Prometheus's in-cluster HTTP address, which the rollout analyses query. */
export function prometheusAddress(monitoringNamespace: string): string {
  return `http://${KUBE_PROMETHEUS_STACK_RELEASE}-prometheus.${monitoringNamespace}.svc.cluster.local:9090`;
}
