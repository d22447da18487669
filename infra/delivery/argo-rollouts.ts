import type * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import type { ResourceRequirements } from 'kubernetes-types/core/v1';
import { synthesize } from '../../charts/lib';
import { ControllerMetricsChart, DeliveryAccessChart } from '../../charts/delivery-access';
import { applyObjects, pinnedRelease } from '../kubernetes';
import { CHARTS, GATEWAY_API_PLUGIN, type NodeArch } from '../versions';
import {
  ARGO_ROLLOUTS_METRICS_PORT,
  ARGO_ROLLOUTS_POD_LABELS,
  ARGO_ROLLOUTS_RELEASE,
  ARGO_ROLLOUTS_SERVICE_ACCOUNT,
  argoRolloutsValues,
  type PluginSource,
} from './argo-rollouts-values';

export interface ArgoRolloutsArgs {
  readonly provider: k8s.Provider;
  readonly namespaces: {
    /** Where the controller runs. */
    readonly platform: string;
    /** Where the Rollouts, their Services and HTTPRoutes are. */
    readonly apps: string;
  };
  /** Controller pods: 2 (leader + standby) in uat/prod, 1 in dev/qat. */
  readonly replicas: number;
  /** The nodes' CPU architecture (the plugin binary is per architecture). */
  readonly arch: NodeArch;
  readonly plugin: PluginSource;
  /** HTTPRoutes whose backend weights canary Rollouts move: the only routes the plugin may change. */
  readonly httpRoutes: readonly string[];
  /** Node label of a failure domain (zone on EKS, hostname where there is one zone). */
  readonly topologyKey: string;
  /** @default requests 100m / 256Mi, limits 1 CPU / 1Gi */
  readonly resources?: ResourceRequirements;
  /** The baseline (namespaces, Prometheus Operator CRDs, network policies) this is installed after. */
  readonly dependsOn: readonly pulumi.Resource[];
}

/**
 * Argo Rollouts for one environment: the pinned chart (controller and CRDs) with the Gateway API
 * traffic-router plugin in the platform namespace, the controller's metrics Service and ServiceMonitor, and
 * a Role in the apps namespace that lets the plugin change exactly the named HTTPRoutes. Network policies for
 * the controller are rendered by charts/platform-access and charts/monitoring-network-policies
 * (`progressiveDelivery`). Rollouts and AnalysisTemplates depend on `ready` (the CRDs come with the release).
 */
export class ArgoRollouts extends pulumi.ComponentResource {
  readonly ready: pulumi.Resource[];
  /** Labels of the controller's pods, for NetworkPolicies that admit it. */
  readonly podLabels = ARGO_ROLLOUTS_POD_LABELS;
  readonly metricsPort = ARGO_ROLLOUTS_METRICS_PORT;

  constructor(name: string, args: ArgoRolloutsArgs, opts?: pulumi.ComponentResourceOptions) {
    super('platform:delivery:ArgoRollouts', name, {}, opts);
    const ns = args.namespaces;
    const onCluster = (...deps: pulumi.Resource[]) => ({
      parent: this,
      provider: args.provider,
      dependsOn: [...args.dependsOn, ...deps],
    });

    if (args.plugin.mode === 'download' && GATEWAY_API_PLUGIN.sha256[args.arch] === undefined) {
      // Not an error: the release is the documented install. But the binary is loaded unverified until the
      // checksum is pinned in infra/versions.ts.
      void pulumi.log.warn(
        `${GATEWAY_API_PLUGIN.name} ${GATEWAY_API_PLUGIN.version} (${args.arch}) has no pinned sha256 in ` +
          'infra/versions.ts: the controller loads the downloaded plugin unverified',
        this,
      );
    }

    const release = pinnedRelease(
      `${name}-release`,
      CHARTS.argoRollouts,
      {
        releaseName: ARGO_ROLLOUTS_RELEASE,
        namespace: ns.platform,
        values: argoRolloutsValues({
          replicas: args.replicas,
          arch: args.arch,
          plugin: args.plugin,
          topologyKey: args.topologyKey,
          ...(args.resources && { resources: args.resources }),
        }),
      },
      onCluster(),
    );

    // The ServiceMonitor needs only the Prometheus Operator CRDs (baseline), not the release.
    const metrics = applyObjects(
      `${name}-metrics`,
      synthesize(
        (app) =>
          new ControllerMetricsChart(app, 'argo-rollouts-metrics', {
            namespace: ns.platform,
            podLabels: ARGO_ROLLOUTS_POD_LABELS,
            port: ARGO_ROLLOUTS_METRICS_PORT,
          }),
      ),
      onCluster(),
    );

    // The Role binds the release's ServiceAccount; created with it so a canary never runs without it.
    const access = applyObjects(
      `${name}-access`,
      synthesize(
        (app) =>
          new DeliveryAccessChart(app, 'delivery-access', {
            namespace: ns.apps,
            controller: { namespace: ns.platform, serviceAccount: ARGO_ROLLOUTS_SERVICE_ACCOUNT },
            httpRoutes: args.httpRoutes,
          }),
      ),
      onCluster(),
    );

    this.ready = [release, metrics, access];
    this.registerOutputs({ podLabels: this.podLabels, metricsPort: this.metricsPort });
  }
}
